"""FeatureExtractor in CPython: MobileNet embeddings of real photos, every input type, and
KNNClassifier fed with images through a feature extractor."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest
from PIL import Image as PILImage

from ml5py import FeatureExtractor, KNNClassifier, load_image
from ml5py.numpy_executor.layers import LayersModel

from conftest import IMAGES, MIRROR  # the shared photos and weights mirror beside the repo


@pytest.fixture(scope="module")
def features():
    os.environ.setdefault("ML5PY_MODELS", str(MIRROR))
    return FeatureExtractor("MobileNet")


def cosine(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_embedding_of_a_photo_is_768_finite_numbers(features):
    embedding = features.infer(IMAGES / "bird.jpg")
    assert isinstance(embedding, np.ndarray) and embedding.dtype == np.float32
    assert embedding.shape == (768,) and len(embedding) == 768
    assert np.all(np.isfinite(embedding)) and np.any(embedding != 0)
    assert np.all(embedding >= 0)  # averaged ReLU6 outputs
    listed = embedding.tolist()
    assert isinstance(listed, list) and len(listed) == 768 and isinstance(listed[0], float)
    assert [float(x) for x in embedding] == listed


def test_it_is_the_global_average_pooling_layer_of_mobilenet(features):
    topology = json.loads((MIRROR / "mobilenet_v1_0.75_224" / "model.json").read_text())
    layers = topology["modelTopology"]["model_config"]["config"]["layers"]
    pooled = [layer["config"]["name"] for layer in layers if layer["class_name"] == "GlobalAveragePooling2D"]
    assert pooled == [features.layer_name]
    assert features.model.predict(np.zeros((1, 224, 224, 3), np.float32)).shape == (1, 768)


def test_the_same_image_gives_the_same_embedding_and_similar_images_similar_ones(features):
    bird = np.asarray(PILImage.open(IMAGES / "bird.jpg").convert("RGB"))
    first = features.infer(bird)
    assert np.array_equal(first, features.infer(bird))
    brighter = np.clip(bird.astype(np.float32) * 1.08 + 6, 0, 255).astype(np.uint8)
    kitten = features.infer(IMAGES / "kitten.jpg")
    assert cosine(first, kitten) < cosine(first, features.infer(brighter)) - 0.1


def test_every_kind_of_image_works_and_gives_the_same_numbers(features):
    path = IMAGES / "bird.jpg"
    expected = features.infer(load_image(path))
    pil = PILImage.open(path)
    pixels = np.asarray(pil.convert("RGB"))
    rgba = np.asarray(pil.convert("RGBA"))
    for image in (str(path), path, pil, pixels, rgba, pixels.astype(np.float32)):
        np.testing.assert_allclose(features.infer(image), expected, rtol=0, atol=1e-4)


def test_callbacks_get_the_embedding_or_the_error(features):
    got = []
    returned = features.infer(IMAGES / "bird.jpg", lambda embedding, error: got.append((embedding, error)))
    assert got[0][1] is None and np.array_equal(got[0][0], returned)
    features.infer(IMAGES / "no-such-photo.jpg", lambda embedding, error: got.append((embedding, error)))
    assert got[1][0] is None and isinstance(got[1][1], Exception)
    with pytest.raises(Exception):
        features.infer(IMAGES / "no-such-photo.jpg")
    ready = []
    FeatureExtractor("MobileNet", lambda extractor, error: ready.append((extractor.layer_name, error)))
    assert ready == [("global_average_pooling2d_1", None)]


def test_an_unknown_model_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"Unknown feature extractor model 'Darknet'\. Valid names are: MobileNet\."):
        FeatureExtractor("Darknet")
    errors = []
    FeatureExtractor("nope", lambda extractor, error: errors.append(str(error)))
    assert "Valid names are: MobileNet" in errors[0]
    assert FeatureExtractor("mobilenet").layer_name == "global_average_pooling2d_1"


def test_truncated_layers_model_reads_an_inner_layer(features):
    topology = json.loads((MIRROR / "mobilenet_v1_0.75_224" / "model.json").read_text())
    model = LayersModel.from_files(topology, lambda name: (MIRROR / "mobilenet_v1_0.75_224" / name).read_bytes())
    with pytest.raises(ValueError, match="has no layer 'nope'. Its layers are: .*conv_preds"):
        model.truncated("nope")
    x = np.random.default_rng(1).uniform(-1, 1, (1, 224, 224, 3)).astype(np.float32)
    pooled = model.truncated("global_average_pooling2d_1").predict(x)
    block = model.truncated("conv_pw_13_relu").predict(x)  # unfolded: a BatchNorm+ReLU's output
    assert block.shape == (1, 7, 7, 768)
    np.testing.assert_allclose(pooled, block.mean(axis=(1, 2)), rtol=1e-5, atol=1e-5)
    assert model.predict(x).shape == (1, 1000)  # the whole model is unchanged


def noise_images(rng, colour, count):
    """Small noisy pictures that lean to one colour channel."""
    images = []
    for _ in range(count):
        picture = rng.integers(0, 90, size=(64, 64, 3))
        picture[..., colour] += 150
        images.append(picture.astype(np.uint8))
    return images


def test_knn_with_a_feature_extractor_learns_from_images(features):
    rng = np.random.default_rng(7)
    knn = KNNClassifier(features)
    for red, blue in zip(noise_images(rng, 0, 4), noise_images(rng, 2, 4)):
        knn.add_example(red, "red")
        knn.add_example(blue, "blue")
    assert knn.get_count_by_label() == {"red": 4, "blue": 4}
    for picture in noise_images(rng, 0, 2):
        result = knn.classify(picture, k=3)
        assert result.label == "red" and result.confidences == {"red": 1.0, "blue": 0.0}
    got = []
    knn.classify(noise_images(rng, 2, 1)[0], 3, lambda result, error: got.append((result.label, error)))
    assert got == [("blue", None)]
    # embeddings still work beside images, and equal the images' own
    blue = noise_images(rng, 2, 1)[0]
    assert knn.classify(features.infer(blue)).label == "blue"
    assert knn.classify(features.infer(blue).tolist()) == knn.classify(blue)


def test_knn_with_photos_and_bad_images(features):
    knn = KNNClassifier(feature_extractor=features)
    bird = np.asarray(PILImage.open(IMAGES / "bird.jpg").convert("RGB"))
    kitten = np.asarray(PILImage.open(IMAGES / "kitten.jpg").convert("RGB"))
    for crop in (bird[:-40, :-40], bird[40:, 40:]):
        knn.add_example(crop, "bird")
    for crop in (kitten[:-40, :-40], kitten[40:, 40:]):
        knn.add_example(crop, "kitten")
    assert knn.classify(IMAGES / "bird.jpg", k=1).label == "bird"
    assert knn.classify(load_image(IMAGES / "kitten.jpg"), k=1).label == "kitten"
    with pytest.raises(Exception, match="no-such-photo"):
        knn.add_example(IMAGES / "no-such-photo.jpg", "bird")
    errors = []
    knn.classify(IMAGES / "no-such-photo.jpg", lambda result, error: errors.append((result, error)))
    assert errors[0][0] is None and "no-such-photo" in str(errors[0][1])
    assert knn.get_count() == 4
    with pytest.raises(ValueError, match="has 3 numbers, but the examples added before have 768"):
        knn.add_example([1, 2, 3], "short")
    # saved image examples are embeddings: they load into a KNN without an extractor
    again = KNNClassifier().load(knn.to_json_data())
    assert again.classify(features.infer(IMAGES / "bird.jpg"), k=1).label == "bird"
