"""transfer_start / transfer_stop in the browser: the webcam example on Chromium's fake
camera (painting, switching style with a key), and 200 frames of a small canvas (60 on
SwiftShader's slow WebGL) that must leave no tensor (and no WebGL texture) behind."""
from __future__ import annotations

import pytest

from browser import wait_for
from conftest import REPO, open_page, page_state

pytestmark = pytest.mark.browser

WEBCAM = REPO / "examples" / "style_webcam" / "sketch.py"

# Appended to the example: count the painted frames, and let the test press a key.
PROBE = """

_learner_got_painting = got_painting


def got_painting(result, error):
    _learner_got_painting(result, error)
    window.probe_frames = (window.probe_frames or 0) + 1
    window.probe_status = status
    window.probe_size = [result.width, result.height] if result else None
    window.probe_pictures = (window.probe_pictures or []).concat([result.canvas.toDataURL()])
    if window.probe_frames >= 2:
        style.transfer_stop()  # let the page idle, so the test's polls get through quickly


window.probe_key = keyPressed


def probe_settle():
    # window.probe_settled turns true once every style loaded so far is ready
    window.probe_settled = False

    def settled(ignored):
        window.probe_settled = True

    Promise.all([loaded[name].ready for name in styles if name in loaded]).then(settled)


window.probe_settle = probe_settle
"""


def test_webcam_example_paints_frames_and_switches_style(driver, sites):
    site = sites(WEBCAM.read_text() + PROBE, name="style-webcam")
    open_page(driver, site.page("wasm"), until="return window.probe_frames >= 2", timeout=240)
    assert driver.execute_script("return window.probe_status") == "la_muse"
    assert driver.execute_script("return window.probe_size") == [320, 240]
    first, second = driver.execute_script("return window.probe_pictures")
    assert first != second, "the same picture twice: the camera's new frames are not being painted"
    driver.execute_script("window.probe_frames = 0; probe_key()")  # the next style
    wait_for(driver, "return window.probe_frames >= 2", timeout=240)
    assert driver.execute_script("return window.probe_status") == "mathura"
    assert page_state(driver)["error"] == ""
    # once round all nine styles and back to mathura: each network is loaded once and kept,
    # not loaded again (and its old copy leaked) on every key press
    tensors = driver.execute_script("return tf.memory().numTensors")
    driver.execute_script("window.probe_frames = 0; for (var i = 0; i < 9; i++) { probe_key(); }")
    wait_for(driver, "return window.probe_frames >= 2", timeout=240)
    assert driver.execute_script("return window.probe_status") == "mathura"
    driver.execute_script("probe_settle()")
    wait_for(driver, "return window.probe_settled === true", timeout=240)
    grown = driver.execute_script("return tf.memory().numTensors") - tensors
    assert grown == 7 * 48, f"{grown} more tensors after the round: 7 new styles hold {7 * 48}"


LEAK_SKETCH = """
from ml5py import StyleTransfer

canvas = document.createElement("canvas")
canvas.width = 24
canvas.height = 17
pen = canvas.getContext("2d")
count = 0
style = StyleTransfer("wave")


def textures():
    manager = tf.backend().textureManager
    return manager.numUsedTextures + manager.numFreeTextures if manager else None


def got_painting(result, error):
    global count
    frames = 60 if tf.getBackend() == "webgl" else 200  # SwiftShader is slow
    count += 1
    window.st_count = count
    if error:
        window.st_error = str(error)
    pen.fillStyle = "rgb(" + str(count % 256) + ", 120, " + str(255 - count % 256) + ")"
    pen.fillRect(count % 24, 0, 6, 17)  # the next frame differs
    if count == 20:
        window.st_at_20 = [tf.memory().numTensors, textures()]
    if count == frames:
        style.transfer_stop()
        window.st_after = [tf.memory().numTensors, textures()]
        window.st_size = [result.width, result.height]


async def main():
    await style.ready
    window.st_before = tf.memory().numTensors
    style.transfer_start(canvas, got_painting)
    print("started")

main()
"""


@pytest.fixture(scope="module")
def leak_site(sites):
    return sites(LEAK_SKETCH, name="style-leak")


@pytest.mark.parametrize("backend", ["wasm", "webgl"])
def test_two_hundred_frames_leak_no_tensors(driver, leak_site, backend):
    open_page(driver, leak_site.page(backend), lines=1)
    wait_for(driver, "return window.st_after !== undefined", timeout=300)
    driver.execute_async_script("var done = arguments[arguments.length - 1]; setTimeout(done, 500);")
    before, at_20, after, size, error, now = driver.execute_script(
        "return [window.st_before, window.st_at_20, window.st_after, window.st_size, window.st_error,"
        " tf.memory().numTensors]")
    assert error is None, error
    assert driver.execute_script("return tf.getBackend()") == backend
    assert size == [24, 17]
    assert before == at_20[0] == after[0] == now, (before, at_20, after, now)
    assert at_20[1] == after[1], f"WebGL textures went from {at_20[1]} to {after[1]}"
    frames = 60 if backend == "webgl" else 200
    assert driver.execute_script("return window.st_count") == frames  # none after transfer_stop
