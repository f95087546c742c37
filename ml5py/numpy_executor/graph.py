"""Run a TF.js *graph* model (``model.json`` with ``"format": "graph-model"``) with numpy.

A graph model is a frozen TensorFlow graph: a list of nodes, each an op (``Conv2D``,
``BiasAdd``, ``Relu6`` ...) with named inputs and attributes; the weights are ``Const``
nodes whose values sit in the weight shards (``weights.decode_weights`` reads them, uint8
and uint16 quantised ones as ``q * scale + min``, exactly as TF.js does).

The API mirrors TF.js's ``tf.GraphModel``::

    from ml5py.numpy_executor.graph import GraphModel
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

Numerics follow TF.js 4.22 (checked against it, run by node, in tests/test_graph_executor_*.py):
float32, SAME/VALID/EXPLICIT padding by TensorFlow's rule, and strides and dilations read
from positions 1 and 2 of their attributes as TF.js's graph executor does. So the BodyPix
stride-8 files, which write ``dilations: [2, 2, 1, 1]``, run with dilation (2, 1) here as
in TF.js. A convolution followed by a ``BiasAdd`` and an activation that nothing else
reads runs as one step (bias and activation applied in place on the convolution's fresh
result): the same numbers, less memory traffic. While it runs, numpy's matrix products use
one thread (``ml5py.numpy_executor.blas_threads``): for these thin products that is faster. The ops themselves are in
``ml5py.numpy_executor.graph_ops``; this module loads the model, plans and runs the graph.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ml5py.numpy_executor.blas_threads import one_blas_thread
from ml5py.numpy_executor.graph_ops import (BUILDERS, FUSABLE_ACTIVATIONS, MULTI_OUTPUT_OPS, STRUCTURAL_OPS,
                                            SUPPORTED_OPS, Conv, Node, OpFunction, check_nhwc, parse_ref,
                                            placeholder_shape)
from ml5py.numpy_executor.run_order import depth_first_order
from ml5py.numpy_executor.weight_manifest import decode_weights

Array = np.ndarray


# ---------------------------------------------------------------- execution plans


class _Step:
    """Run ``fn`` on the values of ``inputs``; store the result as ``name``; then forget ``free``.

    ``picks`` (when an input is one output of an op with several) says which item of that
    input's tuple to pass: ``None`` for a plain input.
    """

    __slots__ = ("fn", "inputs", "name", "free", "picks")

    def __init__(self, fn: OpFunction, inputs: List[str], name: str, picks: Optional[List[Optional[int]]] = None):
        self.fn, self.inputs, self.name = fn, inputs, name
        self.free: List[str] = []
        self.picks = picks


class GraphModel:
    """A TF.js graph model, run with numpy. See the module docstring for the whole API."""

    def __init__(self, model_json: dict, weights: Dict[str, Array], name: str = ""):
        topology = model_json.get("modelTopology", model_json)
        if not isinstance(topology, dict) or "node" not in topology:
            hint = (" It looks like a layers model: load it with ml5py.numpy_executor.layers.LayersModel."
                    if model_json.get("format") == "layers-model" or "model_config" in topology else "")
            raise ValueError(f"This model.json is not a TF.js graph model: its modelTopology has no "
                             f"'node' list.{hint}")
        self.name = name  # where it came from (the model.json path), for error messages
        self._title = f"The graph model '{name}'" if name else "The graph model"
        self._nodes: Dict[str, Node] = {}
        for raw in topology["node"]:
            node = Node(raw)
            self._nodes[node.name] = node
        self._check_ops()
        self._consts: Dict[str, Array] = {}
        for node in self._nodes.values():
            if node.op == "Const":
                self._consts[node.name] = self._const_value(node, weights)
        self._const_memory = {id(_memory_of(a)) for a in self._consts.values()}
        readers = {ref[0] for node in self._nodes.values() for ref in node.inputs}
        for node in self._nodes.values():
            for ref in node.inputs:
                if ref[0] not in self._nodes:
                    raise ValueError(f"The {node.where()} reads '{ref[0]}', which the graph does not define; "
                                     f"model.json is broken.")
                if ref[1] != 0 and self._nodes[ref[0]].op not in MULTI_OUTPUT_OPS:
                    raise NotImplementedError(f"The {node.where()} reads output {ref[1]} of '{ref[0]}'; ml5py "
                                              f"runs several outputs only for {', '.join(MULTI_OUTPUT_OPS)}.")
        self.input_names: List[str] = [n.name for n in self._nodes.values() if n.op == "Placeholder"]
        self.output_names: List[str] = [n.name for n in self._nodes.values()
                                        if n.name not in readers and n.op not in STRUCTURAL_OPS]
        self.input_shapes: Dict[str, Optional[Tuple[Optional[int], ...]]] = {
            name: placeholder_shape(self._nodes[name]) for name in self.input_names}
        # signature output names ("ld_3d") -> their nodes ("Identity_2:0"), as TF.js maps them
        signature = model_json.get("signature") or {}
        self._signature_outputs: Dict[str, str] = {key: value["name"] for key, value in
                                                   (signature.get("outputs") or {}).items() if "name" in value}
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
            if node.op in STRUCTURAL_OPS:
                continue
            if node.op not in BUILDERS:
                raise NotImplementedError(
                    f"{self._title} uses the op '{node.op}' (node '{node.name}'), which ml5py's "
                    f"numpy executor cannot run yet. Supported ops are: {', '.join(SUPPORTED_OPS)}."
                )
            BUILDERS[node.op](node)  # reads (and so checks) the node's attributes

    def _const_value(self, node: Node, weights: Dict[str, Array]) -> Array:
        if node.name in weights:
            return weights[node.name]
        raise ValueError(
            f"{self._title} needs the weight '{node.name}' (a Const node), but the weights "
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
        with one_blas_thread():  # faster for these thin matrix products (see blas_threads.py)
            for step in self._plans[plan_key]:
                args = [values[n] if n in values else self._consts[n] for n in step.inputs]
                if step.picks is not None:  # outputs of ops with several (Unpack, Split, TopKV2)
                    args = [a if pick is None else a[pick] for a, pick in zip(args, step.picks)]
                values[step.name] = step.fn(*args)
                for name in step.free:
                    del values[name]
        # Hand out arrays nobody else holds: copy weights, inputs and views of them.
        shared = {id(_memory_of(a)) for a in feeds.values()} | self._const_memory
        results = []
        for name in names:
            value = values[name] if name in values else self._consts[name]
            results.append(np.array(value) if id(_memory_of(value)) in shared else value)
        return results[0] if single else results

    def predict(self, inputs: Union[Array, Dict[str, Array]]) -> Union[Array, List[Array]]:
        """Every output (``output_names``): one array, or a list when there are several."""
        results = self.execute(inputs, list(self.output_names))
        return results[0] if len(results) == 1 else results

    def _output_name(self, text: str) -> str:
        if not isinstance(text, str):
            raise ValueError(f"Output names must be strings, got {text!r}.")
        name, index = parse_ref(self._signature_outputs.get(text, text))
        if name not in self._nodes or index != 0:
            raise ValueError(
                f"{self._title} has no node '{text}' to output. Its outputs are: "
                f"{', '.join(self.output_names)} (any node name works too)."
            )
        return name

    def _feeds(self, inputs: Union[Array, Dict[str, Array]]) -> Dict[str, Array]:
        if not isinstance(inputs, dict):
            if len(self.input_names) != 1:
                raise ValueError(f"{self._title} has the inputs {', '.join(self.input_names)}: pass "
                                 f"a dict {{name: array}}.")
            inputs = {self.input_names[0]: inputs}
        feeds: Dict[str, Array] = {}
        for text, value in inputs.items():
            name, _ = parse_ref(str(text))
            if name not in self._nodes:
                raise ValueError(
                    f"{self._title} has no input '{text}'. Its inputs are: "
                    f"{', '.join(self.input_names)}."
                )
            feeds[name] = self._checked(name, value)
        return feeds

    def _checked(self, name: str, value: Array) -> Array:
        array = np.asarray(value)
        if self._nodes[name].attr.get("dtype", {}).get("type") == "DT_INT32":  # MoveNet: pixels 0..255 as int32
            if array.dtype.kind not in "iu":
                raise ValueError(f"The input '{name}' must hold whole numbers (int32), got {array.dtype}. "
                                 f"Convert it with x.astype(np.int32).")
            array = array.astype(np.int32, copy=False)
        elif array.dtype.kind != "f":
            raise ValueError(
                f"The input '{name}' must hold float32 numbers, got {array.dtype}. Convert it with "
                f"x.astype(np.float32), scaled as the model expects (e.g. pixels / 127.5 - 1)."
            )
        else:
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

        def sole_reader(name: str, ops_wanted) -> Optional[Node]:
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
                    f"{self._title} cannot compute {', '.join(outputs)} without the input "
                    f"'{name}'. Pass it: execute({{'{name}': array, ...}}, ...)."
                )
            if node.op == "PlaceholderWithDefault":
                steps.append(_Step(lambda x: x, [node.inputs[0][0]], name))
                continue
            fn = BUILDERS[node.op](node)
            inputs = [ref[0] for ref in node.inputs]
            picks = [ref[1] if self._nodes[ref[0]].op in MULTI_OUTPUT_OPS else None for ref in node.inputs]
            if any(pick is not None for pick in picks):
                steps.append(_Step(fn, inputs, name, picks))
                continue
            if isinstance(fn, Conv) and node.op in ("Conv2D", "DepthwiseConv2dNative", "DepthwiseConv2d"):
                bias = sole_reader(name, ("BiasAdd",))
                if bias is not None and (bias.inputs[1][0] in self._consts or bias.inputs[1][0] in feeds):
                    check_nhwc(bias)
                    fn.has_bias = True
                    inputs.append(bias.inputs[1][0])
                    absorbed.add(bias.name)
                    name = bias.name
                    act = sole_reader(name, tuple(FUSABLE_ACTIVATIONS))
                    if act is not None:
                        fn.set_activation(FUSABLE_ACTIVATIONS[act.op], act)
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
        def inputs_of(name: str) -> List[str]:
            return [] if name in feeds else [ref[0] for ref in self._nodes[name].inputs]

        def loop(name: str) -> Exception:
            return ValueError(f"{self._title} has a loop through node '{name}'; ml5py runs only "
                              f"loop-free graphs.")

        return depth_first_order(outputs, inputs_of, loop)


def _memory_of(array: Array) -> Array:
    """The array that owns ``array``'s memory (itself unless it is a view)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


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
