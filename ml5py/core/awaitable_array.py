"""A numpy array that ``await`` accepts (CPython only): an embedding from ``FeatureExtractor.infer``.

In the browser ``infer`` gives a promise; ``await`` on this array gives the array, so
``embedding = await features.infer(image)`` works in both runtimes.
"""
from __future__ import annotations

import numpy as np


class AwaitableArray(np.ndarray):
    """An ``np.ndarray`` in every way, plus ``__await__`` (which gives itself)."""

    def __await__(self):
        return self
        yield
