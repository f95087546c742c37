"""The numpy ops only StyleTransfer uses, the way TensorFlow (and TF.js) does them.

CPython only (for ``runtime_cpython.py`` beside it); the browser twin calls TF.js. Built on
``ml5py.numpy_executor.ops`` (float32 NHWC arrays, its padding rules).
"""
from __future__ import annotations

from typing import Sequence, Tuple, Union

import numpy as np

from ml5py.numpy_executor.ops import IntPair, _check_nhwc, _float32, _out_size, _pair



def conv2d_transpose(x: np.ndarray, kernel: np.ndarray, output_shape: Sequence[int],
                     strides: IntPair = (1, 1), padding: str = "valid") -> np.ndarray:
    """Transposed convolution, exactly as ``tf.conv2dTranspose``.

    ``x`` [N, h, w, in], ``kernel`` [kh, kw, out, in] (note: out before in, as TF.js),
    ``output_shape`` [N, H, W, out] or [H, W, out]. The result is the gradient of
    ``conv2d(y, kernel, strides, padding)`` with respect to a ``y`` of ``output_shape``:
    every input pixel spreads ``x[n, i, j] @ kernel[a, b].T`` onto output pixel
    ``(i * stride + a - pad_top, j * stride + b - pad_left)``, with the padding that conv2d
    would use on an image of size H x W. ``x`` must have the size that conv2d gives.
    """
    x, kernel = _float32(x), _float32(kernel)
    _check_nhwc(x, "conv2d_transpose")
    if kernel.ndim != 4:
        raise ValueError(f"conv2d_transpose: the kernel must be [kh, kw, out, in], got shape {kernel.shape}.")
    kh, kw, cout, cin = kernel.shape
    if x.shape[3] != cin:
        raise ValueError(
            f"conv2d_transpose: the input has {x.shape[3]} channels but the kernel [kh, kw, out, in] "
            f"expects {cin}."
        )
    shape = [int(v) for v in output_shape]
    if len(shape) == 3:
        shape = [x.shape[0]] + shape
    if len(shape) != 4 or shape[0] != x.shape[0] or shape[3] != cout:
        raise ValueError(
            f"conv2d_transpose: output_shape {list(output_shape)} does not fit a batch of "
            f"{x.shape[0]} and a kernel with {cout} output channels."
        )
    n, height, width = shape[0], shape[1], shape[2]
    sh, sw = _pair(strides, "strides")
    oh, top, _ = _out_size(height, kh, sh, 1, padding)
    ow, left, _ = _out_size(width, kw, sw, 1, padding)
    if (oh, ow) != x.shape[1:3]:
        raise ValueError(
            f"conv2d_transpose: an output of {height}x{width} with strides {(sh, sw)} and padding "
            f"{padding!r} needs an input of {oh}x{ow}, got {x.shape[1]}x{x.shape[2]}."
        )
    h, w = x.shape[1], x.shape[2]
    # One matrix product gives every (pixel, kernel tap) contribution; then each tap is
    # added onto a strided slice of a canvas big enough for every tap, which is cropped.
    taps = np.dot(x.reshape(-1, cin), kernel.transpose(3, 0, 1, 2).reshape(cin, kh * kw * cout))
    taps = taps.reshape(n, h, w, kh, kw, cout)
    canvas_h = max((h - 1) * sh + kh, top + height)
    canvas_w = max((w - 1) * sw + kw, left + width)
    canvas = np.zeros((n, canvas_h, canvas_w, cout), dtype=np.float32)
    for a in range(kh):
        for b in range(kw):
            canvas[:, a: a + (h - 1) * sh + 1: sh, b: b + (w - 1) * sw + 1: sw, :] += taps[:, :, :, a, b, :]
    return canvas[:, top: top + height, left: left + width, :]


def moments(x: np.ndarray, axes: Union[int, Sequence[int]], keepdims: bool = True
            ) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and variance of ``x`` over ``axes``, as ``tf.moments`` (float32 results).

    The variance is the mean of the squared deviations (divided by the count, not count-1).
    Sums are accumulated in float64, so the results are the float32 roundings of the exact
    values; TF.js, summing in float32, agrees to float rounding.
    """
    x = _float32(x)
    axes_tuple = (int(axes),) if isinstance(axes, (int, np.integer)) else tuple(int(a) for a in axes)
    mean = np.mean(x, axis=axes_tuple, dtype=np.float64, keepdims=True).astype(np.float32)
    deviation = x - mean
    variance = np.mean(np.square(deviation), axis=axes_tuple, dtype=np.float64, keepdims=keepdims)
    if not keepdims:
        mean = mean.reshape(variance.shape)
    return mean, variance.astype(np.float32)


def instance_norm(x: np.ndarray, shift: np.ndarray, scale: np.ndarray, epsilon: float = 1e-3) -> np.ndarray:
    """Instance normalisation of an NHWC batch, as the style-transfer networks use it.

    ``scale * (x - mean) / sqrt(variance + epsilon) + shift``, with mean and variance per
    image and channel over height and width; ``shift`` and ``scale`` are per channel.
    """
    x = _float32(x)
    _check_nhwc(x, "instance_norm")
    shift, scale = _float32(shift), _float32(scale)
    for name, value in (("shift", shift), ("scale", scale)):
        if value.size != x.shape[3]:
            raise ValueError(
                f"instance_norm: {name} has {value.size} values but the input has {x.shape[3]} channels."
            )
    mean, variance = moments(x, (1, 2), keepdims=True)
    normalized = (x - mean) / np.sqrt(variance + np.float32(epsilon))
    return scale.reshape(-1) * normalized + shift.reshape(-1)


def clip(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Every value of ``x`` limited to ``[lo, hi]`` (as ``tf.clipByValue``)."""
    if lo > hi:
        raise ValueError(f"clip: the lower bound {lo} is above the upper bound {hi}.")
    return np.clip(_float32(x), np.float32(lo), np.float32(hi))
