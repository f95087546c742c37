"""StyleTransfer in headless Chromium (TF.js wasm and webgl) against CPython (numpy).

The same picture through both runtimes must give the same picture: at least 99% of the
pixel values within 1 grey level, and a PSNR of at least 40 dB. The browser's results are
the canvases ``transfer`` returns, read back with ``getImageData``.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from conftest import MIRROR, open_page, page_state
from ml5py import StyleTransfer, load_image

pytestmark = pytest.mark.browser

STYLE = "scream"

PARITY_SKETCH = """
from ml5py import StyleTransfer, load_image

async def main():
    style = StyleTransfer("{style}")
    await style.ready
    window.st_before = tf.memory().numTensors
    results = []
    for name in {names}:
        result = await style.transfer(load_image(name))
        results.append(result)
    window.st_results = results
    big = document.createElement("canvas")
    big.width = 1100
    big.height = 1000
    errors = []
    await style.transfer(big, lambda result, error: errors.append(str(error)))
    window.st_big = errors[0]
    # a plain page shows the result canvas as it is, or as an <img>
    document.body.append(results[0])
    img = document.createElement("img")
    img.src = results[0].toDataURL()
    await img.decode()
    window.st_img = [img.naturalWidth, img.naturalHeight]
    window.st_after = tf.memory().numTensors
    window.st_backend = tf.getBackend()
    print("done")

main()
"""

READ_CANVAS = """
var canvas = window.st_results[arguments[0]];
var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
var rgb = [];
for (var i = 0; i < data.length; i += 4) { rgb.push(data[i], data[i + 1], data[i + 2]); }
return [canvas.width, canvas.height, rgb, canvas.tagName];
"""


def png_bytes(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    PILImage.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def harriet(images: Path, size: tuple = None) -> np.ndarray:
    """harriet_128x128.jpg as CPython decodes it (both runtimes then read the same PNG)."""
    pixels = load_image(str(images / "harriet_128x128.jpg")).to_numpy()
    if size:
        pixels = pixels[: size[0], : size[1]]
    return np.ascontiguousarray(pixels)


def compare(cpython: np.ndarray, browser: np.ndarray) -> tuple:
    """(share of values within 1 grey level, PSNR in dB) of two uint8 pictures."""
    difference = np.abs(cpython.astype(np.int16) - browser.astype(np.int16))
    within = float(np.mean(difference <= 1))
    mse = float(np.mean(np.square(difference.astype(np.float64))))
    psnr = float("inf") if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
    return within, psnr


def browser_results(driver, site, backend: str, count: int) -> list:
    open_page(driver, site.page(backend), lines=1, timeout=300)
    assert driver.execute_script("return window.st_backend") == backend, page_state(driver)
    before, after = driver.execute_script("return [window.st_before, window.st_after]")
    assert after == before, f"tf.memory().numTensors went from {before} to {after}"
    big = driver.execute_script("return window.st_big")
    print("\n" + big)
    assert "1100 x 1000 pixels" in big and "Make it smaller first" in big
    assert ("WebGL (largest texture" if backend == "webgl" else "wasm backend") in big
    pictures = []
    for index in range(count):
        width, height, rgb, tag = driver.execute_script(
            READ_CANVAS, index)
        assert tag == "CANVAS"
        pictures.append(np.array(rgb, dtype=np.uint8).reshape(height, width, 3))
    assert driver.execute_script("return window.st_img") == [pictures[0].shape[1], pictures[0].shape[0]]
    return pictures


CASES = {
    # backend: pictures (name -> size to cut from harriet_128x128, None for all of it)
    "wasm": {"harriet.png": None, "odd.png": (45, 61)},
    "webgl": {"odd.png": (45, 61)},  # SwiftShader is slow: one small picture
}


@pytest.mark.parametrize("backend", list(CASES))
def test_browser_paints_the_same_picture_as_cpython(driver, sites, images, backend):
    pictures = {name: harriet(images, size) for name, size in CASES[backend].items()}
    names = list(pictures)
    site = sites(PARITY_SKETCH.replace("{style}", STYLE).replace("{names}", repr(names)),
                 {name: png_bytes(pixels) for name, pixels in pictures.items()}, name="style-" + backend)
    style = StyleTransfer(STYLE)
    results = browser_results(driver, site, backend, len(names))
    for name, browser in zip(names, results):
        cpython = style.transfer(pictures[name]).to_numpy()
        assert browser.shape == cpython.shape == pictures[name].shape, (name, browser.shape, cpython.shape)
        within, psnr = compare(cpython, browser)
        print(f"\n{name} {cpython.shape[1]}x{cpython.shape[0]} on {backend}: {within:.4%} of values "
              f"within 1 grey level, PSNR {psnr:.1f} dB")
        assert within >= 0.99 and psnr >= 40, (name, within, psnr)
        # and it is a painting, not the photo: the style changed the picture a lot
        assert compare(pictures[name], cpython)[1] < 25


ERRORS_SKETCH = """
from ml5py import StyleTransfer, load_image

