"""Trainable heads in CPython: the numpy trainer's maths, learning a made-up task, saving a
model that ImageClassifier loads, loading it back, and the errors a learner can meet."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Tuple

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ml5py import FeatureExtractor, ImageClassifier
from ml5py.models.feature_extractor.head_numpy import Adam, DenseHead
from ml5py.core.seeded import SeededRandom, initial_weights
from ml5py.models.feature_extractor.trainable_options import DEFAULTS

SHAPES = ["circle", "square", "triangle"]


def shape_image(kind: str, rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """A dark shape of a random colour, size and place on a light random background."""
    background = tuple(int(c) for c in rng.integers(190, 256, 3))
    colour = tuple(int(c) for c in rng.integers(0, 150, 3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    side = int(rng.integers(26, 40))
    x, y = (int(v) for v in rng.integers(4, size - side - 4, 2))
    if kind == "circle":
        draw.ellipse([x, y, x + side, y + side], fill=colour)
    elif kind == "square":
        draw.rectangle([x, y, x + side, y + side], fill=colour)
    else:
        draw.polygon([(x, y + side), (x + side, y + side), (x + side // 2, y)], fill=colour)
    return np.asarray(image)


def shape_task(count: int = 30, seed: int = 7) -> List[Tuple[np.ndarray, str]]:
    """``count`` pictures of circles, squares and triangles (in turn), with their labels."""
    rng = np.random.default_rng(seed)
    return [(shape_image(SHAPES[i % 3], rng), SHAPES[i % 3]) for i in range(count)]


@pytest.fixture(scope="module")
def features() -> FeatureExtractor:
    return FeatureExtractor("MobileNet")


@pytest.fixture(scope="module")
def task(features):
    """The shape task's pictures, labels and embeddings (computed once)."""
    pictures = shape_task()
    return {"images": [p for p, _ in pictures], "labels": [label for _, label in pictures],
            "embeddings": [features.infer(p) for p, _ in pictures]}


@pytest.fixture(scope="module")
def trained(features, task):
    """A classifier trained on the shape task from its pictures, with what train() reported."""
    model = features.classification()
    for image, label in zip(task["images"], task["labels"]):
        model.add_image(image, label)
    progress = []
    history = model.train(on_progress=lambda epoch, loss, val_loss, logs: progress.append(
        (epoch, loss, val_loss, dict(logs))))
    return model, history, progress


# ---------------------------------------------------------------- the numpy trainer's maths

def numeric_gradient(head: DenseHead, x, targets, index: int, step: float = 1e-6) -> np.ndarray:
    param = head.params[index]
    gradient = np.zeros_like(param)
    for position in np.ndindex(param.shape):
        keep = param[position]
        param[position] = keep + step
        up = head.evaluate(x, targets)[0]
        param[position] = keep - step
        down = head.evaluate(x, targets)[0]
        param[position] = keep
        gradient[position] = (up - down) / (2 * step)
    return gradient


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_gradients_match_finite_differences(kind):
    rng = np.random.default_rng(3)
    sizes = [5, 4, 3 if kind == "classification" else 1]
    weights = [rng.normal(size=(5, 4)), rng.normal(size=4) * 0.1, rng.normal(size=(4, sizes[2])),
               rng.normal(size=sizes[2])]
    head = DenseHead(weights, kind, 0.01, dtype=np.float64)
    x = rng.normal(size=(6, 5))
    targets = rng.integers(3, size=6) if kind == "classification" else rng.normal(size=6)
    _, grads, _ = head.loss_and_gradients(x, targets)
    for index in range(4):
        np.testing.assert_allclose(grads[index], numeric_gradient(head, x, targets, index),
                                   rtol=1e-5, atol=1e-7)


