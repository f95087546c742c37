"""BodyPose: where a person's nose, shoulders, wrists, knees ... are. Written once for CPython and the browser.

As ml5.js 1.x's ``bodyPose``: MoveNet by default (MultiPose Lightning: up to six people),
or BlazePose. Results are a list of poses (``pose_results.py``); the models behind them are
estimator classes (``estimators.py``).
"""
# __pragma__ ('noopov')

from ml5py.models.body_pose.estimators import MODEL_NAMES, estimator_class
from ml5py.models.body_pose.options import check_flag, listed, shown
from ml5py.models.body_pose.pose_results import make_poses
from ml5py.core.live import LiveLoop
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt


def model_name(model):
    """``"MoveNet"`` or ``"BlazePose"`` for any upper/lower case spelling of them."""
    if isinstance(model, str):
        for name in MODEL_NAMES:
            if name.lower() == model.lower():
                return name
    hint = ""
    if isinstance(model, str) and model.lower() == "posenet":
        hint = " (PoseNet's poses come with BodyPix: BodyPix().segment(image).poses)"
    raise ValueError("Unknown BodyPose model " + shown(model) + ". Valid models are: " + listed(MODEL_NAMES) +
                     hint + ".")


def check_callback(callback, where):
    """Refuse a ``callback`` that cannot be called (ml5.js passes options as a dict there)."""
    if callback is None or callable(callback):
        return
    if where == "BodyPose" and rt.is_object(callback):
        raise TypeError("BodyPose takes its options as keywords, e.g. BodyPose(\"MoveNet\", "
                        "model_type=\"SINGLEPOSE_THUNDER\"), not as a dict.")
    raise TypeError(where + "'s callback must be a function such as def got_poses(poses, error): ...; got " +
                    shown(callback) + ".")


