"""BlazePose's keypoint names, skeleton, and its smoothing across video frames.

Written once for CPython and the browser. Names and lines are pose-detection 2.1.3's
(``BLAZEPOSE_KEYPOINTS``, ``getAdjacentPairs(BlazePose)``, which ml5.js 1.x hands out);
the smoothing follows its MediaPipe pose landmark filtering:

- visibilities through low-pass filters (alpha 0.1), one set for the 33 keypoints and one
  for the 2 steering points (pose-detection runs the keypoints' set over the world points
  too, which moves that set's state a second time each frame: kept, to give its answers);
- keypoints and steering points in pixels through 1-euro filters whose speeds are divided
  by the body's size (the steering points' distance, doubled); the steering points are
  smoothed harder, so the next frame's region stays still while the body does;
- world points (metres) through their own 1-euro filters, kept when the person is lost.
"""
# __pragma__ ('noopov')

from ml5py.models.body_pose.filters import KeypointsOneEuroFilter, LowPassFilter

BLAZEPOSE_KEYPOINTS = [
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index"]
# pose-detection's lines, in its order ([15, 17] is there twice, as in pose-detection)
BLAZEPOSE_CONNECTIONS = [
    [0, 1], [0, 4], [1, 2], [2, 3], [3, 7], [4, 5], [5, 6], [6, 8], [9, 10], [11, 12], [11, 13], [11, 23],
    [12, 14], [14, 16], [12, 24], [13, 15], [15, 17], [16, 18], [16, 20], [15, 17], [15, 19], [15, 21],
    [16, 22], [17, 19], [18, 20], [23, 25], [23, 24], [24, 26], [25, 27], [26, 28], [27, 29], [28, 30],
    [27, 31], [28, 32], [29, 31], [30, 32]]

VISIBILITY_ALPHA = 0.1
KEYPOINTS_CONFIG = {"frequency": 30, "min_cut_off": 0.05, "beta": 80, "derivate_cut_off": 1.0,
                    "min_allowed_object_scale": 1e-6}
STEERING_CONFIG = {"frequency": 30, "min_cut_off": 0.01, "beta": 10.0, "derivate_cut_off": 1.0,
                   "min_allowed_object_scale": 1e-6}
WORLD_CONFIG = {"frequency": 30, "min_cut_off": 0.1, "beta": 40, "derivate_cut_off": 1.0,
                "min_allowed_object_scale": 1e-6, "disable_value_scaling": True}


class VisibilityFilter:
    """A low-pass filter per point's score; the points come back as copies."""

    def __init__(self):
        self.filters = None

    def apply(self, points):
        if self.filters is None or len(self.filters) != len(points):
            self.filters = [LowPassFilter(VISIBILITY_ALPHA) for index in range(len(points))]
        out = []
        for index in range(len(points)):
            point = _copy(points[index])
            point["score"] = self.filters[index].apply(points[index]["score"])
            out.append(point)
        return out


def _to_pixels(points, width, height):
    placed = []
    for point in points:
        out = _copy(point)
        out["x"] = point["x"] * width
        out["y"] = point["y"] * height
        out["z"] = point["z"] * width
        placed.append(out)
    return placed


def _to_normalized(points, width, height):
    """Back to 0..1; z stays in pixels, as pose-detection 2.1.3 leaves it (z is not handed out)."""
    placed = []
    for point in points:
        out = _copy(point)
        out["x"] = point["x"] / width
        out["y"] = point["y"] / height
        placed.append(out)
    return placed


class LandmarkSmoothing:
    """The filters of the keypoints and the steering points of one video (forgotten with the person)."""

    def __init__(self):
        self.visibility_keypoints = VisibilityFilter()
        self.visibility_steering = VisibilityFilter()
        self.keypoints = KeypointsOneEuroFilter(KEYPOINTS_CONFIG)
        self.steering = KeypointsOneEuroFilter(STEERING_CONFIG)

    def apply(self, keypoints, steering, world, timestamp_us, width, height, scale_rect):
        """[keypoints, steering points] smoothed (0..1 of the picture)."""
        scale = (scale_rect["width"] * width + scale_rect["height"] * height) / 2
        keypoints = self.visibility_keypoints.apply(keypoints)
        steering = self.visibility_steering.apply(steering)
        self.visibility_keypoints.apply(world)  # (its answer is not used: see the module's docstring)
        keypoints = _to_normalized(self.keypoints.apply(_to_pixels(keypoints, width, height), timestamp_us, scale),
                                   width, height)
        steering = _to_normalized(self.steering.apply(_to_pixels(steering, width, height), timestamp_us, scale),
                                  width, height)
        return [keypoints, steering]


class WorldSmoothing:
    """The 1-euro filters of the world points (metres: no scaling by the body's size)."""

    def __init__(self):
        self.filter = KeypointsOneEuroFilter(WORLD_CONFIG)

    def apply(self, world, timestamp_us):
        return self.filter.apply(world, timestamp_us, 1)


def _copy(point):
    copied = {}
    for key in ["x", "y", "z", "score"]:
        if key in point:
            copied[key] = point[key]
    return copied
