"""The ops of TF.js graph models, for ml5py.numpy_executor.graph: one builder per TensorFlow op name.

``BUILDERS[op](node)`` reads a node's attributes once (strides, padding ...) and returns a
function of the node's input arrays that computes its output, following TF.js's graph
executor: NHWC float32 arrays, strides and dilations taken from positions 1 and 2 of their
4-number attributes, SAME / VALID / EXPLICIT padding by TensorFlow's rule. ``Conv`` can also
take over a following ``BiasAdd`` and activation, applied in place on its fresh result.
"""
from __future__ import annotations

import base64
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from ml5py.numpy_executor import ops
from ml5py.numpy_executor.graph_tensor_ops import MULTI_OUTPUT_OPS, TENSOR_BUILDERS  # noqa: F401 (re-exported)
from ml5py.numpy_executor.depthwise import depthwise_conv2d

Array = np.ndarray
Ref = Tuple[str, int]  # (node name, output number): only Unpack, Split, TopKV2 have more than output 0
OpFunction = Callable[..., Array]

# ---------------------------------------------------------------- nodes and their attributes


class Node:
    """One node of model.json: ``name``, ``op``, the refs it reads and its raw attributes."""

    __slots__ = ("name", "op", "inputs", "attr")

    def __init__(self, raw: dict):
        if not isinstance(raw, dict) or "name" not in raw or "op" not in raw:
            raise ValueError(f"This model.json has a node without a 'name' and an 'op': {str(raw)[:120]}.")
        self.name: str = raw["name"]
        self.op: str = raw["op"]
        self.inputs: List[Ref] = [parse_ref(text) for text in raw.get("input", []) if not text.startswith("^")]
        self.attr: dict = raw.get("attr", {}) or {}

    def where(self) -> str:
        return f"node '{self.name}' ({self.op})"

    def ints(self, key: str, default: Optional[List[int]] = None) -> List[int]:
        value = self.attr.get(key)
        if value is None:
            if default is None:
                raise ValueError(f"The {self.where()} lacks its '{key}' attribute; model.json is broken.")
            return list(default)
        listed = value.get("list", {})
        return [int(v) for v in (listed.get("i") or listed.get("f") or [])]

    def text(self, key: str, default: str = "") -> str:
        value = self.attr.get(key)
        if value is None or "s" not in value:
            return default
        return base64.b64decode(value["s"]).decode("utf-8")

    def texts(self, key: str) -> List[str]:
        value = self.attr.get(key) or {}
        return [base64.b64decode(s).decode("utf-8") for s in value.get("list", {}).get("s", [])]

    def number(self, key: str, default: float) -> float:
        value = self.attr.get(key)
        if value is None:
            return default
        return float(value.get("f", value.get("i", default)))

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.attr.get(key)
        return default if value is None else bool(value.get("b", default))


def parse_ref(text: str) -> Ref:
    """``"conv"`` -> ``("conv", 0)``; ``"split:1"`` -> ``("split", 1)``."""
    name, _, index = text.rpartition(":")
    if name and index.isdigit():
        return name, int(index)
    return text, 0


def placeholder_shape(node: Node) -> Optional[Tuple[Optional[int], ...]]:
    """A Placeholder's shape, None for an unknown size (or the whole shape when unknown)."""
    shape = (node.attr.get("shape") or {}).get("shape")
    if shape is None or shape.get("unknownRank"):
        return None
    return tuple(None if int(d.get("size", -1)) < 0 else int(d["size"]) for d in shape.get("dim", []))


def check_nhwc(node: Node) -> None:
    layout = node.text("data_format", "NHWC")
    if layout != "NHWC":
        raise NotImplementedError(
            f"The {node.where()} uses data_format '{layout}'; ml5py only runs NHWC "
            f"(channels last) graphs, the TF.js default."
        )


# ---------------------------------------------------------------- activations applied in place


def _relu_(y: Array) -> Array:
    return np.maximum(y, np.float32(0), out=y)


def _relu6_(y: Array) -> Array:
    return np.clip(y, np.float32(0), np.float32(6), out=y)


def _elu_(y: Array) -> Array:
    negative = y < 0
    y[negative] = np.expm1(y[negative])
    return y


def _leaky(alpha: float) -> Callable[[Array], Array]:
    a = np.float32(alpha)
    return lambda y: np.where(y > 0, y, y * a).astype(np.float32, copy=False)


