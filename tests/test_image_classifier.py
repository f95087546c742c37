"""ImageClassifier in CPython: known answers on real photos, the API a beginner uses, errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from ml5py import ImageClassifier, get_backend, load_image, set_backend

from conftest import IMAGES, MIRROR  # the shared photos and weights mirror beside the repo


@pytest.fixture(autouse=True)
def use_mirror(monkeypatch, tmp_path):
    monkeypatch.setenv("ML5PY_MODELS", str(MIRROR))
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def mobilenet():
    os.environ.setdefault("ML5PY_MODELS", str(MIRROR))
    return ImageClassifier("MobileNet")


@pytest.fixture(scope="module")
def darknet():
    os.environ.setdefault("ML5PY_MODELS", str(MIRROR))
    return ImageClassifier("Darknet")


def labels_of(results) -> list[str]:
    return [r["label"] for r in results]


@pytest.mark.parametrize("classifier_name", ["mobilenet", "darknet"])
def test_bird_is_a_robin(classifier_name, request):
    classifier = request.getfixturevalue(classifier_name)
    results = classifier.classify(load_image(IMAGES / "bird.jpg"))
    assert "robin" in results[0]["label"]
    assert results[0]["confidence"] > 0.99


@pytest.mark.parametrize("classifier_name", ["mobilenet", "darknet"])
def test_kitten_is_a_cat_and_turtle_is_a_turtle(classifier_name, request):
    classifier = request.getfixturevalue(classifier_name)
    cats = " ".join(labels_of(classifier.classify(IMAGES / "kitten.jpg")))
    assert any(word in cats for word in ("tabby", "tiger cat", "Egyptian cat", "Persian cat"))
    turtles = " ".join(labels_of(classifier.classify(IMAGES / "turtle.png")))
    assert any(word in turtles for word in ("turtle", "terrapin", "loggerhead"))


def test_darknet_tiny_is_an_alias_with_darknet_label_order():
    classifier = ImageClassifier("Darknet-tiny")
    assert classifier.labels[0] == "kit fox"  # Darknet order, not the standard ImageNet order
    assert len(classifier.labels) == 1000


def test_results_are_sorted_records_with_k(mobilenet):
    bird = load_image(IMAGES / "bird.jpg")
    results = mobilenet.classify(bird)
    assert len(results) == 3
    confidences = [r.confidence for r in results]
    assert confidences == sorted(confidences, reverse=True)
    assert results[0].label == results[0]["label"]
    assert len(mobilenet.classify(bird, 5)) == 5
    assert len(mobilenet.classify(bird, k=1)) == 1
    with pytest.raises(AttributeError, match="label, confidence"):
        results[0].colour


def test_callback_gets_results_then_error_and_results_are_also_returned(mobilenet):
    seen = []
    returned = mobilenet.classify(IMAGES / "bird.jpg", lambda results, error: seen.append((results, error)))
    assert seen[0][1] is None
    assert seen[0][0] == returned
    one_argument = []
    mobilenet.classify(IMAGES / "bird.jpg", 2, lambda results: one_argument.append(results))
    assert len(one_argument[0]) == 2


def test_every_input_type_gives_the_same_answer(mobilenet):
    path = IMAGES / "bird.jpg"
    loaded = load_image(path)
    pixels = loaded.to_numpy()
    rgba = np.dstack([pixels, np.full(pixels.shape[:2], 255, np.uint8)])
    inputs = [str(path), path, loaded, pixels, rgba, pixels.astype(np.float32),
              PILImage.open(path)]
    answers = [mobilenet.classify(image, k=1)[0] for image in inputs]
    for answer in answers:
        assert "robin" in answer["label"]
        assert answer["confidence"] == pytest.approx(answers[0]["confidence"], abs=1e-5)


def test_unknown_model_lists_the_valid_names():
    with pytest.raises(ValueError) as caught:
        ImageClassifier("MobileNett")
    message = str(caught.value)
    assert "MobileNett" in message
    for name in ("MobileNet", "Darknet", "DoodleNet"):
        assert name in message


@pytest.mark.parametrize("name", ["scream", "style-transfer/scream"])
def test_a_model_for_another_task_says_so(name):
    with pytest.raises(ValueError, match="style-transfer, not image-classifier"):
        ImageClassifier(name)


def test_ready_callback_reports_the_classifier_or_the_error():
    seen = []
    ImageClassifier("DoodleNet", lambda classifier, error: seen.append((classifier, error)))
    assert seen[0][1] is None and seen[0][0].labels[0] == "flashlight"
    failed = []
    ImageClassifier("NoSuchNet", lambda classifier, error: failed.append(error))
    assert "NoSuchNet" in str(failed[0])


def test_unsupported_image_type_names_it_and_the_accepted_types(mobilenet):
    with pytest.raises(TypeError) as caught:
        mobilenet.classify(42)
    assert "int" in str(caught.value) and "numpy array" in str(caught.value)
    errors = []
    mobilenet.classify({"not": "an image"}, lambda results, error: errors.append(error))
    assert isinstance(errors[0], TypeError) and "dict" in str(errors[0])


def test_bad_numpy_images_are_explained(mobilenet):
    with pytest.raises(ValueError, match="shape"):
        mobilenet.classify(np.zeros((10, 10), np.uint8))
    with pytest.raises(ValueError, match="0 to 255"):
        mobilenet.classify(np.full((10, 10, 3), 300.0))


def test_empty_corrupt_and_missing_image_files(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty"):
        load_image(empty)
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"this is not a jpeg at all")
    with pytest.raises(ValueError, match="corrupt.jpg"):
        load_image(corrupt)
    with pytest.raises(FileNotFoundError, match="nowhere.jpg"):
        load_image(tmp_path / "nowhere.jpg")


def test_doodlenet_classifies_a_drawing():
    drawing = np.full((280, 280, 3), 255, np.uint8)
    yy, xx = np.mgrid[:280, :280]
    ring = np.abs(np.hypot(yy - 140, xx - 140) - 90) < 8
    drawing[ring] = 0
    results = ImageClassifier("DoodleNet").classify(drawing, k=5)
    assert len(results) == 5
    assert all(0.0 <= r["confidence"] <= 1.0 for r in results)
    assert sum(r["confidence"] for r in results) <= 1.0 + 1e-5


def write_teachable_machine_model(folder: Path, with_metadata: bool = True) -> None:
    """A tiny TF.js layers model in the Teachable Machine layout: red vs blue pictures."""
    folder.mkdir(parents=True, exist_ok=True)
    layers = [
        {"class_name": "GlobalAveragePooling2D",
         "config": {"name": "pool", "batch_input_shape": [None, 8, 8, 3], "data_format": "channels_last"}},
        {"class_name": "Dense", "config": {"name": "head", "units": 2, "activation": "softmax", "use_bias": True}},
    ]
    topology = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers},
                "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}
    kernel = np.array([[8.0, -8.0], [0.0, 0.0], [-8.0, 8.0]], np.float32)  # red -> 0, blue -> 1
    bias = np.zeros(2, np.float32)
    (folder / "weights.bin").write_bytes(kernel.tobytes() + bias.tobytes())
    manifest = [{"paths": ["weights.bin"], "weights": [
        {"name": "head/kernel", "shape": [3, 2], "dtype": "float32"},
        {"name": "head/bias", "shape": [2], "dtype": "float32"}]}]
    (folder / "model.json").write_text(json.dumps(
        {"modelTopology": topology, "weightsManifest": manifest, "format": "layers-model"}))
    if with_metadata:
        (folder / "metadata.json").write_text(json.dumps({"labels": ["red", "blue"], "imageSize": 8}))


def test_a_teachable_machine_export_loads_from_its_folder(tmp_path):
    write_teachable_machine_model(tmp_path / "my-model")
    classifier = ImageClassifier(str(tmp_path / "my-model"))
    red = np.zeros((20, 30, 3), np.uint8)
    red[..., 0] = 255
    blue = np.zeros((20, 30, 3), np.uint8)
    blue[..., 2] = 255
    assert classifier.classify(red)[0]["label"] == "red"
    assert classifier.classify(blue)[0]["label"] == "blue"
    assert classifier.classify(blue)[0]["confidence"] > 0.99


def test_a_model_folder_without_metadata_says_what_is_missing(tmp_path):
    write_teachable_machine_model(tmp_path / "no-labels", with_metadata=False)
    with pytest.raises(Exception, match="metadata.json"):
        ImageClassifier(str(tmp_path / "no-labels"))


def test_backend_in_cpython_is_numpy():
    assert get_backend() == "numpy"
    set_backend("numpy")
    with pytest.warns(UserWarning, match="browser"):
        set_backend("wasm")
    with pytest.raises(ValueError, match="Valid backends"):
        set_backend("quantum")
