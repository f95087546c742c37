"""KNNClassifier in CPython: save/load (round trips, the forms load takes, clear errors,
atomic writes) and ml5.js 0.x files."""
from __future__ import annotations

import http.server
import json
import os
import threading
from functools import partial

import numpy as np
import pytest
from knn_helpers import filled, ml5js_json

from ml5py import KNNClassifier


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
