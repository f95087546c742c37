"""BodyPix in the browser (TF.js) against CPython (numpy), and against tfjs-models body-pix itself.

Parity: person-mask IoU >= 0.99 and part ids equal on >= 99% of person pixels, on wasm
(harriet.jpg, runner.jpg) and on webgl (SwiftShader is slow: the 128x128 portrait). Also:
masks and effects, bad input, and no tensor leak over 200 live frames.
"""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from conftest import REPO, open_page
from ml5py import BodyPix

HELPERS = """
def listed(values):
    return Array.prototype.slice.call(values)


def alpha_mismatches(canvas, data, keep):
    width = canvas.width
    pixels = canvas.getContext("2d").getImageData(0, 0, width, canvas.height).data
    bad = 0
    for i in range(len(data)):
        expected = 255 if data[i] == keep else 0
        if pixels[4 * i + 3] != expected:
            bad += 1
    return bad


def solid_canvas(width, height, colour):
    canvas = document.createElement("canvas")
    canvas.width = width
    canvas.height = height
    context = canvas.getContext("2d")
    context.fillStyle = colour
    context.fillRect(0, 0, width, height)
    return canvas
"""

PARITY_SKETCH = HELPERS + """
from ml5py import BodyPix, load_image

errors = []


async def main():
    bodypix = BodyPix()
    harriet = load_image("harriet.jpg")
    result = await bodypix.segment_with_parts(harriet)
    rows = result.data.tolist()
    total = 0.0
    for i in range(len(result.raw)):
        total += result.raw[i]
    window.bp_harriet = JSON.stringify({
        "size": [result.width, result.height, len(rows), len(rows[0]), len(result.parts.tolist())],
        "data": listed(result.data), "parts": listed(result.parts), "raw_mean": total / len(result.raw),
        "names": result.part_names,
        "alpha": [alpha_mismatches(result.person_mask, result.data, 1),
                  alpha_mismatches(result.background_mask, result.data, 0),
                  alpha_mismatches(result.parts_mask, result.data, 1)]})

    runner = await BodyPix(internal_resolution="full").segment_with_parts(load_image("runner.jpg"))
    window.bp_runner = JSON.stringify({"data": listed(runner.data), "parts": listed(runner.parts)})
    other = await BodyPix(multiplier=0.5, quant_bytes=4, output_stride=8).segment(harriet)
    window.bp_other = JSON.stringify(listed(other.data))
    by_name = await bodypix.segment("harriet.jpg")  # a file name, as in CPython
    window.bp_by_name = JSON.stringify(listed(by_name.data))

    blurred = await bodypix.blur_background(harriet, 12)
    green = solid_canvas(20, 10, "rgb(0, 255, 0)")
    replaced = await bodypix.replace_background(harriet, green)
    corner = listed(replaced.getContext("2d").getImageData(0, 0, 1, 1).data)
    window.bp_effects = JSON.stringify([blurred.width, blurred.height, replaced.width, corner])

    # bad input
    try:
        BodyPix(multiplier=1.0)
    except ValueError as error:
        errors.append(str(error))
    try:
        BodyPix(internal_resolution="ultra")
    except ValueError as error:
        errors.append(str(error))
    try:
        BodyPix(palette=[[0, 0, 0]])
    except ValueError as error:
        errors.append(str(error))
    try:
        BodyPix(palette={"tail": [0, 0, 0]})  # refused at once, before the model loads
    except ValueError as error:
        errors.append(str(error))
    try:
        BodyPix({"multiplier": 0.5})  # ml5.js's bodyPix(options)
    except TypeError as error:
        errors.append(str(error))
    await bodypix.segment(document.createElement("div"), lambda r, error: errors.append(str(error)))
    await bodypix.segment(solid_canvas(1, 1, "red"), lambda r, error: errors.append(str(error)))
    empty = await bodypix.segment_with_parts(solid_canvas(120, 90, "rgb(200, 200, 200)"))
    on = 0
    for i in range(len(empty.data)):
        on += empty.data[i]
    window.bp_empty = JSON.stringify([on, min(listed(empty.parts)), max(listed(empty.parts))])
    coloured = await BodyPix(palette={"torso_front": [1, 2, 3]}).segment_with_parts(harriet)
    torso = listed(coloured.parts).indexOf(12)
    pixel = coloured.parts_mask.getContext("2d").getImageData(torso % 480, Math.floor(torso / 480), 1, 1).data
    window.bp_palette = JSON.stringify(listed(pixel))
    window.bp_errors = JSON.stringify(errors)

    # no tensor leak over 200 live frames (segment with parts), nor from the effects
    small = document.createElement("canvas")
    small.width = 64
    small.height = 64
    small.getContext("2d").drawImage(harriet.elt, 0, 0, 64, 64)
    await bodypix.segment_with_parts(small)
    before = tf.memory().numTensors
    frames = [0]

    def got(result, error):
        frames[0] += 1
        if error:
            errors.append(str(error))
        if frames[0] == 200:
            bodypix.segment_stop()
            finish()

    def finish():
        async def effects():
            for i in range(5):
                await bodypix.blur_background(small, 4)
                await bodypix.replace_background(small, green)
            window.bp_tensors = [before, tf.memory().numTensors, frames[0]]
            print("done")
        effects()

    bodypix.segment_start(small, got, parts=True)

main()
"""


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a == 1, b == 1).sum()
    return 1.0 if union == 0 else float(np.logical_and(a == 1, b == 1).sum() / union)


