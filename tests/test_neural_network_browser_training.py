"""NeuralNetwork in the browser (TF.js) against CPython (numpy), training:

- one wasm page trains the colour task (>= 95% validation accuracy; and its shuffled-label
  control near chance), XOR (every answer right), a regression and a small convolutional
  network, with the same per-epoch losses as CPython (rtol 1e-4), the same answers, the
  same errors and warnings, and no tensor left behind;
- a webgl page gives the same losses too.
"""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from conftest import open_page
from ml5py import NeuralNetwork
from neural_network_browser_helpers import PROBES, SKETCH_START
from test_neural_network import XOR, colour_network, colour_task

TOLERANCE = {"rtol": 1e-4, "atol": 1e-6}

TRAIN_SKETCH = SKETCH_START + """

async def main():
    task = await load_task()
    before = tf.memory().numTensors
    out = {}
    colours = NeuralNetwork(task="classification")
    for row in task.colours:
        colours.add_data(row[0], row[1])
    colours.normalize_data()
    history = await colours.train(epochs=15, validation_split=0.3)
    found = await answers(colours, task.probes)
    out["colours"] = [history, found, summary(colours.classify_sync(task.probes[0]))]
    control = NeuralNetwork(task="classification")
    for row in task.shuffled:
        control.add_data(row[0], row[1])
    control.normalize_data()
    history = await control.train(epochs=15, validation_split=0.3)
    out["shuffled"] = history
    xor = NeuralNetwork(task="classification")
    for row in task.xor:
        xor.add_data(row[0], row[1])
    history = await xor.train(epochs=300, batch_size=4, validation_split=0)
    found = await answers(xor, task.xor_inputs)
    out["xor"] = [history, found]
    curve = NeuralNetwork(task="regression")
    for row in task.curve:
        curve.add_data(row[0], row[1])
    curve.normalize_data()
    history = await curve.train(epochs=20, batch_size=16)
    predicted = await curve.predict({"x": 200})
    out["curve"] = [history, predicted[0].value]
    pictures = NeuralNetwork(task="imageClassification", inputs=[16, 16, 4])
    for row in task.pictures:
        pictures.add_data({"image": row[0]}, {"label": row[1]})
    pictures.normalize_data()
    history = await pictures.train(epochs=4, batch_size=8, validation_split=0.25)
    results = await pictures.classify(task.pictures[0][0])
    canvas = document.createElement("canvas")       # the same picture, drawn on a canvas
    canvas.width = 16
    canvas.height = 16
    pixels = canvas.getContext("2d").createImageData(16, 16)
    pixels.data.set(task.pictures[0][0])
    canvas.getContext("2d").putImageData(pixels, 0, 0)
    drawn = await pictures.classify(canvas)
    small = document.createElement("canvas")
    small.width = 8
    small.height = 16
    await pictures.classify(small, lambda result, error: out.__setitem__("small", str(error)))
    out["pictures"] = [history, summary(results), summary(drawn)]
    for nn in [colours, control, xor, curve, pictures]:
        await nn.dispose()
    out["tensors"] = [before, tf.memory().numTensors]

    errors = []

    def caught(name, work):
        try:
            work()
            errors.append([name, None])
        except Exception as error:
            errors.append([name, str(error)])

    def remember(name):
        def got(result, error):
            errors.append([name, str(error) if error else None])
        return got

    fresh = NeuralNetwork(task="classification")
    await fresh.train(callback=remember("no data"))
    await fresh.classify([1, 2], remember("untrained"))
    fresh.add_data([1, 2], ["cat"])
    fresh.add_data([3, 4], ["cat"])
    await fresh.train(callback=remember("one label"))
    caught("length", lambda: fresh.add_data([1, 2, 3], ["dog"]))
    caught("kind", lambda: fresh.add_data([1, "big"], ["dog"]))
    fresh.add_data([5, 6], ["dog"])
    await fresh.train(epochs=1)
    await fresh.classify([1, 2, 3], remember("classify length"))
    await fresh.predict([1, 2], remember("predict a classifier"))
    words = NeuralNetwork(task="classification")
    words.add_data({"weather": "sunny", "t": 1}, {"wear": "shirt"})
    words.add_data({"weather": "rainy", "t": 2}, {"wear": "coat"})
    await words.train(epochs=1)
    await words.classify({"weather": "snowy", "t": 3}, remember("unknown word"))
    numbers = NeuralNetwork(task="regression")
    numbers.add_data([1], ["red"])
    await numbers.train(callback=remember("regression label"))
    caught("option", lambda: NeuralNetwork({"task": "regression", "epoch": 3}))
    scales = NeuralNetwork(task="classification")
    for index in range(20):
        scales.add_data({"pixels": index * 30, "ratio": index % 2 / 10}, {"label": str(index % 2)})
    await scales.train(epochs=1)
    out["errors"] = errors
    out["warnings"] = window.nn_warnings
    window.nn_out = JSON.stringify(out)
    print("done")

main()
"""


