"""Top-k selection: the same order as a stable sort, ties in label order."""
import random

import pytest

from ml5py.core.results import best_indices, top_k


@pytest.mark.parametrize("k", [1, 3, 5, 20, 21, 50])
def test_best_indices_match_a_stable_sort(k):
    rng = random.Random(k)
    for _ in range(200):
        scores = [rng.choice([0.0, 0.25, 0.5, 1.0, rng.random()]) for _ in range(rng.randint(1, 60))]
        expected = sorted(range(len(scores)), key=lambda i: -scores[i])[: min(k, len(scores))]
        assert best_indices(scores, min(k, len(scores))) == expected


def test_top_k_labels_and_records():
    results = top_k([0.1, 0.7, 0.2], ["a", "b", "c"], 5)
    assert [r["label"] for r in results] == ["b", "c", "a"]
    assert results[0].confidence == 0.7
