"""Running a TF.js layers model in CPython: our numpy executor's steps (``numpy_executor/layers.py``
folds each batch norm into the convolution before it and runs activations in place).

The twin of ``layer_steps_browser.py``, which runs the same fused steps on TF.js.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def predict(model: Any, tensor: np.ndarray) -> np.ndarray:
    """The model's output for ``tensor``."""
    return model.predict(tensor)


def feature_model(model: Any, layer_name: str) -> Any:
    """The model cut after ``layer_name``: ``predict`` gives that layer's output."""
    return model.truncated(layer_name)
