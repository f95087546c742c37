"""BodyPose's model logic around the network, on its own: filters, trackers, MoveNet's crop region.

References are worked out here from the formulas (pose-detection 2.1.3's, and the 1-euro
paper's), written differently from the code under test.
"""
from __future__ import annotations

import math

import pytest

from ml5py.models.body_pose.filters import KeypointsOneEuroFilter, LowPassFilter, OneEuroFilter
from ml5py.models.body_pose.movenet_crop import determine_next_crop_region, init_crop_region
from ml5py.models.body_pose.movenet_options import tracker_config
from ml5py.models.body_pose.trackers import BoundingBoxTracker, KeypointTracker

CONFIG = {"frequency": 30, "min_cut_off": 2.5, "beta": 300.0, "derivate_cut_off": 2.5,
          "threshold_cut_off": 0.5, "threshold_beta": 5.0, "disable_value_scaling": True}


def test_low_pass_filter_steps_toward_each_value():
    smooth = LowPassFilter(0.25)
    assert smooth.apply(8.0) == 8.0 and smooth.last_raw_value() == 8.0  # the first value passes
    assert smooth.apply(0.0) == 6.0  # 8 + 0.25 * (0 - 8)
    assert smooth.apply(6.0, threshold=2.0) == 6.0  # no step: asinh(0) = 0
    assert smooth.apply(10.0, threshold=2.0) == pytest.approx(6 + 0.25 * 2 * math.asinh(2.0))
    smooth.reset()
    assert smooth.apply(-1.0) == -1.0 and smooth.has_last_raw_value()


def one_euro_reference(values, times_us):
    """The 1-euro filter with pose-detection's threshold, from its formulas, frame by frame."""
    out, frequency, previous_time, raw, stored, d_stored = [], 30.0, 0, None, None, None
    for value, time in zip(values, times_us):
        time = int(time)
        if previous_time >= time:
            out.append(value)
            continue
        if previous_time != 0 and time != 0:
            frequency = 1e6 / (time - previous_time)
        previous_time = time
        alpha = lambda cut_off: 1 / (1 + frequency / (2 * math.pi * cut_off))  # noqa: E731
        speed = 0.0 if raw is None else (value - raw) * frequency
        d_stored = speed if d_stored is None else d_stored + alpha(2.5) * (speed - d_stored)
        cut_off = 2.5 + 300.0 * abs(d_stored)
        threshold = 0.5 + 5.0 * abs(d_stored)
        if stored is None:
            stored = value
        else:
            stored = stored + alpha(cut_off) * threshold * math.asinh((value - stored) / threshold)
        raw = value
        out.append(stored)
    return out


def test_one_euro_filter_follows_its_formulas_with_time_from_the_timestamps():
    values = [0.50, 0.52, 0.51, 0.70, 0.71, 0.69, 0.40, 0.41]
    times = [0, 33333.3, 66666.7, 100000, 133333.3, 200000, 233333.3, 233333.3]  # a gap, a repeat
    one = OneEuroFilter(CONFIG)
    got = [one.apply(value, time, 1) for value, time in zip(values, times)]
    assert got == pytest.approx(one_euro_reference(values, times), abs=1e-12)
    assert got[0] == values[0] and got[-1] == values[-1]  # time 0 and a repeated time pass unfiltered
    assert got[3] != values[3]


def test_keypoints_filter_smooths_x_y_and_z_and_keeps_the_rest():
    smooth = KeypointsOneEuroFilter(CONFIG)
    first = smooth.apply([{"x": 0.5, "y": 0.5, "z": 1.0, "score": 0.9, "name": "nose"}], 100000, 1)
    second = smooth.apply([{"x": 0.6, "y": 0.4, "z": 2.0, "score": 0.8, "name": "nose"}], 133333, 1)
    assert first == [{"x": 0.5, "y": 0.5, "z": 1.0, "score": 0.9, "name": "nose"}]
    assert 0.5 < second[0]["x"] < 0.6 and 0.4 < second[0]["y"] < 0.5 and 1.0 < second[0]["z"] < 2.0
    assert second[0]["score"] == 0.8 and second[0]["name"] == "nose"
    assert smooth.apply(None, 166666, 1) is None and smooth.x_filters is None  # None resets
    scaled = KeypointsOneEuroFilter(dict(CONFIG, disable_value_scaling=False, min_allowed_object_scale=0.5))
    assert scaled.apply([{"x": 0.1, "y": 0.2, "score": 1}], 100000, 0.1) == [{"x": 0.1, "y": 0.2, "score": 1}]


def box(x_min, y_min, x_max, y_max):
    return {"x_min": x_min, "y_min": y_min, "x_max": x_max, "y_max": y_max,
            "width": x_max - x_min, "height": y_max - y_min}


