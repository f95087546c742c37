"""KNNClassifier in CPython: decisions equal a brute-force numpy reference, the API, errors,
save/load (atomic writes, ml5.js 0.x files)."""
from __future__ import annotations

import http.server
import json
import os
import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from ml5py import KNNClassifier
from ml5py.models.knn_classifier.knn_classifier import NO_EXAMPLES


# ---------------------------------------------------------------- the reference

def reference(examples, labels, query, k):
    """Brute force, written independently: (label, class_index, confidences by index).

    The rule documented in ml5py/models/knn_classifier/knn_classifier.py: cosine similarity rounded to 9 decimals; the k
    most similar, earlier-added first among equals; most votes, then the higher summed
    similarity, then the label added first.
    """
    x = np.asarray(examples, dtype=np.float64)
    q = np.asarray(query, dtype=np.float64)
    names = list(dict.fromkeys(labels))
    classes = np.array([names.index(label) for label in labels])
    lengths = np.linalg.norm(x, axis=1) * np.linalg.norm(q)
    similarity = np.zeros(len(x))
    np.divide(x @ q, lengths, out=similarity, where=lengths > 0)
    similarity = np.floor(similarity * 1e9 + 0.5) / 1e9
    k = min(k, len(x))
    nearest = np.lexsort((np.arange(len(x)), -similarity))[:k]
    votes = np.bincount(classes[nearest], minlength=len(names))
    summed = np.bincount(classes[nearest], weights=similarity[nearest], minlength=len(names))
    best = min(range(len(names)), key=lambda c: (-votes[c], -summed[c], c))
    return names[best], best, [v / k for v in votes.tolist()]


def tie_prone_data(rng, count, dimension, label_count):
    """Small integer vectors (many equal similarities), some exact duplicates under other labels."""
    examples = rng.integers(-2, 3, size=(count, dimension)).astype(np.float64)
    labels = [f"label {rng.integers(label_count)}" for _ in range(count)]
    for _ in range(count // 4):  # duplicates and scaled copies
        source, target = rng.integers(count, size=2)
        examples[target] = examples[source] * rng.choice([1.0, 2.0, 0.5])
    return examples, labels


def filled(examples, labels):
    knn = KNNClassifier()
    for example, label in zip(examples, labels):
        knn.add_example(example, label)
    return knn


# ---------------------------------------------------------------- decisions

@pytest.mark.parametrize("seed", range(40))
def test_decisions_equal_the_numpy_reference_on_random_data(seed):
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 80))
    dimension = int(rng.integers(2, 40))
    examples = rng.normal(size=(count, dimension)).astype(np.float32)
    labels = [f"class {rng.integers(1, 6)}" for _ in range(count)]
    knn = filled(examples, labels)
    for _ in range(10):
        query = rng.normal(size=dimension)
        k = int(rng.integers(1, 12))
        result = knn.classify(query, k)
        label, class_index, confidences = reference(examples, labels, query, k)
        assert (result["label"], result["class_index"]) == (label, class_index)
        assert result["confidences_by_index"] == confidences
        assert result["confidences"] == dict(zip(dict.fromkeys(labels), confidences))


@pytest.mark.parametrize("seed", range(60))
def test_decisions_equal_the_reference_when_ties_abound(seed):
    rng = np.random.default_rng(1000 + seed)
    count = int(rng.integers(2, 40))
    examples, labels = tie_prone_data(rng, count, int(rng.integers(2, 5)), int(rng.integers(2, 4)))
    knn = filled(examples, labels)
    for query_number in range(12):
        # half the queries are stored examples themselves: exact ties with their duplicates
        query = (examples[rng.integers(count)] if query_number % 2
                 else rng.integers(-2, 3, size=examples.shape[1]).astype(np.float64))
        for k in (1, 2, 3, 4, 6, 21, 33):  # above 20 the nearest are found by sorting (results.py)
            result = knn.classify(query, k=k)
            expected = reference(examples, labels, query, k)
            assert (result.label, result.class_index, result.confidences_by_index) == expected


