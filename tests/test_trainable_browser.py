"""Trainable heads in the browser (TF.js) against CPython (numpy):

- the same seeded training on the same plain embeddings gives the same losses and outputs
  (wasm and webgl; no MobileNet involved, so webgl stays quick);
- on one wasm page: the shape task, from the same PNG pictures, reaches 95% validation accuracy in 20 epochs;
- a model saved in the browser loads in CPython (ImageClassifier and load) and one saved
  by CPython loads in the browser, with the same predictions;
- the errors a learner meets, and no leaked tensors.
"""
from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from conftest import open_page
from ml5py import FeatureExtractor, ImageClassifier
from trainable_helpers import shape_task

PLAIN_SKETCH = """
from ml5py import FeatureExtractor


def summary(results):
    return [[r.label, r.confidence] for r in results]


async def main():
    response = await fetch("task.json")
    task = await response.json()
    features = FeatureExtractor("MobileNet")
    plain = features.classification({"epochs": 5, "batch_size": 4, "hidden_units": 8})
    for i in range(len(task.vectors)):
        plain.add_image(task.vectors[i], task.vector_labels[i])
    history = await plain.train()
    outputs = []
    for i in range(3):
        results = await plain.classify(task.vectors[i])
        outputs.append(summary(results))
    window.tr_plain = JSON.stringify([history, outputs])
    numbers = features.regression({"epochs": 4, "batch_size": 3, "hidden_units": 5})
    for i in range(len(task.vectors)):
        numbers.add_image(task.vectors[i], task.numbers[i])
    history = await numbers.train()
    result = await numbers.predict(task.vectors[0])
    window.tr_regression = JSON.stringify([history, result.value])
    print("done")

main()
"""


SKETCH_START = """
from ml5py import FeatureExtractor, ImageClassifier, load_image

errors = []


def remember_error(name):
    def got(result, error):
        errors.append([name, str(error), result is None])
    return got
"""  # the imports and an error-collecting callback, shared by the sketches below


TRAIN_SKETCH = SKETCH_START + """

# (sketches compile with operator overloading, where __new__ cannot wrap a call: plain JS)
__pragma__ ('js', '{}', 'function as_base64 (buffer) { return new Promise (function (resolve) { ' +
           'var reader = new FileReader (); reader.onload = function () { resolve (reader.result); }; ' +
           'reader.readAsDataURL (new Blob ([buffer])); }); }')


def summary(results):
    return [[r.label, r.confidence] for r in results]


async def main():
    response = await fetch("task.json")
    task = await response.json()
    features = FeatureExtractor("MobileNet")

    # 1. the shape task from pictures
    model = features.classification()
    for i in range(len(task.files)):
        model.add_image(load_image(task.files[i]), task.labels[i])
    progress = []
    history = await model.train(
        on_progress=lambda epoch, loss, val_loss, logs: progress.append([epoch, loss, val_loss, logs.val_accuracy]))
    window.tr_history = JSON.stringify([history, progress])
    tensors = tf.memory().numTensors
    classified = []
    for i in range(len(task.files)):
        results = await model.classify(load_image(task.files[i]))
        classified.append(summary(results))
    window.tr_classified = JSON.stringify(classified)
    await model.train(2)
    files = await model.save("shapes")
    weights = await as_base64(files["weights.bin"])
    window.tr_saved = JSON.stringify([files["model.json"], files["metadata.json"], weights])
    window.tr_tensors = [tensors, tf.memory().numTensors]

    # 2. a model CPython saved
    from_cpython = ImageClassifier("cpython_model/")
    loaded = features.classification()
    await loaded.load("cpython_model/")
    got = []
    for i in range(3):
        results = await from_cpython.classify(load_image(task.files[i]))
        again = await loaded.classify(load_image(task.files[i]))
        got.append([summary(results), summary(again)])
    window.tr_from_cpython = JSON.stringify([got, loaded.get_labels()])

    # 3. errors
    fresh = features.classification()
    await fresh.classify(task.vectors[0], remember_error("untrained"))
    await fresh.train(callback=remember_error("empty"))
    fresh.add_image(task.vectors[0], "only")
    await fresh.train(callback=remember_error("one class"))
    await fresh.add_image([1, 2], "short", remember_error("length"))
    await fresh.load("broken_model", remember_error("corrupt"))
    await fresh.load("missing_model", remember_error("missing"))
    await model.predict(task.vectors[0], remember_error("predict"))
    try:
        features.classification({"epoch": 3})
    except ValueError as error:
        errors.append(["option", str(error), True])
    window.tr_errors = JSON.stringify(errors)
    print("done")

main()
"""


