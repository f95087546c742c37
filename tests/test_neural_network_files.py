"""NeuralNetwork's files in CPython: models as ml5.js 1.x saves them, data as JSON and CSV.

Models travelling between runtimes and with ml5.js 1.4.0 itself are in
``test_neural_network_browser_files.py``.
"""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from ml5py import NeuralNetwork
from test_neural_network import colour_network, colour_task

PROBES = [[240, 20, 30], [20, 220, 40], [30, 50, 230], [128, 128, 128]]


def answers(nn):
    return [[(r["label"], r["confidence"]) for r in nn.classify(probe)] for probe in PROBES]


@pytest.fixture(scope="module")
def trained():
    nn = colour_network(colour_task(120))
    nn.train(epochs=5)
    return nn


def test_save_writes_ml5js_files_and_load_brings_the_same_answers_back(trained, tmp_path):
    files = trained.save(tmp_path / "colours")
    assert sorted(os.listdir(tmp_path / "colours")) == ["model.json", "model.weights.bin", "model_meta.json"]
    assert set(files) == {"model.json", "model_meta.json", "model.weights.bin"}
    model = json.loads((tmp_path / "colours" / "model.json").read_text())
    layers = model["modelTopology"]["config"]["layers"]
    assert [layer["config"]["name"] for layer in layers] == ["dense_Dense1", "dense_Dense2"]
    assert layers[0]["config"]["batch_input_shape"] == [None, 3] and layers[1]["config"]["activation"] == "softmax"
    assert model["weightsManifest"][0]["paths"] == ["./model.weights.bin"]
    assert os.path.getsize(tmp_path / "colours" / "model.weights.bin") == 4 * (3 * 16 + 16 + 16 * 3 + 3)
    meta = json.loads((tmp_path / "colours" / "model_meta.json").read_text())
    assert meta["inputUnits"] == [3] and meta["outputUnits"] == 3 and meta["isNormalized"] is True
    assert meta["outputs"]["colour"]["legend"]["green"] == [0, 1, 0] and meta["ml5py"] == {"task": "classification"}

    expected = answers(trained)
    for location in [tmp_path / "colours", str(tmp_path / "colours") + "/",
                     str(tmp_path / "colours" / "model.json"),
                     {"model": str(tmp_path / "colours" / "model.json"),
                      "metadata": str(tmp_path / "colours" / "model_meta.json"),
                      "weights": str(tmp_path / "colours" / "model.weights.bin")}]:
        loaded = NeuralNetwork()
        assert loaded.load(location) is loaded
        assert answers(loaded) == expected, location
    loaded = NeuralNetwork(task="classification")
    loaded.load(tmp_path / "colours")
    for inputs, outputs in colour_task(30):
        loaded.add_data(inputs, outputs)
    assert len(loaded.train(epochs=2)["loss"]) == 2  # trains on from the loaded weights and metadata
    with pytest.raises(ValueError, match="saved for classification, but this NeuralNetwork is for regression"):
        NeuralNetwork(task="regression").load(tmp_path / "colours")


def test_model_url_data_url_and_the_ready_callback(trained, tmp_path, capsys):
    trained.save(tmp_path / "colours")
    got = []
    nn = NeuralNetwork(model_url=str(tmp_path / "colours"), callback=lambda ready, error: got.append((ready, error)))
    assert got == [(nn, None)] and answers(nn) == answers(trained)
    trained.save_data(str(tmp_path / "colours.json"))
    with_data = NeuralNetwork({"dataUrl": str(tmp_path / "colours.json"), "task": "classification", "debug": True})
    assert with_data._data.rows == trained._data.rows
    with_data.normalize_data()
    with_data.train(epochs=1)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "NeuralNetwork (classification, sgd, learning rate 0.2), 115 weights:"
    assert printed[1] == "  dense_Dense1: dense [3] -> [16] activation=relu use_bias=True"
    assert printed[3].startswith("epoch 0: loss ")
    failed = []
    NeuralNetwork(model_url=str(tmp_path / "nowhere"), callback=lambda ready, error: failed.append(error))
    assert "There is no model.json" in str(failed[0])


