"""FeatureExtractor in the browser (TF.js, wasm) against CPython (numpy): the same
embedding of the same photo, no leaked tensors, and KNNClassifier fed with images."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import open_page
from ml5py import FeatureExtractor, KNNClassifier

FEATURES_SKETCH = """
from ml5py import FeatureExtractor, KNNClassifier, load_image

errors = []


async def main():
    features = FeatureExtractor("MobileNet")
    bird = load_image("bird.jpg")
    kitten = load_image("kitten.jpg")
    embedding = await features.infer(bird)
    window.fe_embedding = JSON.stringify(embedding.tolist())
    window.fe_length = len(embedding)
    before = tf.memory().numTensors
    for i in range(20):
        again = await features.infer(bird)
    window.fe_tensors = [before, tf.memory().numTensors]
    window.fe_same = JSON.stringify(again) == JSON.stringify(embedding)
    got = []
    await features.infer(kitten, lambda values, error: got.append([len(values), error is None]))
    window.fe_callback = JSON.stringify(got)

    # KNN with a feature extractor: image adds finish later, in order, before classify
    knn = KNNClassifier(features)
    knn.add_example(bird, "bird")
    knn.add_example(kitten, "kitten")
    knn.add_example(embedding, "a copy of the bird")  # a plain embedding queues behind them
    result = await knn.classify(kitten, 1)
    window.fe_knn = JSON.stringify([result.label, knn.get_labels(), knn.get_count()])
    # the issue's way: promised embeddings, from infer() without a feature extractor
    plain = KNNClassifier()
    plain.add_example(features.infer(bird), "bird")
    plain.add_example(features.infer(kitten), "kitten")
    result = await plain.classify(features.infer(kitten), 1)
    window.fe_plain = JSON.stringify([result.label, plain.get_count()])
    result = await knn.classify(bird, 3)
    window.fe_knn_bird = JSON.stringify([result.label, result.confidences])
    window.fe_tensors_after_knn = tf.memory().numTensors

    FeatureExtractor("Darknet", lambda extractor, error: errors.append(str(error)))
    await features.infer("nothing", lambda values, error: errors.append(str(error)))
    try:
        await knn.add_example(document.createElement("div"), "div")
    except TypeError as error:
        errors.append(str(error))
    window.fe_errors = JSON.stringify(errors)
    print("done")

main()
"""


@pytest.mark.browser
def test_browser_embeddings_match_cpython_and_leak_nothing(driver, sites, images):
    expected = FeatureExtractor("MobileNet").infer(images / "bird.jpg")
    site = sites(FEATURES_SKETCH, {"bird.jpg": images / "bird.jpg", "kitten.jpg": images / "kitten.jpg"},
                 name="features")
    lines = open_page(driver, site.page("wasm"), lines=1)
    assert lines == ["done"], lines
    read = lambda name: driver.execute_script(f"return window.{name};")  # noqa: E731

    embedding = np.array(json.loads(read("fe_embedding")))
    assert read("fe_length") == 768 and embedding.shape == (768,)
    difference = float(np.max(np.abs(embedding - expected)))
    print(f"\nbird.jpg embedding, browser (wasm) vs CPython: max abs difference {difference:.2e}")
    assert difference <= 1e-3, f"browser and CPython embeddings differ by up to {difference}"
    before, after = read("fe_tensors")
    assert after == before, f"tf.memory().numTensors went from {before} to {after} after 20 infer calls"
    assert read("fe_tensors_after_knn") == before
    assert read("fe_same") is True
    assert json.loads(read("fe_callback")) == [[768, True]]

    label, labels, count = json.loads(read("fe_knn"))
    assert (label, labels, count) == ("kitten", ["bird", "kitten", "a copy of the bird"], 3)
    assert json.loads(read("fe_plain")) == ["kitten", 2]
    label, confidences = json.loads(read("fe_knn_bird"))
    reference = KNNClassifier()
    reference.add_example(expected, "bird")
    reference.add_example(FeatureExtractor("MobileNet").infer(images / "kitten.jpg"), "kitten")
    reference.add_example(expected, "a copy of the bird")
    assert [label, confidences] == [reference.classify(expected, 3).label, reference.classify(expected, 3).confidences]

    errors = json.loads(read("fe_errors"))
    assert "Unknown feature extractor model 'Darknet'. Valid names are: MobileNet." in errors[0]
    assert "Could not load the image 'nothing'. Check the file name" in errors[1]  # a name is loaded, as in CPython
    assert "An embedding is a list of numbers" in errors[2]
    assert len(errors) == 3, errors
