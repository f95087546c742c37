"""NeuralNetwork's metadata (ml5.js's format) and the numbers the network reads. Written once.

Before training, the metadata is worked out from the examples, exactly in the format
ml5.js saves as ``model_meta.json``::

    {"inputUnits": [3], "outputUnits": 2, "isNormalized": true,
     "inputs": {"r": {"dtype": "number", "min": 0, "max": 255}, ...},
     "outputs": {"colour": {"dtype": "string", "min": 0, "max": 1,
                            "uniqueValues": ["red", "blue"], "legend": {"red": [1, 0], "blue": [0, 1]}}}}

A number stays one number (scaled to 0..1 by its range after ``normalize_data``); a word
becomes one number per word seen, all 0 but a 1 for the word (one-hot), as ml5.js does;
a list of numbers (a picture's pixels) stays a list, scaled by the range of all of them.
Labels are numbered in the order first added. The functions here read the metadata
only, so a loaded model's metadata works the same as a freshly made one.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt

CLASSIFICATION = "classification"
REGRESSION = "regression"
IMAGES = "imageClassification"


def kind_of(value):
    """ml5.js's dtype of a value: "number", "string" or "array" (of numbers); else None."""
    if rt.is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if rt.is_sequence(value):
        return "array"
    return None


def label_text(value):
    """A label as text: 3 and 3.0 both read "3" (in Python and JavaScript alike)."""
    if rt.is_number(value) and int(value) == value:
        return str(int(value))
    return str(value)


def normalized(value, low, high):
    """``value`` scaled so that ``low`` is 0 and ``high`` is 1 (0 when they are equal), as ml5.js."""
    if low == high:
        return 0
    return (value - low) / (high - low)


def unnormalized(value, low, high):
    """A network's 0..1 output back in the data's units."""
    if low == high:
        return low
    return value * (high - low) + low


# ---------------------------------------------------------------- making it

def make_meta(data, task, input_shape):
    """ml5.js's metadata for the examples of ``data`` (a ``NetworkData``), or a clear error."""
    if len(data.rows) == 0:
        raise ValueError("This NeuralNetwork has no data yet. Call add_data(inputs, outputs) for each "
                         "example (or load_data(file)) before train().")
    meta = {"inputUnits": None, "outputUnits": None, "inputs": {}, "outputs": {},
            "isNormalized": data.normalize}
    units = 0
    for name in data.input_names:
        meta["inputs"][name] = _stats(data, name, "xs", data.kinds["inputs:" + name], False)
        units += _units(meta["inputs"][name], data.lengths, "inputs:" + name)
    classifying = task != REGRESSION
    if classifying and len(data.output_names) != 1:
        raise ValueError("A classifier learns one label per example; these examples have " +
                         str(len(data.output_names)) + " outputs (" + ", ".join(data.output_names) +
                         "). Give add_data one label, or use task=\"regression\" for numbers.")
    outputs = 0
    for name in data.output_names:
        kind = data.kinds["outputs:" + name]
        if not classifying and kind != "number":
            raise ValueError("A regression network predicts numbers, but the output '" + name + "' is " +
                             shown(data.rows[0]["ys"][name]) + ". Give numbers, or use "
                             "task=\"classification\" to learn labels.")
        if classifying and kind == "array":
            raise ValueError("A classifier's label is a word or a number, not a list.")
        meta["outputs"][name] = _stats(data, name, "ys", "string" if classifying else kind, classifying)
        outputs += _units(meta["outputs"][name], data.lengths, "outputs:" + name)
    if classifying:
        labels = meta["outputs"][data.output_names[0]]["uniqueValues"]
        if len(labels) < 2:
            raise ValueError("A classifier learns to tell labels apart, so it needs examples of at least "
                             "two labels; all examples are '" + labels[0] + "'. Add examples of "
                             "another label with add_data(inputs, outputs).")
    meta["inputUnits"] = input_shape[:] if input_shape is not None else [units]
    meta["outputUnits"] = outputs
    return meta