def pictures_task():
    rng = np.random.default_rng(0)
    rows = []
    for index in range(24):
        kind = "across" if index % 2 else "down"
        pixels = rng.integers(0, 60, (16, 16, 4)).astype(np.float64)
        pixels[..., 3] = 255
        if kind == "across":
            pixels[6:10, :, :3] = 250
        else:
            pixels[:, 6:10, :3] = 250
        rows.append([pixels.ravel().tolist(), kind])
    return rows


def shuffled_colours():
    rows = colour_task()
    labels = [outputs for _, outputs in rows]
    random.Random(1).shuffle(labels)
    return [(inputs, label) for (inputs, _), label in zip(rows, labels)]


def curve_task():
    return [[{"x": x}, {"y": 100 + 0.5 * x}] for x in range(0, 400, 4)]


def the_task():
    return {"colours": colour_task(), "shuffled": shuffled_colours(), "probes": PROBES,
            "xor": [list(row) for row in XOR], "xor_inputs": [row[0] for row in XOR], "curve": curve_task(),
            "pictures": pictures_task()}


def cpython_runs():
    """The same training in CPython: {name: [history, ...]}."""
    colours = colour_network()
    runs = {"colours": [colours.train(epochs=15, validation_split=0.3),
                        [[[r.label, r.confidence] for r in colours.classify(p)] for p in PROBES]]}
    runs["shuffled"] = colour_network(shuffled_colours()).train(epochs=15, validation_split=0.3)
    xor = NeuralNetwork(task="classification")
    for inputs, outputs in XOR:
        xor.add_data(inputs, outputs)
    runs["xor"] = xor.train(epochs=300, batch_size=4, validation_split=0)
    curve = NeuralNetwork(task="regression")
    for inputs, outputs in curve_task():
        curve.add_data(inputs, outputs)
    curve.normalize_data()
    runs["curve"] = [curve.train(epochs=20, batch_size=16), curve.predict({"x": 200})[0].value]
    pictures = NeuralNetwork(task="imageClassification", inputs=[16, 16, 4])
    rows = pictures_task()
    for pixels, label in rows:
        pictures.add_data({"image": pixels}, {"label": label})
    pictures.normalize_data()
    runs["pictures"] = [pictures.train(epochs=4, batch_size=8, validation_split=0.25),
                        [[r.label, r.confidence] for r in pictures.classify(rows[0][0])]]
    return runs


def same_history(browser, cpython, name):
    for key in ["loss", "val_loss", "acc", "val_acc"]:
        if cpython[key][0] is None:
            assert browser[key] == cpython[key], (name, key)
        else:
            np.testing.assert_allclose(browser[key], cpython[key], err_msg=f"{name} {key}", **TOLERANCE)


def same_answers(browser, cpython):
    assert [[label for label, _ in one] for one in browser] == [[label for label, _ in one] for one in cpython]
    np.testing.assert_allclose([[c for _, c in one] for one in browser], [[c for _, c in one] for one in cpython],
                               **TOLERANCE)


@pytest.fixture(scope="module")
def cpython():
    return cpython_runs()


