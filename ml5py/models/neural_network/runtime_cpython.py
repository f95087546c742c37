"""The CPython runtime, NeuralNetwork: numpy layers, values as numbers, pictures as pixels.

NeuralNetwork's CPython twin (``ml5py/runtime_cpython.py`` gathers it), with its model
files in ``network_files_cpython.py``. Its twin for the browser is ``runtime_browser.py``
beside it; ``neural_network.py`` calls both through ``rt``.
"""
from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from ml5py.core.pending_cpython import Settled, attempt
from ml5py.numpy_executor.blas_threads import on_one_blas_thread as _on_one_blas_thread
from ml5py.models.neural_network.network_files_cpython import *  # noqa: F401,F403 (its model files)

# ---------------------------------------------------------------- values

def as_list(value: Any) -> list:
    """``value`` (a list, tuple or numpy array) as a plain list."""
    return value.tolist() if isinstance(value, np.ndarray) else list(value)


def network_type_name(value: Any) -> str:
    """The name of a value's type, for messages."""
    return "None" if value is None else type(value).__name__


def network_warning(message: str) -> None:
    """Tell the learner something is likely wrong, without stopping (a Python warning, shown at
    the learner's line: the first caller outside ml5py)."""
    import sys

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level, frame = 2, sys._getframe(1)  # 2: the caller of this function
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        level, frame = level + 1, frame.f_back
    warnings.warn("NeuralNetwork: " + message, UserWarning, stacklevel=level)


# ---------------------------------------------------------------- pictures

def network_pixels_now(media: Any, shape: list, method: str) -> list:
    """A picture's pixels as one list of numbers (0..255), rows of [r, g, b(, a)], checked against
    the network's ``[width, height, channels]``."""
    from ml5py.core.image_files import Image, to_rgb_pixels

    rgb = np.asarray(to_rgb_pixels(media))
    height, width = rgb.shape[:2]
    if width != shape[0] or height != shape[1]:
        raise ValueError(f"{method}: the picture is {width}x{height} pixels, but the network takes "
                         f"{shape[0]}x{shape[1]} (inputs=[{shape[0]}, {shape[1]}, {shape[2]}]). Resize it "
                         f"first (in p5: video.size({shape[0]}, {shape[1]})).")
    if shape[2] == 3:
        return rgb.astype(np.float64).ravel().tolist()
    alpha = np.full((height, width, 1), 255.0)
    if isinstance(media, Image) and media.pixels.shape[2] == 4:
        alpha = media.pixels[..., 3:].astype(np.float64)
    return np.concatenate([rgb.astype(np.float64), alpha], axis=2).ravel().tolist()


def network_pixels(media: Any, shape: list, method: str) -> Settled:
    """``network_pixels_now`` as a pending value (the browser may have to wait for the picture)."""
    return attempt(lambda: network_pixels_now(media, shape, method))


# ---------------------------------------------------------------- the network

def network_create(specs: list, weights: list, optimizer: str, learning_rate: float, classifying: bool) -> Any:
    """A trainable network (numpy) of ``specs`` starting from ``weights`` (flat lists)."""
    from ml5py.models.neural_network.network_numpy import Network

    return Network(specs, weights, optimizer, learning_rate, classifying)


def network_data(net: Any, inputs: list, targets: list) -> dict:
    """The examples as float32 arrays shaped for the network."""
    shape = [len(inputs)] + list(net.specs[0]["input_shape"])
    return {"x": np.asarray(inputs, dtype=np.float32).reshape(shape),
            "y": np.asarray(targets, dtype=np.float32).reshape(len(targets), -1)}


def network_data_dispose(data: dict) -> None:
    data.clear()


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def network_fit_epoch(net: Any, data: dict, batches: list) -> Settled:
    """One epoch: an optimiser step per batch (lists of example numbers); [mean loss, accuracy]."""
    loss = correct = 0.0
    count = 0
    for batch in batches:
        batch_loss, accuracy = net.train_batch(data["x"][batch], data["y"][batch])
        loss += batch_loss * len(batch)
        correct += (accuracy or 0.0) * len(batch)
        count += len(batch)
    if count == 0:
        return Settled([None, None])
    return Settled([loss / count, correct / count if net.classifying else None])


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def network_evaluate(net: Any, data: dict, indices: list) -> Settled:
    """[loss, accuracy] on the examples numbered ``indices`` ([None, None] for none)."""
    if len(indices) == 0:
        return Settled([None, None])
    return Settled(list(net.evaluate(data["x"][indices], data["y"][indices])))


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def network_predict_sync(net: Any, rows: list) -> list:
    """The network's outputs for each row, as lists of floats."""
    shape = [len(rows)] + list(net.specs[0]["input_shape"])
    return net.predict(np.asarray(rows, dtype=np.float32).reshape(shape)).tolist()


def network_predict(net: Any, rows: list) -> Settled:
    return attempt(lambda: network_predict_sync(net, rows))


def network_weights(net: Any) -> Settled:
    """The weights, one flat float32 array per weight, in the specs' order."""
    return Settled([p.ravel().copy() for p in net.params])


def network_dispose(net: Any) -> None:
    """Free a network: drop its weights and its optimiser's state."""
    net.params = []
    net.optimizer = None
