"""NeuralNetwork's model files, as ml5.js 1.x saves them. Written once.

``save(folder)`` writes three files, and ``load`` reads them back (and ml5.js's own):

- ``model.json``: the network as a TF.js layers model (a ``Sequential`` of ``Dense``,
  ``Conv2D``, ``MaxPooling2D`` and ``Flatten`` layers, their configs as TF.js writes them)
  and the list of its weights;
- ``model.weights.bin``: the weights, float32, one after another;
- ``model_meta.json``: ml5.js's metadata (``nn_data.py``): the inputs, the labels, the
  ranges used by ``normalize_data``. ml5py adds ``"ml5py": {"task": ...}``.

So ``ml5.neuralNetwork().load("folder/model.json")`` in ml5.js 1.x uses a model ml5py
saved, and ml5py loads one ml5.js saved.
"""
# __pragma__ ('noopov')

from ml5py.models.neural_network.nn_layers import ACTIVATIONS, CLASS_NAMES
from ml5py.runtime import rt

WEIGHTS_FILE = "model.weights.bin"
KERAS_VERSION = "tfjs-layers 4.22.0"
LOADABLE = ["Dense", "Conv2D", "MaxPooling2D", "Flatten"]


def _initializer_config(name):
    if name == "zeros":
        return {"class_name": "Zeros", "config": {}}
    scale = 1
    mode = "fan_in"
    if name == "glorotUniform":
        mode = "fan_avg"
    elif name == "heUniform":
        scale = 2
    return {"class_name": "VarianceScaling",
            "config": {"scale": scale, "mode": mode, "distribution": "uniform", "seed": None}}


def layer_config(spec, first):
    """One layer as TF.js writes it in ``model.json``."""
    config = {"name": spec["name"], "trainable": True}
    kind = spec["type"]
    if kind == "dense" or kind == "conv2d":
        if kind == "dense":
            config["units"] = spec["units"]
        else:
            config["filters"] = spec["filters"]
            config["kernel_size"] = spec["kernel_size"]
            config["strides"] = spec["strides"]
            config["padding"] = spec["padding"]
            config["data_format"] = "channels_last"
            config["dilation_rate"] = [1, 1]
        config["activation"] = spec["activation"]
        config["use_bias"] = spec["use_bias"]
        config["kernel_initializer"] = _initializer_config(spec["initializer"])
        config["bias_initializer"] = {"class_name": "Zeros", "config": {}}
        for key in ["kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "bias_constraint"]:
            config[key] = None
    elif kind == "max_pooling2d":
        config["pool_size"] = spec["pool_size"]
        config["padding"] = spec["padding"]
        config["strides"] = spec["strides"]
        config["data_format"] = "channels_last"
    if first:
        shape = [None]
        for size in spec["input_shape"]:
            shape.append(size)
        config["batch_input_shape"] = shape
        config["dtype"] = "float32"
    return {"class_name": CLASS_NAMES[kind], "config": config}


def weight_specs(specs):
    """The weights manifest entries, in the order their numbers follow each other."""
    entries = []
    for spec in specs:
        names = ["kernel", "bias"]
        for index in range(len(spec["weights"])):
            entries.append({"name": spec["name"] + "/" + names[index], "shape": spec["weights"][index],
                            "dtype": "float32"})
    return entries


def model_json(specs):
    """``model.json`` (as a dict) for a network of ``specs``."""
    layers = []
    for index in range(len(specs)):
        layers.append(layer_config(specs[index], index == 0))
    return {"modelTopology": {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers},
                              "keras_version": KERAS_VERSION, "backend": "tensor_flow.js"},
            "weightsManifest": [{"paths": ["./" + WEIGHTS_FILE], "weights": weight_specs(specs)}],
            "format": "layers-model", "generatedBy": "ml5py", "convertedBy": None}


# ---------------------------------------------------------------- reading a model.json

def joined(base, name):
    """The place of ``name`` (from a weights manifest) beside a model.json in ``base``."""
    if name.startswith("http://") or name.startswith("https://") or name.startswith("/"):
        return name
    if name.startswith("./"):
        name = name[2:]
    return base + name


