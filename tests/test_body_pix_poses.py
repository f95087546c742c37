"""PoseNet's poses from BodyPix (``segment(...).poses``): the decoder on a made-up map, CPython vs
the browser, and body-pix 2.2.1's own ``allPoses`` on the same wasm page."""
from __future__ import annotations

import json

import pytest

from body_pose_helpers import photo_files
from conftest import REPO, open_page
from ml5py import BodyPix
from ml5py.models.body_pix.posenet_decode import PART_NAMES, decode_poses, scale_poses


def test_one_peak_gives_one_pose_walked_along_the_body_s_tree():
    """A 5 x 5 grid (stride 16): the nose peaks at cell (2, 2); every displacement points 16 px right."""
    height, width = 5, 5
    heat = [0.0] * (height * width * 17)
    offsets = [0.0] * (height * width * 34)
    forward = [0.0] * (height * width * 32)
    backward = [0.0] * (height * width * 32)
    heat[(2 * width + 2) * 17 + 0] = 0.9  # the nose
    for cell in range(height * width):
        for keypoint in range(17):
            offsets[cell * 34 + 17 + keypoint] = 1.5  # every keypoint 1.5 px right of its cell's corner
        for edge in range(16):
            forward[cell * 32 + 16 + edge] = 16.0  # x displacement of each edge: one cell right
        heat[cell * 17 + 5] = 0.3  # a left shoulder everywhere, fainter than the threshold
    maps = [[heat, height, width, 17], [offsets, height, width, 34], [forward, height, width, 32],
            [backward, height, width, 32]]
    poses = decode_poses(maps, 16)
    assert len(poses) == 1
    keypoints = poses[0]["keypoints"]
    assert [point["part"] for point in keypoints] == PART_NAMES
    assert keypoints[0]["position"] == {"x": 2 * 16 + 1.5, "y": 32.0} and keypoints[0]["score"] == 0.9
    # the left eye: one edge forward from the nose, snapped to its cell, plus its offset
    assert keypoints[1]["position"] == {"x": 3 * 16 + 1.5, "y": 32.0}
    assert keypoints[5]["score"] == 0.3
    assert poses[0]["score"] == pytest.approx((0.9 + 0.3) / 17)
    scaled = scale_poses(poses, 100, 80, [65, 65], [0, 0, 10, 10])  # resized 65 x 65 from 100 x 100 padded
    assert scaled[0]["keypoints"][0]["position"]["x"] == pytest.approx(33.5 * 100 / 65 - 10)


def test_no_peak_above_the_threshold_no_pose():
    maps = [[[0.39] * 17, 1, 1, 17], [[0.0] * 34, 1, 1, 34], [[0.0] * 32, 1, 1, 32], [[0.0] * 32, 1, 1, 32]]
    assert decode_poses(maps, 16) == []


def test_segment_results_carry_posenet_poses(images, mirror):
    result = BodyPix().segment(images / "harriet.jpg")
    assert result.poses, "no pose on a portrait"
    best = result.poses[0]
    assert best.score > 0.5 and [p.part for p in best.keypoints] == PART_NAMES
    assert best.nose == {"x": best.keypoints[0].position.x, "y": best.keypoints[0].position.y,
                         "confidence": best.keypoints[0].score}
    assert 150 < best.nose.x < 280 and 50 < best.nose.y < 160  # the face, in the 480 x 560 picture
    assert BodyPix().segment_with_parts(images / "harriet.jpg").poses[0].nose == best.nose


SKETCH = """
from ml5py import BodyPix, load_image


def plain_ours(poses):
    out = []
    for pose in poses:
        points = []
        for point in pose.keypoints:
            points.append([point.position.x, point.position.y, point.score, point.part])
        out.append({"score": pose.score, "keypoints": points})
    return out


def load_script(url):
    script = document.createElement("script")
    script.src = url
    document.head.appendChild(script)


async def main():
    load_script("body-pix.min.umd.js")
    while not window["body-pix"]:
        await tf.nextFrame()
    net = await window["body-pix"].load({"architecture": "MobileNetV1", "outputStride": 16, "multiplier": 0.75,
                                        "quantBytes": 2,
                                        "modelUrl": "models/bodypix/mobilenet/quant2/075/model-stride16.json"})
    ours = BodyPix()
    found = {}
    for name in PHOTOS:
        photo = load_image(name)
        mine = await ours.segment(photo)
        theirs = await net.segmentPerson(photo.elt, {"internalResolution": "medium", "segmentationThreshold": 0.7})
        found[name] = [plain_ours(mine.poses), plain_ours(theirs.allPoses)]
    window.bp_poses = JSON.stringify(found)
    print("done")

main()
"""


def close(label, got, want, pixels=1.0, scores=1e-3):
    assert len(got) == len(want), f"{label}: {len(got)} poses, expected {len(want)}"
    for index, (mine, theirs) in enumerate(zip(got, want)):
        assert abs(mine["score"] - theirs["score"]) <= scores, f"{label} pose {index}: score"
        for a, b in zip(mine["keypoints"], theirs["keypoints"]):
            assert a[3] == b[3]
            apart = max(abs(a[0] - b[0]), abs(a[1] - b[1]))
            assert apart <= pixels and abs(a[2] - b[2]) <= scores, f"{label} pose {index} {a[3]}: {a} vs {b}"


@pytest.mark.browser
def test_poses_equal_body_pix_all_poses_and_cpython(driver, sites, images, tmp_path):
    library = REPO / "node_modules" / "@tensorflow-models" / "body-pix" / "dist" / "body-pix.min.umd.js"
    assets = photo_files(tmp_path, images)
    names = ["harriet.jpg", "three_people.png"]
    site = sites(SKETCH.replace("PHOTOS", json.dumps(names)),
                 {**{name: assets[name] for name in names}, "body-pix.min.umd.js": library}, name="bodypix-poses")
    assert open_page(driver, site.page("wasm"), lines=1, timeout=300) == ["done"]
    found = json.loads(driver.execute_script("return window.bp_poses;"))
    model = BodyPix()
    for name in names:
        mine, theirs = found[name]
        assert len(mine) >= 1
        close(f"{name}: ml5py vs body-pix (wasm)", mine, theirs)
        cpython = [{"score": pose.score, "keypoints": [[p.position.x, p.position.y, p.score, p.part]
                                                       for p in pose.keypoints]}
                   for pose in model.segment(assets[name]).poses]
        close(f"{name}: CPython vs wasm", cpython, mine)
