"""BodyPose (MoveNet) in the browser against CPython, and against tfjs-models pose-detection itself.

Parity: on wasm the three model types on pose.jpg, three_people.jpg and harriet.jpg give
the same people as CPython, keypoints within 1 px, scores within 1e-3; on webgl
(SwiftShader is slow) MultiPose Lightning, the default, on the same three photos. On the
same wasm page, pose-detection 2.1.3 (its UMD build, the same weights through its
``modelUrl``) gives ml5py's keypoints, on the photos and frame after frame of squats.mp4
with smoothing (and MultiPose's tracking) on. Also: bad input, and no tensor left behind
over 300 live frames.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from body_pose_helpers import PHOTOS, close_poses, photo_files, plain_poses, squat_frames
from conftest import REPO, open_page
from ml5py import BodyPose

MODEL_TYPES = ["MULTIPOSE_LIGHTNING", "SINGLEPOSE_LIGHTNING", "SINGLEPOSE_THUNDER"]
FAINT = 0.3  # CPython vs browser: keypoints both scored below this may sit at a tied heatmap cell

HELPERS = """
def plain(poses):
    out = []
    for pose in poses:
        points = []
        for point in pose.keypoints:
            points.append([point.x, point.y, point.confidence, point.name])
        box = pose.box
        out.append({"keypoints": points, "confidence": pose.confidence, "id": pose.id,
                    "box": [box.x_min, box.y_min, box.width, box.height],
                    "nose": [pose.nose.x, pose["nose"].y]})
    return out
"""

PARITY_SKETCH = HELPERS + """
from ml5py import BodyPose, load_image

errors = []


def refused(make):
    try:
        make()
    except Exception as error:
        errors.append(str(error))


async def main():
    photos = [load_image(name) for name in PHOTOS]
    found = {}
    for model_type in MODEL_TYPES:
        body_pose = BodyPose(model_type=model_type)
        found[model_type] = []
        for photo in photos:
            poses = await body_pose.detect(photo)
            found[model_type].append(plain(poses))
    window.bp_found = JSON.stringify(found)
    flipped = await BodyPose(flipped=True).detect(photos[0])
    window.bp_flipped = JSON.stringify(plain(flipped))
    window.bp_skeleton = JSON.stringify(BodyPose(model_type="SINGLEPOSE_LIGHTNING").get_skeleton())

    refused(lambda: BodyPose("PoseNet"))
    refused(lambda: BodyPose(model_type="SINGLEPOSE_HEAVY"))
    refused(lambda: BodyPose(min_pose_score=2))
    refused(lambda: BodyPose(multi_pose_max_dimension=100))
    refused(lambda: BodyPose(enable_segmentation=True))
    refused(lambda: BodyPose({"modelType": "SINGLEPOSE_THUNDER"}))
    body_pose = BodyPose(model_type="SINGLEPOSE_LIGHTNING")
    await body_pose.detect(document.createElement("div"), lambda poses, error: errors.append(str(error)))
    tiny = document.createElement("canvas")
    tiny.width = 1
    tiny.height = 1
    await body_pose.detect(tiny, lambda poses, error: errors.append(str(error)))
    empty = document.createElement("canvas")
    empty.width = 160
    empty.height = 120
    context = empty.getContext("2d")
    context.fillStyle = "rgb(200, 200, 200)"
    context.fillRect(0, 0, 160, 120)
    single = await body_pose.detect(empty)
    multi = await BodyPose().detect(empty)
    window.bp_empty = JSON.stringify([len(single), len(multi)])
    window.bp_errors = JSON.stringify(errors)

    # no tensor left behind over 300 live frames (the smoothing and tracking run too)
    small = document.createElement("canvas")
    small.width = 96
    small.height = 96
    small.getContext("2d").drawImage(photos[0].elt, 0, 0, 96, 96)
    live = BodyPose(model_type="SINGLEPOSE_LIGHTNING")
    await live.detect(small)
    before = tf.memory().numTensors
    frames = [0]

    def got(poses, error):
        frames[0] += 1
        if error:
            errors.append(str(error))
        if frames[0] == 300:
            live.detect_stop()
            window.bp_tensors = [before, tf.memory().numTensors, frames[0]]
            print("done")

    live.detect_start(small, got)

