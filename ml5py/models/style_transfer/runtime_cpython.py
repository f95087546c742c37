"""The CPython runtime, style transfer: checkpoints and ops for ``style_transfer.py``.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``runtime_browser.py`` beside it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ml5py.models.style_transfer import style_ops_numpy as style_ops
from ml5py.numpy_executor import ops as numpy_ops
from ml5py.core.pending_cpython import Settled, attempt
from ml5py.numpy_executor.blas_threads import on_one_blas_thread as _on_one_blas_thread


# ---------------------------------------------------------------- StyleTransfer: ops and images for style_transfer.py
#
# Tensors are NHWC float32 numpy arrays (a batch of one image), as numpy_executor.ops takes them.

# The most pixels one style transfer takes here: a 2048 x 2048 picture (the limit itself)
# was run once: it peaked at 2.5 GB of memory and took 89 s on two busy cores.
STYLE_MAX_PIXELS = 2048 * 2048
_BAND_BYTES = 64 * 1024 * 1024  # a convolution's im2col matrix is built in bands this big


def style_names() -> list:
    """The names of the pretrained styles."""
    from ml5py.models.style_transfer.style_sources import style_names as names

    return names()


def find_checkpoint(style: Any) -> Settled:
    """The description of a style: a pretrained style's name, or a checkpoint folder/URL."""
    from ml5py.models.style_transfer.style_sources import find_style

    return attempt(lambda: find_style(style))


def load_checkpoint(source: dict, title: str = "style") -> Settled:
    """The checkpoint's variables: a dict from name (``Variable_3``) to float32 array."""
    from ml5py.models.style_transfer.style_sources import load_style

    return attempt(lambda: load_style(source))


def max_pixels() -> list:
    """[the most pixels style transfer takes, where]: here numpy's memory."""
    return [STYLE_MAX_PIXELS, "CPython (numpy, memory)"]


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def conv2d(x: np.ndarray, kernel: np.ndarray, stride: int, padding: str = "same") -> np.ndarray:
    """A 2-D convolution (kernel [kh, kw, in, out]), as ``tf.conv2d``.

    Large images are done in bands of output rows, so the im2col matrix of a 9x9
    convolution never takes more than ``_BAND_BYTES`` of memory.
    """
    kh, kw, cin, _ = kernel.shape
    _, height, width, _ = x.shape
    out_h, top, bottom = numpy_ops._out_size(height, kh, stride, 1, padding)
    out_w, left, right = numpy_ops._out_size(width, kw, stride, 1, padding)
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))) if top + bottom + left + right else x
    rows = max(1, _BAND_BYTES // (4 * out_w * kh * kw * cin))
    if rows >= out_h:
        return numpy_ops.conv2d(padded, kernel, stride, "valid")
    bands = []
    for first in range(0, out_h, rows):
        last = min(first + rows, out_h)
        band = padded[:, first * stride: (last - 1) * stride + kh, :, :]
        bands.append(numpy_ops.conv2d(band, kernel, stride, "valid"))
    return np.concatenate(bands, axis=1)


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def conv2d_transpose(x: np.ndarray, kernel: np.ndarray, stride: int) -> np.ndarray:
    """A transposed convolution (kernel [kh, kw, out, in]) to ``stride`` times the size, 'same'."""
    shape = [x.shape[0], x.shape[1] * stride, x.shape[2] * stride, kernel.shape[2]]
    return style_ops.conv2d_transpose(x, kernel, shape, stride, "same")


def instance_norm(x: np.ndarray, shift: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``scale * (x - mean) / sqrt(variance + 0.001) + shift``, per image and channel."""
    return style_ops.instance_norm(x, shift, scale, 1e-3)


def relu(x: np.ndarray) -> np.ndarray:
    return numpy_ops.relu(x)


def tanh(x: np.ndarray) -> np.ndarray:
    return numpy_ops.tanh(x)


def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.add(a, b, dtype=np.float32)


def clip(x: np.ndarray, low: float, high: float) -> np.ndarray:
    return style_ops.clip(x, low, high)


def crop(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """The top-left ``height`` x ``width`` pixels of the first image of a batch (H x W x C)."""
    return x[0, :height, :width, :]


def dispose_variables(variables: dict) -> None:
    """Free every tensor of a checkpoint's variables (numpy's garbage collector does it here)."""
