"""Which estimator class runs each of BodyPose's models (the seam between BodyPose and its models).

Written once for CPython and the browser. An estimator class offers ``keypoint_names``,
``connections``, ``check_options(options)`` (a static method), ``load()``,
``estimate(media, timestamp_us)``, ``reset()`` and ``dispose()``: see
``ml5py/body_pose/movenet.py`` and /work/notes/BODYPOSE_SEAM.md.
"""
# __pragma__ ('noopov')

from ml5py.body_pose.movenet import MoveNet

MODEL_NAMES = ["MoveNet", "BlazePose"]


def estimator_class(name):
    """The class for one of ``MODEL_NAMES`` (already checked)."""
    if name == "MoveNet":
        return MoveNet
    raise ValueError("BodyPose(\"BlazePose\") is not part of this ml5py yet; use BodyPose(\"MoveNet\").")