def ml5js_files(folder, name="mymodel"):
    """A model as ml5.js 1.x writes it (saveBlob of name.json, name_meta.json, name.weights.bin)."""
    rng = np.random.default_rng(3)
    kernel1, bias1 = rng.normal(size=(2, 4)).astype(np.float32), rng.normal(size=4).astype(np.float32)
    kernel2, bias2 = rng.normal(size=(4, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32)
    dense = {"units": 4, "activation": "relu", "use_bias": True, "kernel_initializer": {
        "class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal",
                                                    "seed": None}}, "name": "dense_Dense3", "trainable": True,
        "batch_input_shape": [None, 2], "dtype": "float32"}
    out = {"units": 2, "activation": "softmax", "use_bias": True, "name": "dense_Dense4", "trainable": True}
    model = {"modelTopology": {"class_name": "Sequential", "config": {"name": "sequential_2", "layers": [
        {"class_name": "Dense", "config": dense}, {"class_name": "Dense", "config": out}]},
        "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"},
        "weightsManifest": [{"paths": [f"./{name}.weights.bin"], "weights": [
            {"name": "dense_Dense3/kernel", "shape": [2, 4], "dtype": "float32"},
            {"name": "dense_Dense3/bias", "shape": [4], "dtype": "float32"},
            {"name": "dense_Dense4/kernel", "shape": [4, 2], "dtype": "float32"},
            {"name": "dense_Dense4/bias", "shape": [2], "dtype": "float32"}]}]}
    meta = {"inputUnits": [2], "outputUnits": 2, "isNormalized": True,
            "inputs": {"0": {"dtype": "number", "min": 0, "max": 10}, "1": {"dtype": "number", "min": -5, "max": 5}},
            "outputs": {"0": {"dtype": "string", "min": 0, "max": 1, "uniqueValues": ["up", "down"],
                              "legend": {"up": [1, 0], "down": [0, 1]}}}}
    folder.mkdir()
    (folder / f"{name}.json").write_text(json.dumps(model))
    (folder / f"{name}_meta.json").write_text(json.dumps(meta))
    (folder / f"{name}.weights.bin").write_bytes(b"".join(a.tobytes() for a in (kernel1, bias1, kernel2, bias2)))
    return kernel1, bias1, kernel2, bias2


def test_loads_a_model_ml5js_saved(tmp_path):
    kernel1, bias1, kernel2, bias2 = ml5js_files(tmp_path / "ml5js")
    nn = NeuralNetwork()
    nn.load(str(tmp_path / "ml5js" / "mymodel.json"))
    x = np.array([(7 - 0) / 10, (1 + 5) / 10], np.float32)  # normalized as ml5.js does
    logits = np.maximum(x @ kernel1 + bias1, 0) @ kernel2 + bias2
    probabilities = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    results = nn.classify([7, 1])
    by_label = {r["label"]: r["confidence"] for r in results}
    assert by_label == pytest.approx({"up": probabilities[0], "down": probabilities[1]}, abs=1e-6)
    assert results[0]["confidence"] >= results[1]["confidence"]


def test_damaged_or_mismatched_files_are_clear_errors(trained, tmp_path):
    trained.save(tmp_path / "good")
    (tmp_path / "bad").mkdir()
    for name in ["model.json", "model_meta.json", "model.weights.bin"]:
        (tmp_path / "bad" / name).write_bytes((tmp_path / "good" / name).read_bytes())
    bad = tmp_path / "bad"
    with pytest.raises(FileNotFoundError, match="There is no model.json at '.*nowhere/model.json'"):
        NeuralNetwork().load(tmp_path / "nowhere")
    (bad / "model.weights.bin").write_bytes((tmp_path / "good" / "model.weights.bin").read_bytes()[:-8])
    with pytest.raises(ValueError, match=r"holds 452 bytes where the model needs 460: it is damaged"):
        NeuralNetwork().load(bad)
    (bad / "model.weights.bin").write_bytes((tmp_path / "good" / "model.weights.bin").read_bytes())
    meta = json.loads((bad / "model_meta.json").read_text())
    meta["inputUnits"] = [4]
    (bad / "model_meta.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="describes 4 inputs and 3 outputs, but the model takes 3 and gives 3: "
                                         "the files belong to different models"):
        NeuralNetwork().load(bad)
    (bad / "model_meta.json").write_text("{not json")
    with pytest.raises(ValueError, match="model_meta.json' is not valid JSON"):
        NeuralNetwork().load(bad)
    (bad / "model_meta.json").unlink()
    with pytest.raises(FileNotFoundError, match="There is no model_meta.json"):
        NeuralNetwork().load(bad)
    (bad / "model_meta.json").write_bytes((tmp_path / "good" / "model_meta.json").read_bytes())
    model = json.loads((tmp_path / "good" / "model.json").read_text())
    model["modelTopology"]["config"]["layers"][0]["class_name"] = "Dropout"
    (bad / "model.json").write_text(json.dumps(model))
    with pytest.raises(ValueError, match="has a Dropout layer; ml5py's NeuralNetwork loads models made of Dense"):
        NeuralNetwork().load(bad)
    with pytest.raises(TypeError, match="load.. takes the folder .* got a int"):
        NeuralNetwork().load(3)


