"""What a learner's sketch classifies in the browser: every browser input type, and the
example sketch without its photo.

Each test writes a small sketch, builds it with ``ml5py build`` and opens it in the
session's headless Chromium (wasm unless the test is about choosing a backend).
"""
from __future__ import annotations

import pytest

from browser import wait_for
from conftest import EXAMPLE, PAGE_TIMEOUT, open_page, page_state, parse_results


# ================================================================ inputs

INPUTS_SKETCH = """
from ml5py import ImageClassifier, load_image

classifier = ImageClassifier("MobileNet")

def report(name):
    def got_results(results, error):
        print(name, error if error else results[0].label + " " + str(results[0].confidence))
    return got_results

classifier.classify(load_image("bird.jpg"), report("load_image"))

img = document.createElement("img")
img.src = "bird.jpg"
classifier.classify(img, report("img"))          # waits for the <img> to load

def loaded(event):
    canvas = document.createElement("canvas")
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    context = canvas.getContext("2d")
    context.drawImage(img, 0, 0)
    classifier.classify(canvas, report("canvas"))
    classifier.classify(context.getImageData(0, 0, canvas.width, canvas.height), report("ImageData"))
    createImageBitmap(img).then(lambda bitmap: classifier.classify(bitmap, report("ImageBitmap")))

img.addEventListener("load", loaded)
"""


@pytest.mark.browser
def test_every_browser_input_type_classifies_the_bird(driver, sites, images):
    site = sites(INPUTS_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="inputs")
    lines = open_page(driver, site.page("wasm"), lines=5)
    results = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in lines}
    assert set(results) == {"load_image", "img", "canvas", "ImageData", "ImageBitmap"}, lines
    parsed = {name: parse_results([text])[0] for name, text in results.items()}
    for name, (label, confidence) in parsed.items():
        assert "robin" in label, (name, lines)
        assert abs(confidence - parsed["load_image"][1]) < 1e-4, (name, lines)


@pytest.mark.browser
def test_example_without_a_photo_asks_for_one(driver, sites, images, tmp_path):
    """examples/classify_image with no bird.jpg beside it: the learner picks a photo."""
    site = sites(EXAMPLE.read_text(encoding="utf-8"), name="picker")
    open_page(driver, site.page("wasm"))
    wait_for(driver, "return document.getElementById('ml5py-status').textContent.indexOf('ready') >= 0",
             timeout=PAGE_TIMEOUT)  # the model is ready; the sketch waits for a photo
    assert driver.execute_script("return document.getElementById('ml5py-picker').hidden") is False
    assert page_state(driver)["lines"] == [] and page_state(driver)["error"] == ""
    photo = tmp_path / "my photo.jpg"
    photo.write_bytes((images / "bird.jpg").read_bytes())
    driver.find_element("css selector", "#ml5py-picker input[type=file]").send_keys(str(photo))
    wait_for(driver, "return window.ml5py.lines.length >= 3", timeout=PAGE_TIMEOUT)
    assert "robin" in parse_results(page_state(driver)["lines"])[0][0]
