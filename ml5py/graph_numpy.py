"""Run a TF.js *graph* model (``model.json`` with ``"format": "graph-model"``) with numpy.

A graph model is a frozen TensorFlow graph: a list of nodes, each an op (``Conv2D``,
``BiasAdd``, ``Relu6`` ...) with named inputs and attributes; the weights are ``Const``
nodes whose values sit in the weight shards (``weights.decode_weights`` reads them, uint8
and uint16 quantised ones as ``q * scale + min``, exactly as TF.js does).

The API mirrors TF.js's ``tf.GraphModel``::

    from ml5py.graph_numpy import GraphModel
    model = GraphModel.from_files(Path(".../model-stride16.json"))   # shards read beside it
    model.input_names     # ['sub_2']               (the Placeholder nodes, in graph order)
    model.output_names    # ['float_short_offsets', 'float_segments', ...]  (nodes nothing reads)
    model.input_shapes    # {'sub_2': (1, None, None, 3)}   (None: any size)
    segments, parts = model.execute({"sub_2": x}, ["float_segments", "float_part_heatmaps"])

* ``GraphModel.from_files(model_json, read_file=None) -> GraphModel``: ``model_json`` is a
  path (``str`` or ``Path``) to model.json, or the parsed dict. ``read_file(path) -> bytes``
  reads a shard named in the manifest; by default the shards are read from the folder of
  ``model_json`` (then it must be a path).
* ``GraphModel(model_json: dict, weights: dict[str, np.ndarray], name="")``: build one from
  weights decoded already, e.g. to share one decoded ``group1-shard1of1.bin`` between the
  stride-16 and stride-8 files of BodyPix (``weights.decode_weights(manifest, read_file)``).
* ``execute(inputs, outputs=None)``: ``inputs`` is ``{node name: array}`` (a bare array
  when the model has one input); ``outputs`` a list of node names (``"name"`` or
  ``"name:0"``) -> a list of arrays in that order; a single name -> one array; ``None`` ->
  every ``output_names`` entry, as a list. Only the nodes the asked outputs need are run,
  and each intermediate array is dropped as soon as nothing else reads it.
* Arrays are NHWC. Float inputs are converted to float32; outputs are float32 numpy arrays
  (int32 only for integer ops such as a Reshape of a shape). Outputs are new arrays that
  the caller may change freely.
* Errors: ``ValueError`` for a wrong input name, dtype or shape, a missing weight, a
  broken model.json; ``NotImplementedError`` (at load time) for an op ml5py cannot run,
  naming the op and the node. ``SUPPORTED_OPS`` lists the ops it can run.

Numerics follow TF.js: float32, SAME/VALID/EXPLICIT padding by TensorFlow's rule, and
strides and dilations read from attribute positions 1 and 2 as TF.js's graph executor does.
A convolution followed by a ``BiasAdd`` and an activation that nothing else reads runs as
one step (bias and activation applied in place on the convolution's fresh result): the
same numbers, less memory traffic.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ml5py import numpy_ops as ops
from ml5py.weights import decode_weights

Array = np.ndarray
Ref = Tuple[str, int]  # (node name, output number) - every op here has one output, number 0
OpFunction = Callable[..., Array]

# ---------------------------------------------------------------- nodes and their attributes


class _Node:
    """One node of model.json: ``name``, ``op``, the refs it reads and its raw attributes."""

    __slots__ = ("name", "op", "inputs", "attr")

    def __init__(self, raw: dict):
        if not isinstance(raw, dict) or "name" not in raw or "op" not in raw:
            raise ValueError(f"This model.json has a node without a 'name' and an 'op': {str(raw)[:120]}.")
        self.name: str = raw["name"]
        self.op: str = raw["op"]
        self.inputs: List[Ref] = [_parse_ref(text) for text in raw.get("input", []) if not text.startswith("^")]
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


def _parse_ref(text: str) -> Ref:
    """``"conv"`` -> ``("conv", 0)``; ``"split:1"`` -> ``("split", 1)``."""
    name, _, index = text.rpartition(":")
    if name and index.isdigit():
        return name, int(index)
    return text, 0


def _shape_of(node: _Node) -> Optional[Tuple[Optional[int], ...]]:
    """A Placeholder's shape, None for an unknown size (or the whole shape when unknown)."""
    shape = (node.attr.get("shape") or {}).get("shape")
    if shape is None or shape.get("unknownRank"):
        return None
    return tuple(None if int(d.get("size", -1)) < 0 else int(d["size"]) for d in shape.get("dim", []))


