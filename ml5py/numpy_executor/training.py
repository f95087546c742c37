"""What training on numpy needs, as TF.js does it: its optimisers, a stable softmax and its log.

CPython only. Used by the trainable heads (``models/feature_extractor/head_numpy.py``) and
``NeuralNetwork`` (``models/neural_network/network_numpy.py``); the browser twins use
``tf.train.adam`` / ``tf.train.sgd`` and ``tf.losses`` themselves.
"""
from __future__ import annotations

from typing import List, Sequence

import numpy as np

Array = np.ndarray


class Adam:
    """Adam exactly as TF.js's ``AdamOptimizer`` updates a variable.

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``,
    ``w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon)``.
    """

    def __init__(self, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-7):
        self.learning_rate, self.beta1, self.beta2, self.epsilon = learning_rate, beta1, beta2, epsilon
        self.steps = 0
        self._m: List[Array] = []
        self._v: List[Array] = []

    def step(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        """Update ``params`` in place from their gradients ``grads``."""
        if not self._m:
            self._m = [np.zeros_like(p) for p in params]
            self._v = [np.zeros_like(p) for p in params]
        self.steps += 1
        for param, grad, m, v in zip(params, grads, self._m, self._v):
            real = param.dtype.type  # float32 in use, like TF.js
            b1, b2 = real(self.beta1), real(self.beta2)
            correct1 = real(1) - b1 ** self.steps
            correct2 = real(1) - b2 ** self.steps
            scratch = np.multiply(grad, real(1) - b1)  # in place below: fewer big temporaries
            m *= b1
            m += scratch
            np.multiply(grad, grad, out=scratch)
            scratch *= real(1) - b2
            v *= b2
            v += scratch
            np.divide(v, correct2, out=scratch)
            np.sqrt(scratch, out=scratch)
            scratch += real(self.epsilon)
            np.divide(m, scratch, out=scratch)
            scratch *= real(self.learning_rate) / correct1
            param -= scratch


class SGD:
    """Plain gradient descent exactly as TF.js's ``SGDOptimizer``: ``w -= lr * g`` (float32)."""

    def __init__(self, learning_rate: float):
        self.learning_rate = learning_rate
        self.steps = 0

    def step(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        """Update ``params`` in place from their gradients ``grads``."""
        self.steps += 1
        for param, grad in zip(params, grads):
            param -= grad * param.dtype.type(self.learning_rate)


def log_softmax(x: Array) -> Array:
    """log(softmax(x)) along the last axis, computed without overflow."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax(x: Array) -> Array:
    """Probabilities along the last axis (they sum to 1)."""
    return np.exp(log_softmax(x))
