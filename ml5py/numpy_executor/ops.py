"""The maths of neural networks on numpy arrays, the way TensorFlow (and TF.js) does it.

Every function takes and returns ``float32`` numpy arrays. Images are laid out NHWC:
``[batch, height, width, channels]``. Each op gives the same numbers as its TF.js twin,
up to float rounding, so a model runs the same here and in the browser.

Speed comes from doing the heavy work inside numpy: a convolution becomes one big matrix
multiplication, and a pooling a short loop over the few positions of the window (4 for
2x2), each step working on the whole image at once. Depthwise convolution has a module of
its own (``depthwise.py``).
"""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence, Tuple, Union

import numpy as np
from numpy.lib.stride_tricks import as_strided

IntPair = Union[int, Sequence[int]]
PADDINGS = ("same", "valid")

# ---------------------------------------------------------------- helpers


def _pair(value: IntPair, what: str) -> Tuple[int, int]:
    """``3`` -> ``(3, 3)``; ``(2, 1)`` stays ``(2, 1)``."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    pair = tuple(int(v) for v in value)
    if len(pair) != 2:
        raise ValueError(f"{what} needs 2 numbers (height, width), got {value!r}.")
    return pair  # type: ignore[return-value]


def _float32(x: np.ndarray) -> np.ndarray:
    """``x`` as a float32 array (no copy when it already is one)."""
    return np.asarray(x, dtype=np.float32)


def _check_nhwc(x: np.ndarray, op: str) -> None:
    if x.ndim != 4:
        raise ValueError(
            f"{op} needs a batch of images shaped [batch, height, width, channels], "
            f"got shape {x.shape}. For a single image use x[None]."
        )


def _out_size(size: int, kernel: int, stride: int, dilation: int, padding: str) -> Tuple[int, int, int]:
    """Output length and padding (before, after) along one axis, by TensorFlow's rule."""
    if padding not in PADDINGS:
        raise ValueError(f"Unknown padding {padding!r}. Valid paddings are: 'same', 'valid'.")
    reach = (kernel - 1) * dilation + 1  # the kernel's span once dilated
    if padding == "same":
        out = -(-size // stride)  # ceil(size / stride)
        total = max((out - 1) * stride + reach - size, 0)
        return out, total // 2, total - total // 2
    out = (size - reach) // stride + 1
    if out < 1:
        raise ValueError(
            f"The input ({size} pixels) is smaller than the kernel ({reach} pixels) with "
            f"padding 'valid'. Use padding 'same' or a bigger input."
        )
    return out, 0, 0


def _plan(x: np.ndarray, kernel_hw: Tuple[int, int], strides: IntPair, padding: str,
          dilation: IntPair, pad_value: float = 0.0):
    """Pad ``x`` as TensorFlow would; return it with the output size, strides and dilation."""
    sh, sw = _pair(strides, "strides")
    dh, dw = _pair(dilation, "dilation")
    oh, top, bottom = _out_size(x.shape[1], kernel_hw[0], sh, dh, padding)
    ow, left, right = _out_size(x.shape[2], kernel_hw[1], sw, dw, padding)
    if top or bottom or left or right:
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    return x, (oh, ow), (sh, sw), (dh, dw)


def _tap(xp: np.ndarray, i: int, j: int, out_hw, strides, dilation) -> np.ndarray:
    """The pixels that kernel position (i, j) sees, for every output pixel at once (a view)."""
    (oh, ow), (sh, sw), (dh, dw) = out_hw, strides, dilation
    return xp[:, i * dh: i * dh + (oh - 1) * sh + 1: sh, j * dw: j * dw + (ow - 1) * sw + 1: sw, :]


def _windows(xp: np.ndarray, kernel_hw, out_hw, strides, dilation) -> np.ndarray:
    """A view [batch, out_h, out_w, kh, kw, channels] of every kernel window (no copy)."""
    sn, sy, sx, sc = xp.strides
    shape = (xp.shape[0], out_hw[0], out_hw[1], kernel_hw[0], kernel_hw[1], xp.shape[3])
    view_strides = (sn, sy * strides[0], sx * strides[1], sy * dilation[0], sx * dilation[1], sc)
    return as_strided(xp, shape=shape, strides=view_strides, writeable=False)


def _matmul_last(x: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Multiply the last axis of ``x`` by ``matrix`` as one 2-D matrix product (fast BLAS)."""
    flat = x.reshape(-1, x.shape[-1])
    return np.dot(flat, matrix).reshape(x.shape[:-1] + (matrix.shape[1],))


# ---------------------------------------------------------------- convolutions


def conv2d(x: np.ndarray, kernel: np.ndarray, strides: IntPair = (1, 1), padding: str = "valid",
           dilation: IntPair = (1, 1)) -> np.ndarray:
    """2-D convolution. ``x`` [N, H, W, in], ``kernel`` [kh, kw, in, out] -> [N, H', W', out]."""
    x, kernel = _float32(x), _float32(kernel)
    _check_nhwc(x, "conv2d")
    kh, kw, cin, cout = kernel.shape
    if x.shape[3] != cin:
        raise ValueError(f"conv2d: the input has {x.shape[3]} channels but the kernel expects {cin}.")
    xp, out_hw, st, dil = _plan(x, (kh, kw), strides, padding, dilation)
    if kh == 1 and kw == 1:  # a 1x1 convolution is a plain matrix product per pixel
        return _matmul_last(xp[:, ::st[0], ::st[1], :], kernel.reshape(cin, cout))
    n = x.shape[0]
    columns = _windows(xp, (kh, kw), out_hw, st, dil).reshape(n * out_hw[0] * out_hw[1], kh * kw * cin)
    return np.dot(columns, kernel.reshape(kh * kw * cin, cout)).reshape(n, out_hw[0], out_hw[1], cout)


# ---------------------------------------------------------------- pooling


def _combine_taps(xp: np.ndarray, kernel_hw: Tuple[int, int], out_hw, strides, combine) -> np.ndarray:
    """Fold the kh*kw pixels of every window into one with ``combine`` (np.maximum, np.add)."""
    out = _tap(xp, 0, 0, out_hw, strides, (1, 1)).copy()
    for i in range(kernel_hw[0]):
        for j in range(kernel_hw[1]):
            if i or j:
                combine(out, _tap(xp, i, j, out_hw, strides, (1, 1)), out=out)
    return out


def max_pool2d(x: np.ndarray, pool_size: IntPair, strides: Optional[IntPair] = None,
               padding: str = "valid") -> np.ndarray:
    """Largest value in each window. ``strides`` defaults to ``pool_size`` (as in Keras)."""
    x = _float32(x)
    _check_nhwc(x, "max_pool2d")
    size = _pair(pool_size, "pool_size")
    xp, out_hw, st, _ = _plan(x, size, pool_size if strides is None else strides, padding, 1,
                              pad_value=-np.inf)
    return _combine_taps(xp, size, out_hw, st, np.maximum)


def avg_pool2d(x: np.ndarray, pool_size: IntPair, strides: Optional[IntPair] = None,
               padding: str = "valid") -> np.ndarray:
    """Mean of each window. With 'same' padding, edge windows average only real pixels."""
    x = _float32(x)
    _check_nhwc(x, "avg_pool2d")
    size = _pair(pool_size, "pool_size")
    strides = pool_size if strides is None else strides
    xp, out_hw, st, _ = _plan(x, size, strides, padding, 1)
    total = _combine_taps(xp, size, out_hw, st, np.add)
    if xp.shape == x.shape:  # no padding: every window is full
        total *= np.float32(1.0 / (size[0] * size[1]))
        return total
    ones, _, _, _ = _plan(np.ones((1,) + x.shape[1:3] + (1,), dtype=np.float32), size, strides, padding, 1)
    total /= _combine_taps(ones, size, out_hw, st, np.add)  # how many real pixels each window holds
    return total


def global_avg_pool2d(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """Mean over height and width: [N, H, W, C] -> [N, C] (or [N, 1, 1, C] with keepdims)."""
    x = _float32(x)
    _check_nhwc(x, "global_avg_pool2d")
    return x.mean(axis=(1, 2), keepdims=keepdims)


def global_max_pool2d(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """Largest value over height and width: [N, H, W, C] -> [N, C] (or [N, 1, 1, C])."""
    x = _float32(x)
    _check_nhwc(x, "global_max_pool2d")
    return x.max(axis=(1, 2), keepdims=keepdims)


# ---------------------------------------------------------------- normalisation and dense


def batch_norm_factors(mean: np.ndarray, variance: np.ndarray, offset: Optional[np.ndarray] = None,
                       scale: Optional[np.ndarray] = None, epsilon: float = 1e-3):
    """Fold batch normalisation into ``x * factor + shift``; returns ``(factor, shift)``."""
    factor = np.float32(1) / np.sqrt(_float32(variance) + np.float32(epsilon))
    if scale is not None:
        factor = factor * _float32(scale)
    shift = -_float32(mean) * factor
    if offset is not None:
        shift = shift + _float32(offset)
    return factor, shift


def batch_norm(x: np.ndarray, mean: np.ndarray, variance: np.ndarray,
               offset: Optional[np.ndarray] = None, scale: Optional[np.ndarray] = None,
               epsilon: float = 1e-3) -> np.ndarray:
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, per channel (last axis)."""
    factor, shift = batch_norm_factors(mean, variance, offset, scale, epsilon)
    out = _float32(x) * factor
    out += shift
    return out


def dense(x: np.ndarray, kernel: np.ndarray, bias: Optional[np.ndarray] = None) -> np.ndarray:
    """Fully connected layer: ``x @ kernel + bias`` on the last axis of ``x``."""
    x, kernel = _float32(x), _float32(kernel)
    if x.shape[-1] != kernel.shape[0]:
        raise ValueError(
            f"dense: the input has {x.shape[-1]} features but the kernel expects {kernel.shape[0]}."
        )
    out = _matmul_last(x, kernel)
    if bias is not None:
        out += _float32(bias)
    return out


# ---------------------------------------------------------------- resizing


def _source_positions(out_size: int, in_size: int, align_corners: bool, half_pixel_centers: bool):
    """For each output row (or column): the two source indices and the weight of the second."""
    if align_corners and out_size > 1:
        ratio = (in_size - 1) / (out_size - 1)
    else:
        ratio = in_size / out_size
    positions = np.arange(out_size, dtype=np.float64)  # index maths, not pixel values
    if half_pixel_centers:
        positions = (positions + 0.5) * ratio - 0.5
    else:
        positions = positions * ratio
    low = np.maximum(np.floor(positions), 0).astype(np.intp)
    high = np.minimum(np.ceil(positions), in_size - 1).astype(np.intp)
    fraction = (positions - low).astype(np.float32)
    return low, high, fraction


def resize_bilinear(x: np.ndarray, size: Sequence[int], align_corners: bool = False,
                    half_pixel_centers: bool = False) -> np.ndarray:
    """Resize images to ``size`` = (height, width), like ``tf.image.resizeBilinear``.

    ``x`` is one image [H, W, C] or a batch [N, H, W, C]; the result has the same rank.
    """
    if align_corners and half_pixel_centers:
        raise ValueError("resize_bilinear: align_corners and half_pixel_centers cannot both be True.")
    x = _float32(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"resize_bilinear needs [H, W, C] or [N, H, W, C], got shape {x.shape}.")
    single = x.ndim == 3
    if single:
        x = x[None]
    new_h, new_w = _pair(size, "size")
    rows_low, rows_high, row_frac = _source_positions(new_h, x.shape[1], align_corners, half_pixel_centers)
    cols_low, cols_high, col_frac = _source_positions(new_w, x.shape[2], align_corners, half_pixel_centers)
    col_frac = col_frac[:, None]

    def along_width(rows: np.ndarray) -> np.ndarray:
        left = rows[:, :, cols_low]
        return left + (rows[:, :, cols_high] - left) * col_frac

    top = along_width(x[:, rows_low])
    bottom = along_width(x[:, rows_high])
    out = top + (bottom - top) * row_frac[:, None, None]
    return out[0] if single else out


# ---------------------------------------------------------------- activations


def linear(x: np.ndarray) -> np.ndarray:
    """The identity: returns ``x`` unchanged."""
    return _float32(x)


def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)``."""
    return np.maximum(_float32(x), np.float32(0))


def relu6(x: np.ndarray) -> np.ndarray:
    """``min(max(x, 0), 6)``."""
    return np.clip(_float32(x), np.float32(0), np.float32(6))


def leaky_relu(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """``x`` where positive, ``alpha * x`` elsewhere."""
    x = _float32(x)
    return np.where(x > 0, x, x * np.float32(alpha))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``, computed without overflow for large ``|x|``."""
    x = _float32(x)
    small = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + small), small / (1 + small))


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, between -1 and 1."""
    return np.tanh(_float32(x))


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Turn scores into probabilities that sum to 1 along ``axis``."""
    x = _float32(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""
    x = _float32(x)
    return np.where(x > 0, x, np.float32(alpha) * np.expm1(np.minimum(x, 0)))


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def selu(x: np.ndarray) -> np.ndarray:
    """Scaled ELU with the fixed constants of Klambauer et al. (2017)."""
    return np.float32(_SELU_SCALE) * elu(x, _SELU_ALPHA)


def softplus(x: np.ndarray) -> np.ndarray:
    """``log(1 + exp(x))``, a smooth ReLU, computed without overflow."""
    x = _float32(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def softsign(x: np.ndarray) -> np.ndarray:
    """``x / (1 + |x|)``."""
    x = _float32(x)
    return x / (1 + np.abs(x))


def hard_sigmoid(x: np.ndarray) -> np.ndarray:
    """A cheap sigmoid, ``clip(0.2 * x + 0.5, 0, 1)`` (the Keras / TF.js definition)."""
    return np.clip(_float32(x) * np.float32(0.2) + np.float32(0.5), np.float32(0), np.float32(1))


def swish(x: np.ndarray) -> np.ndarray:
    """``x * sigmoid(x)`` (also called SiLU)."""
    x = _float32(x)
    return x * sigmoid(x)


silu = swish

ACTIVATIONS = {
    "linear": linear,
    "relu": relu,
    "relu6": relu6,
    "leaky_relu": leaky_relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "softmax": softmax,
    "elu": elu,
    "selu": selu,
    "softplus": softplus,
    "softsign": softsign,
    "hard_sigmoid": hard_sigmoid,
    "swish": swish,
    "silu": silu,
}


def activation(name: Optional[str]) -> Callable[[np.ndarray], np.ndarray]:
    """The activation function for a Keras name such as ``"relu"`` (``None`` means linear).

    TF.js spellings such as ``"hardSigmoid"`` are accepted too.
    """
    if name is None:
        return linear
    key = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", str(name)).lower()
    if key not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation {name!r}. Valid activations are: {', '.join(sorted(ACTIVATIONS))}."
        )
    return ACTIVATIONS[key]