def plain_data():
    rng = np.random.default_rng(8)
    vectors = rng.normal(size=(24, 6)).round(3)
    labels = ["up" if v[0] + v[1] > 0 else "down" for v in vectors]
    values = (vectors[:, 2] * 0.5 + 1).round(3)
    return vectors, labels, values


def png(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.browser
@pytest.mark.parametrize("backend", ["wasm", "webgl"])
def test_browser_trainer_gives_cpythons_numbers(driver, sites, backend):
    """Same seeded start, split and batches on the same embeddings: the same losses (float32 apart)."""
    vectors, vector_labels, values = plain_data()
    features = FeatureExtractor("MobileNet")
    plain = features.classification({"epochs": 5, "batch_size": 4, "hidden_units": 8})
    for vector, label in zip(vectors, vector_labels):
        plain.add_image(vector, label)
    plain_history = plain.train()
    numbers = features.regression({"epochs": 4, "batch_size": 3, "hidden_units": 5})
    for vector, value in zip(vectors, values):
        numbers.add_image(vector, float(value))
    number_history = numbers.train()

    task = {"vectors": vectors.tolist(), "vector_labels": vector_labels, "numbers": values.tolist()}
    site = sites(PLAIN_SKETCH, {"task.json": json.dumps(task).encode()}, name="train-plain")
    lines = open_page(driver, site.page(backend), lines=1)
    assert lines == ["done"], lines
    assert driver.execute_script("return tf.getBackend();") == backend
    read = lambda name: json.loads(driver.execute_script(f"return window.{name};"))  # noqa: E731
    history, outputs = read("tr_plain")
    for key in ["loss", "val_loss", "accuracy", "val_accuracy"]:
        np.testing.assert_allclose(history[key], plain_history[key], rtol=1e-4, atol=1e-6, err_msg=key)
    assert plain_history["loss"][-1] < plain_history["loss"][0]
    for vector, browser in zip(vectors[:3], outputs):
        cpython = [[r.label, r.confidence] for r in plain.classify(vector)]
        assert [b[0] for b in browser] == [c[0] for c in cpython]
        np.testing.assert_allclose([b[1] for b in browser], [c[1] for c in cpython], rtol=1e-4, atol=1e-6)
    history, value = read("tr_regression")
    np.testing.assert_allclose(history["loss"], number_history["loss"], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(history["val_loss"], number_history["val_loss"], rtol=1e-4, atol=1e-6)
    assert history["accuracy"] == [None] * 4
    assert abs(value - numbers.predict(vectors[0]).value) < 1e-4


@pytest.mark.browser
def test_browser_learns_the_shape_task_and_models_travel_both_ways(driver, sites, tmp_path):
    pictures = shape_task()
    vectors = plain_data()[0]
    features = FeatureExtractor("MobileNet")
    shapes = features.classification()
    for image, label in pictures:
        shapes.add_image(image, label)
    shapes_history = shapes.train()
    shapes.save(tmp_path / "cpython_model")

    assets = {f"shape{i}.png": png(image) for i, (image, _) in enumerate(pictures)}
    assets["task.json"] = json.dumps({
        "files": [f"shape{i}.png" for i in range(len(pictures))], "labels": [label for _, label in pictures],
        "vectors": vectors.tolist()}).encode()
    for name in ["model.json", "weights.bin", "metadata.json"]:
        assets[f"cpython_model/{name}"] = (tmp_path / "cpython_model" / name).read_bytes()
    assets["broken_model/model.json"] = b"{not json"
    assets["broken_model/metadata.json"] = b'{"labels": ["a", "b"]}'
    site = sites(TRAIN_SKETCH, assets, name="train")
    lines = open_page(driver, site.page("wasm"), lines=1, timeout=400)
    assert lines == ["done"], lines
    read = lambda name: json.loads(driver.execute_script(f"return window.{name};"))  # noqa: E731

    # the shape task learned in the browser too; MobileNet's embeddings differ by ~1e-4
    history, progress = read("tr_history")
    print(f"\nshape task, validation accuracy per epoch: browser {history['val_accuracy']}, "
          f"CPython {shapes_history['val_accuracy']}")
    assert history["val_accuracy"][-1] >= 0.95
    assert [p[0] for p in progress] == list(range(1, 21))
    np.testing.assert_allclose(history["loss"], shapes_history["loss"], rtol=0.05, atol=1e-3)
    classified = read("tr_classified")
    for (image, label), browser in zip(pictures, classified):
        cpython = shapes.classify(image)
        assert browser[0][0] == cpython[0].label
        np.testing.assert_allclose([b[1] for b in browser], [c.confidence for c in cpython], atol=2e-3)

    # the browser's saved files load in CPython: as an ImageClassifier and for more training
    model_json, metadata, weights = read("tr_saved")
    folder = tmp_path / "from_browser"
    folder.mkdir()
    (folder / "model.json").write_text(model_json)
    (folder / "metadata.json").write_text(metadata)
    (folder / "weights.bin").write_bytes(base64.b64decode(weights.split(",", 1)[1]))
    assert json.loads(metadata)["labels"] == ["circle", "square", "triangle"]
    cpython_json = json.loads((tmp_path / "cpython_model" / "model.json").read_text())
    browser_json = json.loads(model_json)
    names = lambda model: sorted(w["name"] for w in model["weightsManifest"][0]["weights"])  # noqa: E731
    assert names(browser_json) == names(cpython_json)  # the same files, whoever wrote them
    assert "head_hidden/kernel" in names(browser_json)
    assert len((folder / "weights.bin").read_bytes()) == len((tmp_path / "cpython_model" / "weights.bin").read_bytes())
    from_browser = ImageClassifier(str(folder))
    reloaded = features.classification()
    reloaded.load(str(folder))
    for image, label in pictures[:6]:
        results = from_browser.classify(image)
        assert results[0].label == label
        assert [r.label for r in reloaded.classify(image)] == [r.label for r in results]
        np.testing.assert_allclose([r.confidence for r in reloaded.classify(image)],
                                   [r.confidence for r in results], rtol=1e-4, atol=1e-5)
    before, after = driver.execute_script("return window.tr_tensors;")
    assert after == before, f"tf.memory().numTensors went from {before} to {after}"

    # CPython's saved model in the browser
    got, labels = read("tr_from_cpython")
    assert labels == ["circle", "square", "triangle"]
    for (image, label), (via_classifier, via_load) in zip(pictures[:3], got):
        cpython = shapes.classify(image)
        for browser in (via_classifier, via_load):
            assert [b[0] for b in browser] == [c.label for c in cpython]
            np.testing.assert_allclose([b[1] for b in browser], [c.confidence for c in cpython], atol=2e-3)

    # errors: the same words as in CPython
    errors = {name: (text, empty) for name, text, empty in read("tr_errors")}
    assert all(empty for _, empty in errors.values())
    assert "not trained yet. Call train()" in errors["untrained"][0]
    assert "no examples yet. Call add_image(image, label)" in errors["empty"][0]
    assert "at least two labels; it only has examples of 'only'" in errors["one class"][0]
    assert "This example has 2 numbers, but the examples added before have 6" in errors["length"][0]
    assert errors["corrupt"][0] and errors["missing"][0]
    assert "metadata.json" in errors["missing"][0]
    assert "use classify(image), not predict(image)" in errors["predict"][0]
    assert "Unknown option 'epoch'" in errors["option"][0]


NAMES_SKETCH = SKETCH_START + """

async def main():
    pets = ImageClassifier("pets")  # a saved folder named without a slash
    results = await pets.classify(load_image("shape0.png"))
    window.tr_pets = JSON.stringify([[r.label, r.confidence] for r in results])
    await ImageClassifier("petz", remember_error("unknown")).ready
    await ImageClassifier("numbers/", remember_error("regression")).ready
    window.tr_errors = JSON.stringify(errors)

    features = FeatureExtractor("MobileNet")
    await features.ready
    response = await fetch("task.json")
    task = await response.json()
    model = features.classification({"epochs": 2, "hidden_units": 8})
    for i in range(len(task.vectors)):
        model.add_image(task.vectors[i], task.labels[i])
    before = tf.memory().numTensors
    await model.train()
    trained = tf.memory().numTensors
    await model.dispose()
    window.tr_tensors = [before, trained, tf.memory().numTensors, model.get_count()]
    print("done")

main()
"""


@pytest.mark.browser
def test_browser_finds_a_folder_by_name_refuses_regression_and_disposes(driver, sites, tmp_path):
    """``ImageClassifier("pets")`` (no slash) loads the folder; a regression model is refused
    with what to do instead; ``dispose()`` frees every tensor the training made."""
    pictures = shape_task(6)
    features = FeatureExtractor("MobileNet")
    pets = features.classification({"epochs": 2})
    numbers = features.regression({"epochs": 1})
    for index, (image, label) in enumerate(pictures):
        embedding = features.infer(image)
        pets.add_image(embedding, label)
        numbers.add_image(embedding, index / 5)
    pets.train()
    numbers.train()
    pets.save(tmp_path / "pets")
    numbers.save(tmp_path / "numbers")
    vectors, labels, _ = plain_data()
    assets = {"shape0.png": png(pictures[0][0]),
              "task.json": json.dumps({"vectors": vectors.tolist(), "labels": labels}).encode()}
    for folder in ["pets", "numbers"]:
        for name in ["model.json", "weights.bin", "metadata.json"]:
            assets[f"{folder}/{name}"] = (tmp_path / folder / name).read_bytes()
    site = sites(NAMES_SKETCH, assets, name="train-names")
    lines = open_page(driver, site.page("wasm"), lines=1)
    assert lines == ["done"], lines
    read = lambda name: json.loads(driver.execute_script(f"return window.{name};"))  # noqa: E731

    browser = read("tr_pets")
    cpython = pets.classify(pictures[0][0])
    assert [b[0] for b in browser] == [c.label for c in cpython]
    np.testing.assert_allclose([b[1] for b in browser], [c.confidence for c in cpython], atol=2e-3)
    errors = {name: (text, empty) for name, text, empty in read("tr_errors")}
    assert all(empty for _, empty in errors.values())
    assert "Unknown model 'petz'. Valid names are: MobileNet" in errors["unknown"][0]
    assert "no folder 'petz/'" in errors["unknown"][0]
    assert "predicts a number (it was saved by features.regression())" in errors["regression"][0]
    assert 'model.load("numbers/") and model.predict(image)' in errors["regression"][0]
    before, trained, after, count = driver.execute_script("return window.tr_tensors;")
    assert trained > before  # the network's variables and Adam's state...
    assert after == before, f"tf.memory().numTensors went from {before} to {after} after dispose()"
    assert count == 0