def test_the_ties_really_happen_in_the_tie_data():
    """The tie test above is only worth something if ties occur; count them."""
    similarity_ties = vote_ties = 0
    for seed in range(60):
        rng = np.random.default_rng(1000 + seed)
        count = int(rng.integers(2, 40))
        examples, labels = tie_prone_data(rng, count, int(rng.integers(2, 5)), int(rng.integers(2, 4)))
        query = examples[0]
        x = examples / np.maximum(np.linalg.norm(examples, axis=1, keepdims=True), 1e-12)
        rounded = np.round(x @ (query / max(np.linalg.norm(query), 1e-12)), 9)
        similarity_ties += len(rounded) - len(np.unique(rounded))
        votes = np.array(reference(examples, labels, query, 2)[2])
        vote_ties += int(np.sum(votes == votes.max()) > 1)
    assert similarity_ties > 100 and vote_ties > 5, (similarity_ties, vote_ties)


def test_equal_similarity_the_earlier_example_wins():
    knn = filled([[1, 0], [1, 0]], ["first", "second"])
    assert knn.classify([2, 0], 1).label == "first"
    knn = filled([[1, 0], [2, 0]], ["second", "first"])  # scaled copy: the same angle
    assert knn.classify([1, 0], 1).label == "second"


def test_equal_votes_the_higher_summed_similarity_wins_then_the_label_added_first():
    knn = filled([[0, 1], [1, 0]], ["early", "late"])
    result = knn.classify([1, 0.5], 2)  # one vote each; "late" is closer
    assert (result.label, result.class_index, result.confidences) == ("late", 1, {"early": 0.5, "late": 0.5})
    knn = filled([[1, 0], [0, 1]], ["x", "y"])
    assert knn.classify([1, 1], 2).label == "x"  # same votes, same similarity: added first
    knn = filled([[0, 1], [1, 0]], ["y", "x"])
    assert knn.classify([1, 1], 2).label == "y"


def test_k_is_capped_at_the_number_of_examples_and_confidences_are_votes_over_k():
    knn = filled([[1, 0], [0.9, 0.1], [0, 1]], ["a", "a", "b"])
    result = knn.classify([1, 0], 10)
    assert result.confidences == {"a": 2 / 3, "b": 1 / 3}
    assert result.confidences_by_index == [2 / 3, 1 / 3]
    assert knn.classify([1, 0]).confidences == {"a": 2 / 3, "b": 1 / 3}  # default k = 3
    assert knn.classify([1, 0], 1).confidences == {"a": 1.0, "b": 0.0}


def test_an_all_zero_embedding_has_similarity_zero_with_everything():
    knn = filled([[0, 0], [1, 0], [-1, 0]], ["zero", "right", "left"])
    assert knn.classify([1, 0], 1).label == "right"
    assert knn.classify([-1, 0], 1).label == "left"
    assert knn.classify([0, 0], 1).label == "zero"  # all similarities 0: the earliest wins


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


# ---------------------------------------------------------------- save and load

def random_knn(seed=0, count=30, dimension=8):
    rng = np.random.default_rng(seed)
    examples = rng.normal(size=(count, dimension)).astype(np.float32)
    labels = [["thumbs up", "thumbs down", "é ✓"][i] for i in rng.integers(3, size=count)]
    return filled(examples, labels), rng


def predictions(knn, rng, dimension=8, queries=20):
    answers = []
    for _ in range(queries):
        result = knn.classify(rng.normal(size=dimension), int(rng.integers(1, 6)))
        answers.append((result.label, result.class_index, result.confidences))
    return answers