def check_parity(name: str, browser_data, browser_parts, expected) -> None:
    assert expected.data.mean() > 0.01, f"{name}: CPython finds no person; the comparison would prove nothing"
    data = np.array(browser_data).reshape(expected.data.shape)
    overlap = iou(data, expected.data)
    print(f"\n{name}: person-mask IoU {overlap:.5f} ({int(data.sum())} vs {int(expected.data.sum())} pixels)", end="")
    assert overlap >= 0.99, f"{name}: person-mask IoU {overlap}"
    if browser_parts is not None:
        parts = np.array(browser_parts).reshape(expected.parts.shape)
        person = (data == 1) & (expected.data == 1)
        same = float((parts[person] == expected.parts[person]).mean())
        print(f", part ids equal on {same:.5f} of person pixels", end="")
        assert same >= 0.99, f"{name}: part ids equal on only {same} of person pixels"
        assert np.array_equal(parts >= 0, data == 1)


@pytest.mark.browser
def test_browser_matches_cpython_on_wasm(driver, sites, images):
    site = sites(PARITY_SKETCH, {"harriet.jpg": images / "harriet.jpg", "runner.jpg": images / "runner.jpg"},
                 name="bodypix")
    lines = open_page(driver, site.page("wasm"), lines=1)
    assert lines == ["done"], lines
    read = lambda name: json.loads(driver.execute_script(f"return window.{name};"))  # noqa: E731

    model = BodyPix()
    harriet = read("bp_harriet")
    expected = model.segment_with_parts(images / "harriet.jpg")
    assert harriet["size"] == [480, 560, 560, 480, 560]  # .tolist(): rows of pixels, as numpy's
    assert harriet["names"] == expected.part_names
    check_parity("harriet.jpg", harriet["data"], harriet["parts"], expected)
    assert read("bp_by_name") == harriet["data"]  # segment("harriet.jpg"): the file, loaded
    assert abs(harriet["raw_mean"] - float(expected.raw.mean())) < 1e-4
    assert harriet["alpha"] == [0, 0, 0]  # person_mask, background_mask, parts_mask show the data

    runner = read("bp_runner")
    check_parity("runner.jpg", runner["data"], runner["parts"],
                 BodyPix(internal_resolution="full").segment_with_parts(images / "runner.jpg"))
    other = BodyPix(multiplier=0.5, quant_bytes=4, output_stride=8).segment(images / "harriet.jpg")
    check_parity("harriet.jpg, 0.50 float32 stride 8", read("bp_other"), None, other)

    width, height, replaced_width, corner = read("bp_effects")
    assert (width, height, replaced_width) == (480, 560, 480) and corner == [0, 255, 0, 255]

    errors = read("bp_errors")
    assert errors[0].startswith("Invalid multiplier 1") and "Valid multipliers are: 0.50, 0.75" in errors[0]
    assert "Invalid internal_resolution 'ultra'. Use one of: low, medium, high, full" in errors[1]
    assert errors[2].startswith("A palette is a list of 24 colours [r, g, b]")
    assert errors[3].startswith("The palette names an unknown body part 'tail'. The parts are: left_face")
    assert errors[4].startswith("BodyPix takes its options as keywords, e.g. BodyPix(multiplier=0.5")
    assert errors[5].startswith("Cannot use a <div> element as an image. ml5py accepts"), errors[5]
    assert "The picture is 1x1 pixels: too small to find a person in" in errors[6]
    assert len(errors) == 7, errors
    assert read("bp_empty") == [0, -1, -1]
    assert read("bp_palette") == [1, 2, 3, 255]  # a torso_front pixel, in the colour the palette gave it

    before, after, frames = driver.execute_script("return window.bp_tensors;")
    assert frames == 200
    assert after == before, f"tf.memory().numTensors went from {before} to {after} over 200 frames"


