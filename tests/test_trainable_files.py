"""Trainable heads in CPython: saving a model that ImageClassifier loads, loading it back,
dispose, failed saves, and Teachable Machine style heads."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest
from trainable_helpers import SHAPES
from trainable_helpers import features, task, trained  # noqa: F401 (fixtures)

from ml5py import ImageClassifier


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
