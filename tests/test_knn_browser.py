"""KNNClassifier in the browser (Transcrypt + plain JavaScript maths) against CPython.

One sketch, one page: it reads the same examples and queries the test gives CPython (a
JSON asset, numbers written exactly), and reports its decisions, errors and saved JSON;
the test computes the same with ml5py in CPython and compares them exactly.
"""
from __future__ import annotations

import json
import time

import numpy as np
import pytest

from conftest import open_page
from ml5py import KNNClassifier
from ml5py.models.knn_classifier.knn_classifier import NO_EXAMPLES
from knn_helpers import ml5js_json, tie_prone_data

KNN_SKETCH = """
from ml5py import KNNClassifier

outcomes = []
errors = []


def summary(result):
    return [result.label, result.class_index, result.confidences_by_index, result["confidences"]]


def remember_error(name):
    def got(result, error):
        errors.append([name, str(error), result is None])
    return got


# (an ``await`` inside a call's arguments does not compile: await into a name first)
async def main():
    response = await fetch("data.json")
    data = await response.json()
    knn = KNNClassifier()
    for i in range(len(data.examples)):
        knn.add_example(data.examples[i], data.labels[i])
    for i in range(len(data.queries)):
        for k in data.ks:
            result = await knn.classify(data.queries[i], k)
            outcomes.append(summary(result))
    # the other call forms, and typed arrays / tensors as embeddings
    got = []
    await knn.classify(data.queries[0], lambda result, error: got.append(summary(result)))
    await knn.classify(data.queries[0], 1, lambda result, error: got.append(summary(result)))
    result = await knn.classify(Float64Array.of(*data.queries[0]), k=1)
    got.append(summary(result))
    tensor = tf.tensor(data.queries[10], None, "float32")  # small whole numbers: exact in float32
    result = await knn.classify(tensor, 2)
    got.append(summary(result))
    tensor.dispose()
    window.knn_forms = JSON.stringify(got)
    window.knn_counts = JSON.stringify([knn.get_count(), knn.get_count_by_label(), knn.get_labels()])
    window.knn_saved = knn.save("knn.json")

    # what CPython saved, loaded from a URL; ml5.js 0.x's file; the browser's own JSON text
    from_cpython = KNNClassifier()
    from_cpython.load("cpython_knn.json")
    result = await from_cpython.classify(data.queries[1], 3)
    window.knn_from_cpython = JSON.stringify(summary(result))
    ml5js = KNNClassifier()
    await ml5js.load("ml5js_knn.json")
    result = await ml5js.classify(data.queries[2], 3)
    window.knn_ml5js = JSON.stringify([ml5js.get_count_by_label(), summary(result)])
    again = KNNClassifier()
    again.load(window.knn_saved)
    result = await again.classify(data.queries[3], 5)
    window.knn_again = JSON.stringify(summary(result))

    # errors: the same words as in CPython
    await KNNClassifier().classify(data.queries[0], remember_error("empty"))
    await knn.classify([1, 2], remember_error("length"))
    await again.load("{not json", remember_error("corrupt"))
    await again.load("missing.json", remember_error("missing"))
    try:
        knn.clear_label("nobody")
    except ValueError as error:
        errors.append(["clear", str(error), True])
    try:
        knn.add_example([1, 2], "short")
    except ValueError as error:
        errors.append(["add", str(error), True])
    try:
        knn.add_example(document.createElement("canvas"), "picture")
    except TypeError as error:
        errors.append(["image", str(error), True])
    knn.clear_label(data.labels[0])
    window.knn_after_clear = JSON.stringify(knn.get_count_by_label())
    window.knn_errors = JSON.stringify(errors)
    window.knn_outcomes = JSON.stringify(outcomes)
    print("done", len(outcomes))

main()
"""


def knn_data():
    rng = np.random.default_rng(2024)
    tie_examples, tie_labels = tie_prone_data(rng, 40, 6, 3)
    examples = np.vstack([tie_examples, rng.normal(size=(40, 6))])
    labels = tie_labels + [f"label {i}" for i in rng.integers(4, size=40)]
    queries = np.vstack([examples[rng.integers(80, size=10)],  # exact ties
                         rng.integers(-2, 3, size=(10, 6)), rng.normal(size=(10, 6))])
    return {"examples": examples.tolist(), "labels": labels, "queries": queries.tolist(), "ks": [1, 2, 3, 4, 7, 25]}


def summary(result):
    return [result.label, result.class_index, result.confidences_by_index, result.confidences]


