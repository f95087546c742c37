"""BodyPose("BlazePose") in the browser against CPython, and against tfjs-models pose-detection itself.

On one wasm page: ml5py's BlazePose (full and lite) on pose.jpg, three_people.jpg and
harriet.jpg, and pose-detection 2.1.3's BlazePose tfjs runtime (its UMD build, the same
weights through ``detectorModelUrl`` / ``landmarkModelUrl``, reset before each still) on
the same pictures: keypoints within 1 px; then both frame after frame of squats.mp4 with
smoothing on; the person mask's size; bad input; no tensor growth in a live loop with the
mask smoothed across frames. CPython gives the browser's answers (1 px, scores 1e-3). On
WebGL, BlazePose full on the three photos against CPython.
"""
from __future__ import annotations

import json

import pytest

from body_pose_helpers import PHOTOS, close_poses, photo_files, squat_frames
from conftest import REPO, open_page
from ml5py import BodyPose

HELPERS = """
def plain(poses):
    out = []
    for pose in poses:
        points = []
        for point in pose.keypoints:
            points.append([point.x, point.y, point.confidence, point.name])
        world = []
        for point in pose.keypoints3D:
            world.append([point.x, point.y, point.z, point.confidence, point.name])
        out.append({"keypoints": points, "confidence": pose.confidence, "world": world,
                    "mask": [pose.mask.width, pose.mask.height] if pose.mask else None})
    return out


def theirs_plain(poses):
    out = []
    for pose in poses:
        points = []
        for point in pose.keypoints:
            points.append([point.x, point.y, point.score, point.js_name])
        world = []
        for point in pose.keypoints3D:
            world.append([point.x, point.y, point.z, point.score, point.js_name])
        out.append({"keypoints": points, "confidence": pose.score, "world": world})
    return out
"""

UPSTREAM_SKETCH = HELPERS + """
from ml5py import BodyPose, load_image

errors = []


def refused(make):
    try:
        make()
    except Exception as error:
        errors.append(str(error))


def load_script(url):
    script = document.createElement("script")
    script.src = url
    document.head.appendChild(script)


def alpha_sum(rgba):
    total = 0
    for index in range(len(rgba) // 4):
        total += rgba[4 * index + 3]
    return total


def mask_alpha(picture):
    canvas = picture.canvas or picture
    return alpha_sum(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data)


async def detector(kind, segmentation=False):
    return await poseDetection.createDetector(poseDetection.SupportedModels.BlazePose, {
        "runtime": "tfjs", "modelType": kind, "enableSmoothing": True, "enableSegmentation": segmentation,
        "detectorModelUrl": "models/blazepose-detector/blazepose-detector.json",
        "landmarkModelUrl": "models/blazepose-" + kind + "/blazepose-" + kind + ".json"})


async def main():
    load_script("pose-detection.min.js")
    while not window.poseDetection:
        await tf.nextFrame()
    photos = [load_image(name) for name in PHOTOS]
    frames = [load_image(name) for name in FRAMES]
    for frame in frames:
        await frame.ready
    found = {}
    for kind in ["full", "lite"]:
        ours = BodyPose("BlazePose", model_type=kind)
        await ours.ready  # (TF.js's wasm started: pose-detection's own tensors need it)
        upstream = await detector(kind)
        mine = []
        theirs = []
        for photo in photos:
            poses = await ours.detect(photo)
            mine.append(plain(poses))
            upstream.reset()  # a still: as a detector that has seen nothing else
            poses = await upstream.estimatePoses(photo.elt)
            theirs.append(theirs_plain(poses))
        found[kind] = {"photos": [mine, theirs]}
        if kind == "full":
            video = []
            ours.detect_start(frames, lambda poses, error: video.append(plain(poses)), fps=FPS)
            while len(video) < len(frames):
                await tf.nextFrame()
            upstream.reset()
            theirs = []
            for index in range(len(frames)):
                poses = await upstream.estimatePoses(frames[index].elt, {}, index * 1000 / FPS)
                theirs.append(theirs_plain(poses))
            found[kind]["video"] = [video, theirs]
        upstream.dispose()
    # the masks of a video, smoothed from frame to frame on both sides
    masked = BodyPose("BlazePose", enable_segmentation=True)
    ours_alpha = []
    masked.detect_start(frames, lambda poses, error: ours_alpha.append(mask_alpha(poses[0].mask)), fps=FPS)
    while len(ours_alpha) < len(frames):
        await tf.nextFrame()
    upstream = await detector("full", True)
    theirs_alpha = []
    for index in range(len(frames)):
        poses = await upstream.estimatePoses(frames[index].elt, {}, index * 1000 / FPS)
        data = await poses[0].segmentation.mask.toImageData()
        theirs_alpha.append(alpha_sum(data.data))
    upstream.dispose()
    found["video_masks"] = [ours_alpha, theirs_alpha]
    poses = await masked.detect(photos[2])
    found["mask"] = plain(poses)
    picture = poses[0].mask
    canvas = picture.canvas or picture
    rgba = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data
    alphas = [0, 0]
    for index in range(canvas.width * canvas.height):
        alphas[0] += rgba[4 * index + 3]
        alphas[1] += abs(rgba[4 * index] - rgba[4 * index + 3])
    found["mask_alpha"] = alphas
    window.bp_both = JSON.stringify(found)

    refused(lambda: BodyPose("BlazePose", model_type="heavy"))
    refused(lambda: BodyPose("BlazePose", model_type="FULLL"))
    refused(lambda: BodyPose("BlazePose", enable_tracking=True))
    refused(lambda: BodyPose("BlazePose", enable_segmentation="yes"))
    tiny = document.createElement("canvas")
    tiny.width = 1
    tiny.height = 1
    await masked.detect(tiny, lambda poses, error: errors.append(str(error)))
    empty = document.createElement("canvas")
    empty.width = 160
    empty.height = 120
    context = empty.getContext("2d")
    context.fillStyle = "rgb(200, 200, 200)"
    context.fillRect(0, 0, 160, 120)
    poses = await masked.detect(empty)
    window.bp_empty = len(poses)
    window.bp_errors = JSON.stringify(errors)

    # no tensor growth in a live loop (the mask smoothed across frames is one kept tensor)
    small = document.createElement("canvas")
    small.width = 120
    small.height = 140
    small.getContext("2d").drawImage(photos[2].elt, 0, 0, 120, 140)
    counts = []

    def got(poses, error):
        if error:
            errors.append(str(error))
        counts.append(tf.memory().numTensors)
        if len(counts) == 40:
            masked.detect_stop()
            window.bp_tensors = counts
            print("done")

    masked.detect_start(small, got)

main()
"""


