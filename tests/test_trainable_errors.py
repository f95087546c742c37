"""Trainable heads in CPython: the errors a learner can meet (before and after training,
bad options, corrupt or wrong saved models)."""
from __future__ import annotations

import json

import pytest
from trainable_helpers import SHAPES
from trainable_helpers import features, task, trained  # noqa: F401 (fixtures)


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


def test_a_picture_file_for_the_video_is_loaded_at_once(features, images):
    with pytest.raises(FileNotFoundError, match="Could not find the image file 'kitten.jpeg'"):
        features.classification("kitten.jpeg")  # a wrong name is told here, not at add_image
    model = features.classification(str(images / "kitten.jpg"))  # ml5.js 0.x: classification(video)
    model.add_image("cat")  # its picture
    assert model.get_count() == 1
    assert list(model._vectors[0]) == list(features.infer(images / "kitten.jpg")) and model.get_count_by_label() == {"cat": 1}
