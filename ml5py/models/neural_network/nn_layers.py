"""NeuralNetwork's layers: what each layer is, its shapes and its seeded starting weights. Written once.

A network is a list of *layer specs*, plain dicts that both runtimes read the same way::

    {"type": "dense", "name": "dense_Dense1", "units": 16, "activation": "relu",
     "use_bias": True, "initializer": "glorotUniform",
     "input_shape": [34], "output_shape": [16], "weights": [[34, 16], [16]]}

Types: ``dense``, ``conv2d``, ``max_pooling2d`` and ``flatten``, as ml5.js's ``layers``
option gives them to TF.js (``{"type": "conv2d", "filters": 8, "kernelSize": 5}``; ml5py
also takes the snake_case keys, ``kernel_size``). ``weights`` lists the shape of each
weight (kernel, then bias), in TF.js's layout: dense ``[inputs, units]``, conv2d
``[height, width, channels in, filters]``.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt
from ml5py.core.seeded import SeededRandom, uniform_values, zeros

ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "softmax"]
INITIALIZERS = ["glorotUniform", "heUniform", "leCunUniform", "varianceScaling", "zeros"]
TYPES = {"dense": "dense", "conv2d": "conv2d", "maxpooling2d": "max_pooling2d",
         "maxpool2d": "max_pooling2d", "flatten": "flatten"}
TYPE_NAMES = ["dense", "conv2d", "maxPooling2d", "flatten"]
KEYS = {"dense": ["type", "units", "activation", "use_bias", "kernel_initializer", "input_shape"],
        "conv2d": ["type", "filters", "kernel_size", "strides", "padding", "activation", "use_bias",
                   "kernel_initializer", "input_shape"],
        "max_pooling2d": ["type", "pool_size", "strides", "padding", "input_shape"],
        "flatten": ["type", "input_shape"]}
CLASS_NAMES = {"dense": "Dense", "conv2d": "Conv2D", "max_pooling2d": "MaxPooling2D", "flatten": "Flatten"}


def snake_case(name):
    """``kernelSize`` -> ``kernel_size`` (ml5.js's option names in Python's spelling)."""
    text = ""
    for position in range(len(name)):
        letter = name[position]
        if letter.upper() == letter and letter.lower() != letter:
            text += "_" + letter.lower()
        else:
            text += letter
    return text


def default_layers(task, hidden_units, normalized):
    """ml5.js's layers for a task, before their sizes are known.

    Classification: ``Dense(hidden_units, relu) -> Dense(labels, softmax)``. Regression:
    ``Dense(hidden_units, relu) -> Dense(outputs, sigmoid)`` when the data are normalized
    (ml5.js's choice: outputs between 0 and 1), else a linear output, which can reach any
    number. imageClassification: two 5x5 convolutions (8 and 16 filters, each followed by
    2x2 max pooling), then ``flatten`` and ``Dense(labels, softmax)``.
    """
    if task == "imageClassification":
        return [{"type": "conv2d", "filters": 8, "kernel_size": 5, "strides": 1, "activation": "relu",
                 "kernel_initializer": "varianceScaling"},
                {"type": "max_pooling2d", "pool_size": [2, 2], "strides": [2, 2]},
                {"type": "conv2d", "filters": 16, "kernel_size": 5, "strides": 1, "activation": "relu",
                 "kernel_initializer": "varianceScaling"},
                {"type": "max_pooling2d", "pool_size": [2, 2], "strides": [2, 2]},
                {"type": "flatten"},
                {"type": "dense", "kernel_initializer": "varianceScaling", "activation": "softmax"}]
    last = "softmax" if task == "classification" else ("sigmoid" if normalized else "linear")
    return [{"type": "dense", "units": hidden_units, "activation": "relu"},
            {"type": "dense", "activation": last}]


def _pair(value, what, name):
    """[a, b] from a number or a pair of whole numbers of at least 1, else a clear error."""
    pair = [value, value] if not isinstance(value, list) else value
    ok = len(pair) == 2
    if ok:
        for item in pair:
            ok = ok and _whole(item) and item >= 1
    if not ok:
        raise ValueError("The " + what + " layer's " + name + " is a whole number or a pair such as "
                         "[2, 2]; got " + str(value) + ".")
    return [int(pair[0]), int(pair[1])]


def _whole(value):
    try:
        return not isinstance(value, str) and int(value) == value
    except Exception:
        return False


def _size_after(size, window, stride, padding):
    if padding == "same":
        return (size + stride - 1) // stride
    return (size - window) // stride + 1


def _checked_keys(given, position):
    """The layer's options in snake_case, with its type checked."""
    if not rt.is_object(given):
        raise TypeError("Each layer is a dict such as {\"type\": \"dense\", \"units\": 16}; layer " +
                        str(position + 1) + " is " + str(given) + ".")
    options = {}
    for key in _keys_of(given):
        options[snake_case(key)] = given[key]
    kind = str(options["type"]) if "type" in options else ""
    kind = TYPES[kind.lower().replace("_", "")] if kind.lower().replace("_", "") in TYPES else None
    if kind is None:
        raise ValueError("Layer " + str(position + 1) + " has the type " + str(options["type"] if "type" in
                         options else None) + "; ml5py's NeuralNetwork knows the layer types " +
                         ", ".join(TYPE_NAMES) + ".")
    for key in _keys_of(options):
        if key not in KEYS[kind]:
            raise ValueError("Layer " + str(position + 1) + " (" + kind + ") has an option '" + key +
                             "' ml5py does not know; a " + kind + " layer takes " +
                             ", ".join(KEYS[kind][1:]) + ".")
    options["type"] = kind
    return options


def _keys_of(mapping):
    return rt.object_keys(mapping)


def _activation(options, last, task, position):
    activation = options["activation"] if "activation" in options and options["activation"] is not None else None
    if activation is None:
        activation = "softmax" if last and task != "regression" else "linear"
    if activation not in ACTIVATIONS:
        raise ValueError("Layer " + str(position + 1) + " has the activation '" + str(activation) +
                         "'; ml5py knows " + ", ".join(ACTIVATIONS) + ".")
    if activation == "softmax" and not last:
        raise ValueError("Only the last layer may use the softmax activation (layer " + str(position + 1) +
                         " does). Use relu, sigmoid or tanh inside the network.")
    if last and task != "regression" and activation != "softmax":
        raise ValueError("A classifier's last layer turns scores into probabilities with the softmax "
                         "activation; the last layer has '" + activation + "'. Leave it out or use "
                         "\"softmax\".")
    return activation


def layer_specs(given, input_shape, outputs, task):
    """The layers, checked, named and sized: ``input_shape`` in, ``outputs`` numbers out.

    The last dense layer gets ``outputs`` units unless it says otherwise (then it must
    agree). Errors say which layer is wrong and how to fix it.
    """
    if not isinstance(given, list) or len(given) < 1:
        raise ValueError("layers is a list of layers such as [{\"type\": \"dense\", \"units\": 16, "
                         "\"activation\": \"relu\"}, {\"type\": \"dense\", \"activation\": \"softmax\"}]; got " +
                         str(given) + ".")
    specs = []
    counts = {}
    shape = input_shape[:]
    for position in range(len(given)):
        options = _checked_keys(given[position], position)
        kind = options["type"]
        last = position == len(given) - 1
        counts[kind] = (counts[kind] if kind in counts else 0) + 1
        spec = {"type": kind, "name": kind + "_" + CLASS_NAMES[kind] + str(counts[kind]),
                "input_shape": shape[:], "weights": []}
        if last and kind != "dense":
            raise ValueError("The last layer gives the network's outputs, so it is a dense layer; "
                             "here it is a " + kind + " layer. Add {\"type\": \"dense\"} at the end.")
        if kind == "dense":
            _dense(spec, options, shape, outputs if last else None, task, position, last)
        elif kind == "conv2d":
            _conv(spec, options, shape, task, position)
        elif kind == "max_pooling2d":
            _pool(spec, options, shape, position)
        else:
            total = 1
            for size in shape:
                total *= size
            spec["output_shape"] = [total]
        shape = spec["output_shape"]
        specs.append(spec)
    return specs


def _dense(spec, options, shape, outputs, task, position, last):
    if len(shape) != 1:
        raise ValueError("Layer " + str(position + 1) + " is dense, but what comes in is shaped " + str(shape) +
                         " (a picture). Add {\"type\": \"flatten\"} before it.")
    units = options["units"] if "units" in options and options["units"] is not None else outputs
    if units is None or not _whole(units) or units < 1:
        raise ValueError("Dense layer " + str(position + 1) + " needs units, a whole number of at least 1 "
                         "(such as 16); got " + str(units) + ".")
    if outputs is not None and units != outputs:
        raise ValueError("The last layer has " + str(units) + " units, but the data have " + str(outputs) +
                         " outputs. Leave its units out: ml5py fills them in.")
    spec["units"] = int(units)
    spec["activation"] = _activation(options, last, task, position)
    spec["use_bias"] = options["use_bias"] if "use_bias" in options else True
    spec["initializer"] = _initializer(options, position)
    spec["output_shape"] = [spec["units"]]
    spec["weights"] = [[shape[0], spec["units"]]]
    if spec["use_bias"]:
        spec["weights"].append([spec["units"]])


def _conv(spec, options, shape, task, position):
    if len(shape) != 3:
        raise ValueError("Layer " + str(position + 1) + " is conv2d, which reads pictures ([width, height, "
                         "channels]), but what comes in is shaped " + str(shape) + ". Use "
                         "task=\"imageClassification\" with inputs=[width, height, channels].")
    filters = options["filters"] if "filters" in options else None
    if filters is None or not _whole(filters) or filters < 1:
        raise ValueError("conv2d layer " + str(position + 1) + " needs filters, a whole number such as 8; "
                         "got " + str(filters) + ".")
    spec["filters"] = int(filters)
    spec["kernel_size"] = _pair(options["kernel_size"] if "kernel_size" in options else None, "conv2d",
                                "kernel_size")
    spec["strides"] = _pair(options["strides"] if "strides" in options else 1, "conv2d", "strides")
    spec["padding"] = _padding(options, position)
    spec["activation"] = _activation(options, False, task, position)
    spec["use_bias"] = options["use_bias"] if "use_bias" in options else True
    spec["initializer"] = _initializer(options, position)
    spec["output_shape"] = _window_shape(shape, spec["kernel_size"], spec["strides"], spec["padding"],
                                         position, spec["filters"])
    spec["weights"] = [[spec["kernel_size"][0], spec["kernel_size"][1], shape[2], spec["filters"]]]
    if spec["use_bias"]:
        spec["weights"].append([spec["filters"]])


def _pool(spec, options, shape, position):
    if len(shape) != 3:
        raise ValueError("Layer " + str(position + 1) + " is maxPooling2d, which reads pictures, but what "
                         "comes in is shaped " + str(shape) + ".")
    spec["pool_size"] = _pair(options["pool_size"] if "pool_size" in options else 2, "maxPooling2d", "pool_size")
    spec["strides"] = _pair(options["strides"] if "strides" in options and options["strides"] is not None
                            else spec["pool_size"], "maxPooling2d", "strides")
    spec["padding"] = _padding(options, position)
    spec["output_shape"] = _window_shape(shape, spec["pool_size"], spec["strides"], spec["padding"],
                                         position, shape[2])


def _padding(options, position):
    padding = options["padding"] if "padding" in options else "valid"
    if padding != "valid" and padding != "same":
        raise ValueError("Layer " + str(position + 1) + " has padding '" + str(padding) + "'; use \"valid\" "
                         "(the default) or \"same\".")
    return padding


def _window_shape(shape, window, strides, padding, position, channels):
    height = _size_after(shape[0], window[0], strides[0], padding)
    width = _size_after(shape[1], window[1], strides[1], padding)
    if height < 1 or width < 1:
        raise ValueError("Layer " + str(position + 1) + " slides a " + str(window[0]) + "x" + str(window[1]) +
                         " window over something only " + str(shape[0]) + "x" + str(shape[1]) + " big. "
                         "Use bigger pictures, fewer layers or padding \"same\".")
    return [height, width, channels]


def _initializer(options, position):
    name = options["kernel_initializer"] if "kernel_initializer" in options else "glorotUniform"
    if name not in INITIALIZERS:
        raise ValueError("Layer " + str(position + 1) + " has the kernel_initializer '" + str(name) +
                         "'; ml5py knows " + ", ".join(INITIALIZERS) + ".")
    return name


def initial_weights(specs, seed):
    """Every layer's starting weights, as flat lists (kernel, bias...), drawn from ``seed``.

    Kernels are uniform with the spread their initializer asks for: glorotUniform
    ``sqrt(6 / (fan_in + fan_out))`` (TF.js's default), heUniform ``sqrt(6 / fan_in)``,
    leCunUniform and varianceScaling ``sqrt(3 / fan_in)`` (varianceScaling is TF.js's
    variance, drawn uniformly rather than from a truncated normal, so that both runtimes
    draw the very same numbers); biases start at zero.
    """
    random = SeededRandom(seed)
    weights = []
    for spec in specs:
        shapes = spec["weights"]
        if len(shapes) == 0:
            continue
        kernel = shapes[0]
        count = 1
        for size in kernel:
            count *= size
        receptive = count // (kernel[len(kernel) - 2] * kernel[len(kernel) - 1])
        fan_in = kernel[len(kernel) - 2] * receptive
        fan_out = kernel[len(kernel) - 1] * receptive
        name = spec["initializer"]
        if name == "zeros":
            weights.append(zeros(count))
        else:
            if name == "glorotUniform":
                limit = (6.0 / (fan_in + fan_out)) ** 0.5
            elif name == "heUniform":
                limit = (6.0 / fan_in) ** 0.5
            else:
                limit = (3.0 / fan_in) ** 0.5
            weights.append(uniform_values(random, count, limit))
        if len(shapes) > 1:
            weights.append(zeros(shapes[1][0]))
    return weights


def same_layers(first, second):
    """True when two lists of layer specs describe the same network (names aside)."""
    if first is None or second is None or len(first) != len(second):
        return False
    for index in range(len(first)):
        if describe(first[index]) != describe(second[index]):
            return False
    return True


def describe(spec):
    """One line about a layer, for the debug summary and comparisons."""
    text = spec["type"] + " " + str(spec["input_shape"]) + " -> " + str(spec["output_shape"])
    for key in ["activation", "kernel_size", "strides", "padding", "pool_size", "use_bias"]:
        if key in spec:
            text += " " + key + "=" + str(spec[key])
    return text


def weight_count(specs):
    """How many numbers the network learns."""
    total = 0
    for spec in specs:
        for shape in spec["weights"]:
            count = 1
            for size in shape:
                count *= size
            total += count
    return total
