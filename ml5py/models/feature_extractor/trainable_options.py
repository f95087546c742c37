"""A trainable head's options (epochs, learning rate, ...) and the checks on what a learner gives it.

Written once for CPython and the browser, for ``trainable.py``. A wrong value is an error
that names the option and what it takes.
"""
# __pragma__ ('noopov')

from ml5py.core.arguments import whole_number
from ml5py.core.ml5_names import snake_case
from ml5py.runtime import rt

DEFAULTS = {"epochs": 20, "learning_rate": 0.001, "hidden_units": 100, "batch_size": 16,
            "validation_split": 0.3, "seed": 42}
OPTION_NAMES = ["epochs", "learning_rate", "hidden_units", "batch_size", "validation_split", "seed"]
MAX_HIDDEN_UNITS = 10000  # (more would need gigabytes, and learns nothing a few examples can teach)


def _checked_options(options):
    """The options with defaults filled in; unknown names and bad values are explained."""
    chosen = {}
    for name in OPTION_NAMES:
        chosen[name] = DEFAULTS[name]
    if options is None:
        return chosen
    if not rt.is_object(options):
        raise TypeError("Options are a dict such as {\"epochs\": 10}; got " + str(options) + ".")
    for name in rt.object_keys(options):
        key = snake_case(name)  # ml5.js's camelCase names too: {"learningRate": 0.01}
        if key not in OPTION_NAMES:
            raise ValueError("Unknown option '" + str(name) + "'. Valid options are: " +
                             ", ".join(OPTION_NAMES) + ".")
        chosen[key] = options[name]
    for name in ["epochs", "batch_size"]:
        chosen[name] = _whole(chosen[name], name, 1)
    chosen["hidden_units"] = _whole(chosen["hidden_units"], "hidden_units", 1, MAX_HIDDEN_UNITS)
    chosen["seed"] = _whole(chosen["seed"], "seed", 0)
    rate = _number(chosen["learning_rate"], "learning_rate")
    if rate <= 0:
        raise ValueError("learning_rate is how big each training step is, a number above 0 (such as "
                         "0.001); got " + str(chosen["learning_rate"]) + ".")
    chosen["learning_rate"] = rate
    split = _number(chosen["validation_split"], "validation_split")
    if split < 0 or split >= 1:
        raise ValueError("validation_split is the share of examples kept aside to check the model, "
                         "from 0 up to (not including) 1, such as 0.3; got " +
                         str(chosen["validation_split"]) + ".")
    chosen["validation_split"] = split
    return chosen


def _whole(value, name, least, most=None):
    return whole_number(value, name, least, most)


def _number(value, what="A regression example's value"):
    """A finite number from ``value``, else a ValueError naming it."""
    number = None
    if not isinstance(value, str):
        try:
            number = float(value)
        except Exception:
            number = None
    if number is None or number - number != 0:
        raise ValueError(what + " is a number (such as 0.5); got " + str(value) + ".")
    return number


def _same(first, second):
    if len(first) != len(second):
        return False
    for index in range(len(first)):
        if first[index] != second[index]:
            return False
    return True