def model_places(place, metadata, weights):
    """Where a saved model's files are: ``{"model", "base", "meta": [places to try], "weights"}``.

    ``place`` is a folder, a ``model.json`` (or ml5.js's ``name.json``, whose metadata is
    ``name_meta.json``) or their URL; ``metadata`` and ``weights`` override (ml5.js's
    ``{"model": ..., "metadata": ..., "weights": ...}``).
    """
    if place.endswith(".json"):
        cut = place.rfind("/") + 1
        base = place[:cut]
        name = place[cut:]
        metas = [joined(base, name[:len(name) - 5] + "_meta.json")]
        if name != "model.json":
            metas.append(joined(base, "model_meta.json"))
        model = place
    else:
        base = place if place.endswith("/") else place + "/"
        model = base + "model.json"
        metas = [base + "model_meta.json"]
    if metadata is not None:
        metas = [str(metadata)]
    return {"model": model, "base": base, "meta": metas, "weights": weights}


def _get(mapping, key, default):
    if rt.is_object(mapping) and key in mapping and mapping[key] is not None:
        return mapping[key]
    return default


def specs_from_model(model, where):
    """The layer specs of a saved ``model.json`` (ml5py's or ml5.js's), or a clear error."""
    topology = _get(model, "modelTopology", None)
    topology = _get(topology, "model_config", topology)
    if not rt.is_object(topology) or _get(topology, "class_name", "") != "Sequential":
        raise ValueError(where + " is not a TF.js layers model saved by ml5.js or ml5py (its modelTopology "
                         "is not a Sequential model). Save it again with save().")
    config = _get(topology, "config", [])
    layers = config if isinstance(config, list) or rt.is_sequence(config) else _get(config, "layers", [])
    specs = []
    shape = None
    counts = {}
    for index in range(len(layers)):
        layer = layers[index]
        kind = _get(layer, "class_name", "")
        settings = _get(layer, "config", {})
        if kind == "InputLayer":
            shape = _batch_shape(settings, where)
            continue
        if kind not in LOADABLE:
            raise ValueError(where + " has a " + str(kind) + " layer; ml5py's NeuralNetwork loads models made "
                             "of " + ", ".join(LOADABLE) + " layers.")
        if shape is None:
            shape = _batch_shape(settings, where)
        spec = _spec(kind, settings, shape, where)
        counts[kind] = (counts[kind] if kind in counts else 0) + 1
        spec["name"] = _get(settings, "name", spec["type"] + "_" + kind + str(counts[kind]))
        specs.append(spec)
        shape = spec["output_shape"]
    if len(specs) == 0 or specs[len(specs) - 1]["type"] != "dense":
        raise ValueError(where + " does not end in a dense layer, so it is not a NeuralNetwork model.")
    return specs


def _batch_shape(settings, where):
    shape = _get(settings, "batch_input_shape", _get(settings, "batchInputShape", None))
    if shape is None:
        raise ValueError(where + ": its first layer does not say what it takes (batch_input_shape).")
    return shape[1:]