def _check_nhwc(node: _Node) -> None:
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


def _activation(name: str, node: _Node) -> Callable[[Array], Array]:
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


class _Conv:
    """Conv2D or DepthwiseConv2dNative, with an optional bias and activation folded in.

    Called as ``conv(x, kernel, *extra)``: ``extra`` holds the bias (when ``has_bias``),
    then the PReLU alphas (when ``activation == "prelu"``).
    """

    def __init__(self, node: _Node, depthwise: bool):
        _check_nhwc(node)
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

    def set_activation(self, name: str, node: _Node) -> None:
        self.activation = name
        self.apply = None if name == "prelu" else _activation(name, node)

    def __call__(self, x: Array, kernel: Array, *extra: Array) -> Array:
        padding = self.padding
        if self.pads is not None:
            x, padding = np.pad(x, self.pads), "valid"
        op = ops.depthwise_conv2d if self.depthwise else ops.conv2d
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


def _fused_conv(depthwise: bool) -> Callable[[_Node], OpFunction]:
    """_FusedConv2D / FusedDepthwiseConv2dNative: conv, then BiasAdd and/or an activation."""
    def build(node: _Node) -> OpFunction:
        conv = _Conv(node, depthwise)
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


def _conv(depthwise: bool) -> Callable[[_Node], OpFunction]:
    return lambda node: _Conv(node, depthwise)


# ---------------------------------------------------------------- other ops


def _unary(fn: Callable[[Array], Array]) -> Callable[[_Node], OpFunction]:
    return lambda node: fn


def _binary(fn: Callable[[Array, Array], Array]) -> Callable[[_Node], OpFunction]:
    def build(node: _Node) -> OpFunction:
        return lambda a, b: _same_kind(fn(a, b), a, b)
    return build


def _same_kind(result: Array, a: Array, b: Array) -> Array:
    """numpy promotes float32 + float64 scalars; TF keeps float32."""
    if result.dtype == np.float64 and (a.dtype == np.float32 or b.dtype == np.float32):
        return result.astype(np.float32)
    return result


def _bias_add(node: _Node) -> OpFunction:
    _check_nhwc(node)

    def run(x: Array, bias: Array) -> Array:
        if bias.ndim != 1 or bias.shape[0] != x.shape[-1]:
            raise ValueError(f"The {node.where()} adds a bias of shape {bias.shape} to an input with "
                             f"{x.shape[-1]} channels; model.json and its weights do not fit together.")
        return x + bias
    return run


def _leaky_relu(node: _Node) -> OpFunction:
    alpha = np.float32(node.number("alpha", 0.2))
    return lambda x: np.where(x > 0, x, x * alpha).astype(np.float32, copy=False)


def _reshape(node: _Node) -> OpFunction:
    return lambda x, shape: x.reshape(tuple(int(d) for d in np.asarray(shape).reshape(-1)))


def _squeeze(node: _Node) -> OpFunction:
    axes = node.ints("squeeze_dims", [])
    return lambda x: np.squeeze(x, axis=tuple(axes) if axes else None)


def _concat_v2(node: _Node) -> OpFunction:  # ConcatV2(x1, ..., xn, axis)
    return lambda *xs: np.concatenate(xs[:-1], axis=int(xs[-1]))


def _concat(node: _Node) -> OpFunction:  # Concat(axis, x1, ..., xn)
    return lambda axis, *xs: np.concatenate(xs, axis=int(axis))


def _pad(node: _Node) -> OpFunction:
    def run(x: Array, paddings: Array, value: Optional[Array] = None) -> Array:
        widths = [tuple(int(v) for v in row) for row in np.asarray(paddings).reshape(-1, 2)]
        fill = 0 if value is None else value.item()
        return np.pad(x, widths, constant_values=fill)
    return run


def _pool(op: Callable) -> Callable[[_Node], OpFunction]:
    def build(node: _Node) -> OpFunction:
        _check_nhwc(node)
        size, strides = node.ints("ksize"), node.ints("strides")
        padding = node.text("padding", "VALID").lower()
        return lambda x: op(x, (size[1], size[2]), (strides[1], strides[2]), padding)
    return build


