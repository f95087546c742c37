"""KNNClassifier in CPython: its decisions equal a brute-force numpy reference (random data,
data full of ties, the tie-breaking rules, k capped, all-zero embeddings)."""
from __future__ import annotations

import numpy as np
import pytest
from knn_helpers import filled, tie_prone_data


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
