"""A trained head saved as a whole TF.js layers model, in the Teachable Machine layout.

CPython only (the browser saves the same files with TF.js's ``model.save``). The saved model
takes a picture: an outer ``Sequential`` holding the feature extractor's base model cut at
its embedding layer (a nested functional ``Model``, the original layer configs and weights),
then the head, a nested ``Sequential`` of two ``Dense`` layers named ``head_hidden`` and
``head_output``. Weight names are those TF.js writes for the same model (``conv1/kernel``,
``head_hidden/kernel``...), so TF.js's loader, our numpy executor and ``ImageClassifier``
all read it. ``metadata.json`` holds the labels. The folder is written whole or not at all
(``core/saved_folders.write_folder``).
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Sequence

import numpy as np

from ml5py.core.saved_folders import write_folder  # noqa: F401 (trained heads are saved with it)
from ml5py.numpy_executor.weight_manifest import LayerWeights, decode_weights

HEAD_NAME = "head"
HIDDEN_NAME = "head_hidden"
OUTPUT_NAME = "head_output"
FEATURES_NAME = "features"
KERAS_VERSION = "tfjs-layers 4.22.0"  # what TF.js 4.22 writes; its loader reads it back


def _dense_config(name: str, units: int, activation: str, input_size: int | None) -> dict:
    config: Dict[str, Any] = {
        "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": {"class_name": "VarianceScaling",
                               "config": {"scale": 1, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None, "name": name, "trainable": True,
    }
    if input_size is not None:
        config["batch_input_shape"] = [None, input_size]
        config["dtype"] = "float32"
    return {"class_name": "Dense", "config": config}


def head_topology(sizes: Sequence[int], kind: str) -> dict:
    """The head as a nested Sequential: Dense(hidden, relu) -> Dense(outputs, softmax or linear)."""
    output_activation = "softmax" if kind == "classification" else "linear"
    return {"class_name": "Sequential", "config": {"name": HEAD_NAME, "layers": [
        _dense_config(HIDDEN_NAME, int(sizes[1]), "relu", int(sizes[0])),
        _dense_config(OUTPUT_NAME, int(sizes[2]), output_activation, None),
    ]}}


def feature_topology(model_config: dict, layer_name: str) -> dict:
    """The base model cut after ``layer_name``: only the layers that output needs."""
    config = model_config["config"]
    if model_config.get("class_name") == "Sequential":
        layers = config if isinstance(config, list) else config["layers"]
        names = [layer.get("name") or layer["config"]["name"] for layer in layers]
        kept = layers[: names.index(layer_name) + 1]
        return {"class_name": "Sequential", "config": {"name": FEATURES_NAME, "layers": kept}}
    by_name = {layer["name"]: layer for layer in config["layers"]}
    if layer_name not in by_name:
        raise ValueError(f"The feature extractor's model has no layer '{layer_name}'.")
    needed, stack = set(), [layer_name]
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        for node in by_name[name].get("inbound_nodes") or []:
            stack.extend(ref[0] for ref in node)
    return {"class_name": "Model", "config": {
        "name": FEATURES_NAME,
        "layers": [layer for layer in config["layers"] if layer["name"] in needed],
        "input_layers": config["input_layers"],
        "output_layers": [[layer_name, 0, 0]],
    }}


def _layer_names(topology: dict) -> set:
    config = topology["config"]
    layers = config if isinstance(config, list) else config["layers"]
    return {layer.get("name") or layer["config"]["name"] for layer in layers}


def trained_model_files(base_json: dict, read_file: Callable[[str], bytes], layer_name: str,
                        head_params: Sequence[np.ndarray], kind: str, metadata: dict) -> Dict[str, bytes]:
    """``model.json``, ``weights.bin`` and ``metadata.json`` of base (cut at ``layer_name``) + head."""
    topology = base_json.get("modelTopology", base_json)
    features = feature_topology(topology.get("model_config", topology), layer_name)
    kept = _layer_names(features)
    base_weights = decode_weights(base_json.get("weightsManifest", []), read_file)
    named: List[tuple] = [(name, array) for name, array in base_weights.items()
                          if len(name.split("/")) >= 2 and name.split("/")[-2] in kept]
    sizes = [head_params[0].shape[0], head_params[0].shape[1], head_params[2].shape[1]]
    for layer, params in ((HIDDEN_NAME, head_params[0:2]), (OUTPUT_NAME, head_params[2:4])):
        named.append((f"{layer}/kernel", params[0]))
        named.append((f"{layer}/bias", params[1]))
    specs, chunks = [], []
    for name, array in named:
        array = np.ascontiguousarray(array, dtype="<f4")
        specs.append({"name": name, "shape": list(array.shape), "dtype": "float32"})
        chunks.append(array.tobytes())
    model = {
        "modelTopology": {"class_name": "Sequential",
                          "config": {"name": "sequential", "layers": [features, head_topology(sizes, kind)]},
                          "keras_version": KERAS_VERSION, "backend": "tensor_flow.js"},
        "format": "layers-model", "generatedBy": "ml5py", "convertedBy": None,
        "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}],
    }
    return {"model.json": json.dumps(model).encode("utf-8"), "weights.bin": b"".join(chunks),
            "metadata.json": json.dumps(metadata, indent=1).encode("utf-8")}


def head_from_model(model_json: dict, read_file: Callable[[str], bytes], where: str) -> dict:
    """The trainable head of a saved model: ``{"weights": [k1, b1, k2, b2], "sizes": [...]}``.

    The head is the model's last layer: a nested Sequential of two Dense layers (ml5py's,
    or a Teachable Machine export's, whose last Dense may have no bias).
    """
    topology = model_json.get("modelTopology", model_json)
    topology = topology.get("model_config", topology)
    layers = _layer_list(topology)
    head = layers[-1] if layers else {}
    inner = _layer_list(head) if head.get("class_name") in ("Sequential", "Model", "Functional") else []
    denses = [layer for layer in inner if layer.get("class_name") == "Dense"]
    if len(denses) != 2 or len(inner) != 2 or denses[0]["config"].get("activation") != "relu":
        raise ValueError(f"The model at {where} does not end in a head ml5py can train further (a "
                         "nested Sequential of Dense(relu) then Dense). Save models with "
                         "features.classification().save(...).")
    arrays = decode_weights(model_json.get("weightsManifest", []), read_file)
    outer = _config_name(topology, "sequential")
    head_name = _config_name(head, HEAD_NAME)
    params: List[np.ndarray] = []
    for layer in denses:
        name = layer["config"]["name"]
        weights = LayerWeights(arrays, (outer, head_name), name, head_name)
        kernel = np.asarray(weights("kernel"), np.float32)
        bias = (np.asarray(weights("bias"), np.float32) if layer["config"].get("use_bias", True)
                else np.zeros(kernel.shape[1], np.float32))
        params.extend([kernel, bias])
    return {"weights": params, "sizes": [params[0].shape[0], params[0].shape[1], params[2].shape[1]]}


def _layer_list(model_config: dict) -> list:
    config = model_config.get("config", [])
    return config if isinstance(config, list) else config.get("layers", [])


def _config_name(model_config: dict, default: str) -> str:
    config = model_config.get("config")
    return (config.get("name") if isinstance(config, dict) else None) or model_config.get("name") or default