def pose(*corners, keypoints=None):
    return {"box": box(*corners), "keypoints": keypoints or [{"x": 0, "y": 0, "score": 0}] * 17}


def test_bounding_box_tracker_links_by_overlap_and_forgets_old_tracks():
    tracker = BoundingBoxTracker(tracker_config(None, "boundingBox"))
    first = tracker.apply([pose(0, 0, 0.4, 0.4), pose(0.6, 0.6, 1, 1)], 0)
    assert [p["id"] for p in first] == [1, 2]
    # moved a little: the same ids (IoU above 0.15), in whatever order they come
    moved = tracker.apply([pose(0.62, 0.6, 1, 1), pose(0.05, 0, 0.45, 0.4), pose(0.4, 0.4, 0.6, 0.6)], 33000)
    assert [p["id"] for p in moved] == [2, 1, 3]
    assert tracker.similarity(pose(0, 0, 0.4, 0.4), {"box": box(0.2, 0, 0.6, 0.4)}) == pytest.approx(1 / 3)
    # a second later (max_age 1000 ms), every track is gone: new ids
    later = tracker.apply([pose(0, 0, 0.4, 0.4)], 33000 + 1000001)
    assert later[0]["id"] == 4 and tracker.track_ids() == [4]


def test_keypoint_tracker_uses_object_keypoint_similarity():
    config = tracker_config({"keypoint_tracker_params": {"min_number_of_keypoints": 2}}, "keypoint")
    assert config["keypoint_tracker_params"]["keypoint_confidence_threshold"] == 0.3  # defaults kept
    tracker = KeypointTracker(config)
    points = [{"x": 0.1 + 0.04 * i, "y": 0.2 + 0.03 * i, "score": 0.9} for i in range(17)]
    tracker.apply([{"keypoints": points}], 0)
    shifted = [dict(point, x=point["x"] + 0.01) for point in points]
    area = (0.64 * 0.48) + 1e-6
    expected = sum(math.exp(-0.01 ** 2 / (2 * area * (2 * falloff) ** 2))
                   for falloff in config["keypoint_tracker_params"]["keypoint_falloff"]) / 17
    assert tracker.similarity({"keypoints": shifted}, tracker.tracks[0]) == pytest.approx(expected)
    assert tracker.apply([{"keypoints": shifted}], 33000)[0]["id"] == 1
    faint = [dict(point, score=0.1) for point in points]
    assert tracker.similarity({"keypoints": faint}, tracker.tracks[0]) == 0.0  # too few sure keypoints


def test_max_tracks_keeps_the_freshest():
    tracker = BoundingBoxTracker(tracker_config({"max_tracks": 2}, "boundingBox"))
    tracker.apply([pose(0, 0, 0.1, 0.1)], 0)
    tracker.apply([pose(0.5, 0.5, 0.6, 0.6)], 10)
    tracker.apply([pose(0.8, 0.8, 0.9, 0.9)], 20)
    assert tracker.track_ids() == [3, 2]


def keypoints_at(points):
    """17 keypoints at 0.5, 0.5, score 0, with ``{index: (y, x, score)}`` set."""
    out = [{"y": 0.5, "x": 0.5, "score": 0.0} for _ in range(17)]
    for index, (y, x, score) in points.items():
        out[index] = {"y": y, "x": x, "score": score}
    return out


def test_crop_region_first_frame_later_frames_and_the_body():
    # a landscape 640 x 480 picture: first the middle square, later the whole picture padded
    first = init_crop_region(True, 640, 480)
    assert first["x_min"] == pytest.approx(80 / 640) and first["width"] == pytest.approx(480 / 640)
    assert first["y_min"] == 0 and first["height"] == 1
    padded = init_crop_region(False, 640, 480)
    assert padded["y_min"] == pytest.approx(-80 / 480) and padded["height"] == pytest.approx(640 / 480)
    nobody = keypoints_at({})
    assert determine_next_crop_region(first, nobody, 640, 480) == padded
    assert determine_next_crop_region(None, nobody, 640, 480) == first
    # a torso: shoulders at y 0.4, hips at y 0.6, x 0.45 / 0.55; the square around the hips' centre
    torso = keypoints_at({5: (0.4, 0.45, 0.9), 6: (0.4, 0.55, 0.9), 11: (0.6, 0.45, 0.9), 12: (0.6, 0.55, 0.9)})
    region = determine_next_crop_region(first, torso, 640, 480)
    half = max(0.2 * 480 * 1.9, 0.05 * 640 * 1.9)  # the torso's reach from the centre, x 1.9
    assert region["y_min"] == pytest.approx((0.6 * 480 - half) / 480)
    assert region["x_min"] == pytest.approx((0.5 * 640 - half) / 640)
    assert region["height"] * 480 == pytest.approx(2 * half) and region["width"] * 640 == pytest.approx(2 * half)
