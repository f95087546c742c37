"""NeuralNetwork's layers in numpy, forward and backward: the CPython twin of TF.js's training.

CPython only. A ``Network`` runs the layer specs of ``nn_layers.py`` (dense, conv2d,
max_pooling2d, flatten) in float32 with TF.js's semantics (NHWC pictures, "valid" and
"same" padding as TF pads, the first largest value of a pooling window taking the
gradient), and learns with ``numpy_executor/training.py``'s ``SGD`` or ``Adam`` (TF.js's updates).
Classifiers end in softmax with cross-entropy on the logits (``tf.losses.softmaxCrossEntropy``);
regression uses the mean squared error of the last layer's activation
(``tf.losses.meanSquaredError``).
"""
from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

from ml5py.numpy_executor.training import SGD, Adam, log_softmax, softmax

Array = np.ndarray
F32 = np.float32


def _activate(z: Array, name: str) -> Array:
    if name == "relu":
        return np.maximum(z, 0)
    if name == "sigmoid":
        with np.errstate(over="ignore"):  # exp overflows to inf for very negative z: 1 / inf = 0
            return (1 / (1 + np.exp(-z))).astype(z.dtype)
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        return softmax(z)
    return z


def _activation_gradient(grad: Array, z: Array, out: Array, name: str) -> Array:
    """d loss / d z from d loss / d out, for ``out = activation(z)`` (as TF.js differentiates them)."""
    if name == "relu":
        return grad * (z > 0)
    if name == "sigmoid":
        return grad * out * (1 - out)
    if name == "tanh":
        return grad * (1 - out * out)
    if name == "softmax":
        return out * (grad - np.sum(grad * out, axis=-1, keepdims=True))
    return grad