WEBGL_SKETCH = HELPERS + """
from ml5py import BodyPix, load_image


async def main():
    bodypix = BodyPix(internal_resolution="full")
    result = await bodypix.segment_with_parts(load_image("harriet_128x128.jpg"))
    window.bp_small = JSON.stringify({"data": listed(result.data), "parts": listed(result.parts),
                                      "backend": tf.getBackend()})
    print("done")

main()
"""


@pytest.mark.browser
def test_browser_matches_cpython_on_webgl(driver, sites, images):
    site = sites(WEBGL_SKETCH, {"harriet_128x128.jpg": images / "harriet_128x128.jpg"}, name="bodypix-webgl")
    assert open_page(driver, site.page("webgl"), lines=1) == ["done"]
    small = json.loads(driver.execute_script("return window.bp_small;"))
    assert small["backend"] == "webgl"
    check_parity("harriet_128x128.jpg (webgl)", small["data"], small["parts"],
                 BodyPix(internal_resolution="full").segment_with_parts(images / "harriet_128x128.jpg"))


BODY_PIX_SKETCH = HELPERS + """
from ml5py import BodyPix, load_image, set_backend


def load_script(url):
    script = document.createElement("script")
    script.src = url
    document.head.appendChild(script)


async def main():
    load_script("body-pix.min.umd.js")
    while not window["body-pix"]:  # (the UMD build's global name)
        await tf.nextFrame()
    body_pix = window["body-pix"]
    photo = load_image("harriet.jpg")
    ours = BodyPix()
    mine = await ours.segment_with_parts(photo)
    net = await body_pix.load({"architecture": "MobileNetV1", "outputStride": 16, "multiplier": 0.75,
                              "quantBytes": 2,
                              "modelUrl": "models/bodypix/mobilenet/quant2/075/model-stride16.json"})
    settings = {"internalResolution": "medium", "segmentationThreshold": 0.7}
    person = await net.segmentPerson(photo.elt, settings)
    # body-pix 2.2.1's part decoding needs an int32 matMul, which the wasm backend lacks: cpu
    await set_backend("cpu")
    mine_cpu = await ours.segment_with_parts(photo)
    parts = await net.segmentPersonParts(photo.elt, settings)
    window.bp_both = JSON.stringify({"ours": [listed(mine.data), listed(mine_cpu.parts)],
                                     "theirs": [listed(person.data), listed(parts.data)],
                                     "size": [person.width, person.height]})
    print("done")

main()
"""


@pytest.mark.browser
def test_same_masks_as_tfjs_models_body_pix(driver, sites, images):
    """Faithful pre/post-processing: tfjs-models body-pix 2.2.1 on the same page gives the same masks."""
    library = REPO / "node_modules" / "@tensorflow-models" / "body-pix" / "dist" / "body-pix.min.umd.js"
    assert library.is_file(), "run npm ci: @tensorflow-models/body-pix is pinned in package.json"
    site = sites(BODY_PIX_SKETCH, {"harriet.jpg": images / "harriet.jpg", "body-pix.min.umd.js": library},
                 name="bodypix-upstream")
    assert open_page(driver, site.page("wasm"), lines=1) == ["done"]
    both = json.loads(driver.execute_script("return window.bp_both;"))
    assert both["size"] == [480, 560]
    ours_data, ours_parts = (np.array(values) for values in both["ours"])
    theirs_data, theirs_parts = (np.array(values) for values in both["theirs"])
    different = int((ours_data != theirs_data).sum()) + int((ours_parts != theirs_parts).sum())
    print(f"\nml5py vs body-pix on harriet.jpg (mask on wasm, parts on cpu): {different} pixel values differ", end="")
    assert different <= 0.001 * ours_data.size
