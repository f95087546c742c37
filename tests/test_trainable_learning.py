"""Trainable heads in CPython: learning the made-up shape task (accuracy, classify and
classify_start, what cannot be learned, regression, training again)."""
from __future__ import annotations

import numpy as np
import pytest
from trainable_helpers import SHAPES, shape_image
from trainable_helpers import features, task, trained  # noqa: F401 (fixtures)

from ml5py.models.feature_extractor.trainable_options import DEFAULTS


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