def _stats(data, name, side, kind, as_label):
    stats = {"dtype": kind}
    if kind == "string":
        seen = []
        for row in data.rows:
            value = label_text(row[side][name]) if as_label else row[side][name]
            if value not in seen:
                seen.append(value)
        legend = {}
        for index in range(len(seen)):
            code = []
            for other in range(len(seen)):
                code.append(1 if other == index else 0)
            legend[seen[index]] = code
        stats["min"] = 0
        stats["max"] = 1
        stats["uniqueValues"] = seen
        stats["legend"] = legend
        return stats
    low = None
    high = None
    for row in data.rows:
        values = row[side][name] if kind == "array" else [row[side][name]]
        for value in values:
            if low is None or value < low:
                low = value
            if high is None or value > high:
                high = value
    stats["min"] = low
    stats["max"] = high
    if data.normalize and low == high:
        rt.network_warning("normalize_data: every example has the same value for '" + name + "' (" +
                           str(low) + "), so it becomes 0 and the network cannot learn from it.")
    return stats


def _units(stats, lengths, key):
    if stats["dtype"] == "string":
        return len(stats["uniqueValues"])
    if stats["dtype"] == "array":
        return lengths[key]
    return 1


def scale_warning(meta):
    """Advice when unnormalized inputs have wildly different ranges (or huge numbers), else None."""
    if meta["isNormalized"]:
        return None
    widest = None
    narrowest = None
    biggest = 0
    for name in rt.object_keys(meta["inputs"]):
        stats = meta["inputs"][name]
        if stats["dtype"] == "string":
            continue
        span = stats["max"] - stats["min"]
        biggest = max(biggest, abs(stats["max"]), abs(stats["min"]))
        if widest is None or span > widest[1]:
            widest = [name, span]
        if span > 0 and (narrowest is None or span < narrowest[1]):
            narrowest = [name, span]
    if widest is None:
        return None
    if narrowest is not None and widest[1] > 100 * narrowest[1]:
        return ("The inputs have very different ranges ('" + widest[0] + "' spans " + _number(widest[1]) +
                ", '" + narrowest[0] + "' only " + _number(narrowest[1]) + "), so the wide one drowns out "
                "the others. Call normalize_data() before train() to scale every input to 0..1.")
    if biggest > 100:
        return ("The inputs reach " + _number(biggest) + "; networks learn best from numbers near 0..1. "
                "Call normalize_data() before train() to scale every input to 0..1.")
    return None


# ---------------------------------------------------------------- reading it

def labels(meta):
    """The labels by output number (the place of the 1 in each one-hot code)."""
    stats = meta["outputs"][rt.object_keys(meta["outputs"])[0]]
    names = []
    for index in range(meta["outputUnits"]):
        names.append(str(index))
    for label in rt.object_keys(stats["legend"]):
        code = stats["legend"][label]
        for position in range(len(code)):
            if code[position] == 1 and position < len(names):
                names[position] = label
    return names


def encoded_rows(meta, rows, task):
    """[inputs, targets]: one flat list of numbers per example ``{"xs", "ys"}``."""
    inputs = []
    targets = []
    for row in rows:
        inputs.append(encode(meta, row["xs"], "add_data"))
        targets.append(_target(meta, row["ys"], task))
    return [inputs, targets]


def label_indices(meta, rows):
    """Each example's label number (classification), for the validation split."""
    name = rt.object_keys(meta["outputs"])[0]
    known = labels(meta)
    indices = []
    for row in rows:
        indices.append(known.index(label_text(row["ys"][name])))
    return indices


def _target(meta, ys, task):
    values = []
    for name in rt.object_keys(meta["outputs"]):
        stats = meta["outputs"][name]
        if task != REGRESSION:
            label = label_text(ys[name])
            if label not in stats["legend"]:
                raise ValueError("The label '" + label + "' is not one the loaded model knows (" +
                                 ", ".join(labels(meta)) + ").")
            return stats["legend"][label]
        value = ys[name]
        if meta["isNormalized"]:
            value = normalized(value, stats["min"], stats["max"])
        values.append(value)
    return values


