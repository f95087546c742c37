"""Shared by the layers executor tests: small TF.js layers models (model.json and weight
files, float or quantised) written here, and random float32 arrays."""
import json

import numpy as np

from ml5py.numpy_executor.layers import LayersModel

RNG = np.random.default_rng(7)


def random(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape).astype(np.float32)


# ---------------------------------------------------------------- writing model.json files


def layer(cls, name, inbound=None, **config):
    """One layer as model.json writes it; ``inbound`` lists the layers feeding it."""
    entry = {"class_name": cls, "name": name, "config": {"name": name, **config}}
    if inbound is not None:
        entry["inbound_nodes"] = [[[source, 0, 0, {}] for source in inbound]] if inbound else []
    return entry


def sequential(name, layers, keras_2_1=False):
    return {"class_name": "Sequential", "config": layers if keras_2_1 else {"name": name, "layers": layers}}


def functional(name, layers, inputs, outputs, inbound=None):
    model = {"class_name": "Model", "name": name, "config": {
        "name": name, "layers": layers,
        "input_layers": [[i, 0, 0] for i in inputs], "output_layers": [[o, 0, 0] for o in outputs]}}
    if inbound is not None:
        model["inbound_nodes"] = [[[source, 0, 0, {}] for source in inbound]]
    return model


def encode(array, storage):
    """(manifest entry extras, bytes) for one float32 array stored as ``storage``."""
    if storage == "float32":
        return {}, array.astype("<f4").tobytes()
    if storage == "float16":
        return {"quantization": {"dtype": "float16"}}, array.astype("<f2").tobytes()
    levels = {"uint8": 255, "uint16": 65535}[storage]
    low = float(array.min())
    scale = (float(array.max()) - low) / levels
    q = np.round((array.astype(np.float64) - low) / scale)
    extras = {"quantization": {"dtype": storage, "scale": scale, "min": low, "original_dtype": "float32"}}
    return extras, q.astype("<u1" if storage == "uint8" else "<u2").tobytes()


def model_files(topology, weights, storage="float32", shards=1):
    """A model.json dict and its weight files ({name: bytes}) for ``weights`` ({name: array})."""
    specs, data = [], b""
    for name, array in weights.items():
        extras, raw = encode(array, storage)
        specs.append({"name": name, "shape": list(array.shape), "dtype": "float32", **extras})
        data += raw
    cuts = [len(data) * i // shards for i in range(shards + 1)]
    files = {f"group1-shard{i + 1}of{shards}.bin": data[cuts[i]:cuts[i + 1]] for i in range(shards)}
    model_json = {"format": "layers-model", "modelTopology": {"model_config": topology},
                  "weightsManifest": [{"paths": list(files), "weights": specs}]}
    return model_json, files


def load(topology, weights, **kwargs):
    model_json, files = model_files(topology, weights, **kwargs)
    return LayersModel.from_files(json.loads(json.dumps(model_json)), files.__getitem__)