main()
"""


def sketch_with(source: str, photos: list = PHOTOS) -> str:
    return source.replace("PHOTOS", json.dumps(list(photos))).replace("MODEL_TYPES", json.dumps(MODEL_TYPES))


def read(driver, name: str):
    return json.loads(driver.execute_script(f"return window.{name};"))


@pytest.mark.browser
def test_browser_matches_cpython_on_wasm(driver, sites, images, tmp_path):
    assets = photo_files(tmp_path, images)
    site = sites(sketch_with(PARITY_SKETCH), assets, name="bodypose")
    assert open_page(driver, site.page("wasm"), lines=1, timeout=300) == ["done"]
    found = read(driver, "bp_found")
    for model_type in MODEL_TYPES:
        model = BodyPose(model_type=model_type)
        for name, browser in zip(PHOTOS, found[model_type]):
            close_poses(f"{model_type} {name} (wasm)", browser, plain_poses(model.detect(assets[name])),
                        faint=FAINT)
    flipped = read(driver, "bp_flipped")[0]
    plain_pose = found["MULTIPOSE_LIGHTNING"][0][0]
    width = 1000  # pose.jpg
    assert abs(flipped["nose"][0] - (width - plain_pose["nose"][0])) < 1e-6
    assert abs(flipped["box"][0] - (width - plain_pose["box"][0] - plain_pose["box"][2])) < 1e-6
    assert read(driver, "bp_skeleton") == BodyPose(model_type="SINGLEPOSE_LIGHTNING").get_skeleton()

    errors = read(driver, "bp_errors")
    assert errors[0].startswith("Unknown BodyPose model 'PoseNet'. Valid models are: MoveNet, BlazePose"), errors
    assert errors[1] == ("Invalid model_type 'SINGLEPOSE_HEAVY'. Valid values are: MULTIPOSE_LIGHTNING, "
                         "SINGLEPOSE_LIGHTNING, SINGLEPOSE_THUNDER.")
    assert errors[2].startswith("Invalid min_pose_score 2. It is a number from 0 to 1")
    assert errors[3].startswith("Invalid multi_pose_max_dimension 100. It is a multiple of 32")
    assert errors[4].startswith("enable_segmentation is a BlazePose option; MoveNet does not use it")
    assert errors[5].startswith("BodyPose takes its options as keywords")
    assert errors[6].startswith("Cannot use a <div> element as an image. ml5py accepts"), errors[6]
    assert errors[7].startswith("The picture is 1x1 pixels: too small to find a body in")
    assert len(errors) == 8, errors
    assert read(driver, "bp_empty") == [0, 0]
    before, after, frames = driver.execute_script("return window.bp_tensors;")
    assert frames == 300
    assert after == before, f"tf.memory().numTensors went from {before} to {after} over 300 frames"


WEBGL_SKETCH = HELPERS + """
from ml5py import BodyPose, load_image


async def main():
    body_pose = BodyPose()
    found = []
    for name in PHOTOS:
        poses = await body_pose.detect(load_image(name))
        found.append(plain(poses))
    window.bp_found = JSON.stringify({"poses": found, "backend": tf.getBackend()})
    print("done")

main()
"""


@pytest.mark.browser
def test_browser_matches_cpython_on_webgl(driver, sites, images, tmp_path):
    assets = photo_files(tmp_path, images, all_png=True)
    site = sites(sketch_with(WEBGL_SKETCH, list(assets)), assets,
                 name="bodypose-webgl")
    assert open_page(driver, site.page("webgl"), lines=1, timeout=300) == ["done"]
    found = read(driver, "bp_found")
    assert found["backend"] == "webgl"
    model = BodyPose()
    for name, browser in zip(assets, found["poses"]):
        close_poses(f"MULTIPOSE_LIGHTNING {name} (webgl)", browser, plain_poses(model.detect(assets[name])),
                    faint=FAINT)


UPSTREAM_SKETCH = HELPERS + """
from ml5py import BodyPose, load_image
from ml5py.runtime import rt

MODEL_FILES = {"MULTIPOSE_LIGHTNING": ["MultiPose.Lightning", "movenet-multipose"],
               "SINGLEPOSE_LIGHTNING": ["SinglePose.Lightning", "movenet-lightning"],
               "SINGLEPOSE_THUNDER": ["SinglePose.Thunder", "movenet-thunder"]}


def theirs_plain(poses):
    out = []
    for pose in poses:
        points = []
        for point in pose.keypoints:
            points.append([point.x, point.y, point.score, point.js_name])
        out.append({"keypoints": points, "confidence": pose.score, "id": pose.id})
    return out


def load_script(url):
    script = document.createElement("script")
    script.src = url
    document.head.appendChild(script)


async def detector(model_type):
    names = MODEL_FILES[model_type]
    url = "models/" + names[1] + "/" + names[1] + ".json"
    return await poseDetection.createDetector(poseDetection.SupportedModels.MoveNet,
                                              {"modelType": names[0], "modelUrl": url})