def _mean(node: _Node) -> OpFunction:
    keep = node.flag("keep_dims")
    return lambda x, axes: x.mean(axis=tuple(int(a) for a in np.asarray(axes).reshape(-1)),
                                  keepdims=keep).astype(x.dtype, copy=False)


def _softmax(node: _Node) -> OpFunction:
    return lambda x: ops.softmax(x, axis=-1)


def _identity(node: _Node) -> OpFunction:
    return lambda x: x


_BUILDERS: Dict[str, Callable[[_Node], OpFunction]] = {
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
}
# Fusable followers of a convolution (lower-case names as in _FusedConv2D's fused_ops).
_FUSABLE_ACTIVATIONS = {"Relu": "relu", "Relu6": "relu6", "Elu": "elu", "Sigmoid": "sigmoid", "Tanh": "tanh"}
SUPPORTED_OPS = sorted([*_BUILDERS, "Const", "Placeholder", "PlaceholderWithDefault"])

# ---------------------------------------------------------------- execution plans


class _Step:
    """Run ``fn`` on the values of ``inputs``; store the result as ``name``; then forget ``free``."""

    __slots__ = ("fn", "inputs", "name", "free")

    def __init__(self, fn: OpFunction, inputs: List[str], name: str):
        self.fn, self.inputs, self.name = fn, inputs, name
        self.free: List[str] = []


