"""NeuralNetwork in CPython: ml5.js 1.x's API, learning, data and model files, errors that teach.

The browser half (the same numbers, files across runtimes and with ml5.js 1.4.0) is
``test_neural_network_browser_training.py`` and ``test_neural_network_browser_files.py``; the
maths against references is ``test_neural_network_math.py``.
"""
from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

from ml5py import NeuralNetwork

COLOURS = {"red": (230, 30, 40), "green": (40, 200, 60), "blue": (30, 60, 220)}


def colour_task(count=240, seed=5):
    """Noisy colours of three names: ``[({"r", "g", "b"}, {"colour": name}), ...]``."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        name = list(COLOURS)[index % 3]
        rgb = [min(255, max(0, round(c + rng.gauss(0, 35)))) for c in COLOURS[name]]
        rows.append(({"r": rgb[0], "g": rgb[1], "b": rgb[2]}, {"colour": name}))
    return rows


def colour_network(rows=None, **options):
    nn = NeuralNetwork(task="classification", **options)
    for inputs, outputs in rows or colour_task():
        nn.add_data(inputs, outputs)
    nn.normalize_data()
    return nn


XOR = [([0, 0], ["no"]), ([0, 1], ["yes"]), ([1, 0], ["yes"]), ([1, 1], ["no"])]


# ---------------------------------------------------------------- it learns

def test_learns_xor_to_every_answer_right():
    nn = NeuralNetwork(task="classification")
    for inputs, outputs in XOR:
        nn.add_data(inputs, outputs)
    history = nn.train(epochs=300, batch_size=4, validation_split=0)
    assert history["acc"][-1] == 1.0 and history["val_loss"] == [None] * 300
    assert [nn.classify(inputs)[0]["label"] for inputs, _ in XOR] == ["no", "yes", "yes", "no"]


def test_learns_the_colour_task_and_shuffled_labels_stay_near_chance():
    nn = colour_network()
    epochs = []
    history = nn.train(epochs=15, validation_split=0.3, while_training=lambda epoch, logs: epochs.append(
        [epoch, sorted(logs)]))
    assert epochs[0] == [0, ["acc", "loss", "val_acc", "val_loss"]] and epochs[-1][0] == 14
    assert history["val_acc"][-1] >= 0.95, history["val_acc"]
    assert history["loss"][-1] < history["loss"][0] / 3
    best = nn.classify({"r": 250, "g": 20, "b": 30})
    assert best[0]["label"] == "red" and best[0].confidence > 0.8
    assert [r["confidence"] for r in best] == sorted((r["confidence"] for r in best), reverse=True)
    assert abs(sum(r["confidence"] for r in best) - 1) < 1e-5

    rows = colour_task()
    labels = [outputs for _, outputs in rows]
    random.Random(1).shuffle(labels)
    control = colour_network([(inputs, label) for (inputs, _), label in zip(rows, labels)])
    shuffled = control.train(epochs=15, validation_split=0.3)
    assert shuffled["val_acc"][-1] < 0.55, shuffled["val_acc"]  # chance is 1/3


def test_regression_learns_a_curve_in_the_datas_own_units():
    nn = NeuralNetwork(task="regression", hidden_units=16)
    for x in range(0, 400, 4):
        nn.add_data({"x": x}, {"y": 100 + 0.5 * x})
    nn.normalize_data()
    history = nn.train(epochs=100, batch_size=16)
    assert history["acc"] == [None] * 100 and history["loss"][-1] < 0.01
    result = nn.predict({"x": 200})
    assert result[0]["label"] == "y" and abs(result[0]["value"] - 200) < 15
    assert nn.predict([200])[0].value == result[0]["value"]
    many = nn.predict_multiple([[40], [360]])  # (ml5.js's sigmoid output is shy of its ends)
    assert abs(many[0][0]["value"] - 120) < 15 and abs(many[1][0]["value"] - 280) < 15


def test_training_is_seeded_and_goes_on_from_where_it_stopped():
    first = colour_network().train(epochs=3)
    assert colour_network().train(epochs=3)["loss"] == first["loss"]
    assert colour_network(seed=7).train(epochs=3)["loss"] != first["loss"]
    nn = colour_network()
    nn.train(epochs=2)
    more = nn.train(epochs=1)
    assert more["loss"][0] == pytest.approx(first["loss"][2], rel=1e-6)


def test_images_learn_with_ml5js_default_convolutions():
    rng = np.random.default_rng(0)

    def picture(kind):
        pixels = rng.integers(0, 60, (16, 16, 3)).astype(np.uint8)
        if kind == "across":
            pixels[6:10] = 250
        else:
            pixels[:, 6:10] = 250
        return pixels

    nn = NeuralNetwork(task="imageClassification", inputs=[16, 16, 4])
    for index in range(40):
        kind = "across" if index % 2 else "down"
        nn.add_data({"image": picture(kind)} if index % 4 < 2 else picture(kind), {"label": kind})
    nn.normalize_data()
    history = nn.train(epochs=15, batch_size=8, validation_split=0.2)
    assert history["val_acc"][-1] == 1.0
    assert nn.classify(picture("across"))[0]["label"] == "across"
    assert nn.classify_sync({"image": picture("down")})[0]["label"] == "down"
    with pytest.raises(ValueError, match="the picture is 8x16 pixels, but the network takes 16x16"):
        nn.classify(np.zeros((16, 8, 3), np.uint8))


# ---------------------------------------------------------------- the API as ml5.js has it

def test_inputs_as_dicts_lists_numbers_and_words():
    nn = NeuralNetwork({"task": "classification", "hiddenUnits": 8, "learningRate": 0.5})
    assert nn.options["hidden_units"] == 8 and nn.options["learning_rate"] == 0.5
    for temperature in range(0, 40, 2):
        nn.add_data({"weather": "sunny" if temperature > 20 else "rainy", "temperature": temperature},
                    {"wear": "t-shirt" if temperature > 20 else "coat"})
    nn.normalize_data()
    nn.train(epochs=40, batch_size=8, validation_split=0)
    meta = nn._data.meta
    assert meta["inputUnits"] == [3] and meta["inputs"]["weather"]["legend"] == {"rainy": [1, 0], "sunny": [0, 1]}
    assert nn.classify({"weather": "sunny", "temperature": 30})[0]["label"] == "t-shirt"
    assert nn.classify(["rainy", 2])[0]["label"] == "coat"  # by position, in the names' order
    with pytest.raises(ValueError, match="'weather' is 'snowy', which the network never saw in add_data; "
                                         "it knows rainy, sunny"):
        nn.classify({"weather": "snowy", "temperature": 3})

    numbers = NeuralNetwork(task="regression")
    for x in range(10):
        numbers.add_data(x, x * 2)  # one number in, one out: ml5.js names them "0"
    numbers.train(epochs=2)
    assert list(numbers._data.meta["inputs"]) == ["0"] and list(numbers._data.meta["outputs"]) == ["0"]
    assert len(numbers.predict(3)) == 1


def test_names_from_options_and_results_of_many():
    nn = NeuralNetwork(task="classification", inputs=["r", "g", "b"], outputs=["colour"])
    for inputs, outputs in colour_task(90):
        nn.add_data([inputs["r"], inputs["g"], inputs["b"]], [outputs["colour"]])
    nn.normalize_data()
    nn.train(epochs=10)
    assert nn._data.input_names == ["r", "g", "b"] and nn._data.output_names == ["colour"]
    many = nn.classify_multiple([[240, 10, 10], {"r": 10, "g": 10, "b": 240}])
    assert [results[0]["label"] for results in many] == ["red", "blue"]
    assert nn.classify_sync([240, 10, 10]) == many[0]
    got = []
    nn.classify([240, 10, 10], lambda results, error: got.append((results, error)))
    assert got == [(many[0], None)]


def test_ml5js_positional_forms_of_train():
    nn = colour_network(colour_task(60))
    seen = []
    done = []
    nn.train({"epochs": 2}, lambda epoch, logs: seen.append(epoch), lambda history, error: done.append(error))
    nn.train({"epochs": 1}, lambda history, error: done.append(history["loss"]))
    nn.train(lambda history, error: done.append(len(history["loss"])))
    assert seen == [0, 1] and done[0] is None and len(done[1]) == 1 and done[2] == 10


def test_dispose_frees_the_network_and_keeps_the_data():
    nn = colour_network(colour_task(60))
    nn.train(epochs=1)
    nn.dispose()
    with pytest.raises(ValueError, match="not trained yet"):
        nn.classify([1, 2, 3])
    assert len(nn.train(epochs=2)["loss"]) == 2


# ---------------------------------------------------------------- errors that teach

def test_errors_say_what_to_do():
    nn = NeuralNetwork(task="classification")
    with pytest.raises(ValueError, match=r"has no data yet. Call add_data\(inputs, outputs\)"):
        nn.train()
    with pytest.raises(ValueError, match=r"not trained yet. Call train\(\)"):
        nn.classify([1, 2])
    nn.add_data([1, 2], ["cat"])
    nn.add_data([3, 4], ["cat"])
    with pytest.raises(ValueError, match="at least two labels; all examples are 'cat'"):
        nn.train()
    with pytest.raises(ValueError, match=r"add_data got 3 inputs \[1, 2, 3\] but the examples before had 2"):
        nn.add_data([1, 2, 3], ["dog"])
    with pytest.raises(TypeError, match=r"'1' is a word \('big'\), but in the examples before it was a number"):
        nn.add_data([1, "big"], ["dog"])
    with pytest.raises(TypeError, match="'0' is None; a value is a number, a word"):
        nn.add_data([None, 1], ["dog"])
    with pytest.raises(ValueError, match="'0' is nan; use finite numbers"):
        nn.add_data([float("nan"), 1], ["dog"])
    nn.add_data([5, 6], ["dog"])
    nn.train(epochs=1)
    with pytest.raises(ValueError, match=r"classify got 3 inputs, but the network takes 2 \(0, 1\)"):
        nn.classify([1, 2, 3])
    with pytest.raises(TypeError, match="'1' is 'x'; the network was trained on numbers there"):
        nn.classify([1, "x"])
    with pytest.raises(ValueError, match=r"is a classifier: use classify\(...\), not predict"):
        nn.predict([1, 2])
    with pytest.raises(ValueError, match="takes a list of examples"):
        nn.classify_multiple(5)

    named = NeuralNetwork()
    named.add_data({"x": 1, "y": 2}, {"label": "a"})
    with pytest.raises(ValueError, match="should be named x, y; missing: y; unknown: z"):
        named.add_data({"x": 1, "z": 2}, {"label": "b"})

    numbers = NeuralNetwork(task="regression")
    numbers.add_data([1], ["red"])
    with pytest.raises(ValueError, match="A regression network predicts numbers, but the output '0' is 'red'"):
        numbers.train()

    counted = NeuralNetwork(inputs=3, outputs=1)
    with pytest.raises(ValueError, match=r"made with inputs=3, but add_data got 2 inputs \(0, 1\)"):
        counted.add_data([1, 2], [3])
    counted.add_data([1, 2, 3], [4])
    named = NeuralNetwork(inputs=["x", "y"], outputs=["label"])
    with pytest.raises(ValueError, match=r"add_data got 3 inputs \[1, 2, 3\] but the inputs option names 2"):
        named.add_data([1, 2, 3], ["a"])


def test_options_are_checked():
    with pytest.raises(ValueError, match="Unknown option 'epoch'. NeuralNetwork's options are: task"):
        NeuralNetwork({"task": "regression", "epoch": 3})
    with pytest.raises(ValueError, match="Unknown task 'clasification'. NeuralNetwork's tasks are"):
        NeuralNetwork(task="clasification")
    with pytest.raises(ValueError, match=r"inputs=\[width, height, channels\], such as \[64, 64, 4\]"):
        NeuralNetwork(task="imageClassification", inputs=3)
    with pytest.raises(ValueError, match="learning_rate is how big each training step is"):
        NeuralNetwork(learning_rate=0)
    nn = colour_network(colour_task(30), layers=[{"type": "dense", "units": 4, "activation": "swish"},
                                                 {"type": "dense"}])
    with pytest.raises(ValueError, match="activation 'swish'; ml5py knows linear, relu, sigmoid, tanh, softmax"):
        nn.train()
    nn = colour_network(colour_task(30), layers=[{"type": "dropout", "rate": 0.2}, {"type": "dense"}])
    with pytest.raises(ValueError, match="type dropout; ml5py's NeuralNetwork knows the layer types dense, conv2d"):
        nn.train()
    nn = colour_network(colour_task(30), layers=[{"type": "conv2d", "filters": 2, "kernelSize": 3},
                                                 {"type": "dense"}])
    with pytest.raises(ValueError, match="conv2d, which reads pictures"):
        nn.train()
    nn = colour_network(colour_task(30), layers=[{"type": "dense", "units": 4}, {"type": "dense", "units": 2}])
    with pytest.raises(ValueError, match="The last layer has 2 units, but the data have 3 outputs"):
        nn.train()
    with pytest.raises(ValueError, match="validation_split is the share"):
        colour_network(colour_task(30)).train(validation_split=1)


def test_unnormalized_data_of_different_scales_is_a_warning_that_says_normalize_data():
    nn = NeuralNetwork(task="classification")
    for index in range(20):
        nn.add_data({"pixels": index * 30, "ratio": index % 2 / 10}, {"label": str(index % 2)})
    with pytest.warns(UserWarning, match=r"very different ranges \('pixels' spans 570, 'ratio' only 0.1\).*"
                                         r"Call normalize_data\(\) before train\(\)"):
        nn.train(epochs=1)
    nn.normalize_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.train(epochs=1)


def test_a_loss_that_blows_up_stops_training_with_advice():
    nn = NeuralNetwork(task="regression", learning_rate=1e6)
    for x in range(20):
        nn.add_data([x * 1e18], [x * 1e19])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match=r"the loss is (nan|inf).*normalize_data\(\)"):
            nn.train(epochs=30)