def test_a_failed_save_keeps_the_old_files_and_other_folders_are_left_alone(trained, tmp_path, monkeypatch):
    import ml5py.core.safe_save as saved_folders  # (where the files are written)

    trained.save(tmp_path / "model")
    before = {name: (tmp_path / "model" / name).read_bytes() for name in os.listdir(tmp_path / "model")}
    calls = []

    def failing_fsync(number):
        calls.append(number)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(saved_folders.os, "fsync", failing_fsync)
    other = colour_network(colour_task(60), seed=9)
    other.train(epochs=1)
    with pytest.raises(OSError, match="disk full"):
        other.save(tmp_path / "model")
    monkeypatch.undo()
    assert {name: (tmp_path / "model" / name).read_bytes() for name in os.listdir(tmp_path / "model")} == before
    assert sorted(os.listdir(tmp_path)) == ["model"]  # no temporary folder left behind

    (tmp_path / "sketch").mkdir()
    (tmp_path / "sketch" / "sketch.py").write_text("print('mine')")
    with pytest.raises(FileExistsError, match=r"it holds files that are not a saved model \(sketch.py\)"):
        trained.save(tmp_path / "sketch")
    assert os.listdir(tmp_path / "sketch") == ["sketch.py"]
    with pytest.raises(ValueError, match=r"nothing to save yet: train\(\) the network"):
        NeuralNetwork().save(tmp_path / "empty")


def test_save_data_and_load_data_in_ml5js_json_and_in_csv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nn = NeuralNetwork(task="classification")
    nn.add_data({"weather": "sunny, warm", "temperature": 25.5}, {"wear": "t-shirt"})
    nn.add_data({"weather": "rain", "temperature": 3}, {"wear": "coat"})
    nn.add_data({"weather": "12", "temperature": -1e-3}, {"wear": "coat"})
    assert nn.save_data("clothes") == "clothes.json"
    data = json.loads((tmp_path / "clothes.json").read_text())
    assert data == {"data": [{"xs": {"weather": "sunny, warm", "temperature": 25.5}, "ys": {"wear": "t-shirt"}},
                             {"xs": {"weather": "rain", "temperature": 3}, "ys": {"wear": "coat"}},
                             {"xs": {"weather": "12", "temperature": -0.001}, "ys": {"wear": "coat"}}]}
    again = NeuralNetwork(task="classification")
    again.load_data("clothes.json")
    assert again._data.rows == nn._data.rows
    nn.save_data("clothes.csv")
    text = (tmp_path / "clothes.csv").read_text()
    assert text == 'weather,temperature,wear\n"sunny, warm",25.5,t-shirt\nrain,3,coat\n"12",-0.001,coat\n'
    from_csv = NeuralNetwork(task="classification", outputs=["wear"])
    from_csv.load_data("clothes.csv")
    assert from_csv._data.rows == nn._data.rows
    from_csv.train(epochs=1)
    with pytest.raises(ValueError, match=r"Which columns of clothes.csv are inputs and which are outputs\? .* "
                                         "Its columns are: weather, temperature, wear"):
        NeuralNetwork().load_data("clothes.csv")
    with pytest.raises(ValueError, match="clothes.csv has no column 'colour'"):
        NeuralNetwork().load_data("clothes.csv", outputs=["colour"])
    (tmp_path / "ragged.csv").write_text("a,b\n1,2\n3\n")
    with pytest.raises(ValueError, match="line 3 has 1 values but the header has 2 columns"):
        NeuralNetwork().load_data("ragged.csv", outputs=["b"])
    rows = NeuralNetwork(inputs=["r", "g"])
    rows.load_data({"entries": [{"r": 1, "g": 2, "label": "x"}, {"r": 3, "g": 4, "label": "y"}]})
    assert rows._data.rows == [{"xs": {"r": 1, "g": 2}, "ys": {"label": "x"}},
                               {"xs": {"r": 3, "g": 4}, "ys": {"label": "y"}}]
    with pytest.raises(ValueError, match="holds no examples"):
        NeuralNetwork().load_data({"something": 1})
    with pytest.raises(FileNotFoundError, match="There is no file 'missing.json'"):
        NeuralNetwork().load_data("missing.json")
