"""The layers a TF.js *layers* model may hold, each as a builder: (config, weights) -> function.

For ``layers.py``, which turns a whole ``model.json`` into steps. A layer with a kernel
(Conv2D, DepthwiseConv2D, SeparableConv2D, Dense) is a ``_KernelLayer`` that can take in a
following BatchNormalization and activation; the others are plain functions.
"""
from __future__ import annotations

from functools import partial
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from ml5py.numpy_executor import ops
from ml5py.numpy_executor.depthwise import depthwise_conv2d
from ml5py.numpy_executor.weight_manifest import LayerWeights

Array = np.ndarray
Builder = Callable[[dict, LayerWeights], Callable]  # (config, weights) -> the layer's function

# ---------------------------------------------------------------- layers with a kernel


class _KernelLayer:
    """``activation(op(x, kernel) + bias)``: Conv2D, DepthwiseConv2D, SeparableConv2D, Dense.

    ``channel_axes`` is how many trailing kernel axes number the output channels (2 for a
    depthwise kernel [kh, kw, in, multiplier], else 1), so a BatchNormalization can be
    folded in: scale the kernel and bias per output channel.
    """

    def __init__(self, op: Callable[[Array, Array], Array], kernel: Array, bias: Optional[Array],
                 activation: Callable[[Array], Array], out_rank: Optional[int], channel_axes: int = 1):
        self.op, self.kernel, self.bias, self.activation = op, kernel, bias, activation
        self.out_rank, self.channel_axes = out_rank, channel_axes

    def can_fold(self, axis: int) -> bool:
        """Whether a BatchNormalization over ``axis`` works on this layer's output channels."""
        return axis == -1 or (self.out_rank is not None and axis == self.out_rank - 1)

    def fold(self, factor: Array, shift: Array) -> None:
        """Make this layer also compute ``y * factor + shift`` (a BatchNormalization after it)."""
        self.kernel = self.kernel * factor.reshape(self.kernel.shape[-self.channel_axes:])
        self.bias = shift if self.bias is None else self.bias * factor + shift

    def function(self) -> Callable[[Array], Array]:
        op, kernel, bias, activation = self.op, self.kernel, self.bias, _in_place(self.activation)

        def run(x: Array) -> Array:
            y = op(x, kernel)  # a new array: safe to change in place
            if bias is not None:
                y += bias
            return activation(y)
        return run


def _channels_last(cfg: dict) -> None:
    if cfg.get("data_format", "channels_last") != "channels_last":
        raise NotImplementedError(
            f"Layer '{cfg.get('name')}' uses data_format '{cfg['data_format']}'; ml5py only runs "
            f"'channels_last' (NHWC) models, the TF.js default."
        )


def _window_args(cfg: dict) -> Tuple:
    return cfg.get("strides", 1), cfg.get("padding", "valid"), cfg.get("dilation_rate", 1)


def _conv2d(cfg: dict, w: LayerWeights) -> _KernelLayer:
    _channels_last(cfg)
    if cfg.get("groups", 1) != 1:
        raise NotImplementedError(f"Conv2D layer '{cfg.get('name')}' uses groups, which ml5py cannot run.")
    strides, padding, dilation = _window_args(cfg)
    return _KernelLayer(lambda x, k: ops.conv2d(x, k, strides, padding, dilation), w("kernel"),
                        w.optional("bias", cfg.get("use_bias", True)),
                        ops.activation(cfg.get("activation")), out_rank=4)


def _depthwise_conv2d(cfg: dict, w: LayerWeights) -> _KernelLayer:
    _channels_last(cfg)
    strides, padding, dilation = _window_args(cfg)
    return _KernelLayer(lambda x, k: depthwise_conv2d(x, k, strides, padding, dilation),
                        w("depthwise_kernel"), w.optional("bias", cfg.get("use_bias", True)),
                        ops.activation(cfg.get("activation")), out_rank=4, channel_axes=2)


def _separable_conv2d(cfg: dict, w: LayerWeights) -> _KernelLayer:
    _channels_last(cfg)
    strides, padding, dilation = _window_args(cfg)
    depthwise = w("depthwise_kernel")
    return _KernelLayer(
        lambda x, k: ops.conv2d(depthwise_conv2d(x, depthwise, strides, padding, dilation), k),
        w("pointwise_kernel"), w.optional("bias", cfg.get("use_bias", True)),
        ops.activation(cfg.get("activation")), out_rank=4,
    )


def _dense(cfg: dict, w: LayerWeights) -> _KernelLayer:
    return _KernelLayer(ops.dense, w("kernel"), w.optional("bias", cfg.get("use_bias", True)),
                        ops.activation(cfg.get("activation")), out_rank=None)


_KERNEL = {
    "Conv2D": _conv2d,
    "DepthwiseConv2D": _depthwise_conv2d,
    "SeparableConv2D": _separable_conv2d,
    "Dense": _dense,
}

# ---------------------------------------------------------------- activation layers