def _spec(kind, settings, shape, where):
    spec = {"input_shape": shape[:], "weights": []}
    if kind == "Flatten":
        total = 1
        for size in shape:
            total *= size
        spec["type"] = "flatten"
        spec["output_shape"] = [total]
        return spec
    if kind == "MaxPooling2D":
        spec["type"] = "max_pooling2d"
        spec["pool_size"] = _get(settings, "pool_size", [2, 2])
        spec["strides"] = _get(settings, "strides", spec["pool_size"])
        spec["padding"] = _get(settings, "padding", "valid")
        spec["output_shape"] = _window(shape, spec["pool_size"], spec["strides"], spec["padding"], shape[2])
        return spec
    activation = _get(settings, "activation", "linear")
    if activation not in ACTIVATIONS:
        raise ValueError(where + " uses the activation '" + str(activation) + "'; ml5py knows " +
                         ", ".join(ACTIVATIONS) + ".")
    spec["activation"] = activation
    spec["use_bias"] = _get(settings, "use_bias", True)
    spec["initializer"] = "glorotUniform"
    if kind == "Dense":
        spec["type"] = "dense"
        spec["units"] = _get(settings, "units", 0)
        spec["output_shape"] = [spec["units"]]
        spec["weights"] = [[shape[0], spec["units"]]]
        if spec["use_bias"]:
            spec["weights"].append([spec["units"]])
        return spec
    if _get(settings, "data_format", "channels_last") != "channels_last" or \
            _get(settings, "dilation_rate", [1, 1])[0] != 1:
        raise ValueError(where + " has a Conv2D layer ml5py cannot run (channels_first or dilated).")
    spec["type"] = "conv2d"
    spec["filters"] = _get(settings, "filters", 0)
    kernel = _get(settings, "kernel_size", [1, 1])
    spec["kernel_size"] = kernel
    spec["strides"] = _get(settings, "strides", [1, 1])
    spec["padding"] = _get(settings, "padding", "valid")
    spec["output_shape"] = _window(shape, kernel, spec["strides"], spec["padding"], spec["filters"])
    spec["weights"] = [[kernel[0], kernel[1], shape[2], spec["filters"]]]
    if spec["use_bias"]:
        spec["weights"].append([spec["filters"]])
    return spec


def _window(shape, window, strides, padding, channels):
    sizes = []
    for axis in range(2):
        if padding == "same":
            sizes.append((shape[axis] + strides[axis] - 1) // strides[axis])
        else:
            sizes.append((shape[axis] - window[axis]) // strides[axis] + 1)
    sizes.append(channels)
    return sizes


def weights_in_order(specs, named, where):
    """The loaded weights (``{name: flat numbers}``) in the order of ``specs``, sizes checked."""
    names = rt.object_keys(named)
    ordered = []
    for spec in specs:
        kinds = ["kernel", "bias"]
        for index in range(len(spec["weights"])):
            wanted = spec["name"] + "/" + kinds[index]
            found = None
            for name in names:
                if name == wanted or name.endswith("/" + wanted):
                    found = name
            if found is None:
                raise ValueError(where + " has no weights named " + wanted + " (its weights are " +
                                 ", ".join(names) + ").")
            size = 1
            for length in spec["weights"][index]:
                size *= length
            if len(named[found]) != size:
                raise ValueError(where + ": the weights " + wanted + " hold " + str(len(named[found])) +
                                 " numbers where the layer needs " + str(size) + ".")
            ordered.append(named[found])
    return ordered


def check_meta(meta, specs, where):
    """A clear error when ``model_meta.json`` does not fit the model (or is not ml5.js's metadata)."""
    for key in ["inputs", "outputs", "inputUnits", "outputUnits"]:
        if not rt.is_object(meta) or key not in meta:
            raise ValueError(where + " is not ml5.js metadata (it has no '" + key + "'). It is the "
                             "model_meta.json that save() writes beside model.json.")
    units = meta["inputUnits"]
    shape = specs[0]["input_shape"]
    size = 1
    for length in shape:
        size *= length
    given = 1
    for length in (units if rt.is_sequence(units) else [units]):
        given *= length
    last = specs[len(specs) - 1]
    if given != size or meta["outputUnits"] != last["units"]:
        raise ValueError(where + " describes " + str(given) + " inputs and " + str(meta["outputUnits"]) +
                         " outputs, but the model takes " + str(size) + " and gives " + str(last["units"]) +
                         ": the files belong to different models. Save them again together.")


def task_of(meta, specs):
    """The task a loaded model was saved for: from ml5py's note, else from its outputs."""
    note = _get(meta, "ml5py", None)
    if rt.is_object(note) and "task" in note:
        return note["task"]
    outputs = meta["outputs"]
    names = rt.object_keys(outputs)
    if len(names) == 1 and _get(outputs[names[0]], "dtype", "") == "string":
        return "imageClassification" if len(specs[0]["input_shape"]) == 3 else "classification"
    return "regression"