errors = []


def note(result, error):
    errors.append(str(error) if error else "ok " + str(result.width) + "x" + str(result.height))


async def main():
    remember = lambda style, error: errors.append(str(error))
    await StyleTransfer("picasso", remember).ready
    await StyleTransfer("broken_style/", remember).ready
    await StyleTransfer(" Scream ", remember).ready  # a name is found as in CPython
    style = StyleTransfer("{style}")
    await style.ready
    before = tf.memory().numTensors
    await style.transfer(load_image("alpha.png"), note)
    await style.transfer(load_image("dot.png"), note)
    big = document.createElement("canvas")
    big.width = 1200
    big.height = 1000
    await style.transfer(big, note)
    await style.transfer("nothing", note)
    window.st_tensors = [before, tf.memory().numTensors]
    window.st_errors = JSON.stringify(errors)
    print("done")

main()
"""


def test_browser_bad_input(driver, sites, tmp_path, images):
    broken = {}
    for path in (MIRROR / "style-transfer" / STYLE).iterdir():
        broken["broken_style/" + path.name] = path
    broken["broken_style/Variable_7"] = (MIRROR / "style-transfer" / STYLE / "Variable_7").read_bytes()[:100]
    rgba = np.dstack([harriet(images, (20, 30)), np.full((20, 30), 128, np.uint8)])
    assets = {"alpha.png": png_bytes(rgba), "dot.png": png_bytes(np.full((1, 1, 3), 90, np.uint8)), **broken}
    site = sites(ERRORS_SKETCH.replace("{style}", STYLE), assets, name="style-errors")
    open_page(driver, site.page("wasm"), lines=1, timeout=300)
    errors = json.loads(driver.execute_script("return window.st_errors"))
    print("\n" + "\n".join(errors))
    assert "Unknown style 'picasso'. Valid styles are: la_muse, mathura," in errors[0]
    assert "folder (ending in /, as in 'my_style/')" in errors[0]
    assert "corrupt checkpoint" in errors[1] and "Variable_7" in errors[1]
    assert "copy or download the checkpoint's files again" in errors[1]
    assert errors[2] == "None"
    assert errors[3] == "ok 30x20" and errors[4] == "ok 1x1"
    assert "1200 x 1000 pixels" in errors[5] and "Make it smaller" in errors[5]
    assert "Cannot use a" in errors[6] or "Could not load the image" in errors[6]
    before, after = driver.execute_script("return window.st_tensors")
    assert before == after, f"tf.memory().numTensors went from {before} to {after}"


TAMPER_SKETCH = """
from ml5py import StyleTransfer

errors = []


async def main():
    before = tf.memory().numTensors
    remember = lambda style, error: errors.append(str(error))
    await StyleTransfer("{style}", remember).ready
    await StyleTransfer("other_network/", remember).ready
    window.st_tensors = [before, tf.memory().numTensors]
    window.st_errors = JSON.stringify(errors)
    print("done")

main()
"""


def test_browser_refuses_tampered_and_foreign_checkpoints_leaking_nothing(driver, tmp_path):
    """A pretrained style's file with the right size but other bytes fails its registry sha256;
    a checkpoint of another network is refused. Neither leaves tensors behind."""
    from conftest import write_sketch
    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of

    tampered = "tampered/style-transfer/" + STYLE + "/"
    assets = {tampered + path.name: path for path in (MIRROR / "style-transfer" / STYLE).iterdir()}
    changed = bytearray((MIRROR / "style-transfer" / STYLE / "Variable_7").read_bytes())
    changed[100] ^= 0x40  # one bit of one weight: same size, so only the sha256 can tell
    assets[tampered + "Variable_7"] = bytes(changed)
    assets["other_network/manifest.json"] = json.dumps(
        {"Variable": {"filename": "v0", "shape": [2]}, "Variable_1": {"filename": "v1", "shape": [3]}}).encode()
    assets["other_network/v0"] = np.zeros(2, "<f4").tobytes()
    assets["other_network/v1"] = np.zeros(3, "<f4").tobytes()
    sketch = write_sketch(tmp_path / "sketch", TAMPER_SKETCH.replace("{style}", STYLE), assets)
    server = serve_in_background(build(sketch, tmp_path / "site", models_url="tampered/"))
    try:
        open_page(driver, url_of(server) + "?backend=wasm", lines=1, timeout=300)
        errors = json.loads(driver.execute_script("return window.st_errors"))
        before, after = driver.execute_script("return [window.st_tensors[0], window.st_tensors[1]]")
    finally:
        server.shutdown()
        server.server_close()
    print("\n" + "\n".join(errors))
    assert len(errors) == 2, errors
    assert tampered + "Variable_7 is corrupt: its sha256 is" in errors[0]
    assert "not a style-transfer network: Variable has shape [2]" in errors[1]
    assert before == after, f"tf.memory().numTensors went from {before} to {after}"
