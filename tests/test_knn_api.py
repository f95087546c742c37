"""KNNClassifier in CPython: the API (call forms, callbacks, results, what embeddings may be,
counts and clearing) and its errors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from knn_helpers import filled

from ml5py import KNNClassifier
from ml5py.models.knn_classifier.knn_classifier import NO_EXAMPLES


# ---------------------------------------------------------------- the API

def test_classify_call_forms_and_callbacks():
    knn = filled([[1, 0], [0, 1], [0.1, 1]], ["a", "b", "b"])
    seen = []
    returned = knn.classify([1, 0], lambda result, error: seen.append((result.label, error)))
    assert returned.label == "b" and seen == [("b", None)]  # k=3: two votes for b
    assert knn.classify([1, 0], 1, lambda result, error: seen.append(result.label)).label == "a"
    assert knn.classify([1, 0], k=1).label == "a"
    assert knn.classify([1, 0], 1)["label"] == "a"
    assert seen[-1] == "a"
    only_result = []
    knn.classify([1, 0], lambda result: only_result.append(result.class_index))  # one-argument callback
    assert only_result == [1]


def test_result_reads_as_dict_and_attributes():
    result = filled([[1, 0]], ["cat"]).classify([1, 0])
    assert result["label"] == result.label == "cat"
    assert result["class_index"] == result.class_index == 0
    assert set(result) == {"label", "class_index", "confidences", "confidences_by_index"}


def test_embeddings_may_be_lists_tuples_numpy_arrays_or_tensor_like():
    class Embedding:  # what a FeatureExtractor might hand over: it can list its numbers
        def tolist(self):
            return [0.0, 1.0, 0.0]

    knn = KNNClassifier()
    knn.add_example([1, 0, 0], "list")
    knn.add_example((0, 0, 1), "tuple")
    knn.add_example(np.array([[0, 1, 0]], dtype=np.float32), "1 x n array")
    knn.add_example(Embedding(), "object")
    assert knn.get_count_by_label() == {"list": 1, "tuple": 1, "1 x n array": 1, "object": 1}
    assert knn.classify(np.array([0, 0, 3], dtype=np.int64), 1).label == "tuple"
    assert knn.classify(Embedding(), 1).label == "1 x n array"  # equal: the earlier one


def test_added_examples_are_copies():
    example = np.array([1.0, 0.0])
    knn = filled([example], ["a"])
    knn.add_example([0, 1], "b")
    example[:] = [0.0, 1.0]
    assert knn.classify([1, 0], 1).label == "a"


def test_counts_labels_and_clearing():
    knn = filled([[1, 0], [0, 1], [1, 1], [0, 2]], ["a", "b", "c", "b"])
    assert knn.get_count() == 4
    assert knn.get_count_by_label() == {"a": 1, "b": 2, "c": 1}
    assert list(knn.get_count_by_label()) == ["a", "b", "c"]
    assert knn.get_labels() == ["a", "b", "c"]
    knn.clear_label("b")
    assert knn.get_count() == 2 and knn.get_count_by_label() == {"a": 1, "c": 1}
    result = knn.classify([1, 1], 1)
    assert (result.label, result.class_index, result.confidences_by_index) == ("c", 1, [0.0, 1.0])
    knn.clear_all_labels()
    assert knn.get_count() == 0 and knn.get_count_by_label() == {}
    with pytest.raises(ValueError, match="no examples yet"):
        knn.classify([1, 0])
    knn.add_example([1, 2, 3], "new size")  # after clearing, a new embedding size is fine
    assert knn.classify([1, 2, 3]).label == "new size"


def test_numbers_as_labels_become_text():
    knn = filled([[1, 0], [0, 1]], [0, 1])
    assert knn.classify([0, 1], 1).label == "1"
    knn.clear_label(0)
    assert knn.get_count_by_label() == {"1": 1}


# ---------------------------------------------------------------- errors

def test_classify_with_no_examples_says_to_add_examples():
    with pytest.raises(ValueError) as raised:
        KNNClassifier().classify([1, 2, 3])
    assert str(raised.value) == NO_EXAMPLES
    assert "add_example" in NO_EXAMPLES
    seen = []
    assert KNNClassifier().classify([1, 2], lambda result, error: seen.append((result, error))) is None
    assert seen[0][0] is None and str(seen[0][1]) == NO_EXAMPLES


def test_clear_label_with_an_unknown_label_lists_the_labels():
    knn = filled([[1, 0], [0, 1]], ["cat", "dog"])
    with pytest.raises(ValueError, match="There is no label 'bird' to clear. The labels are: 'cat', 'dog'."):
        knn.clear_label("bird")
    with pytest.raises(ValueError, match="has no labels yet"):
        KNNClassifier().clear_label("bird")
    assert knn.get_count() == 2


def test_mismatched_embedding_lengths_name_both_lengths():
    knn = filled([[1, 0, 0]], ["a"])
    with pytest.raises(ValueError, match="This example has 2 numbers, but the examples added before have 3"):
        knn.add_example([1, 0], "b")
    with pytest.raises(ValueError, match="The example to classify has 4 numbers, but the stored examples have 3"):
        knn.classify([1, 0, 0, 0])
    assert knn.get_count() == 1


@pytest.mark.parametrize("image", ["bird.jpg", Path("bird.jpg"), np.zeros((8, 8, 3), np.uint8)])
def test_an_image_without_a_feature_extractor_says_what_to_do(image):
    with pytest.raises(TypeError, match=r'FeatureExtractor\("MobileNet"\).*infer\(image\)'):
        KNNClassifier().add_example(image, "bird")
    with pytest.raises(TypeError, match="not an image"):
        filled([[1, 0]], ["a"]).classify(image)


def test_a_pil_image_is_an_image_too():
    from PIL import Image

    with pytest.raises(TypeError, match="FeatureExtractor"):
        KNNClassifier().add_example(Image.new("RGB", (4, 4)), "square")


@pytest.mark.parametrize("bad, message", [
    ([], "shaped"), ([[1, 2], [3, 4]], "shaped"), (["a", "b"], "list of numbers"),
    ([1, float("nan")], "number 1 is nan"), ({"a": 1}, "dict"), (None, "NoneType"),
])
def test_non_embeddings_are_refused_with_a_reason(bad, message):
    with pytest.raises(TypeError, match=message):
        KNNClassifier().add_example(bad, "x")


@pytest.mark.parametrize("k", [0, -1, 2.5, "three"])
def test_k_must_be_a_whole_number_of_at_least_one(k):
    with pytest.raises(ValueError, match="whole number of at least 1"):
        filled([[1, 0]], ["a"]).classify([1, 0], k=k)


def test_an_empty_label_is_refused():
    with pytest.raises(ValueError, match="empty label"):
        KNNClassifier().add_example([1, 2], "")