class BodyPose:
    """Find people's bodies in pictures and videos: 17 keypoints each (MoveNet), or 33 (BlazePose).

    ``BodyPose()`` loads MoveNet MultiPose Lightning (up to six people, each with a
    tracking ``id``). ``model_type`` picks another: "SINGLEPOSE_LIGHTNING" (one person,
    fastest), "SINGLEPOSE_THUNDER" (one person, most accurate). ``BodyPose("BlazePose")``
    finds one person's 33 keypoints and their ``keypoints3D`` in metres; its ``model_type``
    is "full" (default) or "lite", ``enable_segmentation=True`` adds ``pose.mask`` (a
    picture of the person), ``smooth_segmentation`` steadies it in a video, and
    ``detector_model_url`` / ``landmark_model_url`` load your own copies. Options, as ml5.js 1.x:
    ``enable_smoothing`` (steadier keypoints in a video), ``min_pose_score`` (0..1: how sure
    a pose must be), ``multi_pose_max_dimension`` (MultiPose's input size, a multiple of
    32), ``enable_tracking``, ``tracker_type`` ("boundingBox" or "keypoint"),
    ``tracker_config``, ``model_url`` (your own copy of the model.json), ``flipped``
    (mirror x, for a mirrored webcam). The model loads in the background; ``callback``
    (optional) is called as ``callback(body_pose, error)`` once it is ready.
    """

    def __init__(self, model="MoveNet", callback=None, model_type=None, enable_smoothing=None,
                 min_pose_score=None, multi_pose_max_dimension=None, enable_tracking=None, tracker_type=None,
                 tracker_config=None, model_url=None, enable_segmentation=None, smooth_segmentation=None,
                 detector_model_url=None, landmark_model_url=None, flipped=False):
        if callback is None and callable(model):  # BodyPose(got_ready)
            callback = model
            model = "MoveNet"
        if rt.is_object(model):
            check_callback(model, "BodyPose")
        check_callback(callback, "BodyPose")
        self.model_name = model_name(model)
        self.flipped = check_flag("flipped", flipped)
        options = {"model_type": model_type, "enable_smoothing": enable_smoothing, "min_pose_score": min_pose_score,
                   "multi_pose_max_dimension": multi_pose_max_dimension, "enable_tracking": enable_tracking,
                   "tracker_type": tracker_type, "tracker_config": tracker_config, "model_url": model_url,
                   "enable_segmentation": enable_segmentation, "smooth_segmentation": smooth_segmentation,
                   "detector_model_url": detector_model_url, "landmark_model_url": landmark_model_url}
        kind = estimator_class(self.model_name)
        self.options = kind.check_options(options)
        self.options["flipped"] = self.flipped  # (BlazePose mirrors its mask too)
        self.model_type = self.options["model_type"]
        self.keypoint_names = kind.keypoint_names
        self._estimator = kind(self.options)
        self._loading = rt.after(self._estimator.load(), lambda loaded: self)
        self._live = LiveLoop("detect")
        self.ready = rt.deliver(self._loading, callback)
        rt.keep_sketch_waiting(self._loading)  # made in a p5 preload(): setup() waits for it

    def detect(self, media, callback=None):
        """The poses in one picture (a still: no smoothing across calls).

        Returns the list of poses (in the browser a promise of it) and hands it to
        ``callback(poses, error)``. Each pose has ``keypoints`` (``{x, y, confidence,
        name}`` in the picture's pixels), ``confidence``, ``box`` (``{x_min, y_min, width,
        height}``), ``id``, and every keypoint by name: ``pose.nose``, ``pose["left_wrist"]``.
        A picture with nobody in it gives an empty list.
        """
        check_callback(callback, "detect")
        return rt.deliver(self._job(media, None), callback)

    def detect_start(self, media, callback, fps=30):
        """Find the poses in every new frame of ``media``; ``callback(poses, error)`` each time.

        Keypoints are smoothed from frame to frame (``enable_smoothing``) and MultiPose
        keeps each person's ``id``. ``detect_stop()`` ends it, also from inside the callback.
        In CPython ``media`` is a list (or generator) of a video's frames, frame ``i`` seen
        at ``i / fps`` seconds; in the browser a video's own clock times its frames.
        """
        self._restart(fps)
        counter = [0]

        def work(frame):
            index = counter[0]
            counter[0] += 1
            return self._job(frame, rt.frame_time_us(media, frame, index, fps))

        self._live.start(media, work, callback)

    def _restart(self, fps):
        """A live loop begins: check ``fps``, stop the last loop and forget its frames (smoothing, tracking)."""
        if fps is True or fps is False or not rt.is_number(fps) or fps <= 0:
            raise ValueError("Invalid fps " + shown(fps) + ". It is the video's frames per second, a "
                             "number above 0 (30 by default).")
        self._live.stop()
        self._estimator.reset()

    def detect_stop(self):
        """Stop ``detect_start``: no callback comes after this returns."""
        self._live.stop()

    def get_skeleton(self):
        """The lines to draw between keypoints: pairs ``[a, b]`` of indices into ``pose.keypoints``."""
        pairs = []
        for pair in self._estimator.connections:
            pairs.append([pair[0], pair[1]])
        return pairs

    def get_connections(self):
        """The same as ``get_skeleton()`` (ml5.js has both names)."""
        return self.get_skeleton()

    def dispose(self):
        """Stop any live detection and free the model's memory."""
        self._live.stop()
        self._estimator.dispose()

    def _job(self, media, timestamp_us):
        """Find the poses in ``media`` once the model is loaded and the picture has pixels."""
        both = rt.when_all([self._loading, rt.media_ready(media)])
        return rt.after(both, lambda loaded_and_media: self._poses(loaded_and_media[1], timestamp_us))

    def _poses(self, media, timestamp_us):
        def results(found):
            return make_poses(found["poses"], self.keypoint_names, found["width"], self.flipped)

        return rt.after(self._estimator.estimate(media, timestamp_us), results)


ml5_names(BodyPose)  # also answers to ml5.js's names (core/ml5_names.py)