async def main():
    load_script("pose-detection.min.js")
    while not window.poseDetection:
        await tf.nextFrame()
    photos = [load_image(name) for name in PHOTOS]
    frames = [load_image(name) for name in FRAMES]
    for frame in frames:
        await frame.ready
    found = {}
    for model_type in MODEL_TYPES:
        ours = BodyPose(model_type=model_type)
        mine = []
        theirs = []
        for photo in photos:
            poses = await ours.detect(photo)
            mine.append(plain(poses))
            fresh = await detector(model_type)  # a still: a detector that has seen nothing else
            poses = await fresh.estimatePoses(photo.elt)
            theirs.append(theirs_plain(poses))
            fresh.dispose()
        found[model_type] = {"photos": [mine, theirs]}
    for model_type in ["MULTIPOSE_LIGHTNING", "SINGLEPOSE_LIGHTNING"]:
        video = []
        outputs = []  # the network's raw output for each frame, for CPython to replay
        ours = BodyPose(model_type=model_type)
        network = ours._estimator._run

        def recorded(media, make_batch, size):
            return rt.after(network(media, make_batch, size), lambda values: keep(values))

        def keep(values):
            outputs.append(Array.prototype.slice.call(values))
            return values

        Object.defineProperty(ours._estimator, "_run", {"value": recorded})  # (methods are getters)
        ours.detect_start(frames, lambda poses, error: video.append(plain(poses)), fps=FPS)
        while len(video) < len(frames):
            await tf.nextFrame()
        upstream = await detector(model_type)
        theirs = []
        for index in range(len(frames)):
            poses = await upstream.estimatePoses(frames[index].elt, {}, index * 1000 / FPS)
            theirs.append(theirs_plain(poses))
        found[model_type]["video"] = [video, theirs, outputs]
    window.bp_both = JSON.stringify(found)
    print("done")

main()
"""


@pytest.mark.browser
def test_same_poses_as_tfjs_models_pose_detection(driver, sites, images, tmp_path, monkeypatch):
    """Faithful pre/post-processing: pose-detection 2.1.3 on the same wasm page gives the same keypoints."""
    library = REPO / "node_modules" / "@tensorflow-models" / "pose-detection" / "dist" / "pose-detection.min.js"
    assert library.is_file(), "run npm ci: @tensorflow-models/pose-detection is pinned in package.json"
    frames = squat_frames(tmp_path, count=24)
    jpegs = ["pose.jpg", "three_people.jpg", "harriet.jpg"]  # the same page decodes them for both
    assets = {name: images / name for name in jpegs}
    assets.update({path.name: path for path in frames})
    assets["pose-detection.min.js"] = library
    source = sketch_with(UPSTREAM_SKETCH, jpegs).replace("FRAMES", json.dumps([p.name for p in frames]))
    site = sites(source.replace("FPS", "5"), assets, name="bodypose-upstream")
    assert open_page(driver, site.page("wasm"), lines=1, timeout=400) == ["done"]
    both = read(driver, "bp_both")
    for model_type in MODEL_TYPES:
        mine, theirs = both[model_type]["photos"]
        for name, ours, upstream in zip(jpegs, mine, theirs):
            close_poses(f"{model_type} {name} vs pose-detection", ours, upstream, ids=True)
    for model_type in ["MULTIPOSE_LIGHTNING", "SINGLEPOSE_LIGHTNING"]:
        mine, theirs, outputs = both[model_type]["video"]
        assert len(mine) == len(theirs) == len(frames)
        assert sum(len(poses) for poses in mine) >= len(frames) - 2, "hardly anyone found in squats.mp4"
        for index, (ours, upstream) in enumerate(zip(mine, theirs)):
            close_poses(f"{model_type} squats frame {index} vs pose-detection", ours, upstream, ids=True)
        replayed = replay(model_type, outputs, frames, monkeypatch)
        for index, (ours, browser) in enumerate(zip(replayed, mine)):  # the logic, written once, agrees
            close_poses(f"{model_type} squats frame {index}, CPython replay", ours, browser, ids=True,
                        pixels=1e-6, scores=1e-9)
        if model_type == "MULTIPOSE_LIGHTNING":  # and so does the whole run (no crop fed back)
            cpython = []
            BodyPose(model_type=model_type).detect_start(
                frames, lambda poses, error: cpython.append(error or plain_poses(poses)), fps=5)
            for index, (ours, browser) in enumerate(zip(cpython, mine)):
                close_poses(f"{model_type} squats frame {index}, CPython vs wasm", ours, browser, ids=True,
                            faint=FAINT)


def replay(model_type: str, outputs: list, frames: list, monkeypatch) -> list:
    """CPython's poses for the frames, given the network outputs the browser got (no network run).

    Single-pose MoveNet feeds each frame's keypoints back into the next frame's crop, so the
    float rounding of two runtimes' kernels grows from frame to frame; replaying the browser's
    network outputs checks that everything around the network is the same in CPython.
    """
    from ml5py.models.body_pose import movenet
    from ml5py.runtime import rt

    model = BodyPose(model_type=model_type)
    given = iter(outputs)

    def network(media, make_batch, size):
        size[0], size[1] = 360, 640
        make_batch(None, 360, 640)
        return rt.ready(next(given))

    found = []
    with monkeypatch.context() as patch:
        patch.setattr(rt, "movenet_crop", lambda image, box, size: None)
        patch.setattr(rt, "movenet_resize_pad", lambda image, resized, padded: None)
        patch.setattr(model._estimator, "_run", network)
        assert isinstance(model._estimator, movenet.MoveNet)
        model.detect_start(frames, lambda poses, error: found.append(error or plain_poses(poses)), fps=5)
    return found
