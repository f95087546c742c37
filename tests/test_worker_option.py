"""CPython's side of the browser's worker options (ml5py/worker/local.py): taken, checked, ignored."""
from __future__ import annotations

import pytest

from ml5py import NeuralNetwork


def test_worker_and_keep_draw_are_taken_and_the_model_runs_here():
    nn = NeuralNetwork(task="classification", worker=True, keep_draw=0.9)
    assert nn.where() == "main thread"
    assert NeuralNetwork(task="regression", keep_draw=0).where() == "main thread"


@pytest.mark.parametrize("value", [1.5, 1, -0.1, "fast", True, None])
def test_a_keep_draw_that_is_not_a_share_says_what_to_give(value):
    with pytest.raises(ValueError) as error:
        NeuralNetwork(task="classification", worker=True, keep_draw=value)
    text = str(error.value)
    assert text.startswith(f"keep_draw={value!r} cannot be used"), text
    assert "a number from 0" in text and "keep_draw=0.9" in text
