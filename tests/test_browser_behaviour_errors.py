"""What a learner's sketch does in the browser when something is wrong: unknown models,
what is not an image, a missing file, errors without a callback, and TensorFlow.js's own
errors, each reaching the sketch or the page as a Python error that names the problem.

Each test writes a small sketch, builds it with ``ml5py build`` and opens it in the
session's headless Chromium (wasm unless the test is about choosing a backend).
"""
from __future__ import annotations

import pytest

from browser_behaviour_helpers import wait_for_error
from conftest import open_page, page_state

VALID_MODELS = ["MobileNet", "Darknet", "Darknet-tiny", "DoodleNet"]


# ================================================================ errors

@pytest.mark.browser
def test_unknown_model_lists_the_valid_names(driver, sites):
    source = """
    from ml5py import ImageClassifier

    def made(classifier, error):
        print("callback got:", error)

    ImageClassifier("MobileNett", made)
    ImageClassifier("ResNet")   # no callback: the error goes to the page
    """
    site = sites(source, name="unknown-model")
    lines, error = wait_for_error(driver, site.page("wasm"), lines=1)
    assert "Unknown model 'MobileNett'" in lines[0], lines
    assert all(name in lines[0] for name in VALID_MODELS), lines
    assert "Unknown model 'ResNet'" in error and all(name in error for name in VALID_MODELS), error


@pytest.mark.browser
def test_errors_name_the_problem(driver, sites, images):
    source = """
    from ml5py import ImageClassifier, load_image

    classifier = ImageClassifier("MobileNet")

    def report(name):
        def got_results(results, error):
            print(name, "->", error.__class__.__name__ + ":", error)
        return got_results

    classifier.classify(42, report("number"))
    classifier.classify({"pixels": [1, 2, 3]}, report("dict"))
    classifier.classify(load_image("missing.jpg"), report("missing"))

    async def main():
        try:
            await classifier.classify([1, 2, 3])
        except TypeError as error:
            print("await list -> caught TypeError:", error)
        results = await classifier.classify(load_image("bird.jpg"), k=5)
        print("await ->", len(results), "|", results[0].label, "|", results[0]["label"] == results[0].label)

    main()
    """
    site = sites(source, {"bird.jpg": images / "bird.jpg"}, name="errors")
    lines = open_page(driver, site.page("wasm"), lines=5)
    by_name = {line.split(" -> ", 1)[0]: line.split(" -> ", 1)[1] for line in lines}
    accepted = ["<img>", "<canvas>", "<video>", "ImageData", "load_image"]
    for name, type_words in [("number", ["number", "int"]), ("dict", ["dict"]),
                             ("await list", ["list"])]:
        message = by_name[name]
        assert "TypeError" in message, lines
        assert any(f"Cannot use a {word} as an image" in message for word in type_words), message
        assert all(word in message for word in accepted), message
    assert "missing.jpg" in by_name["missing"] and "ValueError" in by_name["missing"], lines
    count, label, same = by_name["await"].split(" | ")
    assert count == "5" and "robin" in label and same == "True", lines  # k=5; r["label"] is r.label
    assert page_state(driver)["error"] == "", "handled errors must not reach the error box"


@pytest.mark.browser
def test_errors_without_a_callback_reach_the_page(driver, sites):
    source = """
    from ml5py import ImageClassifier, load_image

    ImageClassifier("MobileNet").classify(load_image("no_such_photo.png"))
    """
    site = sites(source, name="unhandled")
    lines, error = wait_for_error(driver, site.page("wasm"))
    assert "no_such_photo.png" in error, error


TFJS_ERROR_SKETCH = """
from ml5py import ImageClassifier, load_image

def got_results(results, error):
    if error:   # the example sketches' pattern: it must see errors thrown inside TF.js
        print("callback:", error)
        return
    print("callback: no error, results", results)

broken = ImageClassifier("broken_model/")   # metadata.json is fine, model.json is not
broken.classify(load_image("bird.jpg"), got_results)

async def main():
    try:
        await broken.classify(load_image("bird.jpg"))
        print("await: no error")
    except Exception as error:
        print("await:", error)

main()
"""


@pytest.mark.browser
def test_errors_from_tensorflow_js_reach_the_sketch_as_python_errors(driver, sites, images):
    assets = {"bird.jpg": images / "bird.jpg",
              "broken_model/metadata.json": b'{"labels": ["a", "b"]}',
              "broken_model/model.json": b"{}"}
    site = sites(TFJS_ERROR_SKETCH, assets, name="tfjs-error")
    lines, error = wait_for_error(driver, site.page("wasm"), lines=2)  # `broken` has no callback
    assert sorted(line.split(":")[0] for line in lines) == ["await", "callback"], lines
    for line in lines:
        assert "broken_model/model.json" in line, lines
    assert "broken_model/model.json" in error, error