def test_save_and_load_a_file_round_trip(tmp_path):
    knn, _ = random_knn()
    text = knn.save(tmp_path / "model.json")
    assert (tmp_path / "model.json").read_text(encoding="utf-8") == text
    data = json.loads(text)
    assert data["format"] == "ml5py.KNNClassifier" and data["labels"] == knn.get_labels()
    loaded = KNNClassifier()
    assert loaded.load(str(tmp_path / "model.json")) is loaded
    assert loaded.get_count_by_label() == knn.get_count_by_label()
    assert loaded.get_labels() == knn.get_labels()  # labels survive, in their order
    assert predictions(loaded, np.random.default_rng(5)) == predictions(knn, np.random.default_rng(5))
    assert loaded.save(tmp_path / "again.json") == text


def test_save_defaults_to_knn_json_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    filled([[1, 2]], ["a"]).save()
    assert json.loads((tmp_path / "knn.json").read_text())["examples"] == [{"label": "a", "embedding": [1.0, 2.0]}]


def test_load_takes_json_text_a_dict_a_path_or_a_url(tmp_path):
    knn, _ = random_knn(1)
    text = knn.save(tmp_path / "knn.json")
    expected = predictions(knn, np.random.default_rng(9))
    for source in (text, json.loads(text), tmp_path / "knn.json"):
        assert predictions(KNNClassifier().load(source), np.random.default_rng(9)) == expected

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/knn.json"
        assert predictions(KNNClassifier().load(url), np.random.default_rng(9)) == expected
        with pytest.raises(OSError, match="Could not load"):
            KNNClassifier().load(url.replace("knn.json", "missing.json"))
    finally:
        server.shutdown()
        server.server_close()


def test_load_replaces_the_examples_and_calls_back(tmp_path):
    knn = filled([[1, 0], [0, 1]], ["old", "older"])
    seen = []
    knn.load(filled([[1, 0]], ["new"]).save(tmp_path / "k.json"), lambda model, error: seen.append((model, error)))
    assert seen == [(knn, None)]
    assert knn.get_count_by_label() == {"new": 1}


def test_loading_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="There is no file"):
        KNNClassifier().load(str(tmp_path / "nope.json"))
    seen = []
    KNNClassifier().load(str(tmp_path / "nope.json"), lambda model, error: seen.append(error))
    assert isinstance(seen[0], FileNotFoundError)


@pytest.mark.parametrize("text, message", [
    ('{"examples": [{"label": "a", "embedding": [1, 2]}', "not valid JSON"),
    ("", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"weights": []}', "neither 'examples'"),
    ('{"examples": 3}', "'examples' should be a list"),
    ('{"examples": [{"label": "a"}]}', "example 0 should have a 'label' and an 'embedding'"),
    ('{"examples": [{"label": "a", "embedding": [1, 2]}, {"label": "b", "embedding": [1]}]}',
     "example 1 has 1 numbers, but the examples before it have 2"),
    ('{"examples": [{"label": "a", "embedding": [1, "x"]}]}', "example 0: An embedding is a list of numbers"),
    ('{"dataset": {"0": {"shape": [2, 2], "label": "a"}}, "tensors": [{"0": 1, "1": 2, "2": 3}]}',
     "should hold 2 x 2 numbers, but number 3 is missing"),
    ('{"dataset": {"cats": {"shape": [1, 1]}}, "tensors": [[1]]}', "keyed by class numbers"),
    ('{"dataset": {"0": {"label": "a"}}, "tensors": [[1]]}', "class 0 in 'dataset' has no 'shape'"),
])
def test_corrupt_json_is_a_clear_error_and_keeps_the_old_examples(tmp_path, text, message):
    knn = filled([[1, 0]], ["kept"])
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(ValueError, match=message) as raised:
        knn.load(str(tmp_path / "bad.json"))
    assert "Could not load KNN examples from '" in str(raised.value)
    assert knn.get_count_by_label() == {"kept": 1}