def test_adam_matches_a_hand_written_reference():
    rng = np.random.default_rng(5)
    param = rng.normal(size=(3, 2)).astype(np.float32)
    expected = param.astype(np.float64)
    m = np.zeros((3, 2))
    v = np.zeros((3, 2))
    adam = Adam(0.01)
    for step in range(1, 6):
        grad = rng.normal(size=(3, 2)).astype(np.float32)
        adam.step([param], [grad])
        for i in range(3):  # the update rule written out, one number at a time
            for j in range(2):
                g = float(grad[i, j])
                m[i, j] = 0.9 * m[i, j] + 0.1 * g
                v[i, j] = 0.999 * v[i, j] + 0.001 * g * g
                m_hat = m[i, j] / (1 - 0.9 ** step)
                v_hat = v[i, j] / (1 - 0.999 ** step)
                expected[i, j] -= 0.01 * m_hat / (np.sqrt(v_hat) + 1e-7)
        np.testing.assert_allclose(param, expected, rtol=1e-5, atol=1e-6)


def test_seeded_start_split_and_shuffle_are_reproducible():
    first = initial_weights([768, 100, 3], 42)
    assert [len(w) for w in first] == [76800, 100, 300, 3]
    assert first == initial_weights([768, 100, 3], 42)
    assert first[0] != initial_weights([768, 100, 3], 43)[0]
    limit = (6 / (768 + 100)) ** 0.5
    assert max(abs(w) for w in first[0]) <= limit and not any(first[1])
    assert abs(np.std(first[0]) - limit / 3 ** 0.5) < 0.01 * limit  # uniform in +-limit
    state, expected = 2, []  # seed 1 starts the Park-Miller generator at state 2
    for _ in range(3):
        state = state * 48271 % 2147483647
        expected.append(state)
    random = SeededRandom(1)
    assert [random.next_int() for _ in range(3)] == expected
    assert sorted(SeededRandom(9).shuffled(list(range(10)))) == list(range(10))


def test_validation_split_is_per_label_and_seeded(features, task):
    model = features.classification({"validation_split": 0.3})
    for embedding, label in zip(task["embeddings"], task["labels"]):
        model.add_image(embedding, label)
    training, validation = model._split(SeededRandom(43))
    assert len(training) == 21 and len(validation) == 9
    assert sorted(training + validation) == list(range(30))
    assert [sum(task["labels"][i] == shape for i in validation) for shape in SHAPES] == [3, 3, 3]
    assert model._split(SeededRandom(43)) == [training, validation]


# ---------------------------------------------------------------- learning

def test_learns_the_shape_task_to_95_percent_validation_accuracy(trained):
    model, history, progress = trained
    assert history["epochs"] == DEFAULTS["epochs"] == 20
    assert history["val_accuracy"][-1] >= 0.95, history["val_accuracy"]
    assert history["loss"][-1] < history["loss"][0] / 10
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert [p[0] for p in progress] == list(range(1, 21))
    epoch, loss, val_loss, logs = progress[-1]
    assert (loss, val_loss) == (history["loss"][-1], history["val_loss"][-1])
    assert set(logs) == {"epoch", "loss", "val_loss", "accuracy", "val_accuracy"}
    assert model.get_count() == 30 and model.get_count_by_label() == {s: 10 for s in SHAPES}


def test_classify_gives_every_label_best_first(trained, task, features):
    model = trained[0]
    rng = np.random.default_rng(99)  # new pictures, never seen in training
    for shape in SHAPES:
        results = model.classify(shape_image(shape, rng))
        assert [r.label for r in results][0] == shape
        assert sorted(r["label"] for r in results) == sorted(SHAPES)
        assert abs(sum(r.confidence for r in results) - 1) < 1e-5
        assert results[0].confidence >= results[1].confidence >= results[2].confidence
    got = []
    model.classify(task["embeddings"][1], lambda results, error: got.append((results[0].label, error)))
    assert got == [("square", None)]


def test_classify_start_names_each_frame_until_stopped(trained, task):
    model = trained[0]
    seen = []

    def got(results, error):
        seen.append(results[0].label)
        if len(seen) == 4:
            model.classify_stop()

    model.classify_start(task["images"][:6], got)  # CPython: a list (or generator) of frames
    assert seen == task["labels"][:4]
    with pytest.raises(TypeError, match=r"classify_start needs the function to call"):
        model.classify_start(task["images"][:1], None)


