"""Pages start sooner and reuse what they read.

- The weights download while TF.js starts its backend (the test holds the backend back and
  sees model.json and its shard arrive first).
- A still picture's pixels are read once and reused while it is unchanged: reading an
  ``<img>`` on wasm means drawing it on a canvas and reading that back (9-14 ms for an
  800 x 800 photo). The sketch counts the reads (``getImageData``) and prints every
  result in full: classifying one photo again reads nothing and gives the same numbers; a
  new photo in the same element, and a canvas drawn on between calls, are read again.
"""
from __future__ import annotations

import json

import pytest

from conftest import open_page, page_state

pytestmark = pytest.mark.browser

SKETCH = """
from ml5py import ImageClassifier, rt

# every read of a picture's pixels (ml5py's own of a still and tf.browser.fromPixels) ends in
# getImageData: count those
__pragma__ ('js', '{}', '''
window.reads = [0];
var read_pixels = CanvasRenderingContext2D.prototype.getImageData;
CanvasRenderingContext2D.prototype.getImageData = function () {
    window.reads [0] += 1;
    return read_pixels.apply (this, arguments);
};
''')
reads = window.reads
classifier = ImageClassifier("DoodleNet")
photo = document.createElement("img")  # a page's own <img>: its address may change
photo.src = "bird.jpg"
canvas = document.createElement("canvas")
canvas.width = 64
canvas.height = 64
pen = canvas.getContext("2d")

def draw(colour):
    pen.fillStyle = colour
    pen.fillRect(0, 0, 64, 64)

def scores(results):
    return [[result["label"], result["confidence"]] for result in results]

async def main():
    # (each await on a line of its own: Transcrypt's operator overloading wraps calls in functions)
    await classifier.ready
    out = {"photo": [], "same_as_tfjs": []}
    probe = document.createElement("img")  # (another element: the photo's first read is counted)
    probe.src = "bird.jpg"
    await probe.decode()
    for size in [None, [120, 90]]:  # (an <img> is read at its width x height, as TF.js reads it)
        if size:
            probe.width = size[0]
            probe.height = size[1]
        ours = rt.pixels(probe)
        theirs = tf.browser.fromPixels(probe)
        out["same_as_tfjs"].append([ours.shape, theirs.shape, tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]])
        tf.dispose([ours, theirs])
    reads[0] = 0
    for turn in range(3):
        results = await classifier.classify(photo, 5)
        out["photo"].append(scores(results))
    out["photo_reads"] = reads[0]
    photo.src = "kitten.jpg"
    results = await classifier.classify(photo, 5)
    results = await classifier.classify(photo, 5)
    out["kitten"] = scores(results)
    out["kitten_reads"] = reads[0] - out["photo_reads"]
    photo.src = "bird.jpg"
    results = await classifier.classify(photo, 5)
    out["bird_again"] = scores(results)
    before = reads[0]
    draw("white")
    white = await classifier.classify(canvas, 5)
    draw("black")
    black = await classifier.classify(canvas, 5)
    out["canvas_reads"] = reads[0] - before
    out["canvas_changed"] = JSON.stringify(scores(white)) != JSON.stringify(scores(black))
    print(JSON.stringify(out))

main()
"""


@pytest.mark.parametrize("backend", ["wasm", "cpu"])
def test_a_still_picture_is_read_once_and_gives_the_same_results(driver, sites, images, backend):
    site = sites(SKETCH, {"bird.jpg": images / "bird.jpg", "kitten.jpg": images / "kitten.jpg"},
                 name=f"still-{backend}")
    lines = open_page(driver, site.page(backend), lines=1)
    assert page_state(driver)["backend"] == backend
    out = json.loads(lines[0])
    # ml5py reads a still straight into floats: the very values tf.browser.fromPixels gives
    assert out["same_as_tfjs"] == [[[800, 800, 3], [800, 800, 3], 0], [[90, 120, 3], [90, 120, 3], 0]], out
    first, second, third = out["photo"]
    assert first == second == third, out["photo"]
    assert out["photo_reads"] == 1, out
    assert out["kitten_reads"] == 1 and out["kitten"] != first, out  # a new photo is read again
    assert out["bird_again"] == first, out  # (the photo kept before: no read, the same answer)
    assert out["canvas_reads"] == 2 and out["canvas_changed"], out  # a canvas is read every time


EARLY_DOWNLOAD_SKETCH = """
# __pragma__ ('noopov')
from ml5py import ImageClassifier

# TF.js's backend may start only when the test says so; the weights must not wait for it.
opened = []
backend_gate = __new__(Promise(lambda resolve, reject: opened.append(resolve)))
start_backend = tf.setBackend
started = [False]

def gated(name):
    def go(ignored):
        started[0] = True
        return start_backend(name)
    return backend_gate.then(go)

tf.setBackend = gated

def downloaded():
    return [entry.js_name.split("/").pop() for entry in performance.getEntriesByType("resource")
            if entry.js_name.indexOf("/models/doodlenet/") >= 0]  # (js_name: Transcrypt renames name)

def pause(ms):
    return __new__(Promise(lambda resolve, reject: setTimeout(resolve, ms)))

async def main():
    await caches.delete("ml5py-models-v1")  # a first visit: the files come over the network
    classifier = ImageClassifier("DoodleNet")
    for turn in range(200):
        if len(downloaded()) >= 2:
            break
        await pause(25)
    out = {"downloaded_before_backend": downloaded(), "backend_started": started[0]}
    opened[0](None)
    await classifier.ready
    canvas = document.createElement("canvas")
    results = await classifier.classify(canvas)
    out["labels"] = len(results)
    out["backend"] = tf.getBackend()
    print(JSON.stringify(out))

main()
"""


def test_the_weights_download_while_the_backend_starts(driver, sites):
    site = sites(EARLY_DOWNLOAD_SKETCH, name="early-download")
    out = json.loads(open_page(driver, site.page("wasm"), lines=1)[0])
    assert out["backend_started"] is False, out
    assert sorted(out["downloaded_before_backend"]) == ["group1-shard1of1.bin", "model.json"], out
    assert out["backend"] == "wasm" and out["labels"] == 3, out
