"""Continuous classification in the browser: the webcam example on a fake camera, and
long runs that must not leak (tensors, WebGL textures, JavaScript heap).

The examples are built as a learner would run them, with a few lines appended that let
the test see inside (counting callbacks, stopping and starting).
"""
from __future__ import annotations

import time

import pytest

from browser import wait_for
from conftest import REPO, open_page, page_state

WEBCAM = REPO / "examples" / "webcam_classifier" / "sketch.py"
DOODLE = REPO / "examples" / "doodle_classifier" / "sketch.py"

# Appended to an example: count the callbacks, and let the test stop and start the loop.
PROBE = """

callbacks = 0
_learner_got_results = got_results


def got_results(results, error):
    global callbacks
    callbacks += 1
    _learner_got_results(results, error)
    window.probe_label = label
    window.probe_callbacks = callbacks
    if window.probe_pause_asked:  # stop between frames: nothing is in flight afterwards
        window.probe_pause_asked = False
        _probe_stop()
        window.probe_paused = True


def _probe_stop():
    classifier.classify_stop()
    window.probe_stopped_at = callbacks


def _probe_pause():
    window.probe_paused = False
    window.probe_pause_asked = True


def _probe_start():
    classifier.classify_start({media}, got_results)


window.probe_stop = _probe_stop
window.probe_pause = _probe_pause
window.probe_start = _probe_start
"""

def settle(driver, milliseconds: int) -> None:
    driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; setTimeout(done, arguments[0]);", milliseconds)


def tensors(driver) -> int:
    return driver.execute_script("return tf.memory().numTensors")


def back_to(driver, count: int) -> None:
    """numTensors returns to ``count`` once the classification in flight at the stop has
    finished (on a busy machine SwiftShader may take seconds); a leak never does."""
    try:
        wait_for(driver, f"return tf.memory().numTensors === {count}", timeout=30)
    except AssertionError:
        raise AssertionError(f"tf.memory().numTensors went from {count} to {tensors(driver)}") from None


@pytest.mark.browser
def test_webcam_example_classifies_frame_after_frame_and_stops(driver, sites):
    site = sites(WEBCAM.read_text() + PROBE.replace("{media}", "video"), name="webcam")
    open_page(driver, site.page("wasm"), until="return window.probe_callbacks >= 3", timeout=120)
    driver.execute_script("probe_stop()")
    settle(driver, 1500)  # a frame that was being classified finishes, unseen
    stopped = driver.execute_script("return [window.probe_stopped_at, window.probe_callbacks, frameCount]")
    assert stopped[0] == stopped[1], f"a callback came after classify_stop returned: {stopped}"
    before = tensors(driver)

    driver.execute_script("probe_start()")
    started = time.monotonic()
    wait_for(driver, f"return window.probe_callbacks >= {stopped[1] + 100}", timeout=180)
    seconds = time.monotonic() - started
    driver.execute_script("probe_stop()")
    settle(driver, 400)
    frames, label, callbacks, stopped_at = driver.execute_script(
        "return [frameCount, window.probe_label, window.probe_callbacks, window.probe_stopped_at]")
    assert callbacks == stopped_at
    assert frames - stopped[2] >= 100, "draw() did not keep running while the model worked"
    assert label and "Error" not in label, label
    back_to(driver, before)
    settle(driver, 600)  # stopped means stopped
    assert driver.execute_script("return window.probe_callbacks") == callbacks
    assert driver.execute_script("return frameCount") > frames  # while draw() goes on
    assert page_state(driver)["error"] == ""
    print(f"\n100 webcam frames classified in {seconds:.1f} s ({100 / seconds:.1f} per second, wasm)")


MEMORY = """
var backend = tf.backend();
var textures = backend.textureManager ?
    backend.textureManager.numUsedTextures + backend.textureManager.numFreeTextures : null;
window.gc();
return [window.probe_callbacks, tf.memory().numTensors, textures,
        performance.memory.usedJSHeapSize];
"""


