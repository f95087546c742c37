"""NeuralNetwork's options, with ml5.js's names and defaults, checked once. Written once.

``NeuralNetwork(task="classification", hidden_units=8)`` or, as in ml5.js, an options
dict (``{"task": "classification", "hiddenUnits": 8}``: ml5.js's camelCase names work in
the dict too). An unknown name or a bad value is an error that lists the good ones.
"""
# __pragma__ ('noopov')

from ml5py.models.neural_network.nn_layers import snake_case
from ml5py.runtime import rt

MAX_HIDDEN_UNITS = 10000  # (more would need gigabytes before the first epoch)

TASKS = ["classification", "regression", "imageClassification"]
OPTION_NAMES = ["task", "inputs", "outputs", "layers", "hidden_units", "learning_rate", "debug",
                "input_shape", "data_url", "model_url", "seed"]
TRAIN_NAMES = ["epochs", "batch_size", "validation_split", "shuffle"]
TRAIN_DEFAULTS = {"epochs": 10, "batch_size": 32, "validation_split": 0.1, "shuffle": True}  # ml5.js's


def checked_options(options, keywords):
    """The constructor's options (a dict, then keywords, which win) with defaults, checked."""
    chosen = {"task": None, "inputs": None, "outputs": None, "layers": None, "hidden_units": 16,
              "learning_rate": None, "debug": False, "input_shape": None, "data_url": None,
              "model_url": None, "seed": 42}
    merged = _merged(options, keywords, OPTION_NAMES, "NeuralNetwork", "{\"task\": \"classification\"}")
    for name in rt.object_keys(merged):
        chosen[name] = merged[name]
    task = chosen["task"]
    if task is not None:
        found = None
        for known in TASKS:
            if isinstance(task, str) and known.lower() == task.lower().replace("_", ""):
                found = known
        if found is None:
            raise ValueError("Unknown task " + _shown(task) + ". NeuralNetwork's tasks are: " +
                             ", ".join(TASKS) + ".")
        chosen["task"] = found
    chosen["hidden_units"] = _whole(chosen["hidden_units"], "hidden_units", 1, MAX_HIDDEN_UNITS)
    chosen["seed"] = _whole(chosen["seed"], "seed", 0)
    if chosen["learning_rate"] is None:
        chosen["learning_rate"] = 0.02 if chosen["task"] == "imageClassification" else 0.2  # ml5.js's
    rate = _number(chosen["learning_rate"], "learning_rate")
    if rate <= 0:
        raise ValueError("learning_rate is how big each training step is, a number above 0 (such as 0.2); "
                         "got " + str(chosen["learning_rate"]) + ".")
    chosen["learning_rate"] = rate
    shape = chosen["input_shape"]
    if chosen["task"] == "imageClassification":
        if shape is None:
            shape = chosen["inputs"]
            chosen["inputs"] = None
        chosen["input_shape"] = _image_shape(shape)
    elif shape is not None:
        raise ValueError("input_shape ([width, height, channels]) is for task=\"imageClassification\".")
    chosen["inputs"] = _names_or_count(chosen["inputs"], "inputs")
    chosen["outputs"] = _names_or_count(chosen["outputs"], "outputs")
    if chosen["layers"] is not None and (not rt.is_sequence(chosen["layers"]) or len(chosen["layers"]) == 0):
        raise ValueError("layers is a list of layers, such as [{\"type\": \"dense\", \"units\": 16, "
                         "\"activation\": \"relu\"}, {\"type\": \"dense\", \"activation\": \"softmax\"}]; got " +
                         _shown(chosen["layers"]) + ".")
    return chosen


def _merged(options, keywords, names, where, example):
    merged = {}
    if options is not None:
        if not rt.is_object(options):
            raise TypeError(where + "'s options are a dict such as " + example + " (or keywords); got " +
                            _shown(options) + ".")
        for name in rt.object_keys(options):
            merged[snake_case(name)] = options[name]
    for name in rt.object_keys(keywords):
        if keywords[name] is not None:
            merged[name] = keywords[name]
    for name in rt.object_keys(merged):
        if name == "neuro_evolution":
            raise ValueError("ml5py's NeuralNetwork does not do neuroevolution (neuroEvolution) yet.")
        if name not in names:
            raise ValueError("Unknown option '" + name + "'. " + where + "'s options are: " +
                             ", ".join(names) + ".")
    return merged