@pytest.mark.browser
def test_browser_learns_like_cpython_with_the_same_losses_errors_and_no_leaks(driver, sites, cpython):
    site = sites(TRAIN_SKETCH, {"task.json": json.dumps(the_task()).encode()}, name="nn-train")
    assert open_page(driver, site.page("wasm"), lines=1, timeout=400) == ["done"]
    out = json.loads(driver.execute_script("return window.nn_out"))
    history, found, sync = out["colours"]
    same_history(history, cpython["colours"][0], "colours")
    assert history["val_acc"][-1] >= 0.95
    same_answers(found, cpython["colours"][1])
    assert sync == found[0]
    same_history(out["shuffled"], cpython["shuffled"], "shuffled")
    assert out["shuffled"]["val_acc"][-1] < 0.55
    same_history(out["xor"][0], cpython["xor"], "xor")
    assert [one[0][0] for one in out["xor"][1]] == ["no", "yes", "yes", "no"]
    same_history(out["curve"][0], cpython["curve"][0], "curve")
    assert out["curve"][1] == pytest.approx(cpython["curve"][1], rel=1e-4)
    same_history(out["pictures"][0], cpython["pictures"][0], "pictures")
    same_answers([out["pictures"][1], out["pictures"][2]], [cpython["pictures"][1], cpython["pictures"][1]])
    assert "the picture is 8x16 pixels, but the network takes 16x16" in out["small"]
    assert out["tensors"][1] == out["tensors"][0], out["tensors"]

    errors = dict(out["errors"])
    expected = {}
    fresh = NeuralNetwork(task="classification")
    for name, work in [("no data", fresh.train), ("untrained", lambda: fresh.classify([1, 2]))]:
        with pytest.raises(Exception) as caught:
            work()
        expected[name] = str(caught.value)
    fresh.add_data([1, 2], ["cat"])
    fresh.add_data([3, 4], ["cat"])
    for name, work in [("one label", fresh.train), ("length", lambda: fresh.add_data([1, 2, 3], ["dog"])),
                       ("kind", lambda: fresh.add_data([1, "big"], ["dog"]))]:
        with pytest.raises(Exception) as caught:
            work()
        expected[name] = str(caught.value)
    for name in expected:
        assert errors[name] == expected[name], name
    assert "classify got 3 inputs, but the network takes 2 (0, 1)" in errors["classify length"]
    assert "is a classifier: use classify(...), not predict(...)" in errors["predict a classifier"]
    assert "'weather' is 'snowy', which the network never saw in add_data; it knows sunny, rainy" in \
        errors["unknown word"]
    assert "A regression network predicts numbers, but the output '0' is 'red'" in errors["regression label"]
    assert errors["option"].startswith("Unknown option 'epoch'.")
    assert len(out["warnings"]) == 1 and "very different ranges ('pixels' spans 570, 'ratio' only 0.1)" in \
        out["warnings"][0] and "normalize_data()" in out["warnings"][0]


WEBGL_SKETCH = SKETCH_START + """

async def main():
    task = await load_task()
    colours = NeuralNetwork(task="classification")
    for row in task.colours:
        colours.add_data(row[0], row[1])
    colours.normalize_data()
    curve = NeuralNetwork(task="regression")
    for row in task.curve:
        curve.add_data(row[0], row[1])
    curve.normalize_data()
    first = await colours.train(epochs=3, validation_split=0.3)
    second = await curve.train(epochs=3, batch_size=16)
    window.nn_out = JSON.stringify([first, second, tf.getBackend()])
    print("done")

main()
"""


@pytest.mark.browser
def test_webgl_gives_the_same_losses(driver, sites):
    task = {"colours": colour_task(), "curve": curve_task()}
    site = sites(WEBGL_SKETCH, {"task.json": json.dumps(task).encode()}, name="nn-webgl")
    assert open_page(driver, site.page("webgl"), lines=1, timeout=400) == ["done"]
    colours, curve, backend = json.loads(driver.execute_script("return window.nn_out"))
    assert backend == "webgl"
    same_history(colours, colour_network().train(epochs=3, validation_split=0.3), "colours")
    nn = NeuralNetwork(task="regression")
    for inputs, outputs in curve_task():
        nn.add_data(inputs, outputs)
    nn.normalize_data()
    same_history(curve, nn.train(epochs=3, batch_size=16), "curve")