@pytest.mark.browser
def test_browser_and_cpython_make_the_same_decisions_and_share_saved_files(driver, sites, tmp_path):
    data = knn_data()
    knn = KNNClassifier()
    for example, label in zip(data["examples"], data["labels"]):
        knn.add_example(example, label)
    expected = [summary(knn.classify(query, k)) for query in data["queries"] for k in data["ks"]]
    rng = np.random.default_rng(5)
    ml5js_file = ml5js_json([(0, "cat", rng.normal(size=(3, 6))), (1, "dog", rng.normal(size=(2, 6)))])
    cpython_file = knn.to_json_data()
    site = sites(KNN_SKETCH, {"data.json": json.dumps(data).encode(),
                              "cpython_knn.json": json.dumps(cpython_file, default=list).encode(),
                              "ml5js_knn.json": ml5js_file.encode()}, name="knn")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        lines = open_page(driver, site.page("wasm"), lines=1)
        assert lines == [f"done {len(expected)}"], lines
        deadline = time.monotonic() + 20
        while not (downloads / "knn.json").is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})
    read = lambda name: json.loads(driver.execute_script(f"return window.{name};"))  # noqa: E731

    assert read("knn_outcomes") == expected  # labels, class indices, confidences: exactly
    query = data["queries"][0]
    assert read("knn_forms") == [summary(knn.classify(query)), summary(knn.classify(query, 1)),
                                 summary(knn.classify(query, 1)), summary(knn.classify(data["queries"][10], 2))]
    assert read("knn_counts") == [knn.get_count(), knn.get_count_by_label(), knn.get_labels()]
    assert read("knn_from_cpython") == summary(knn.classify(data["queries"][1], 3))
    ml5js = KNNClassifier().load(ml5js_file)
    assert read("knn_ml5js") == [ml5js.get_count_by_label(), summary(ml5js.classify(data["queries"][2], 3))]

    # the browser's save(): JSON that CPython loads, with the same predictions
    saved = driver.execute_script("return window.knn_saved;")
    assert (downloads / "knn.json").read_text(encoding="utf-8") == saved  # save() downloaded it
    loaded = KNNClassifier().load(saved)
    assert loaded.get_labels() == knn.get_labels()
    assert [summary(loaded.classify(q, k)) for q in data["queries"] for k in data["ks"]] == expected
    assert read("knn_again") == summary(knn.classify(data["queries"][3], 5))

    errors = {name: (text, no_result) for name, text, no_result in read("knn_errors")}
    assert errors["empty"] == (NO_EXAMPLES, True)
    with pytest.raises(ValueError) as raised:
        knn.classify([1, 2])
    assert errors["length"] == (str(raised.value), True)
    with pytest.raises(ValueError) as raised:
        knn.clear_label("nobody")
    assert errors["clear"][0] == str(raised.value)
    with pytest.raises(ValueError) as raised:
        knn.add_example([1, 2], "short")
    assert errors["add"][0] == str(raised.value)
    assert "FeatureExtractor(\"MobileNet\")" in errors["image"][0] and "not an image" in errors["image"][0]
    assert errors["corrupt"][0].startswith("Could not load KNN examples from the JSON text you gave: "
                                           "it is not valid JSON (")
    assert "Could not load 'missing.json' (HTTP 404)" in errors["missing"][0]
    knn.clear_label(data["labels"][0])
    assert read("knn_after_clear") == knn.get_count_by_label()


P5_KNN_SKETCH = """
from ml5py import KNNClassifier


def preload():
    global knn
    knn = KNNClassifier()
    knn.load("knn.json")          # p5 waits for it before setup()


def setup():
    createCanvas(100, 100)
    noLoop()
    window.count_in_setup = knn.get_count()
    knn.add_example([0, 0, 1], "blue")
    knn.classify([0, 0.1, 1], 1, got_result)


def got_result(result, error):
    print(result.label, knn.get_count(), error)
"""


@pytest.mark.browser
def test_a_load_in_p5_preload_is_done_before_setup(driver, sites, tmp_path):
    saved = KNNClassifier()
    saved.add_example([1, 0, 0], "red")
    saved.add_example([0, 1, 0], "green")
    text = saved.save(tmp_path / "knn.json")
    site = sites(P5_KNN_SKETCH, {"knn.json": text.encode()}, name="knn-p5")
    lines = open_page(driver, site.page("wasm"), lines=1, timeout=60)
    assert lines == ["blue 3 None"], lines
    assert driver.execute_script("return window.count_in_setup") == 2
