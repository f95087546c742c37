"""BlazePose's options, checked as ml5.js 1.x and pose-detection 2.1.3 check them, with their defaults.

Written once for CPython and the browser. Every bad value raises a ValueError that names
it and says what is allowed.
"""
# __pragma__ ('noopov')

from ml5py.models.body_pose.options import check_choice, check_flag, check_number, given, refuse_others, shown

MODEL_TYPES = ["lite", "full"]
# the ids (mirror folders) of their weights
LANDMARK_IDS = {"lite": "blazepose-lite", "full": "blazepose-full"}
DETECTOR_ID = "blazepose-detector"
# pose-detection drops a pose whose landmark model is less sure than this that a body is there
DEFAULT_MIN_POSE_SCORE = 0.5
MOVENET_OPTIONS = ["multi_pose_max_dimension", "enable_tracking", "tracker_type", "tracker_config"]


def _or_default(value, default):
    return default if value is None else value


def _location(options, name, what):
    location = given(options, name)
    if location is not None and (not isinstance(location, str) or location == ""):
        raise ValueError("Invalid " + name + " " + shown(location) + ". It is the path or URL of BlazePose's " +
                         what + " model.json (TF.js graph model), e.g. 'models/blazepose/" + what + ".json'.")
    return location


def check_blazepose_options(options):
    """The options BlazePose runs with (every key present), or a ValueError for a bad one."""
    refuse_others(options, MOVENET_OPTIONS, "BlazePose", "MoveNet")
    if given(options, "model_url") is not None:
        raise ValueError("BlazePose has two models: give detector_model_url=... and/or landmark_model_url=... "
                         "instead of model_url.")
    model_type = given(options, "model_type")
    if model_type == "heavy" or model_type == "HEAVY":
        raise ValueError("Invalid model_type 'heavy': ml5py has no weights for BlazePose heavy. Valid values "
                         "are: lite, full.")
    checked = {"model_type": check_choice("model_type", _or_default(model_type, "full"), MODEL_TYPES)}
    checked["enable_smoothing"] = check_flag("enable_smoothing", _or_default(given(options, "enable_smoothing"), True))
    checked["enable_segmentation"] = check_flag("enable_segmentation",
                                                _or_default(given(options, "enable_segmentation"), False))
    checked["smooth_segmentation"] = check_flag("smooth_segmentation",
                                                _or_default(given(options, "smooth_segmentation"), True))
    checked["min_pose_score"] = check_number("min_pose_score", _or_default(
        given(options, "min_pose_score"), DEFAULT_MIN_POSE_SCORE), 0, 1, " (0.5 by default)")
    checked["detector_model_url"] = _location(options, "detector_model_url", "detector")
    checked["landmark_model_url"] = _location(options, "landmark_model_url", "landmark")
    return checked