def long_run(driver, site, backend: str, frames: int) -> list:
    """Run the doodle example for ``frames`` classifications; memory at 5 points on the way."""
    open_page(driver, site.page(backend), until="return window.probe_callbacks >= 20", timeout=120)
    driver.execute_script("scribble()")
    samples = []
    for target in [frames * share // 5 for share in range(1, 6)]:
        wait_for(driver, f"return window.probe_callbacks >= {target}", timeout=300)
        driver.execute_script("probe_pause()")  # stops right after a frame's results
        wait_for(driver, "return window.probe_paused === true", timeout=120)
        driver.execute_script("window.gc(); window.gc();")  # then let the collector finish
        settle(driver, 300)
        samples.append(driver.execute_script(MEMORY))
        driver.execute_script("probe_start()")
    driver.execute_script("probe_stop()")
    assert page_state(driver)["error"] == ""
    return samples


SCRIBBLE = """

def _scribble():
    paper.stroke(0)
    paper.strokeWeight(16)
    paper.noFill()
    paper.circle(140, 140, 180)


window.scribble = _scribble
"""


@pytest.fixture(scope="module")
def doodle_site(sites):
    return sites(DOODLE.read_text() + PROBE.replace("{media}", "paper") + SCRIBBLE, name="doodle")


@pytest.mark.browser
def test_five_hundred_frames_leak_no_tensors_and_no_heap(driver, doodle_site):
    samples = long_run(driver, doodle_site, "wasm", 500)
    print(f"\nwasm: [callbacks, numTensors, textures, heap bytes] = {samples}")
    assert samples[-1][0] >= 500
    assert len({sample[1] for sample in samples}) == 1, f"numTensors changed: {samples}"
    heaps = [sample[3] for sample in samples]
    growth = heaps[-1] - heaps[1]  # from frame 200 to 500: past warm-up and JIT
    # a leaked frame would be 280 x 280 x 4 bytes: 300 of them, 94 MB
    assert growth < 1_000_000, f"the JS heap grew by {growth} bytes over 300 frames: {heaps}"


@pytest.mark.browser
def test_webgl_textures_stay_flat(driver, doodle_site):
    # SwiftShader's WebGL is slow: 100 frames here; bench/live_bench.py runs 500 on each backend
    samples = long_run(driver, doodle_site, "webgl", 100)
    print(f"\nwebgl: [callbacks, numTensors, textures, heap bytes] = {samples}")
    assert driver.execute_script("return tf.getBackend()") == "webgl"
    assert len({sample[1] for sample in samples}) == 1, f"numTensors changed: {samples}"
    assert len({sample[2] for sample in samples}) == 1, f"WebGL textures changed: {samples}"


# The ml5.js habit: ask again from inside the callback. On wasm nothing waits for a GPU, so
# if callbacks ran straight after the work the page would never get to draw.
ASK_AGAIN = """
from ml5py import ImageClassifier

answers = 0


def setup():
    global paper, classifier
    paper = createCanvas(120, 120)
    background(255)
    circle(60, 60, 70)
    classifier = ImageClassifier("DoodleNet", ask)


def ask(ignored=None, error=None):
    classifier.classify(paper, got_result)


def got_result(results, error):
    global answers
    answers += 1
    window.answers = answers
    ask()


def draw():
    window.frames_drawn = frameCount
"""


@pytest.mark.browser
def test_a_callback_that_classifies_again_lets_the_page_draw(driver, sites):
    site = sites(ASK_AGAIN, name="ask_again")
    open_page(driver, site.page("wasm"), until="return window.answers >= 30", timeout=120)
    answers, frames = driver.execute_script("return [window.answers, window.frames_drawn]")
    settle(driver, 500)
    later_answers, later_frames = driver.execute_script("return [window.answers, window.frames_drawn]")
    assert later_answers > answers, "the classify-in-callback loop stopped"
    assert later_frames > frames, f"draw() starved while classify asked again and again ({frames} -> {later_frames})"
    assert page_state(driver)["error"] == ""