def _padding(size: int, window: int, stride: int, padding: str) -> Tuple[int, int, int]:
    """(output size, padding before, padding after) along one axis, as TF.js pads."""
    if padding == "same":
        out = -(-size // stride)
        total = max((out - 1) * stride + window - size, 0)
        return out, total // 2, total - total // 2
    return (size - window) // stride + 1, 0, 0


def _windows(x: Array, window: Sequence[int], strides: Sequence[int], padding: str,
             fill: float) -> Tuple[Array, Tuple[int, int, int, int], Array]:
    """Every window of an NHWC batch: (N x out_h x out_w x kh x kw x C, paddings, padded batch)."""
    n, height, width, channels = x.shape
    out_h, top, bottom = _padding(height, window[0], strides[0], padding)
    out_w, left, right = _padding(width, window[1], strides[1], padding)
    padded = x
    if top or bottom or left or right:
        padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    view = np.lib.stride_tricks.sliding_window_view(padded, (window[0], window[1]), axis=(1, 2))
    view = view[:, ::strides[0], ::strides[1]][:, :out_h, :out_w]  # N, oh, ow, C, kh, kw
    return view.transpose(0, 1, 2, 4, 5, 3), (top, bottom, left, right), padded


def _scatter(grads: Array, shape: Tuple[int, ...], window: Sequence[int], strides: Sequence[int],
             pads: Tuple[int, int, int, int]) -> Array:
    """The sum, per input pixel, of the gradients of every window it is in (N x oh x ow x kh x kw x C)."""
    n, height, width, channels = shape
    top, bottom, left, right = pads
    out_h, out_w = grads.shape[1], grads.shape[2]
    padded = np.zeros((n, height + top + bottom, width + left + right, channels), grads.dtype)
    for i in range(window[0]):
        for j in range(window[1]):
            padded[:, i:i + strides[0] * out_h:strides[0], j:j + strides[1] * out_w:strides[1]] += grads[:, :, :, i, j]
    return padded[:, top:top + height, left:left + width]


class Network:
    """A trainable stack of layers (specs from ``nn_layers.layer_specs``) with its optimiser."""

    def __init__(self, specs: list, weights: Sequence[Any], optimizer: str, learning_rate: float,
                 classifying: bool, dtype: type = F32):
        self.specs = specs
        self.classifying = classifying
        self.dtype = dtype  # float32 like TF.js; tests check gradients in float64
        self.params: List[Array] = []
        shapes = [shape for spec in specs for shape in spec["weights"]]
        if len(shapes) != len(weights):
            raise ValueError(f"The network needs {len(shapes)} weights; got {len(weights)}.")
        for values, shape in zip(weights, shapes):
            self.params.append(np.array(values, dtype=dtype).reshape(shape))
        self.optimizer = Adam(learning_rate) if optimizer == "adam" else SGD(learning_rate)

    def _layer_params(self) -> List[List[Array]]:
        grouped, position = [], 0
        for spec in self.specs:
            grouped.append(self.params[position:position + len(spec["weights"])])
            position += len(spec["weights"])
        return grouped

    def forward(self, x: Array) -> Tuple[Array, list]:
        """The last layer's output (logits for a classifier) and what backward() needs."""
        out = np.asarray(x, dtype=self.dtype)
        trail = []
        last = len(self.specs) - 1
        for index, (spec, params) in enumerate(zip(self.specs, self._layer_params())):
            kind = spec["type"]
            saved: dict = {"input": out}
            if kind == "dense":
                z = out @ params[0]
            elif kind == "conv2d":
                windows, pads, _ = _windows(out, spec["kernel_size"], spec["strides"], spec["padding"], 0)
                saved["columns"] = windows.reshape(-1, params[0][..., 0].size)
                saved["pads"] = pads
                z = (saved["columns"] @ params[0].reshape(-1, params[0].shape[-1])).reshape(
                    windows.shape[:3] + (params[0].shape[-1],))
            elif kind == "max_pooling2d":
                windows, pads, _ = _windows(out, spec["pool_size"], spec["strides"], spec["padding"], -np.inf)
                flat = windows.reshape(windows.shape[:3] + (-1, windows.shape[-1]))
                saved["choice"] = np.argmax(flat, axis=3)
                saved["pads"] = pads
                out = np.max(flat, axis=3)
                trail.append(saved)
                continue
            else:
                out = out.reshape(out.shape[0], -1)
                trail.append(saved)
                continue
            if len(params) > 1:
                z = z + params[1]
            saved["z"] = z
            activation = spec["activation"]
            if index == last and self.classifying:
                activation = "linear"  # softmax is part of the loss (and of predict)
            out = _activate(z, activation)
            saved["output"] = out
            saved["activation"] = activation
            trail.append(saved)
        return out, trail

    def backward(self, grad: Array, trail: list) -> List[Array]:
        """The gradient of every parameter, from d loss / d (the last layer's output)."""
        grads: List[Optional[Array]] = [None] * len(self.params)
        position = len(self.params)
        for spec, params, saved in reversed(list(zip(self.specs, self._layer_params(), trail))):
            kind = spec["type"]
            position -= len(params)
            x = saved["input"]
            if kind == "flatten":
                grad = grad.reshape(x.shape)
                continue
            if kind == "max_pooling2d":
                choice = saved["choice"]
                size = spec["pool_size"][0] * spec["pool_size"][1]
                picked = (choice[:, :, :, None, :] == np.arange(size)[None, None, None, :, None]) * grad[:, :, :, None, :]
                picked = picked.reshape(grad.shape[:3] + tuple(spec["pool_size"]) + (grad.shape[-1],))
                grad = _scatter(picked.astype(self.dtype), x.shape, spec["pool_size"], spec["strides"], saved["pads"])
                continue
            dz = _activation_gradient(grad, saved["z"], saved["output"], saved["activation"]).astype(self.dtype)
            if len(params) > 1:
                grads[position + 1] = dz.reshape(-1, dz.shape[-1]).sum(axis=0)
            if kind == "dense":
                grads[position] = x.T @ dz
                grad = dz @ params[0].T
            else:
                kernel = params[0]
                flat_dz = dz.reshape(-1, kernel.shape[-1])
                grads[position] = (saved["columns"].T @ flat_dz).reshape(kernel.shape)
                columns = (flat_dz @ kernel.reshape(-1, kernel.shape[-1]).T).reshape(
                    dz.shape[:3] + tuple(spec["kernel_size"]) + (x.shape[-1],))
                grad = _scatter(columns, x.shape, spec["kernel_size"], spec["strides"], saved["pads"])
        return [g.astype(self.dtype) for g in grads]  # type: ignore[union-attr]

    def loss(self, out: Array, targets: Array) -> Tuple[float, Array, Optional[float]]:
        """(mean loss, d loss / d out, accuracy or None) of a batch."""
        targets = np.asarray(targets, dtype=self.dtype)
        count = self.dtype(out.shape[0])
        if self.classifying:
            log_p = log_softmax(out)
            loss = float(-np.mean(np.sum(targets * log_p, axis=-1)))
            gradient = (np.exp(log_p) - targets) / count
            accuracy = float(np.mean(np.argmax(out, axis=-1) == np.argmax(targets, axis=-1)))
            return loss, gradient.astype(self.dtype), accuracy
        error = out - targets.reshape(out.shape)
        return float(np.mean(error * error)), (2 * error / self.dtype(error.size)).astype(self.dtype), None

    def train_batch(self, x: Array, targets: Array) -> Tuple[float, Optional[float]]:
        """One optimiser step on a batch; its loss and accuracy before the step."""
        out, trail = self.forward(x)
        loss, gradient, accuracy = self.loss(out, targets)
        self.optimizer.step(self.params, self.backward(gradient, trail))
        return loss, accuracy

    def evaluate(self, x: Array, targets: Array) -> Tuple[float, Optional[float]]:
        out, _ = self.forward(x)
        loss, _, accuracy = self.loss(out, targets)
        return loss, accuracy

    def predict(self, x: Array) -> Array:
        """Probabilities (classifiers) or the last layer's outputs."""
        out, _ = self.forward(x)
        return softmax(out) if self.classifying else out
