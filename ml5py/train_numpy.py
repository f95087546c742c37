"""A small dense network trained with numpy: the CPython twin of the browser's TF.js training.

CPython only. ``DenseHead`` is the trainable head of ``FeatureExtractor.classification()``
and ``.regression()``: ``Dense(hidden, relu) -> Dense(outputs)``, softmax cross-entropy
(classification) or mean squared error (regression), trained with Adam as TF.js does it
(``tf.train.adam``: beta1 0.9, beta2 0.999, epsilon 1e-7, bias-corrected moments). All maths
in float32, like TF.js. ``Adam`` and ``SGD`` also train ``NeuralNetwork``'s layers
(``ml5py/neural_network/network_numpy.py``).
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np

Array = np.ndarray
F32 = np.float32


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


class DenseHead:
    """``Dense(hidden, relu) -> Dense(outputs)`` over embeddings, with its Adam optimiser.

    ``kind`` is ``"classification"`` (softmax outputs, cross-entropy loss, targets are class
    indices) or ``"regression"`` (one linear output, mean squared error, targets are numbers).
    ``weights`` are ``[kernel1 (inputs x hidden), bias1, kernel2 (hidden x outputs), bias2]``.
    """

    def __init__(self, weights: Sequence[Array], kind: str, learning_rate: float, dtype: type = F32):
        if kind not in ("classification", "regression"):
            raise ValueError(f"A head is for 'classification' or 'regression', not {kind!r}.")
        self.kind = kind
        self.dtype = dtype  # float32 like TF.js; tests check gradients in float64
        self.params: List[Array] = [np.array(w, dtype=dtype) for w in weights]
        self.optimizer = Adam(learning_rate)

    @property
    def sizes(self) -> List[int]:
        """[inputs, hidden units, outputs]."""
        return [self.params[0].shape[0], self.params[0].shape[1], self.params[2].shape[1]]

    def logits(self, x: Array) -> Tuple[Array, Array]:
        """(hidden activations, outputs before softmax) for a batch of embeddings."""
        hidden = np.maximum(x @ self.params[0] + self.params[1], 0)
        return hidden, hidden @ self.params[2] + self.params[3]

    def predict(self, x: Array) -> Array:
        """Probabilities per class (classification) or the predicted values (regression)."""
        _, out = self.logits(np.asarray(x, dtype=self.dtype))
        return softmax(out) if self.kind == "classification" else out

    def loss_and_gradients(self, x: Array, targets: Array) -> Tuple[float, List[Array], Optional[float]]:
        """Mean loss over the batch, the gradient of each parameter, and the accuracy (or None)."""
        x = np.asarray(x, dtype=self.dtype)
        hidden, out = self.logits(x)
        count = self.dtype(x.shape[0])
        accuracy = None
        if self.kind == "classification":
            classes = np.asarray(targets, dtype=np.int64)
            log_p = log_softmax(out)
            rows = np.arange(len(classes))
            loss = float(-np.mean(log_p[rows, classes]))
            d_out = np.exp(log_p)
            d_out[rows, classes] -= 1
            d_out /= count
            accuracy = float(np.mean(np.argmax(out, axis=1) == classes))
        else:
            error = out - np.asarray(targets, dtype=self.dtype).reshape(out.shape)
            loss = float(np.mean(error * error))
            d_out = 2 * error / self.dtype(error.size)
        d_out = d_out.astype(self.dtype)
        d_hidden = (d_out @ self.params[2].T) * (hidden > 0)
        grads = [x.T @ d_hidden, d_hidden.sum(axis=0), hidden.T @ d_out, d_out.sum(axis=0)]
        return loss, [g.astype(self.dtype) for g in grads], accuracy

    def train_batch(self, x: Array, targets: Array) -> Tuple[float, Optional[float]]:
        """One Adam step on a batch; the loss and accuracy measured before the step."""
        loss, grads, accuracy = self.loss_and_gradients(x, targets)
        self.optimizer.step(self.params, grads)
        return loss, accuracy

    def evaluate(self, x: Array, targets: Array) -> Tuple[float, Optional[float]]:
        """Loss and accuracy (None for regression) without training."""
        _, out = self.logits(np.asarray(x, dtype=self.dtype))
        if self.kind == "classification":
            classes = np.asarray(targets, dtype=np.int64)
            loss = float(-np.mean(log_softmax(out)[np.arange(len(classes)), classes]))
            return loss, float(np.mean(np.argmax(out, axis=1) == classes))
        error = out - np.asarray(targets, dtype=self.dtype).reshape(out.shape)
        return float(np.mean(error * error)), None


def log_softmax(x: Array) -> Array:
    """log(softmax(x)) along the last axis, computed without overflow."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax(x: Array) -> Array:
    """Probabilities along the last axis (they sum to 1)."""
    return np.exp(log_softmax(x))