def _activation(name: str, node: Node) -> Callable[[Array], Array]:
    """The in-place activation for a (lower-case) TF op name: relu, relu6, elu, sigmoid..."""
    table: Dict[str, Callable[[Array], Array]] = {
        "relu": _relu_, "relu6": _relu6_, "elu": _elu_, "sigmoid": ops.sigmoid, "tanh": ops.tanh,
    }
    if name == "leakyrelu":
        return _leaky(node.number("leakyrelu_alpha", node.number("alpha", 0.2)))
    if name not in table:
        raise NotImplementedError(
            f"The {node.where()} fuses the activation '{name}', which ml5py cannot run. "
            f"Supported fused activations are: {', '.join(sorted(table))}, leakyrelu, prelu."
        )
    return table[name]


# ---------------------------------------------------------------- convolutions


class Conv:
    """Conv2D or DepthwiseConv2dNative, with an optional bias and activation folded in.

    Called as ``conv(x, kernel, *extra)``: ``extra`` holds the bias (when ``has_bias``),
    then the PReLU alphas (when ``activation == "prelu"``).
    """

    def __init__(self, node: Node, depthwise: bool):
        check_nhwc(node)
        self.node, self.depthwise = node, depthwise
        strides = node.ints("strides")
        dilations = node.ints("dilations", [1, 1, 1, 1])
        if len(strides) != 4 or len(dilations) != 4:
            raise ValueError(f"The {node.where()} needs 4 strides and 4 dilations, got {strides} and {dilations}.")
        # TF.js's graph executor passes positions 1 and 2 (height, width) of both lists.
        self.strides, self.dilations = (strides[1], strides[2]), (dilations[1], dilations[2])
        self.padding = node.text("padding", "VALID").lower()
        self.pads: Optional[Tuple] = None
        if self.padding == "explicit":
            p = node.ints("explicit_paddings")
            if len(p) != 8:
                raise ValueError(f"The {node.where()} needs 8 explicit_paddings, got {p}.")
            self.pads = ((p[0], p[1]), (p[2], p[3]), (p[4], p[5]), (p[6], p[7]))
        elif self.padding not in ("same", "valid"):
            raise ValueError(f"The {node.where()} has the unknown padding '{self.padding}'. "
                             f"Valid paddings are: SAME, VALID, EXPLICIT.")
        self.has_bias = False
        self.activation: Optional[str] = None
        self.apply: Optional[Callable[[Array], Array]] = None

    def set_activation(self, name: str, node: Node) -> None:
        self.activation = name
        self.apply = None if name == "prelu" else _activation(name, node)

    def __call__(self, x: Array, kernel: Array, *extra: Array) -> Array:
        padding = self.padding
        if self.pads is not None:
            x, padding = np.pad(x, self.pads), "valid"
        op = depthwise_conv2d if self.depthwise else ops.conv2d
        y = op(x, kernel, self.strides, padding, self.dilations)  # a fresh array: ours to change
        if self.has_bias:
            bias = extra[0]
            if bias.shape != (y.shape[-1],):
                raise ValueError(f"The {self.node.where()} adds a bias of shape {list(bias.shape)} to "
                                 f"{y.shape[-1]} channels; model.json and its weights do not fit together.")
            y += bias
        if self.activation == "prelu":
            alpha = extra[1 if self.has_bias else 0]
            return np.where(y > 0, y, y * alpha).astype(np.float32, copy=False)
        return y if self.apply is None else self.apply(y)


def _fused_conv(depthwise: bool) -> Callable[[Node], OpFunction]:
    """_FusedConv2D / FusedDepthwiseConv2dNative: conv, then BiasAdd and/or an activation."""
    def build(node: Node) -> OpFunction:
        conv = Conv(node, depthwise)
        fused = [name.lower() for name in node.texts("fused_ops")]
        if "fusedbatchnorm" in fused:
            raise NotImplementedError(f"The {node.where()} fuses a FusedBatchNorm, which ml5py (like TF.js) "
                                      f"cannot run.")
        if fused and fused[0] == "biasadd":
            conv.has_bias = True
            fused = fused[1:]
        if fused:
            conv.set_activation(fused[0], node)
        return conv
    return build


def _conv(depthwise: bool) -> Callable[[Node], OpFunction]:
    return lambda node: Conv(node, depthwise)


# ---------------------------------------------------------------- other ops


def _unary(fn: Callable[[Array], Array]) -> Callable[[Node], OpFunction]:
    return lambda node: fn


def _binary(fn: Callable[[Array, Array], Array]) -> Callable[[Node], OpFunction]:
    def build(node: Node) -> OpFunction:
        return lambda a, b: _same_kind(fn(a, b), a, b)
    return build


def _same_kind(result: Array, a: Array, b: Array) -> Array:
    """numpy promotes float32 + float64 scalars; TF keeps float32."""
    if result.dtype == np.float64 and (a.dtype == np.float32 or b.dtype == np.float32):
        return result.astype(np.float32)
    return result