def train_settings(options, keywords):
    """train()'s options (epochs, batch_size, validation_split, shuffle) with ml5.js's defaults."""
    chosen = {}
    for name in TRAIN_NAMES:
        chosen[name] = TRAIN_DEFAULTS[name]
    merged = _merged(options, keywords, TRAIN_NAMES, "train()", "{\"epochs\": 50}")
    for name in rt.object_keys(merged):
        chosen[name] = merged[name]
    chosen["epochs"] = _whole(chosen["epochs"], "epochs", 1)
    chosen["batch_size"] = _whole(chosen["batch_size"], "batch_size", 1)
    split = _number(chosen["validation_split"], "validation_split")
    if split < 0 or split >= 1:
        raise ValueError("validation_split is the share of examples kept aside to check the network, from 0 "
                         "up to (not including) 1, such as 0.1; got " + str(chosen["validation_split"]) + ".")
    chosen["validation_split"] = split
    chosen["shuffle"] = chosen["shuffle"] is True or chosen["shuffle"] == 1
    return chosen


def sorted_train_arguments(arguments):
    """[options, while_training, done] from ml5.js's train(options?, while_training?, done?)."""
    given = []
    for value in arguments:
        if value is not None:
            given.append(value)
    options = None
    if len(given) > 0 and not callable(given[0]):
        options = given[0]
        given = given[1:]
    if len(given) > 2:
        raise TypeError("train() takes options, while_training and a done callback: at most 3 values.")
    for value in given:
        if not callable(value):
            raise TypeError("train() takes options (a dict), then while_training(epoch, logs) and a done "
                            "callback, both functions; got " + _shown(value) + ".")
    if len(given) == 2:
        return [options, given[0], given[1]]
    if len(given) == 1:
        return [options, None, given[0]]
    return [options, None, None]


def _image_shape(shape):
    ok = rt.is_sequence(shape) and len(shape) == 3
    if ok:
        for size in shape:
            ok = ok and _is_whole(size) and size >= 1
        ok = ok and (shape[2] == 3 or shape[2] == 4)
    if not ok:
        raise ValueError("imageClassification needs the pictures' size as inputs=[width, height, channels], "
                         "such as [64, 64, 4] (channels: 4 for RGBA, 3 for RGB); got " + _shown(shape) + ".")
    return [int(shape[0]), int(shape[1]), int(shape[2])]


def _names_or_count(value, name):
    if value is None:
        return None
    if rt.is_number(value):
        return _whole(value, name, 1)
    if rt.is_sequence(value) and len(value) > 0:
        names = []
        for item in value:
            if not isinstance(item, str) or len(item) == 0:
                raise ValueError(name + " is a count (such as 3) or a list of names (such as [\"r\", \"g\", "
                                 "\"b\"]); got " + _shown(value) + ".")
            names.append(item)
        return names
    raise ValueError(name + " is a count (such as 3) or a list of names (such as [\"r\", \"g\", \"b\"]); got " +
                     _shown(value) + ".")


def _is_whole(value):
    try:
        return rt.is_number(value) and int(value) == value
    except Exception:
        return False


def _whole(value, name, least, most=None):
    if not _is_whole(value) or value < least or (most is not None and value > most):
        limits = "of at least " + str(least) if most is None else "from " + str(least) + " to " + str(most)
        raise ValueError(name + " should be a whole number " + limits + "; got " + _shown(value) + ".")
    return int(value)


def _number(value, name):
    if not rt.is_number(value) or value - value != 0:
        raise ValueError(name + " is a number (such as 0.2); got " + _shown(value) + ".")
    return value


def _shown(value):
    if isinstance(value, str):
        return "'" + value + "'"
    return str(value)
