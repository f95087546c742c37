"""MoveNet's options, checked as ml5.js 1.x and pose-detection 2.1.3 check them, with their defaults.

Written once for CPython and the browser. Every bad value raises a ValueError that names
it and says what is allowed.
"""
# __pragma__ ('noopov')

from ml5py.models.body_pose.options import check_choice, check_flag, check_number, given, refuse_others, shown
from ml5py.runtime import rt
from ml5py.models.body_pose.trackers import DEFAULT_BOUNDING_BOX_TRACKER_CONFIG, DEFAULT_KEYPOINT_TRACKER_CONFIG

MODEL_TYPES = ["MULTIPOSE_LIGHTNING", "SINGLEPOSE_LIGHTNING", "SINGLEPOSE_THUNDER"]
# the ids (mirror folders) of their weights
MODEL_IDS = {"MULTIPOSE_LIGHTNING": "movenet-multipose", "SINGLEPOSE_LIGHTNING": "movenet-lightning",
             "SINGLEPOSE_THUNDER": "movenet-thunder"}
# pose-detection's own spellings, accepted too
POSE_DETECTION_NAMES = {"MultiPose.Lightning": "MULTIPOSE_LIGHTNING", "SinglePose.Lightning": "SINGLEPOSE_LIGHTNING",
                        "SinglePose.Thunder": "SINGLEPOSE_THUNDER"}
TRACKER_TYPES = ["boundingBox", "keypoint"]
DEFAULT_MIN_POSE_SCORE = 0.25
DEFAULT_MAX_DIMENSION = 256
BLAZEPOSE_OPTIONS = ["enable_segmentation", "smooth_segmentation", "detector_model_url", "landmark_model_url"]
TRACKER_KEYS = ["max_tracks", "max_age", "min_similarity", "keypoint_tracker_params"]
KEYPOINT_PARAM_KEYS = ["keypoint_confidence_threshold", "keypoint_falloff", "min_number_of_keypoints"]


def _or_default(value, default):
    return default if value is None else value


def _model_type(value):
    if value is None:
        return "MULTIPOSE_LIGHTNING"
    if isinstance(value, str) and value in POSE_DETECTION_NAMES:
        return POSE_DETECTION_NAMES[value]
    return check_choice("model_type", value, MODEL_TYPES)


def check_movenet_options(options):
    """The options MoveNet runs with (every key present), or a ValueError for a bad one."""
    refuse_others(options, BLAZEPOSE_OPTIONS, "MoveNet", "BlazePose")
    checked = {"model_type": _model_type(given(options, "model_type"))}
    checked["enable_smoothing"] = check_flag("enable_smoothing", _or_default(given(options, "enable_smoothing"), True))
    checked["min_pose_score"] = check_number("min_pose_score", _or_default(
        given(options, "min_pose_score"), DEFAULT_MIN_POSE_SCORE), 0, 1, " (0.25 by default)")
    dimension = _or_default(given(options, "multi_pose_max_dimension"), DEFAULT_MAX_DIMENSION)
    check_number("multi_pose_max_dimension", dimension, 32, 4096, ", a multiple of 32 (256 by default)")
    if dimension % 32 != 0:
        raise ValueError("Invalid multi_pose_max_dimension " + shown(dimension) + ". It is a multiple of 32 "
                         "(256 by default): 192, 224, 256, 288 ...")
    checked["multi_pose_max_dimension"] = dimension
    checked["enable_tracking"] = check_flag("enable_tracking", _or_default(given(options, "enable_tracking"), True))
    if checked["model_type"] != "MULTIPOSE_LIGHTNING":
        checked["enable_tracking"] = False  # one person: nothing to tell apart
    checked["tracker_type"] = check_choice("tracker_type", _or_default(given(options, "tracker_type"),
                                                                       "boundingBox"), TRACKER_TYPES)
    checked["tracker_config"] = tracker_config(given(options, "tracker_config"), checked["tracker_type"])
    location = given(options, "model_url")
    if location is not None and (not isinstance(location, str) or location == ""):
        raise ValueError("Invalid model_url " + shown(location) + ". It is the path or URL of a MoveNet "
                         "model.json (TF.js graph model), e.g. 'models/movenet/model.json'.")
    checked["model_url"] = location
    return checked


def _check_keys(name, config, keys):
    if not rt.is_object(config):
        raise ValueError("Invalid " + name + " " + shown(config) + ". It is a dict with some of: " +
                         ", ".join(keys) + ".")
    for key in rt.object_keys(config):
        if key not in keys:
            raise ValueError("Unknown " + name + " key " + shown(key) + ". Valid keys are: " +
                             ", ".join(keys) + ".")


def tracker_config(config, tracker_type):
    """pose-detection's defaults for the tracker, with what ``config`` sets, checked."""
    defaults = DEFAULT_KEYPOINT_TRACKER_CONFIG if tracker_type == "keypoint" else DEFAULT_BOUNDING_BOX_TRACKER_CONFIG
    merged = {"max_tracks": defaults["max_tracks"], "max_age": defaults["max_age"],
              "min_similarity": defaults["min_similarity"]}
    if tracker_type == "keypoint":
        params = defaults["keypoint_tracker_params"]
        merged["keypoint_tracker_params"] = {key: params[key] for key in KEYPOINT_PARAM_KEYS}
    if config is None:
        return merged
    _check_keys("tracker_config", config, TRACKER_KEYS)
    for key in ["max_tracks", "max_age", "min_similarity"]:
        if key in config:
            merged[key] = config[key]
    check_number("tracker_config max_tracks", merged["max_tracks"], 1, 1000)
    check_number("tracker_config max_age", merged["max_age"], 1e-9, 1e12, " (milliseconds)")
    check_number("tracker_config min_similarity", merged["min_similarity"], 0, 1)
    if "keypoint_tracker_params" in config and tracker_type == "keypoint":
        given_params = config["keypoint_tracker_params"]
        _check_keys("keypoint_tracker_params", given_params, KEYPOINT_PARAM_KEYS)
        for key in KEYPOINT_PARAM_KEYS:
            if key in given_params:
                merged["keypoint_tracker_params"][key] = given_params[key]
        params = merged["keypoint_tracker_params"]
        check_number("keypoint_confidence_threshold", params["keypoint_confidence_threshold"], 0, 1)
        check_number("min_number_of_keypoints", params["min_number_of_keypoints"], 1, 17)
        falloff = params["keypoint_falloff"]
        if not rt.is_sequence(falloff) or len(falloff) != 17:
            raise ValueError("Invalid keypoint_falloff " + shown(falloff) + ". It is a list of 17 positive "
                             "numbers, one per keypoint.")
        for value in falloff:
            check_number("keypoint_falloff value", value, 1e-12, 1e12)
    return merged
