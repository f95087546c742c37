"""A small dense network trained with numpy: the CPython twin of the browser's TF.js training.

CPython only. ``DenseHead`` is the trainable head of ``FeatureExtractor.classification()``
and ``.regression()``: ``Dense(hidden, relu) -> Dense(outputs)``, softmax cross-entropy
(classification) or mean squared error (regression), trained with Adam as TF.js does it
(``tf.train.adam``: beta1 0.9, beta2 0.999, epsilon 1e-7, bias-corrected moments). All maths
in float32, like TF.js. Adam itself (and SGD) is ``numpy_executor/training.py``, shared
with ``NeuralNetwork``.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np

from ml5py.numpy_executor.training import Adam, log_softmax, softmax  # noqa: F401 (Adam: also for tests)

Array = np.ndarray
F32 = np.float32


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
