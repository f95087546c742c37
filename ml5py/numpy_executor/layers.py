"""Run a TF.js *layers* model (``model.json`` + weight shards) with numpy.

``model.json`` describes the network as Keras does: a ``Sequential`` list of layers, or a
functional ``Model`` whose layers say which earlier layers feed them (``inbound_nodes``).
Models can nest: Teachable Machine exports a Sequential holding a MobileNet ``Model`` and
then a small Sequential of Dense layers.

Loading turns the model into a list of steps, each a plain Python function with its weights
already prepared; ``predict`` runs the steps in order. While loading, a BatchNormalization
right after a convolution is folded into the convolution's weights, and an activation
right after it is applied in place: the same results (to float rounding), less work.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union, cast

import numpy as np

from ml5py.numpy_executor import ops
from ml5py.numpy_executor.run_order import depth_first_order
from ml5py.numpy_executor.layer_builders import (_ACTIVATION, _KERNEL, _MERGE, _NESTED, _OTHER, SUPPORTED_LAYERS,
                                                 _batch_norm_axis, _batch_norm_factors)
from ml5py.numpy_executor.weight_manifest import LayerWeights, decode_weights

Array = np.ndarray
Key = Tuple[str, int]  # (layer name, call number): one value computed in the model
Ref = Tuple[Key, int]  # (key, output number): one input of a layer call
Call = Tuple[dict, Key, List[Ref]]  # (layer as in model.json, its key, its inputs)
Builder = Callable[[dict, LayerWeights], Callable]  # (config, weights) -> the layer's function

# ---------------------------------------------------------------- models as steps


class _Step:
    """One layer call: the function, the values it reads, and the key of its result."""

    __slots__ = ("fn", "inputs", "key", "takes_list", "many_outputs")

    def __init__(self, fn: Callable, inputs: List[Ref], key: Key, takes_list: bool = False,
                 many_outputs: bool = False):
        self.fn, self.inputs, self.key = fn, inputs, key
        self.takes_list, self.many_outputs = takes_list, many_outputs


class _Graph:
    """A model as an ordered list of steps; ``run`` feeds the inputs through them."""

    def __init__(self, name: str, input_keys: List[Key], input_shapes: List[Optional[tuple]],
                 steps: List[_Step], outputs: List[Ref]):
        self.name, self.input_keys, self.input_shapes = name, input_keys, input_shapes
        self.steps, self.outputs = steps, outputs

    def run(self, inputs: Sequence[Array]) -> List[Array]:
        values = {key: [x] for key, x in zip(self.input_keys, inputs)}
        for step in self.steps:
            args = [values[key][index] for key, index in step.inputs]
            out = step.fn(args) if step.takes_list else step.fn(args[0])
            values[step.key] = out if step.many_outputs else [out]
        return [values[key][index] for key, index in self.outputs]


def _name_of(layer: dict) -> str:
    return layer.get("name") or layer["config"]["name"]


def _layer_list(model_config: dict) -> List[dict]:
    config = model_config["config"]
    return config if isinstance(config, list) else config["layers"]  # Keras 2.1: a bare list


def _model_name(model_config: dict, default: str) -> str:
    config = model_config["config"]
    return (config.get("name") if isinstance(config, dict) else None) or model_config.get("name") or default


def _refs(entries: list) -> List[Ref]:
    """``[["conv1", 0, 0, {}], ...]`` -> ``[(("conv1", 0), 0), ...]`` (a lone ref is accepted)."""
    if entries and isinstance(entries[0], str):
        entries = [entries]
    return [((entry[0], int(entry[1])), int(entry[2])) for entry in entries]


def _batch_shape(cfg: dict) -> Optional[tuple]:
    shape = cfg.get("batch_input_shape") or cfg.get("batch_shape")
    return None if shape is None else tuple(shape)


def _input_shapes(model_config: dict) -> List[Optional[tuple]]:
    """The batch shape of each input, e.g. ``[(None, 224, 224, 3)]`` (None where unknown)."""
    if model_config.get("class_name") == "Sequential":
        first = _layer_list(model_config)[0]
        if first["class_name"] in _NESTED:
            return _input_shapes(first)
        return [_batch_shape(first.get("config", {}))]
    config = model_config["config"]
    layers = {_name_of(layer): layer for layer in config["layers"]}
    return [_batch_shape(layers[key[0]].get("config", {})) for key, _ in _refs(config["input_layers"])]


def _sequential_calls(model_config: dict) -> Tuple[List[Key], List[Call], List[Ref]]:
    """Inputs, layer calls and outputs of a Sequential: each layer reads the one before."""
    calls: List[Call] = []
    previous: Ref = (("<input>", 0), 0)
    for layer in _layer_list(model_config):
        calls.append((layer, (_name_of(layer), 0), [previous]))
        previous = ((_name_of(layer), 0), 0)
    return [("<input>", 0)], calls, [previous]


def _functional_calls(model_config: dict, model: str) -> Tuple[List[Key], List[Call], List[Ref]]:
    """Inputs, layer calls (each after the calls it reads) and outputs of a functional Model."""
    config = model_config["config"]
    layers = {_name_of(layer): layer for layer in config["layers"]}

    def inbound(key: Key) -> List[Ref]:
        if key[0] not in layers:
            raise ValueError(f"Model '{model}' refers to a layer '{key[0]}' that it does not define.")
        nodes = layers[key[0]].get("inbound_nodes") or []
        return _refs(nodes[key[1]]) if key[1] < len(nodes) else []

    input_keys = [key for key, _ in _refs(config["input_layers"])]
    outputs = _refs(config["output_layers"])
    order = depth_first_order([key for key, _ in outputs], lambda key: [ref for ref, _ in inbound(key)],
                              lambda key: ValueError(f"Model '{model}' has a loop through layer '{key[0]}'; "
                                                     f"model.json is broken."), known=input_keys)
    return input_keys, [(layers[key[0]], key, inbound(key)) for key in order], outputs


def _build_graph(model_config: dict, arrays: Dict[str, Array], scope: Tuple[str, ...] = ()) -> _Graph:
    sequential = model_config.get("class_name") == "Sequential"
    name = _model_name(model_config, "sequential" if sequential else "model")
    if sequential and not _layer_list(model_config):
        raise ValueError(f"The Sequential model '{name}' has no layers.")
    input_keys, calls, outputs = (_sequential_calls(model_config) if sequential
                                  else _functional_calls(model_config, name))
    steps = _build_steps(calls, outputs, arrays, scope + (name,), name)
    return _Graph(name, input_keys, _input_shapes(model_config), steps, outputs)


def _build_steps(calls: List[Call], outputs: List[Ref], arrays: Dict[str, Array],
                 scope: Tuple[str, ...], model: str) -> List[_Step]:
    """One step per layer call; a kernel layer swallows a BatchNormalization and an
    activation that come right after it and that nothing else reads."""
    readers: Dict[Key, List[int]] = defaultdict(list)
    for index, (_, _, inputs) in enumerate(calls):
        for key, _ in inputs:
            readers[key].append(index)
    model_outputs = {key for key, _ in outputs}

    def only_reader(key: Key, classes) -> Optional[int]:
        """The call that alone reads ``key``, if it is one of ``classes``; else None."""
        if key in model_outputs or len(readers[key]) != 1:
            return None
        index = readers[key][0]
        layer, _, inputs = calls[index]
        return index if layer["class_name"] in classes and len(inputs) == 1 else None

    def weights(layer: dict) -> LayerWeights:
        return LayerWeights(arrays, scope, _name_of(layer), model)

    steps: List[_Step] = []
    swallowed = set()
    for index, (layer, key, inputs) in enumerate(calls):
        if index in swallowed:
            continue
        cls, cfg = layer["class_name"], layer.get("config", {})
        if cls not in _KERNEL:
            steps.append(_make_step(layer, key, inputs, arrays, scope, model))
            continue
        kernel_layer = _KERNEL[cls](cfg, weights(layer))
        if kernel_layer.activation is ops.linear:
            follower = only_reader(key, ("BatchNormalization",))
            if follower is not None and kernel_layer.can_fold(_batch_norm_axis(calls[follower][0]["config"])):
                bn, key, _ = calls[follower]
                kernel_layer.fold(*_batch_norm_factors(bn["config"], weights(bn)))
                swallowed.add(follower)
            follower = only_reader(key, tuple(_ACTIVATION))
            if follower is not None:
                act, key, _ = calls[follower]
                kernel_layer.activation = _ACTIVATION[act["class_name"]](act["config"], weights(act))
                swallowed.add(follower)
        steps.append(_Step(kernel_layer.function(), inputs, key))
    return steps


def _make_step(layer: dict, key: Key, inputs: List[Ref], arrays: Dict[str, Array],
               scope: Tuple[str, ...], model: str) -> _Step:
    """The step for one layer without a kernel, or for a whole nested model."""
    cls, cfg, name = layer["class_name"], layer.get("config", {}), _name_of(layer)
    if cls in _NESTED:
        return _Step(_build_graph(layer, arrays, scope).run, inputs, key, takes_list=True, many_outputs=True)
    weights = LayerWeights(arrays, scope, name, model)
    if cls in _MERGE:
        return _Step(_MERGE[cls](cfg, weights), inputs, key, takes_list=True)
    if cls in _ACTIVATION:
        return _Step(_ACTIVATION[cls](cfg, weights), inputs, key)
    if cls in _OTHER:
        return _Step(_OTHER[cls](cfg, weights), inputs, key)
    raise NotImplementedError(
        f"Layer '{name}' of model '{model}' is a {cls}, which ml5py cannot run yet. "
        f"Supported layer classes are: {', '.join(SUPPORTED_LAYERS)}."
    )


# ---------------------------------------------------------------- the public class


class LayersModel:
    """A TF.js layers model, ready to ``predict`` with numpy.

    ``LayersModel.from_files(model_json, read_file)`` loads one from the parsed
    ``model.json`` and a function that returns the bytes of a weight file.
    """

    def __init__(self, topology: dict, weights: Dict[str, Array]):
        model_config = topology.get("model_config", topology)
        if "class_name" not in model_config or "config" not in model_config:
            raise ValueError(
                "This is not a TF.js layers model: its topology has no 'class_name' and 'config'."
            )
        self._model_config = model_config
        self._weights = weights
        self._graph = _build_graph(model_config, weights)
        self.name: str = self._graph.name

    @classmethod
    def from_files(cls, model_json: dict, read_file: Callable[[str], bytes]) -> "LayersModel":
        """Load from a parsed ``model.json`` and ``read_file(path) -> bytes`` for its shards."""
        if model_json.get("format") == "graph-model":
            raise ValueError(
                "This model.json is a TF.js graph model; ml5py's numpy executor runs layers "
                "models only."
            )
        topology = model_json.get("modelTopology", model_json)
        weights = decode_weights(model_json.get("weightsManifest", []), read_file)
        return cls(topology, weights)

    @property
    def input_shape(self) -> Union[Optional[tuple], List[Optional[tuple]]]:
        """The input's batch shape, e.g. ``(None, 224, 224, 3)``; a list if there are several."""
        shapes = self._graph.input_shapes
        return shapes[0] if len(shapes) == 1 else list(shapes)

    @property
    def output_layer_names(self) -> List[str]:
        """The names of the layers whose results ``predict`` returns."""
        return [key[0] for key, _ in self._graph.outputs]

    @property
    def layer_names(self) -> List[str]:
        """The names of the model's own (outermost) layers, in model.json's order."""
        return [_name_of(layer) for layer in _layer_list(self._model_config)]

    def truncated(self, layer_name: str) -> "LayersModel":
        """The same model (sharing its weights), whose ``predict`` returns ``layer_name``'s output.

        As TF.js's ``tf.model({inputs: model.inputs, outputs: model.getLayer(name).output})``:
        layers after it are not run, and no optimisation hides its value.
        """
        names = self.layer_names
        if layer_name not in names:
            raise ValueError(f"Model '{self.name}' has no layer '{layer_name}'. Its layers are: "
                             f"{', '.join(names)}.")
        config = dict(self._model_config)
        if config.get("class_name") == "Sequential":
            layers = _layer_list(config)
            kept = layers[: names.index(layer_name) + 1]
            inner = config["config"]
            config["config"] = kept if isinstance(inner, list) else {**inner, "layers": kept}
        else:
            config["config"] = {**config["config"], "output_layers": [[layer_name, 0, 0]]}
        return LayersModel(config, self._weights)

    def predict(self, x: Union[Array, Sequence[Array]]) -> Union[Array, List[Array]]:
        """Run the model on a batch (e.g. [N, 224, 224, 3]); one array per model output.

        Give a list of arrays to a model with several inputs.
        """
        shapes = self._graph.input_shapes
        inputs = list(x) if isinstance(x, (list, tuple)) else [cast(Array, x)]
        if len(inputs) != len(shapes):
            raise ValueError(f"Model '{self.name}' takes {len(shapes)} inputs, got {len(inputs)}.")
        outputs = self._graph.run([self._checked(a, shape) for a, shape in zip(inputs, shapes)])
        return outputs[0] if len(outputs) == 1 else outputs

    def _checked(self, x: Array, shape: Optional[tuple]) -> Array:
        x = np.asarray(x, dtype=np.float32)
        if shape is None:
            return x
        fits = x.ndim == len(shape) and all(w is None or w == g for w, g in zip(shape[1:], x.shape[1:]))
        if not fits:
            hint = " It wants a batch: add a first axis with x[None]." if x.ndim == len(shape) - 1 else ""
            wanted = "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
            raise ValueError(
                f"Model '{self.name}' expects input of shape {wanted} (None: any size), "
                f"got {tuple(x.shape)}.{hint}"
            )
        return x
