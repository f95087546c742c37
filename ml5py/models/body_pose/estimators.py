"""Which estimator class runs each of BodyPose's models (the seam between BodyPose and its models).

Written once for CPython and the browser. An estimator class (``movenet.py``'s ``MoveNet``,
``blazepose.py``'s ``BlazePose``) offers:

- ``keypoint_names`` (model order) and ``connections`` (index pairs: the skeleton's lines);
- ``check_options(options)``, a static method: ``options`` holds every keyword of BodyPose
  (None when not given); it returns them checked, with the model's defaults filled in, or
  raises a ValueError that names the bad value and lists the good ones;
- ``load()``: a pending value, settled once the model is ready;
- ``estimate(media, timestamp_us)``: a pending ``{"poses": [...], "width": w, "height":
  h}``, each raw pose ``{"keypoints": [{x, y, score}] (pixels), "score", "box"
  ({x_min, y_min, x_max, y_max} or None), "id", "keypoints3D" (optional), "mask"
  (optional)}``; ``timestamp_us`` None is a still picture (answered as by a fresh
  detector, leaving a running video's state alone);
- ``reset()`` (forget the video: filters, crop, tracks) and ``dispose()``.
"""
# __pragma__ ('noopov')

from ml5py.models.body_pose.blazepose import BlazePose
from ml5py.models.body_pose.movenet import MoveNet

MODEL_NAMES = ["MoveNet", "BlazePose"]


def estimator_class(name):
    """The class for one of ``MODEL_NAMES`` (already checked)."""
    if name == "MoveNet":
        return MoveNet
    return BlazePose