def encode(meta, xs, method):
    """The network's input numbers for named values ``xs``: one-hot words, scaled numbers."""
    values = []
    for name in rt.object_keys(meta["inputs"]):
        stats = meta["inputs"][name]
        value = xs[name]
        if stats["dtype"] == "string":
            if not isinstance(value, str) or value not in stats["legend"]:
                raise ValueError(method + ": '" + name + "' is " + shown(value) + ", which the network "
                                 "never saw in add_data; it knows " + ", ".join(stats["uniqueValues"]) + ".")
            for number in stats["legend"][value]:
                values.append(number)
        elif stats["dtype"] == "array":
            if not rt.is_sequence(value):
                raise TypeError(method + ": '" + name + "' is " + shown(value) + "; it should be a list "
                                "of numbers, as in add_data.")
            for number in rt.as_list(value):
                values.append(_scaled(meta, number, stats, name, method))
        else:
            values.append(_scaled(meta, value, stats, name, method))
    return values


def _scaled(meta, value, stats, name, method):
    if not rt.is_number(value) or value - value != 0:
        raise TypeError(method + ": '" + name + "' is " + shown(value) + "; the network was trained "
                        "on numbers there.")
    if meta["isNormalized"]:
        return normalized(value, stats["min"], stats["max"])
    return value


def output_values(meta, outputs):
    """Regression: the network's outputs in the data's own units, ``[{label, value}]``."""
    results = []
    names = rt.object_keys(meta["outputs"])
    for index in range(len(names)):
        stats = meta["outputs"][names[index]]
        value = outputs[index]
        if meta["isNormalized"]:
            value = unnormalized(value, stats["min"], stats["max"])
        results.append(rt.record({"label": names[index], "value": value}))
    return results


def named_example(meta, example, method):
    """An example to classify as named values: a dict is checked, a list or number named in order."""
    names = rt.object_keys(meta["inputs"])
    if rt.is_object(example):
        for name in names:
            if name not in example:
                raise ValueError(method + ": the input '" + name + "' is missing; the network takes " +
                                 ", ".join(names) + ".")
        for name in rt.object_keys(example):
            if name not in names:
                raise ValueError(method + ": the network has no input '" + name + "'; it takes " +
                                 ", ".join(names) + ".")
        return example
    values = rt.as_list(example) if rt.is_sequence(example) else [example]
    if len(names) == 1 and meta["inputs"][names[0]]["dtype"] == "array":
        values = [values]
    if len(values) != len(names):
        raise ValueError(method + " got " + str(len(values)) + " inputs, but the network takes " +
                         str(len(names)) + " (" + ", ".join(names) + ").")
    return _by_name(names, values)


def _by_name(names, values):
    named = {}
    for index in range(len(names)):
        named[names[index]] = values[index]
    return named


# ---------------------------------------------------------------- words for messages

def _number(value):
    return label_text(value) if int(value) == value else str(round(value, 3))


def shown(value):
    """A short picture of a value for messages (long lists are cut)."""
    if rt.is_sequence(value):
        items = rt.as_list(value)
        text = []
        for item in items[:5]:
            text.append(shown(item))
        return "[" + ", ".join(text) + (", ...]" if len(items) > 5 else "]")
    if isinstance(value, str):
        return "'" + value + "'"
    if value is None:
        return "None"
    if rt.is_number(value):
        return label_text(value) if value - value == 0 and int(value) == value else str(value)
    return "a " + rt.network_type_name(value)


def named_values(names, values):
    """``{name: value}`` from two lists in the same order."""
    named = {}
    for index in range(len(names)):
        named[names[index]] = values[index]
    return named


def refuse(message):
    """Raise a ValueError (for use inside a lambda)."""
    raise ValueError(message)