def test_shuffled_labels_cannot_be_learned(features, task):
    """The control: the same pictures with labels that mean nothing stay near chance."""
    labels = list(np.random.default_rng(11).permutation(task["labels"]))
    model = features.classification()
    for embedding, label in zip(task["embeddings"], labels):
        model.add_image(embedding, label)
    assert model.train()["val_accuracy"][-1] < 0.95


def test_regression_learns_how_dark_a_picture_is(features):
    rng = np.random.default_rng(4)
    model = features.regression()
    for index in range(30):
        level = index / 29
        picture = np.full((32, 32, 3), 255 * (1 - level), np.uint8)
        picture[8:24, 8:24] = rng.integers(0, 256, 3)
        model.add_image(picture, level)
    history = model.train()
    assert history["accuracy"] == [None] * 20
    assert history["val_loss"][-1] < 0.06 and history["val_loss"][-1] < history["val_loss"][0] / 5
    dark = model.predict(np.full((32, 32, 3), 20, np.uint8))
    light = model.predict(np.full((32, 32, 3), 240, np.uint8))
    assert dark.value > light.value + 0.5, (dark, light)
    assert set(dark) == {"value"}
    values = []
    model.predict_start([np.full((32, 32, 3), 20, np.uint8)] * 2, lambda result, error: values.append(result.value))
    assert values == [dark.value, dark.value]


def test_training_again_continues_from_the_learned_weights(features, task):
    model = features.classification({"epochs": 2})
    for embedding, label in zip(task["embeddings"], task["labels"]):
        model.add_image(embedding, label)
    first = model.train()
    second = model.train()
    assert second["loss"][0] < first["loss"][0]
    model.add_image(task["embeddings"][0], "a new label")  # more outputs: a fresh network
    assert model.train(1)["epochs"] == 1


# ---------------------------------------------------------------- save and load

def test_saved_model_loads_in_image_classifier_and_back_with_the_same_predictions(trained, task, tmp_path, features):
    model = trained[0]
    files = model.save(tmp_path / "shapes")
    assert sorted(os.listdir(tmp_path / "shapes")) == ["metadata.json", "model.json", "weights.bin"]
    assert sorted(files) == ["metadata.json", "model.json", "weights.bin"]
    metadata = json.loads((tmp_path / "shapes" / "metadata.json").read_text())
    assert metadata["labels"] == SHAPES and metadata["imageSize"] == 224
    assert metadata["ml5py"]["task"] == "classification"
    assert oct(os.stat(tmp_path / "shapes").st_mode & 0o777) != oct(0o700)
    topology = json.loads((tmp_path / "shapes" / "model.json").read_text())["modelTopology"]
    assert [layer["class_name"] for layer in topology["config"]["layers"]] == ["Model", "Sequential"]

    classifier = ImageClassifier(str(tmp_path / "shapes"))
    reloaded = features.classification()
    reloaded.load(str(tmp_path / "shapes"))
    assert reloaded.get_labels() == SHAPES
    for image in task["images"][:6]:
        direct = model.classify(image)
        via_files = classifier.classify(image, k=3)
        again = reloaded.classify(image)
        assert [r.label for r in via_files] == [r.label for r in direct] == [r.label for r in again]
        np.testing.assert_allclose([r.confidence for r in via_files], [r.confidence for r in direct],
                                   rtol=1e-4, atol=1e-6)
        assert [r.confidence for r in again] == [r.confidence for r in direct]

    reloaded.add_image(task["embeddings"][0], "circle")  # more training after loading
    reloaded.add_image(task["embeddings"][1], "square")
    assert reloaded.train(2)["epochs"] == 2
    assert reloaded.get_labels() == SHAPES


