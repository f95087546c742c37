"""Trainable heads in CPython: the numpy trainer's maths (gradients against finite
differences, Adam against a hand-written reference, seeded starts, splits and shuffles)."""
from __future__ import annotations

import numpy as np
import pytest
from trainable_helpers import SHAPES
from trainable_helpers import features, task  # noqa: F401 (fixtures)

from ml5py.models.feature_extractor.head_numpy import Adam, DenseHead
from ml5py.core.seeded import SeededRandom, initial_weights


# ---------------------------------------------------------------- the numpy trainer's maths

def numeric_gradient(head: DenseHead, x, targets, index: int, step: float = 1e-6) -> np.ndarray:
    param = head.params[index]
    gradient = np.zeros_like(param)
    for position in np.ndindex(param.shape):
        keep = param[position]
        param[position] = keep + step
        up = head.evaluate(x, targets)[0]
        param[position] = keep - step
        down = head.evaluate(x, targets)[0]
        param[position] = keep
        gradient[position] = (up - down) / (2 * step)
    return gradient


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_gradients_match_finite_differences(kind):
    rng = np.random.default_rng(3)
    sizes = [5, 4, 3 if kind == "classification" else 1]
    weights = [rng.normal(size=(5, 4)), rng.normal(size=4) * 0.1, rng.normal(size=(4, sizes[2])),
               rng.normal(size=sizes[2])]
    head = DenseHead(weights, kind, 0.01, dtype=np.float64)
    x = rng.normal(size=(6, 5))
    targets = rng.integers(3, size=6) if kind == "classification" else rng.normal(size=6)
    _, grads, _ = head.loss_and_gradients(x, targets)
    for index in range(4):
        np.testing.assert_allclose(grads[index], numeric_gradient(head, x, targets, index),
                                   rtol=1e-5, atol=1e-7)


def test_adam_matches_a_hand_written_reference():
    rng = np.random.default_rng(5)
    param = rng.normal(size=(3, 2)).astype(np.float32)
    expected = param.astype(np.float64)
    m = np.zeros((3, 2))
    v = np.zeros((3, 2))
    adam = Adam(0.01)
    for step in range(1, 6):
        grad = rng.normal(size=(3, 2)).astype(np.float32)
        adam.step([param], [grad])
        for i in range(3):  # the update rule written out, one number at a time
            for j in range(2):
                g = float(grad[i, j])
                m[i, j] = 0.9 * m[i, j] + 0.1 * g
                v[i, j] = 0.999 * v[i, j] + 0.001 * g * g
                m_hat = m[i, j] / (1 - 0.9 ** step)
                v_hat = v[i, j] / (1 - 0.999 ** step)
                expected[i, j] -= 0.01 * m_hat / (np.sqrt(v_hat) + 1e-7)
        np.testing.assert_allclose(param, expected, rtol=1e-5, atol=1e-6)


def test_seeded_start_split_and_shuffle_are_reproducible():
    first = initial_weights([768, 100, 3], 42)
    assert [len(w) for w in first] == [76800, 100, 300, 3]
    assert first == initial_weights([768, 100, 3], 42)
    assert first[0] != initial_weights([768, 100, 3], 43)[0]
    limit = (6 / (768 + 100)) ** 0.5
    assert max(abs(w) for w in first[0]) <= limit and not any(first[1])
    assert abs(np.std(first[0]) - limit / 3 ** 0.5) < 0.01 * limit  # uniform in +-limit
    state, expected = 2, []  # seed 1 starts the Park-Miller generator at state 2
    for _ in range(3):
        state = state * 48271 % 2147483647
        expected.append(state)
    random = SeededRandom(1)
    assert [random.next_int() for _ in range(3)] == expected
    assert sorted(SeededRandom(9).shuffled(list(range(10)))) == list(range(10))


def test_validation_split_is_per_label_and_seeded(features, task):
    model = features.classification({"validation_split": 0.3})
    for embedding, label in zip(task["embeddings"], task["labels"]):
        model.add_image(embedding, label)
    training, validation = model._split(SeededRandom(43))
    assert len(training) == 21 and len(validation) == 9
    assert sorted(training + validation) == list(range(30))
    assert [sum(task["labels"][i] == shape for i in validation) for shape in SHAPES] == [3, 3, 3]
    assert model._split(SeededRandom(43)) == [training, validation]