def _bias_add(node: Node) -> OpFunction:
    check_nhwc(node)

    def run(x: Array, bias: Array) -> Array:
        if bias.ndim != 1 or bias.shape[0] != x.shape[-1]:
            raise ValueError(f"The {node.where()} adds a bias of shape {bias.shape} to an input with "
                             f"{x.shape[-1]} channels; model.json and its weights do not fit together.")
        return x + bias
    return run


def _leaky_relu(node: Node) -> OpFunction:
    alpha = np.float32(node.number("alpha", 0.2))
    return lambda x: np.where(x > 0, x, x * alpha).astype(np.float32, copy=False)


def _reshape(node: Node) -> OpFunction:
    return lambda x, shape: x.reshape(tuple(int(d) for d in np.asarray(shape).reshape(-1)))


def _squeeze(node: Node) -> OpFunction:
    axes = node.ints("squeeze_dims", [])
    return lambda x: np.squeeze(x, axis=tuple(axes) if axes else None)


def _concat_v2(node: Node) -> OpFunction:  # ConcatV2(x1, ..., xn, axis)
    return lambda *xs: np.concatenate(xs[:-1], axis=int(xs[-1]))


def _concat(node: Node) -> OpFunction:  # Concat(axis, x1, ..., xn)
    return lambda axis, *xs: np.concatenate(xs, axis=int(axis))


def _pad(node: Node) -> OpFunction:
    def run(x: Array, paddings: Array, value: Optional[Array] = None) -> Array:
        widths = [tuple(int(v) for v in row) for row in np.asarray(paddings).reshape(-1, 2)]
        fill = 0 if value is None else value.item()
        return np.pad(x, widths, constant_values=fill)
    return run


def _pool(op: Callable) -> Callable[[Node], OpFunction]:
    def build(node: Node) -> OpFunction:
        check_nhwc(node)
        size, strides = node.ints("ksize"), node.ints("strides")
        padding = node.text("padding", "VALID").lower()
        return lambda x: op(x, (size[1], size[2]), (strides[1], strides[2]), padding)
    return build


def _mean(node: Node) -> OpFunction:
    keep = node.flag("keep_dims")
    return lambda x, axes: x.mean(axis=tuple(int(a) for a in np.asarray(axes).reshape(-1)),
                                  keepdims=keep).astype(x.dtype, copy=False)


def _softmax(node: Node) -> OpFunction:
    return lambda x: ops.softmax(x, axis=-1)


def _identity(node: Node) -> OpFunction:
    return lambda x: x


BUILDERS: Dict[str, Callable[[Node], OpFunction]] = {
    "Conv2D": _conv(depthwise=False),
    "DepthwiseConv2dNative": _conv(depthwise=True),
    "DepthwiseConv2d": _conv(depthwise=True),
    "_FusedConv2D": _fused_conv(depthwise=False),
    "FusedDepthwiseConv2dNative": _fused_conv(depthwise=True),
    "BiasAdd": _bias_add,
    "Add": _binary(np.add),
    "AddV2": _binary(np.add),
    "Sub": _binary(np.subtract),
    "Mul": _binary(np.multiply),
    "RealDiv": _binary(np.divide),
    "Div": _binary(np.divide),
    "Maximum": _binary(np.maximum),
    "Minimum": _binary(np.minimum),
    "Relu": _unary(ops.relu),
    "Relu6": _unary(ops.relu6),
    "Elu": _unary(ops.elu),
    "LeakyRelu": _leaky_relu,
    "Sigmoid": _unary(ops.sigmoid),
    "Tanh": _unary(ops.tanh),
    "Softmax": _softmax,
    "Reshape": _reshape,
    "Squeeze": _squeeze,
    "ConcatV2": _concat_v2,
    "Concat": _concat,
    "Pad": _pad,
    "PadV2": _pad,
    "MaxPool": _pool(ops.max_pool2d),
    "AvgPool": _pool(ops.avg_pool2d),
    "Mean": _mean,
    "Identity": _identity,
    "StopGradient": _identity,
    **TENSOR_BUILDERS,  # casts, shapes, slicing, gathering, comparisons (graph_ops_tensor_numpy)
}
# Fusable followers of a convolution (lower-case names as in _FusedConv2D's fused_ops).
FUSABLE_ACTIVATIONS = {"Relu": "relu", "Relu6": "relu6", "Elu": "elu", "Sigmoid": "sigmoid", "Tanh": "tanh"}
STRUCTURAL_OPS = ("Const", "Placeholder", "PlaceholderWithDefault")  # handled by the executor itself
SUPPORTED_OPS = sorted([*BUILDERS, *STRUCTURAL_OPS])
