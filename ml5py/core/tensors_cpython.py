"""The CPython runtime's tensor ops (numpy arrays, through ``numpy_executor.ops``) and backends
(always numpy; browser names are accepted with a note).

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``tensors_browser.py``.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from ml5py.core.pending_cpython import Settled
from ml5py.numpy_executor import ops as numpy_ops

# ---------------------------------------------------------------- tensor ops

def tidy(work: Callable[[], Any]) -> Any:
    """Run ``work``; in the browser this frees every temporary tensor it made."""
    return work()


def dispose(tensor: Any) -> None:
    """Free a tensor's memory (numpy's garbage collector does it for us)."""


def read(tensor: Any) -> Settled:
    """The tensor's values as a flat Python list of floats."""
    return Settled(np.asarray(tensor, dtype=np.float32).ravel().tolist())


def resize_bilinear(tensor: np.ndarray, size: list, align_corners: bool) -> np.ndarray:
    if tensor.shape[0] == size[0] and tensor.shape[1] == size[1]:
        return tensor
    return numpy_ops.resize_bilinear(tensor, (size[0], size[1]), align_corners=align_corners)


def scale_offset(tensor: np.ndarray, scale: float, offset: float) -> np.ndarray:
    return tensor * np.float32(scale) + np.float32(offset)


def mean_round_channels(tensor: np.ndarray) -> np.ndarray:
    """Average the colour channels and round to whole numbers (height x width x 1)."""
    total = tensor[..., 0:1] + tensor[..., 1:2] + tensor[..., 2:3]
    return np.round(total / np.float32(3)).astype(np.float32)


def batch(tensor: np.ndarray) -> np.ndarray:
    return tensor[np.newaxis]


def softmax(tensor: np.ndarray) -> np.ndarray:
    return numpy_ops.softmax(tensor)


# ---------------------------------------------------------------- backends

def set_backend(name: str) -> None:
    """Choose the maths engine. CPython always uses numpy; browser names are accepted and noted."""
    valid = ("numpy", "webgpu", "webgl", "wasm", "cpu")
    if name not in valid:
        raise ValueError(f"Unknown backend '{name}'. Valid backends are: {', '.join(valid)}.")
    if name != "numpy":
        warnings.warn(
            f"The '{name}' backend only exists in the browser; in CPython ml5py computes with numpy.",
            stacklevel=2,
        )


def get_backend() -> str:
    """The maths engine in use: always 'numpy' in CPython."""
    return "numpy"


def backend_ready() -> Settled:
    """Wait until tensors can be made (numpy: always; the browser starts TF.js's backend)."""
    return Settled(None)