def test_save_is_atomic_a_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "knn.json"
    old = filled([[1, 0]], ["old"]).save(target)
    bigger = filled([[0, 1], [1, 1]], ["new", "newer"])

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        bigger.save(target)
    assert target.read_text() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["knn.json"]  # no temporary file left

    monkeypatch.undo()

    def broken_fsync(descriptor):
        raise OSError("I/O error while writing")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        bigger.save(target)
    assert target.read_text() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["knn.json"]
    monkeypatch.undo()
    bigger.save(target)
    assert KNNClassifier().load(target).get_count_by_label() == {"new": 1, "newer": 1}


def test_saving_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        filled([[1]], ["a"]).save(tmp_path / "no" / "such" / "knn.json")


# ---------------------------------------------------------------- ml5.js 0.x files

def ml5js_json(classes, labels=True, tensors_as_lists=False):
    """What ml5.js 0.x's knnClassifier.save() writes: JSON.stringify({dataset, tensors}).

    ``dataset`` maps class index -> a serialised tf.Tensor (its fields, plus ``label``);
    ``tensors`` lists each class's data, a Float32Array, which JSON writes as {"0": v, ...}.
    """
    dataset, tensors = {}, []
    for position, (index, label, rows) in enumerate(classes):
        rows = np.asarray(rows, dtype=np.float32)
        entry = {"kept": False, "isDisposedInternal": False, "shape": list(rows.shape),
                 "dtype": "float32", "size": int(rows.size), "strides": [rows.shape[1]],
                 "dataId": {}, "id": 40 + position, "rankType": "2", "scopeId": 7}
        if labels:
            entry["label"] = label
        dataset[str(index)] = entry
        flat = [float(v) for v in rows.ravel()]
        tensors.append(flat if tensors_as_lists else {str(i): v for i, v in enumerate(flat)})
    return json.dumps({"dataset": dataset, "tensors": tensors})


def test_ml5js_0x_files_load_with_their_labels(tmp_path):
    rng = np.random.default_rng(3)
    cats, dogs = rng.normal(size=(4, 6)), rng.normal(size=(3, 6))
    (tmp_path / "myKNN.json").write_text(ml5js_json([(0, "cat", cats), (1, "dog", dogs)]))
    knn = KNNClassifier().load(str(tmp_path / "myKNN.json"))
    assert knn.get_count_by_label() == {"cat": 4, "dog": 3}
    same = filled(np.vstack([cats, dogs]).astype(np.float32), ["cat"] * 4 + ["dog"] * 3)
    assert predictions(knn, np.random.default_rng(4), 6) == predictions(same, np.random.default_rng(4), 6)


def test_ml5js_style_values_inside_the_dataset_entry_load_too():
    data = json.loads(ml5js_json([(0, "a", [[1, 0], [0.9, 0.1]]), (1, "b", [[0, 1]])]))
    for entry, values in zip(data["dataset"].values(), data.pop("tensors")):
        entry["data"] = values
    knn = KNNClassifier().load(data)
    assert knn.get_count_by_label() == {"a": 2, "b": 1}
    assert knn.classify([0, 1], 1).label == "b"


def test_ml5js_files_without_labels_gaps_or_with_list_tensors_load_too():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(1, 3))
    knn = KNNClassifier().load(ml5js_json([(0, "", a), (2, "", b)], labels=False))
    assert knn.get_count_by_label() == {"0": 2, "2": 1}  # class numbers stand in for labels
    knn = KNNClassifier().load(ml5js_json([(0, "a", a), (2, "b", b)], tensors_as_lists=True))
    assert knn.get_count_by_label() == {"a": 2, "b": 1}
    assert knn.classify(b[0], 1).label == "b"


def test_an_ml5js_file_saved_again_by_ml5py_keeps_its_labels(tmp_path):
    rng = np.random.default_rng(2)
    knn = KNNClassifier().load(ml5js_json([(0, "up", rng.normal(size=(2, 4))), (1, "down", rng.normal(size=(2, 4)))]))
    again = KNNClassifier().load(knn.save(tmp_path / "knn.json"))
    assert again.get_count_by_label() == {"up": 2, "down": 2}