def test_a_saved_folder_is_found_by_its_bare_name(trained, task, tmp_path, monkeypatch):
    """After ``model.save("pets")`` a learner writes ``ImageClassifier("pets")``, no slash."""
    model = trained[0]
    monkeypatch.chdir(tmp_path)
    model.save("pets")
    classifier = ImageClassifier("pets")
    assert [r.label for r in classifier.classify(task["images"][0])] == \
        [r.label for r in model.classify(task["images"][0])]
    with pytest.raises(ValueError) as info:  # neither a model name nor a folder: names both
        ImageClassifier("petz")
    assert "Unknown model 'petz'. Valid names are: MobileNet" in str(info.value)
    assert f"no folder 'petz/' in {tmp_path}" in str(info.value)
    with pytest.raises(ValueError, match="is a model for the task style-transfer"):
        ImageClassifier("la_muse")  # a registry name of another task still says so
    assert ImageClassifier(tmp_path / "pets").labels == SHAPES  # a Path, as save() takes


def test_image_classifier_refuses_a_regression_model_and_says_what_to_use(features, task, tmp_path):
    model = features.regression({"epochs": 1})
    for index, embedding in enumerate(task["embeddings"][:6]):
        model.add_image(embedding, index / 5)
    model.train()
    model.save(tmp_path / "numbers")
    with pytest.raises(ValueError) as info:
        ImageClassifier(str(tmp_path / "numbers"))
    assert "predicts a number (it was saved by features.regression())" in str(info.value)
    assert f'model.load("{tmp_path / "numbers"}") and model.predict(image)' in str(info.value)
    again = features.regression()
    again.load(str(tmp_path / "numbers"))  # the way the error shows works
    assert again.predict(task["embeddings"][0]).value == model.predict(task["embeddings"][0]).value


def test_dispose_frees_the_network_and_leaves_an_empty_model(features, task):
    model = features.classification({"epochs": 1})
    for embedding, label in zip(task["embeddings"], task["labels"]):
        model.add_image(embedding, label)
    model.train()
    head = model._head
    assert model.dispose() is model
    assert head.params == [] and head.optimizer is None  # the arrays are dropped
    assert model.get_count() == 0 and model.get_labels() == []
    with pytest.raises(ValueError, match="not trained yet"):
        model.classify(task["embeddings"][0])
    for embedding, label in zip(task["embeddings"], task["labels"]):  # usable again, as new
        model.add_image(embedding, label)
    assert model.train()["epochs"] == 1


@pytest.mark.parametrize("failing", ["_write", "_swap"])
def test_a_failed_save_keeps_the_old_model(trained, tmp_path, monkeypatch, failing):
    model = trained[0]
    model.save(str(tmp_path / "kept"))
    before = {name: (tmp_path / "kept" / name).read_bytes() for name in os.listdir(tmp_path / "kept")}
    import ml5py.core.safe_save as safe_save

    def fail(*args):
        raise OSError("disk full (pretend)")  # writing the new files, or moving them in, fails

    monkeypatch.setattr(safe_save, failing, fail)
    with pytest.raises(OSError, match="disk full"):
        model.save(str(tmp_path / "kept"))
    after = {name: (tmp_path / "kept" / name).read_bytes() for name in os.listdir(tmp_path / "kept")}
    assert after == before
    assert sorted(os.listdir(tmp_path)) == ["kept"], "temporary folders were left behind"


def test_a_teachable_machine_style_head_without_output_bias_loads_for_training(trained, tmp_path, features):
    """Teachable Machine's last Dense has no bias; ml5py loads such a head too (bias 0)."""
    model = trained[0]
    model.save(tmp_path / "tm")
    model_json = json.loads((tmp_path / "tm" / "model.json").read_text())
    head = model_json["modelTopology"]["config"]["layers"][1]["config"]["layers"][1]["config"]
    head["use_bias"] = False
    specs = model_json["weightsManifest"][0]["weights"]
    assert specs[-1]["name"] == "head_output/bias"
    specs.pop()
    (tmp_path / "tm" / "model.json").write_text(json.dumps(model_json))
    data = (tmp_path / "tm" / "weights.bin").read_bytes()
    (tmp_path / "tm" / "weights.bin").write_bytes(data[: len(data) - 4 * 3])
    reloaded = features.classification()
    reloaded.load(str(tmp_path / "tm"))
    assert reloaded.get_labels() == SHAPES
    assert len(reloaded.classify(np.zeros((8, 8, 3), np.uint8))) == 3