class GraphModel:
    """A TF.js graph model, run with numpy. See the module docstring for the whole API."""

    def __init__(self, model_json: dict, weights: Dict[str, Array], name: str = ""):
        topology = model_json.get("modelTopology", model_json)
        if not isinstance(topology, dict) or "node" not in topology:
            hint = (" It looks like a layers model: load it with ml5py.layers_numpy.LayersModel."
                    if model_json.get("format") == "layers-model" or "model_config" in topology else "")
            raise ValueError(f"This model.json is not a TF.js graph model: its modelTopology has no "
                             f"'node' list.{hint}")
        self.name = name or "graph model"
        self._nodes: Dict[str, _Node] = {}
        for raw in topology["node"]:
            node = _Node(raw)
            self._nodes[node.name] = node
        self._check_ops()
        self._consts: Dict[str, Array] = {}
        for node in self._nodes.values():
            if node.op == "Const":
                self._consts[node.name] = self._const_value(node, weights)
        readers = {ref[0] for node in self._nodes.values() for ref in node.inputs}
        for node in self._nodes.values():
            for ref in node.inputs:
                if ref[0] not in self._nodes:
                    raise ValueError(f"The {node.where()} reads '{ref[0]}', which the graph does not define; "
                                     f"model.json is broken.")
                if ref[1] != 0:
                    raise NotImplementedError(f"The {node.where()} reads output {ref[1]} of '{ref[0]}'; ml5py "
                                              f"only runs ops with one output.")
        self.input_names: List[str] = [n.name for n in self._nodes.values() if n.op == "Placeholder"]
        self.output_names: List[str] = [n.name for n in self._nodes.values()
                                        if n.name not in readers and n.op not in ("Const", "Placeholder")]
        self.input_shapes: Dict[str, Optional[Tuple[Optional[int], ...]]] = {
            name: _shape_of(self._nodes[name]) for name in self.input_names}
        self._plans: Dict[Tuple[Tuple[str, ...], Tuple[str, ...]], List[_Step]] = {}

    # ------------------------------------------------------------ loading

    @classmethod
    def from_files(cls, model_json: Union[str, Path, dict],
                   read_file: Optional[Callable[[str], bytes]] = None) -> "GraphModel":
        """Load model.json (a path, or the parsed dict) and the weight shards it lists."""
        name = ""
        if isinstance(model_json, (str, Path)):
            path = Path(model_json)
            name = str(path)
            try:
                parsed = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise FileNotFoundError(f"There is no model.json at '{path}'.") from None
            except json.JSONDecodeError as error:
                raise ValueError(f"'{path}' is not valid JSON ({error}); is it really a model.json?") from None
            if read_file is None:
                read_file = _reader_beside(path)
        else:
            parsed = model_json
            if read_file is None:
                raise ValueError("GraphModel.from_files got a parsed model.json but no read_file(path) to "
                                 "read its weight files: pass read_file, or pass the path of model.json.")
        if not isinstance(parsed, dict):
            raise ValueError(f"The model.json {name or ''} holds a {type(parsed).__name__}, not an object.")
        weights = decode_weights(parsed.get("weightsManifest", []), read_file)
        return cls(parsed, weights, name)

    def _check_ops(self) -> None:
        """Fail at load time for an op ml5py cannot run, or attributes it cannot use."""
        for node in self._nodes.values():
            if node.op in ("Const", "Placeholder", "PlaceholderWithDefault"):
                continue
            if node.op not in _BUILDERS:
                raise NotImplementedError(
                    f"The graph model {self.name} uses the op '{node.op}' (node '{node.name}'), which ml5py's "
                    f"numpy executor cannot run yet. Supported ops are: {', '.join(SUPPORTED_OPS)}."
                )
            _BUILDERS[node.op](node)  # reads (and so checks) the node's attributes

    def _const_value(self, node: _Node, weights: Dict[str, Array]) -> Array:
        if node.name in weights:
            return weights[node.name]
        raise ValueError(
            f"The graph model {self.name} needs the weight '{node.name}' (a Const node), but the weights "
            f"manifest does not have it. Check that model.json and its weight files belong together."
        )

    # ------------------------------------------------------------ running

    def execute(self, inputs: Union[Array, Dict[str, Array]],
                outputs: Union[None, str, Sequence[str]] = None) -> Union[Array, List[Array]]:
        """Run the graph: ``{input name: array}`` -> the arrays of ``outputs`` (see module docstring)."""
        feeds = self._feeds(inputs)
        single = isinstance(outputs, str)
        wanted = [outputs] if single else list(self.output_names if outputs is None else outputs)
        names = tuple(self._output_name(o) for o in wanted)
        plan_key = (names, tuple(sorted(feeds)))
        if plan_key not in self._plans:
            self._plans[plan_key] = self._plan(names, feeds)
        values: Dict[str, Array] = dict(feeds)
        for step in self._plans[plan_key]:
            values[step.name] = step.fn(*[values[n] if n in values else self._consts[n] for n in step.inputs])
            for name in step.free:
                del values[name]
        # Hand out arrays nobody else holds: copy weights, inputs and views of them.
        shared = {id(a) for a in feeds.values()} | {id(a) for a in self._consts.values()}
        results = []
        for name in names:
            value = values[name] if name in values else self._consts[name]
            owned = value.base is None and id(value) not in shared
            results.append(value if owned else np.array(value))
        return results[0] if single else results

    def predict(self, inputs: Union[Array, Dict[str, Array]]) -> Union[Array, List[Array]]:
        """Every output (``output_names``): one array, or a list when there are several."""
        results = self.execute(inputs, list(self.output_names))
        return results[0] if len(results) == 1 else results

    def _output_name(self, text: str) -> str:
        if not isinstance(text, str):
            raise ValueError(f"Output names must be strings, got {text!r}.")
        name, index = _parse_ref(text)
        if name not in self._nodes or index != 0:
            raise ValueError(
                f"The graph model {self.name} has no node '{text}' to output. Its outputs are: "
                f"{', '.join(self.output_names)} (any node name works too)."
            )
        return name

    def _feeds(self, inputs: Union[Array, Dict[str, Array]]) -> Dict[str, Array]:
        if not isinstance(inputs, dict):
            if len(self.input_names) != 1:
                raise ValueError(f"The graph model {self.name} has the inputs {', '.join(self.input_names)}: pass "
                                 f"a dict {{name: array}}.")
            inputs = {self.input_names[0]: inputs}
        feeds: Dict[str, Array] = {}
        for text, value in inputs.items():
            name, _ = _parse_ref(str(text))
            if name not in self._nodes:
                raise ValueError(
                    f"The graph model {self.name} has no input '{text}'. Its inputs are: "
                    f"{', '.join(self.input_names)}."
                )
            feeds[name] = self._checked(name, value)
        return feeds

    def _checked(self, name: str, value: Array) -> Array:
        array = np.asarray(value)
        if array.dtype.kind != "f":
            raise ValueError(
                f"The input '{name}' must hold float32 numbers, got {array.dtype}. Convert it with "
                f"x.astype(np.float32), scaled as the model expects (e.g. pixels / 127.5 - 1)."
            )
        array = array.astype(np.float32, copy=False)
        shape = self.input_shapes.get(name)
        if shape is not None:
            fits = array.ndim == len(shape) and all(w is None or w == g for w, g in zip(shape, array.shape))
            if not fits:
                wanted = "[" + ", ".join("any" if d is None else str(d) for d in shape) + "]"
                hint = " Add a batch axis with x[None]." if array.ndim == len(shape) - 1 else ""
                raise ValueError(f"The input '{name}' must have the shape {wanted}, got "
                                 f"{list(array.shape)}.{hint}")
        return array

    def _plan(self, outputs: Tuple[str, ...], feeds: Dict[str, Array]) -> List[_Step]:
        """The steps that compute ``outputs`` from ``feeds``, in order, with fusions and frees."""
        order = self._order(outputs, feeds)
        readers: Dict[str, List[str]] = {name: [] for name in order}
        for name in order:
            if name not in feeds:
                for ref in self._nodes[name].inputs:
                    readers[ref[0]].append(name)
        kept = set(outputs)

        def sole_reader(name: str, ops_wanted) -> Optional[_Node]:
            if name in kept or len(readers[name]) != 1:
                return None
            reader = self._nodes[readers[name][0]]
            return reader if reader.op in ops_wanted and reader.inputs[0][0] == name else None

        steps: List[_Step] = []
        absorbed = set()
        for name in order:
            node = self._nodes[name]
            if name in feeds or node.op == "Const" or name in absorbed:
                continue
            if node.op == "Placeholder":
                raise ValueError(
                    f"The graph model {self.name} cannot compute {', '.join(outputs)} without the input "
                    f"'{name}'. Pass it: execute({{'{name}': array, ...}}, ...)."
                )
            if node.op == "PlaceholderWithDefault":
                steps.append(_Step(lambda x: x, [node.inputs[0][0]], name))
                continue
            fn = _BUILDERS[node.op](node)
            inputs = [ref[0] for ref in node.inputs]
            if isinstance(fn, _Conv) and node.op in ("Conv2D", "DepthwiseConv2dNative", "DepthwiseConv2d"):
                bias = sole_reader(name, ("BiasAdd",))
                if bias is not None and (bias.inputs[1][0] in self._consts or bias.inputs[1][0] in feeds):
                    _check_nhwc(bias)
                    fn.has_bias = True
                    inputs.append(bias.inputs[1][0])
                    absorbed.add(bias.name)
                    name = bias.name
                    act = sole_reader(name, tuple(_FUSABLE_ACTIVATIONS))
                    if act is not None:
                        fn.set_activation(_FUSABLE_ACTIVATIONS[act.op], act)
                        absorbed.add(act.name)
                        name = act.name
            steps.append(_Step(fn, inputs, name))
        # Forget each intermediate right after its last reader ran.
        last_use: Dict[str, int] = {}
        for index, step in enumerate(steps):
            for source in step.inputs:
                last_use[source] = index
        for source, index in last_use.items():
            if source not in kept and source not in feeds and source not in self._consts:
                steps[index].free.append(source)
        return steps

    def _order(self, outputs: Tuple[str, ...], feeds: Dict[str, Array]) -> List[str]:
        """The nodes ``outputs`` depend on, each after its inputs (stopping at fed nodes)."""
        order: List[str] = []
        done, started = set(), set()
        stack = [(name, False) for name in reversed(outputs)]
        while stack:  # depth-first without recursion: deep graphs stay within Python's limits
            name, inputs_ready = stack.pop()
            if name in done:
                continue
            if inputs_ready:
                done.add(name)
                order.append(name)
                continue
            if name in started:
                raise ValueError(f"The graph model {self.name} has a loop through node '{name}'; ml5py runs "
                                 f"only loop-free graphs.")
            started.add(name)
            stack.append((name, True))
            if name not in feeds:
                stack.extend((ref[0], False) for ref in reversed(self._nodes[name].inputs) if ref[0] not in done)
        return order


def _reader_beside(model_json: Path) -> Callable[[str], bytes]:
    """``read_file`` for shards in the folder of ``model_json``, with a clear missing-file error."""
    folder = model_json.parent

    def read(path: str) -> bytes:
        target = folder / path
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(
                f"The weight file '{target}' is missing; '{model_json.name}' lists it in its weights manifest. "
                f"Download it again beside model.json."
            ) from None
    return read