def _relu(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
    max_value = cfg.get("max_value")
    slope = float(cfg.get("negative_slope") or 0.0)
    threshold = float(cfg.get("threshold") or 0.0)
    if slope == 0 and threshold == 0:
        if max_value is None:
            return ops.relu
        if float(max_value) == 6:
            return ops.relu6
    ceiling = None if max_value is None else np.float32(max_value)

    def run(x: Array) -> Array:  # Keras: slope * (x - threshold) below the threshold
        y = np.where(x >= threshold, x, np.float32(slope) * (x - np.float32(threshold)))
        return y if ceiling is None else np.minimum(y, ceiling)
    return run


def _in_place(activation: Callable[[Array], Array]) -> Callable[[Array], Array]:
    """The same activation, overwriting its input where numpy can (only for fresh arrays)."""
    if activation is ops.relu:
        return lambda y: np.maximum(y, np.float32(0), out=y)
    if activation is ops.relu6:
        return lambda y: np.clip(y, np.float32(0), np.float32(6), out=y)
    if isinstance(activation, partial) and activation.func is ops.leaky_relu:
        alpha = np.float32(activation.keywords["alpha"])
        if 0 <= alpha <= 1:  # then leaky_relu(y) == max(y, alpha * y)
            return lambda y: np.maximum(y, y * alpha, out=y)
    return activation


_ACTIVATION: Dict[str, Builder] = {
    "Activation": lambda cfg, w: ops.activation(cfg["activation"]),
    "ReLU": _relu,
    "LeakyReLU": lambda cfg, w: partial(ops.leaky_relu, alpha=cfg.get("alpha", cfg.get("negative_slope", 0.3))),
    "Softmax": lambda cfg, w: partial(ops.softmax, axis=cfg.get("axis", -1)),
}

# ---------------------------------------------------------------- other layers


def _batch_norm_axis(cfg: dict) -> int:
    axis = cfg.get("axis", -1)
    return axis[0] if isinstance(axis, list) and len(axis) == 1 else axis


def _batch_norm_factors(cfg: dict, w: LayerWeights) -> Tuple[Array, Array]:
    return ops.batch_norm_factors(
        w("moving_mean"), w("moving_variance"),
        offset=w.optional("beta", cfg.get("center", True)),
        scale=w.optional("gamma", cfg.get("scale", True)),
        epsilon=cfg.get("epsilon", 1e-3),
    )


def _batch_norm(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
    axis = _batch_norm_axis(cfg)
    factor, shift = _batch_norm_factors(cfg, w)

    def run(x: Array) -> Array:
        if axis not in (-1, x.ndim - 1):
            raise NotImplementedError(
                f"BatchNormalization layer '{cfg.get('name')}' normalises axis {axis}; ml5py "
                f"only normalises the last (channels) axis."
            )
        y = x * factor
        y += shift
        return y
    return run


def _pool(op: Callable) -> Callable:
    def build(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
        _channels_last(cfg)
        size, strides, padding = cfg.get("pool_size", 2), cfg.get("strides"), cfg.get("padding", "valid")
        return lambda x: op(x, size, strides, padding)
    return build


def _global_pool(op: Callable) -> Callable:
    def build(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
        _channels_last(cfg)
        return partial(op, keepdims=bool(cfg.get("keepdims", False)))
    return build


def _reshape(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
    target = tuple(int(d) for d in cfg["target_shape"])  # may hold one -1
    return lambda x: x.reshape((x.shape[0],) + target)


def _zero_padding(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
    _channels_last(cfg)
    pad = cfg.get("padding", 1)  # 1, [1, 2] or [[top, bottom], [left, right]]
    if isinstance(pad, int):
        pad = ((pad, pad), (pad, pad))
    elif all(isinstance(p, int) for p in pad):
        pad = ((pad[0], pad[0]), (pad[1], pad[1]))
    widths = ((0, 0), tuple(pad[0]), tuple(pad[1]), (0, 0))
    return lambda x: np.pad(x, widths)


def _identity(cfg: dict, w: LayerWeights) -> Callable[[Array], Array]:
    return lambda x: x


_OTHER: Dict[str, Builder] = {
    "BatchNormalization": _batch_norm,
    "MaxPooling2D": _pool(ops.max_pool2d),
    "AveragePooling2D": _pool(ops.avg_pool2d),
    "GlobalAveragePooling2D": _global_pool(ops.global_avg_pool2d),
    "GlobalMaxPooling2D": _global_pool(ops.global_max_pool2d),
    "Flatten": lambda cfg, w: (lambda x: x.reshape(x.shape[0], -1)),
    "Reshape": _reshape,
    "Dropout": _identity,
    "ZeroPadding2D": _zero_padding,
    "InputLayer": _identity,
}


def _add(cfg: dict, w: LayerWeights) -> Callable[[List[Array]], Array]:
    def run(xs: List[Array]) -> Array:
        total = xs[0] + xs[1]
        for x in xs[2:]:
            total += x
        return total
    return run


def _multiply(cfg: dict, w: LayerWeights) -> Callable[[List[Array]], Array]:
    def run(xs: List[Array]) -> Array:
        product = xs[0] * xs[1]
        for x in xs[2:]:
            product *= x
        return product
    return run


# Layers that combine a list of inputs.
_MERGE: Dict[str, Builder] = {
    "Add": _add,
    "Multiply": _multiply,
    "Concatenate": lambda cfg, w: partial(np.concatenate, axis=cfg.get("axis", -1)),
}
_NESTED = ("Sequential", "Model", "Functional")
SUPPORTED_LAYERS = sorted([*_KERNEL, *_ACTIVATION, *_OTHER, *_MERGE, *_NESTED])