# ---------------------------------------------------------------- what goes wrong

def test_errors_before_training(features, task):
    model = features.classification()
    with pytest.raises(ValueError, match=r"no examples yet. Call add_image\(image, label\)"):
        model.train()
    with pytest.raises(ValueError, match=r"not trained yet. Call train\(\)"):
        model.classify(task["embeddings"][0])
    model.add_image(task["embeddings"][0], "circle")
    model.add_image(task["embeddings"][3], "circle")
    with pytest.raises(ValueError, match="at least two labels; it only has examples of 'circle'"):
        model.train()
    with pytest.raises(ValueError, match="This example has 3 numbers, but the examples added before have 768"):
        model.add_image([1, 2, 3], "square")
    with pytest.raises(ValueError, match="empty label"):
        model.add_image(task["embeddings"][1], "")
    with pytest.raises(ValueError, match="nothing to save yet"):
        model.save("never")
    assert model.get_count() == 2
    got = []
    model.train(callback=lambda history, error: got.append((history, str(error))))
    assert got[0][0] is None and "at least two labels" in got[0][1]


def test_errors_after_training(trained, features, task):
    model = trained[0]
    with pytest.raises(ValueError, match="has 2 numbers, but the model takes 768"):
        model.classify([0.5, 0.5])
    with pytest.raises(ValueError, match=r"classification model: use classify\(image\), not predict"):
        model.predict(task["embeddings"][0])
    with pytest.raises(TypeError, match="embedding is a list of numbers"):
        model.classify({"not": "numbers"})
    regression = features.regression()
    with pytest.raises(ValueError, match=r"value is a number \(such as 0.5\); got big"):
        regression.add_image(task["embeddings"][0], "big")


@pytest.mark.parametrize("options, message", [
    ({"epoch": 3}, "Unknown option 'epoch'. Valid options are: epochs, learning_rate"),
    ({"epochs": 0}, "epochs should be a whole number of at least 1; got 0"),
    ({"validation_split": 1}, "validation_split is the share"),
    ({"learning_rate": -1}, "learning_rate is how big each training step is"),
    ({"hidden_units": 2.5}, "hidden_units should be a whole number"),
])
def test_bad_options_are_explained(features, options, message):
    with pytest.raises(ValueError, match=message):
        features.classification(options)


def test_corrupt_or_wrong_saved_models_are_explained(trained, features, tmp_path):
    model = trained[0]
    model.save(tmp_path / "good")
    reloaded = features.classification()
    with pytest.raises(Exception, match="There is no model at"):
        reloaded.load(str(tmp_path / "missing"))

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.json").write_text("{not json")
    (broken / "metadata.json").write_text(json.dumps({"labels": SHAPES}))
    with pytest.raises(Exception, match="not valid JSON"):
        reloaded.load(str(broken))

    (tmp_path / "good" / "weights.bin").write_bytes(b"\0" * 100)  # truncated weights
    with pytest.raises(Exception, match="weights.bin"):
        reloaded.load(str(tmp_path / "good"))

    model.save(tmp_path / "labels")
    (tmp_path / "labels" / "metadata.json").write_text(json.dumps({"labels": ["one", "two"]}))
    with pytest.raises(ValueError, match="has 3 outputs but its metadata.json lists 2 labels"):
        reloaded.load(str(tmp_path / "labels"))
    model.save(tmp_path / "classifier")
    with pytest.raises(ValueError, match=r"saved by a classification model; load it into features.classification\(\)"):
        features.regression().load(str(tmp_path / "classifier"))
    assert reloaded.get_labels() == []  # nothing half-loaded