def sketch_with(source: str, photos: list) -> str:
    return source.replace("PHOTOS", json.dumps(list(photos)))


def read(driver, name: str):
    return json.loads(driver.execute_script(f"return window.{name};"))


def plain(poses) -> list:
    return [{"keypoints": [[p.x, p.y, p.confidence, p.name] for p in pose.keypoints], "confidence": pose.confidence,
             "world": [[p.x, p.y, p.z, p.confidence, p.name] for p in pose.keypoints3D],
             "mask": [pose.mask.width, pose.mask.height] if pose.mask else None} for pose in poses]


def apart(got: list, want: list) -> list:
    """The largest keypoint distance (px) and score difference between two pose lists (for the log)."""
    pixels = scores = 0.0
    for mine, theirs in zip(got, want):
        for a, b in zip(mine["keypoints"], theirs["keypoints"]):
            pixels = max(pixels, abs(a[0] - b[0]), abs(a[1] - b[1]))
            scores = max(scores, abs(a[2] - b[2]))
    return [pixels, scores]


def close_world(label: str, got: list, want: list, metres: float) -> None:
    for mine, theirs in zip(got, want):
        for a, b in zip(mine["world"], theirs["world"]):
            assert a[4] == b[4] and max(abs(a[0] - b[0]), abs(a[1] - b[1]), abs(a[2] - b[2])) <= metres, (label, a, b)


