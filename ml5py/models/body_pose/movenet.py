"""MoveNet: 17 body keypoints of one person (Lightning, Thunder) or of up to six (MultiPose).

Written once for CPython and the browser, with the steps of tfjs-models pose-detection
2.1.3 around the network:

- single pose: a square crop of the picture (``movenet_crop``: the middle on the first
  frame, then where the last frame's body was, each corner smoothed by a low-pass filter)
  resized to 192 (Lightning) or 256 (Thunder); the pose's score is the mean of its keypoint
  scores above 0.2; below ``min_pose_score`` the pose is dropped and the crop starts over;
- multi-pose: the picture resized so that its longer side is ``multi_pose_max_dimension``
  (256), padded to multiples of 32; poses below ``min_pose_score`` are dropped; with
  ``enable_tracking`` each gets a tracking ``id`` (``trackers.py``);
- in a video (a timestamp per frame), ``enable_smoothing`` runs each keypoint through a
  1-euro filter (``filters.py``), per tracked person for MultiPose.

The options are checked in ``movenet_options.py``. ``estimate`` answers a still picture
(``timestamp_us`` None) as a freshly made detector would, leaving a running video's state alone.
"""
# __pragma__ ('noopov')

import math

from ml5py.models.body_pose.filters import KeypointsOneEuroFilter, LowPassFilter
from ml5py.models.body_pose.movenet_crop import (COCO_KEYPOINTS, MIN_CROP_KEYPOINT_SCORE, determine_next_crop_region,
                                          init_crop_region)
from ml5py.models.body_pose.movenet_options import MODEL_IDS, check_movenet_options
from ml5py.models.body_pose.options import check_picture_size
from ml5py.models.body_pose.trackers import BoundingBoxTracker, KeypointTracker
from ml5py.runtime import rt

# pose-detection's util.getAdjacentPairs(MoveNet): the lines of the skeleton
COCO_CONNECTIONS = [[0, 1], [0, 2], [1, 3], [2, 4], [5, 6], [5, 7], [5, 11], [6, 8], [6, 12],
                    [7, 9], [8, 10], [11, 12], [11, 13], [12, 14], [13, 15], [14, 16]]
KEYPOINT_FILTER_CONFIG = {"frequency": 30, "min_cut_off": 2.5, "beta": 300.0, "derivate_cut_off": 2.5,
                          "threshold_cut_off": 0.5, "threshold_beta": 5.0, "disable_value_scaling": True}
CROP_FILTER_ALPHA = 0.9
INPUT_SIZES = {"SINGLEPOSE_LIGHTNING": 192, "SINGLEPOSE_THUNDER": 256}
MULTIPOSE_INSTANCE_SIZE = 56  # 17 x (y, x, score), then (y_min, x_min, y_max, x_max, score)
MULTIPOSE_BOX_INDEX = 51


def _js_round(value):
    """Round half up, as JavaScript's Math.round."""
    return math.floor(value + 0.5)


class _Stream:
    """What MoveNet remembers from frame to frame of one video."""

    def __init__(self, options):
        self.crop_region = None
        self.keypoint_filter = KeypointsOneEuroFilter(KEYPOINT_FILTER_CONFIG)
        self.crop_filters = [LowPassFilter(CROP_FILTER_ALPHA) for index in range(4)]
        self.tracker = None
        if options["enable_tracking"]:
            if options["tracker_type"] == "keypoint":
                self.tracker = KeypointTracker(options["tracker_config"])
            else:
                self.tracker = BoundingBoxTracker(options["tracker_config"])
        self.filters_by_id = []  # [track id, KeypointsOneEuroFilter] pairs

    def filter_for(self, track_id):
        for pair in self.filters_by_id:
            if pair[0] == track_id:
                return pair[1]
        made = KeypointsOneEuroFilter(KEYPOINT_FILTER_CONFIG)
        self.filters_by_id.append([track_id, made])
        return made

    def forget_lost_tracks(self):
        ids = self.tracker.track_ids()
        kept = []
        for pair in self.filters_by_id:
            if pair[0] in ids:
                kept.append(pair)
        self.filters_by_id = kept

    def smoothed_crop(self, region):
        """The next crop region, each corner through its low-pass filter."""
        y_min = self.crop_filters[0].apply(region["y_min"])
        x_min = self.crop_filters[1].apply(region["x_min"])
        y_max = self.crop_filters[2].apply(region["y_max"])
        x_max = self.crop_filters[3].apply(region["x_max"])
        return {"y_min": y_min, "x_min": x_min, "y_max": y_max, "x_max": x_max,
                "height": y_max - y_min, "width": x_max - x_min}


