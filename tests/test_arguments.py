"""Every model checks ``k``, callbacks and saved labels the same way."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from ml5py import BodyPix, FeatureExtractor, ImageClassifier, KNNClassifier, StyleTransfer
from ml5py.core.arguments import k_and_callback, whole_number
from test_image_classifier import write_teachable_machine_model

BAD_K = [0, -3, 2.5, math.nan, math.inf, -math.inf, [5], "x", "3", True]
PICTURE = np.full((32, 32, 3), 128, np.uint8)


@pytest.fixture(scope="module")
def classifier() -> ImageClassifier:
    return ImageClassifier("MobileNet")


@pytest.fixture(scope="module")
def knn() -> KNNClassifier:
    knn = KNNClassifier()
    knn.add_example([1.0, 0.0], "a")
    knn.add_example([0.0, 1.0], "b")
    return knn


@pytest.mark.parametrize("k", BAD_K, ids=repr)
def test_image_classifier_refuses_a_bad_k_naming_it(classifier, k):
    with pytest.raises((ValueError, TypeError)) as info:
        classifier.classify(PICTURE, k)
    message = str(info.value)
    assert "classify's k (how many results to return) should be a whole number of at least 1" in message
    assert repr(k) in message or str(k) in message
    with pytest.raises((ValueError, TypeError), match="classify's k"):
        classifier.classify(PICTURE, k=k)


@pytest.mark.parametrize("k", BAD_K, ids=repr)
def test_knn_refuses_a_bad_k_naming_it(knn, k):
    with pytest.raises((ValueError, TypeError), match=r"KNNClassifier.classify's k \(how many nearest "
                                                      r"examples vote\) should be a whole number"):
        knn.classify([1.0, 0.0], k)


def test_text_where_k_goes_is_named_as_k_or_callback(classifier):
    with pytest.raises(ValueError, match="classify's k .*; got 'x'"):
        classifier.classify(PICTURE, "x")


def test_a_good_k_still_works_and_is_capped(classifier, knn):
    assert len(classifier.classify(PICTURE, 5)) == 5
    assert len(classifier.classify(PICTURE, k=2.0)) == 2  # a whole float is a whole number
    assert len(classifier.classify(PICTURE, np.int64(1))) == 1
    assert len(classifier.classify(PICTURE, 10 ** 6)) == 1000  # more than there are labels: all
    assert knn.classify([1.0, 0.0], 10)["label"] == "a"


def test_k_and_callback_forms():
    def got(results, error):
        return None

    assert k_and_callback(got, None, None) == (None, got)
    assert k_and_callback(5, got, None) == (5, got)
    assert k_and_callback(None, None, 2) == (2, None)
    with pytest.raises(TypeError, match="got k twice"):
        k_and_callback(5, None, 3)
    with pytest.raises(TypeError, match="got a callback where k"):
        k_and_callback(got, got, None)
    with pytest.raises(TypeError, match="two functions"):
        k_and_callback(None, None, got)
    assert whole_number(3.0, "n", 1, 5) == 3
    with pytest.raises(ValueError, match="n should be a whole number from 1 to 5; got 6"):
        whole_number(6, "n", 1, 5)


def _calls(classifier, knn):
    """(what, call with a bad callback): every public method that takes a callback."""
    features = FeatureExtractor("MobileNet")
    head = features.classification()
    return [
        ("ImageClassifier's callback", lambda cb: ImageClassifier("MobileNet", cb)),
        ("classify's callback", lambda cb: classifier.classify(PICTURE, 3, cb)),
        ("FeatureExtractor's callback", lambda cb: FeatureExtractor("MobileNet", cb)),
        ("infer's callback", lambda cb: features.infer(PICTURE, cb)),
        ("KNNClassifier.classify's callback", lambda cb: knn.classify([1.0, 0.0], 1, cb)),
        ("KNNClassifier.load's callback", lambda cb: knn.load({"examples": []}, cb)),
        ("add_image's callback", lambda cb: head.add_image(PICTURE, "a", cb)),
        ("train's callback", lambda cb: head.train(1, None, cb)),
        ("train's on_progress", lambda cb: head.train(1, cb)),
        ("classify's callback", lambda cb: head.classify(PICTURE, cb)),
        ("predict's callback", lambda cb: features.regression().predict(PICTURE, cb)),
        ("save's callback", lambda cb: head.save("somewhere", cb)),
        ("load's callback", lambda cb: head.load("somewhere", cb)),
        ("dispose's callback", lambda cb: head.dispose(cb)),
        ("StyleTransfer's callback", lambda cb: StyleTransfer("scream", cb)),
        ("BodyPix's callback", lambda cb: BodyPix(cb)),
    ]


@pytest.mark.parametrize("bad", [5, "got_results", [print]], ids=repr)
def test_every_method_refuses_a_callback_that_is_not_a_function(classifier, knn, bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written, but if it were, not here
    for what, call in _calls(classifier, knn):
        with pytest.raises(TypeError) as info:
            call(bad)
        assert f"{what} must be a function such as def " in str(info.value), (what, str(info.value))
        assert repr(bad) in str(info.value) or str(bad) in str(info.value), what
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("labels", [["a", "b", "c", "d", "e"], ["a"]])
def test_image_classifier_refuses_labels_that_do_not_match_the_outputs(tmp_path, labels):
    folder = tmp_path / "my-model"
    write_teachable_machine_model(folder)  # 2 outputs
    (folder / "metadata.json").write_text(json.dumps({"labels": labels}))
    with pytest.raises(ValueError, match=f"has 2 outputs but its metadata.json lists {len(labels)} labels"):
        ImageClassifier(str(folder)).classify(PICTURE)
    errors = []
    ImageClassifier(str(folder), lambda classifier, error: errors.append(error))
    assert "one label per output" in str(errors[0])


@pytest.mark.parametrize("label", [[1], {"a": 1}, True, None, ""], ids=repr)
def test_labels_are_words_or_numbers_for_knn_and_trainable_heads(label):
    import ml5py.core.arguments as arguments

    error = ValueError if label in (None, "") else TypeError
    with pytest.raises(error, match="A label is a word or number"):
        KNNClassifier().add_example([1, 2], label)
    with pytest.raises(error, match="A label is a word or number"):
        arguments.label_text(label)
    assert arguments.label_text(3) == "3" and arguments.label_text("cat") == "cat"


def test_knn_refuses_a_feature_extractor_that_is_not_one():
    with pytest.raises(TypeError, match=r"KNNClassifier takes a feature extractor, such as .*; got 5"):
        KNNClassifier(5)


def test_savers_refuse_an_empty_or_odd_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    knn = KNNClassifier()
    with pytest.raises(ValueError, match=r'knn.save needs a name to save under, such as knn.save\("knn.json"\)'):
        knn.save("")
    with pytest.raises(TypeError, match="knn.save needs a file name"):
        knn.save(5)
    model = FeatureExtractor("MobileNet").classification()
    with pytest.raises(ValueError, match="model.save needs a name to save under"):
        model.save(" ")
    model.add_image(PICTURE, "a")
    model.add_image(np.zeros((32, 32, 3), np.uint8), "b")
    model.train(1)
    with pytest.raises(TypeError, match='model.save needs a folder name such as "my_model"; got 5'):
        model.save(5)
    assert list(tmp_path.iterdir()) == []


def test_neural_network_checks_callbacks_hidden_units_and_names_nan(tmp_path, images):
    from ml5py import NeuralNetwork
    from ml5py.core.safe_save import NotOursError

    with pytest.raises(ValueError, match="hidden_units should be a whole number from 1 to 10000; got 1000000000"):
        NeuralNetwork(task="regression", hidden_units=10 ** 9)
    nn = NeuralNetwork(task="classification", seed=1)
    for inputs, label in (([0, 0], "a"), ([1, 1], "b"), ([0, 1], "a"), ([1, 0], "b")):
        nn.add_data(inputs, [label])
    nn.train(epochs=1)
    for call, what in ((lambda: nn.classify([0, 1], 5), "classify's callback"),
                       (lambda: nn.predict_multiple([[0, 1]], "x"), "predict_multiple's callback"),
                       (lambda: nn.save(str(tmp_path / "nn"), 5), "save's callback"),
                       (lambda: nn.load(str(tmp_path / "nn"), 5), "load's callback"),
                       (lambda: nn.add_data([0, 1], ["a"], 5), "add_data's callback"),
                       (lambda: nn.dispose(5), "dispose's callback")):
        with pytest.raises(TypeError, match=f"{what} must be a function such as def"):
            call()
    with pytest.raises(TypeError, match=r"classify: '0' is nan; the network was trained on numbers there"):
        nn.classify([float("nan"), 1])
    (tmp_path / "mine.csv").write_text("x,y\n1,2\n")
    with pytest.raises(NotOursError, match="mine.csv': that file was not saved by ml5py"):
        nn.save_data(str(tmp_path / "mine.csv"))
    assert (tmp_path / "mine.csv").read_text() == "x,y\n1,2\n"
    nn.save_data(str(tmp_path / "data.json"))
    nn.save_data(str(tmp_path / "data.json"))  # its own file: replaced
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "bird.jpg").write_bytes((images / "bird.jpg").read_bytes())
    with pytest.raises(NotOursError, match=r"not a saved model \(bird.jpg\)"):
        nn.save(str(photos))
    nn.save(str(tmp_path / "nn"))
    nn.save(str(tmp_path / "nn"))  # its own folder: replaced