@pytest.mark.browser
def test_blazepose_matches_pose_detection_and_cpython_on_wasm(driver, sites, images, tmp_path):
    library = REPO / "node_modules" / "@tensorflow-models" / "pose-detection" / "dist" / "pose-detection.min.js"
    assert library.is_file(), "run npm ci: @tensorflow-models/pose-detection is pinned in package.json"
    frames = squat_frames(tmp_path / "frames", count=8)
    assets = photo_files(tmp_path / "photos", images)
    assets.update({path.name: path for path in frames})
    assets["pose-detection.min.js"] = library
    source = sketch_with(UPSTREAM_SKETCH, PHOTOS).replace("FRAMES", json.dumps([p.name for p in frames]))
    site = sites(source.replace("FPS", "5"), assets, name="blazepose")
    assert open_page(driver, site.page("wasm"), lines=1, timeout=500) == ["done"]
    both = read(driver, "bp_both")
    for kind in ["full", "lite"]:
        model = BodyPose("BlazePose", model_type=kind)
        mine, theirs = both[kind]["photos"]
        for name, ours, upstream in zip(PHOTOS, mine, theirs):
            assert len(ours) == 1, f"{kind} {name}: BlazePose finds one person"
            close_poses(f"BlazePose {kind} {name} vs pose-detection", ours, upstream)
            close_world(f"BlazePose {kind} {name} vs pose-detection", ours, upstream, 1e-4)
            cpython = plain(model.detect(assets[name]))
            close_poses(f"BlazePose {kind} {name}, CPython vs wasm", cpython, ours)
            print(f"\n{kind} {name}: vs pose-detection {apart(ours, upstream)}, CPython vs wasm {apart(cpython, ours)}",
                  end="")
            close_world(f"BlazePose {kind} {name}, CPython vs wasm", cpython, ours, 1e-3)
    video, theirs = both["full"]["video"]
    assert len(video) == len(theirs) == len(frames) and all(len(poses) == 1 for poses in video)
    for index, (ours, upstream) in enumerate(zip(video, theirs)):
        close_poses(f"BlazePose squats frame {index} vs pose-detection", ours, upstream)
    cpython = []
    BodyPose("BlazePose").detect_start(frames, lambda poses, error: cpython.append(error or plain(poses)), fps=5)
    for index, (ours, browser) in enumerate(zip(cpython, video)):
        close_poses(f"BlazePose squats frame {index}, CPython vs wasm", ours, browser)
        print(f"\nsquats {index}: vs pose-detection {apart(video[index], theirs[index])}, CPython vs wasm "
              f"{apart(ours, browser)}", end="")

    ours_alpha, theirs_alpha = both["video_masks"]
    assert len(ours_alpha) == len(theirs_alpha) == len(frames)
    for index, (mine, upstream) in enumerate(zip(ours_alpha, theirs_alpha)):
        assert mine > 0 and abs(mine - upstream) <= 0.002 * upstream, f"squats frame {index}: mask {mine} vs {upstream}"
    masked = both["mask"]
    assert len(masked) == 1 and masked[0]["mask"] == [480, 560]  # harriet.jpg's size
    mask = BodyPose("BlazePose", enable_segmentation=True).detect(assets["harriet.jpg"])[0].mask.to_numpy()
    alpha, red_apart = both["mask_alpha"]
    # a canvas keeps colours premultiplied by alpha: a see-through pixel's red reads back a level or so off
    assert red_apart <= 480 * 560 and alpha > 0
    assert abs(alpha - int(mask[:, :, 3].sum())) <= 0.002 * alpha, (alpha, int(mask[:, :, 3].sum()))
    errors = read(driver, "bp_errors")
    assert errors[0] == "Invalid model_type 'heavy': ml5py has no weights for BlazePose heavy. Valid values are: " \
                        "lite, full.", errors
    assert errors[1] == "Invalid model_type 'FULLL'. Valid values are: lite, full."
    assert errors[2].startswith("enable_tracking is a MoveNet option; BlazePose does not use it")
    assert errors[3] == "Invalid enable_segmentation 'yes'. It is True or False."
    assert errors[4].startswith("The picture is 1x1 pixels: too small to find a body in")
    assert len(errors) == 5, errors
    assert driver.execute_script("return window.bp_empty;") == 0
    counts = driver.execute_script("return window.bp_tensors;")
    assert len(counts) == 40 and counts[-1] == counts[9], f"tf.memory().numTensors grew: {counts}"


WEBGL_SKETCH = HELPERS + """
from ml5py import BodyPose, load_image


async def main():
    body_pose = BodyPose("BlazePose")
    found = []
    for name in PHOTOS:
        poses = await body_pose.detect(load_image(name))
        found.append(plain(poses))
    window.bp_found = JSON.stringify({"poses": found, "backend": tf.getBackend()})
    print("done")

main()
"""


@pytest.mark.browser
def test_blazepose_matches_cpython_on_webgl(driver, sites, images, tmp_path):
    assets = photo_files(tmp_path, images, all_png=True)
    site = sites(sketch_with(WEBGL_SKETCH, list(assets)), assets, name="blazepose-webgl")
    assert open_page(driver, site.page("webgl"), lines=1, timeout=400) == ["done"]
    found = read(driver, "bp_found")
    assert found["backend"] == "webgl"
    model = BodyPose("BlazePose")
    for name, browser in zip(assets, found["poses"]):
        cpython = plain(model.detect(assets[name]))
        close_poses(f"BlazePose full {name} (webgl)", browser, cpython)
        print(f"\n{name}: CPython vs webgl {apart(browser, cpython)}", end="")