class MoveNet:
    """The MoveNet estimator behind ``BodyPose("MoveNet")``."""

    keypoint_names = COCO_KEYPOINTS
    connections = COCO_CONNECTIONS

    @staticmethod
    def check_options(options):
        return check_movenet_options(options)

    def __init__(self, options):
        self.options = options
        self.model_type = options["model_type"]
        self.multi_pose = self.model_type == "MULTIPOSE_LIGHTNING"
        self.source = None
        self.model = None
        self._stream = _Stream(options)

    def load(self):
        def got_source(source):
            self.source = source
            return rt.after(rt.load_pose_graph(source, self.options["model_url"]), keep)

        def keep(model):
            self.model = model
            return self

        return rt.after(rt.find_pose_model(MODEL_IDS[self.model_type]), got_source)

    def reset(self):
        self._stream = _Stream(self.options)

    def dispose(self):
        if self.model is not None:
            rt.dispose_pose_graph(self.model)
            self.model = None

    def estimate(self, media, timestamp_us):
        """A pending ``{"poses": [...], "width": w, "height": h}`` (keypoints in pixels)."""
        if self.model is None:
            raise ValueError("This BodyPose was disposed of: make a new BodyPose() to find poses again.")
        stream = _Stream(self.options) if timestamp_us is None else self._stream
        if self.multi_pose:
            return self._estimate_multi(media, timestamp_us, stream)
        return self._estimate_single(media, timestamp_us, stream)

    # ------------------------------------------------------------ the network

    def _run(self, media, make_batch, size):
        """Run the graph on the batch ``make_batch(pixels)``; a pending flat list of its output."""
        def network():
            image = rt.pixels(media)
            size[0] = image.shape[1]
            size[1] = image.shape[0]
            check_picture_size(size[0], size[1])
            return rt.run_pose_graph(self.model, make_batch(image, size[0], size[1]), self.source["input"],
                                     self.source["outputs"]["output"] if self.options["model_url"] is None
                                     else None)
        return rt.read(rt.tidy(network))

    def _estimate_single(self, media, timestamp_us, stream):
        size = [0, 0]
        crop = [None]
        side = INPUT_SIZES[self.model_type]

        def make_batch(image, width, height):
            if stream.crop_region is None:
                stream.crop_region = init_crop_region(True, width, height)
            crop[0] = stream.crop_region
            box = [crop[0]["y_min"], crop[0]["x_min"], crop[0]["y_max"], crop[0]["x_max"]]
            return rt.movenet_crop(image, box, [side, side])

        def decode(values):
            return self._single_pose(values, crop[0], size[0], size[1], timestamp_us, stream)

        return rt.after(self._run(media, make_batch, size), decode)

    def _single_pose(self, values, crop, width, height, timestamp_us, stream):
        keypoints = []
        score = 0.0
        valid = 0
        for index in range(len(COCO_KEYPOINTS)):
            point = {"y": values[3 * index], "x": values[3 * index + 1], "score": values[3 * index + 2]}
            keypoints.append(point)
            if point["score"] > MIN_CROP_KEYPOINT_SCORE:
                valid += 1
                score += point["score"]
        if valid > 0:
            score /= valid
        if score < self.options["min_pose_score"]:
            if stream is self._stream:
                self.reset()  # start over from the middle of the picture
            return {"poses": [], "width": width, "height": height}
        for point in keypoints:  # from the crop to the picture (0..1)
            point["y"] = crop["y_min"] + point["y"] * crop["height"]
            point["x"] = crop["x_min"] + point["x"] * crop["width"]
        if timestamp_us is not None and self.options["enable_smoothing"]:
            keypoints = stream.keypoint_filter.apply(keypoints, timestamp_us, 1)
        next_region = determine_next_crop_region(stream.crop_region, keypoints, width, height)
        stream.crop_region = stream.smoothed_crop(next_region)
        pose = {"keypoints": _in_pixels(keypoints, width, height), "score": score, "box": None, "id": None}
        return {"poses": [pose], "width": width, "height": height}

    def _estimate_multi(self, media, timestamp_us, stream):
        size = [0, 0]
        plan = [None]

        def make_batch(image, width, height):
            plan[0] = self._multi_plan(width, height)
            return rt.movenet_resize_pad(image, plan[0][0], plan[0][1])

        def decode(values):
            return self._multi_poses(values, plan[0], size[0], size[1], timestamp_us, stream)

        return rt.after(self._run(media, make_batch, size), decode)

    def _multi_plan(self, width, height):
        """[[resized h, w], [padded h, w]]: the longer side to the max dimension, padded to 32s."""
        longest = self.options["multi_pose_max_dimension"]
        if width > height:
            resized = [_js_round(longest * height / width), longest]
            return [resized, [math.ceil(resized[0] / 32) * 32, longest]]
        resized = [longest, _js_round(longest * width / height)]
        return [resized, [longest, math.ceil(resized[1] / 32) * 32]]

    def _multi_poses(self, values, plan, width, height, timestamp_us, stream):
        scale_y = plan[1][0] / plan[0][0]  # padded / resized: from the padded input to the picture
        scale_x = plan[1][1] / plan[0][1]
        poses = []
        for person in range(len(values) // MULTIPOSE_INSTANCE_SIZE):
            start = person * MULTIPOSE_INSTANCE_SIZE
            at = start + MULTIPOSE_BOX_INDEX
            score = values[at + 4]
            if score < self.options["min_pose_score"]:
                continue
            keypoints = []
            for index in range(len(COCO_KEYPOINTS)):
                keypoints.append({"y": values[start + 3 * index] * scale_y,
                                  "x": values[start + 3 * index + 1] * scale_x,
                                  "score": values[start + 3 * index + 2]})
            # the box as pose-detection keeps it (0..1 of the padded input), for the tracker
            box = {"y_min": values[at], "x_min": values[at + 1], "y_max": values[at + 2], "x_max": values[at + 3],
                   "width": values[at + 3] - values[at + 1], "height": values[at + 2] - values[at]}
            poses.append({"keypoints": keypoints, "score": score, "box": box, "id": None})
        if stream.tracker is not None:
            stream.tracker.apply(poses, timestamp_us)
            if timestamp_us is not None and self.options["enable_smoothing"]:
                for pose in poses:
                    pose["keypoints"] = stream.filter_for(pose["id"]).apply(pose["keypoints"], timestamp_us, 1)
                stream.forget_lost_tracks()
        found = []
        for pose in poses:
            box = pose["box"]
            found.append({"keypoints": _in_pixels(pose["keypoints"], width, height), "score": pose["score"],
                          "id": pose["id"],
                          "box": {"x_min": box["x_min"] * scale_x * width, "x_max": box["x_max"] * scale_x * width,
                                  "y_min": box["y_min"] * scale_y * height,
                                  "y_max": box["y_max"] * scale_y * height}})
        return {"poses": found, "width": width, "height": height}


def _in_pixels(keypoints, width, height):
    """Keypoints from 0..1 of the picture to its pixels."""
    placed = []
    for point in keypoints:
        placed.append({"x": point["x"] * width, "y": point["y"] * height, "score": point["score"]})
    return placed
