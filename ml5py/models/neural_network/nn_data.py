"""NeuralNetwork's examples, as ml5.js keeps them, checked as they come. Written once.

Each example is ``{"xs": {name: value}, "ys": {name: value}}``, so ``save_data`` writes
ml5.js's data file. Names come from the ``inputs``/``outputs`` options, else from the
first example (a dict's keys; a list's numbers are named "0", "1", ... as in ml5.js).
Every later example must have the same names and the same kinds of values (number, word
or list of numbers); each mistake is an error that names the value. The metadata made
from the examples before training is ``nn_meta.py``'s job.
"""
# __pragma__ ('noopov')

from ml5py.models.neural_network.nn_meta import kind_of, make_meta, shown
from ml5py.runtime import rt


class NetworkData:
    """The examples of a NeuralNetwork, their names and, once worked out, their metadata."""

    def __init__(self, input_names, output_names, input_count, output_count):
        self.rows = []
        self.given_inputs = input_names    # names from the options, or None
        self.given_outputs = output_names
        self.input_count = input_count     # counts from the options, or None
        self.output_count = output_count
        self.input_names = None            # the names, fixed by the first example
        self.output_names = None
        self.kinds = {}                    # name -> "number" | "string" | "array"
        self.lengths = {}                  # an array input's length
        self.meta = None                   # ml5.js's metadata, worked out before training
        self.meta_loaded = False           # True when it came with a loaded model
        self.normalize = False             # normalize_data() was called
        self.changed = True                # examples added since the metadata was made
        self.version = 0                   # goes up with every change to the examples

    # ------------------------------------------------------------ adding examples

    def add(self, xs, ys):
        """Add one example (values already read: no pictures left); errors name the problem."""
        named_xs = self._named(xs, "inputs")
        named_ys = self._named(ys, "outputs")
        self.rows.append({"xs": named_xs, "ys": named_ys})
        self.changed = True
        self.version += 1

    def replace(self, rows):
        """Use ``rows`` (``{"xs", "ys"}`` each, from a data file) instead of the examples so far."""
        self.rows = []
        self.input_names = None
        self.output_names = None
        self.kinds = {}
        self.lengths = {}
        if not self.meta_loaded:
            self.meta = None
        for row in rows:
            self.add(row["xs"], row["ys"])
        self.changed = True
        self.version += 1

    def _named(self, values, side):
        given = self.given_inputs if side == "inputs" else self.given_outputs
        count = self.input_count if side == "inputs" else self.output_count
        known = self.input_names if side == "inputs" else self.output_names
        if rt.is_pending(values):
            raise TypeError("add_data got a promise for its " + side + "; wait for it (await) first.")
        named = {}
        if rt.is_object(values):
            names = rt.object_keys(values)
            if len(names) == 0:
                raise ValueError("add_data's " + side + " are an empty dict; give at least one value.")
            if known is not None or given is not None:
                expected = known if known is not None else given
                _same_names(names, expected, side)
                names = expected
            for name in names:
                named[name] = values[name]
        else:
            values = rt.as_list(values) if rt.is_sequence(values) else [values]
            names = known if known is not None else given
            if names is None:
                names = []
                for index in range(len(values)):
                    names.append(str(index))  # ml5.js names the numbers of a list "0", "1", ...
            if len(values) != len(names):
                raise ValueError("add_data got " + str(len(values)) + " " + side + " " + shown(values) +
                                 " but " + self._size_source(side, known) + " " + str(len(names)) + " (" +
                                 ", ".join(names) + "). Every example has the same " + side + ".")
            for index in range(len(names)):
                named[names[index]] = values[index]
        if count is not None and known is None and len(names) != count and not self._one_array(named, names):
            raise ValueError("This NeuralNetwork was made with " + side + "=" + str(count) + ", but add_data "
                             "got " + str(len(names)) + " " + side + " (" + ", ".join(names) + ").")
        for name in names:
            self._check_value(name, named[name], side)
        if known is None:
            if side == "inputs":
                self.input_names = names
            else:
                self.output_names = names
        return named

    def _one_array(self, named, names):
        return len(names) == 1 and kind_of(named[names[0]]) == "array"

    def _size_source(self, side, known):
        if known is not None:
            return "the examples before had"
        return "the " + side + " option names"

    def _check_value(self, name, value, side):
        kind = kind_of(value)
        where = "'" + name + "'" if side == "inputs" else "the output '" + name + "'"
        if kind is None:
            raise TypeError("add_data: " + where + " is " + shown(value) + "; a value is a number, a word "
                            "(text) or a list of numbers.")
        if kind == "number" and value - value != 0:
            raise ValueError("add_data: " + where + " is " + str(value) + "; use finite numbers.")
        if kind == "string" and len(value) == 0:
            raise ValueError("add_data: " + where + " is empty text; give it a word or a number.")
        if kind == "array":
            for item in value:
                if not rt.is_number(item) or item - item != 0:
                    raise TypeError("add_data: " + where + " is a list holding " + shown(item) +
                                    "; a list holds numbers only.")
        key = side + ":" + name
        if key in self.kinds:
            if self.kinds[key] != kind:
                raise TypeError("add_data: " + where + " is a " + _kind_word(kind) + " (" + shown(value) +
                                "), but in the examples before it was a " + _kind_word(self.kinds[key]) +
                                ". Keep each value the same kind in every example.")
            if kind == "array" and self.lengths[key] != len(value):
                raise ValueError("add_data: " + where + " has " + str(len(value)) + " numbers, but " +
                                 str(self.lengths[key]) + " in the examples before.")
        else:
            self.kinds[key] = kind
            if kind == "array":
                self.lengths[key] = len(value)

    def make_meta(self, task, input_shape):
        """Work out ml5.js's metadata from the examples (see ``nn_meta.make_meta``)."""
        if self.meta_loaded and self.meta is not None:
            return self.meta  # a loaded model keeps the metadata it was trained with
        self.meta = make_meta(self, task, input_shape)
        self.changed = False
        return self.meta


def _same_names(names, expected, side):
    missing = []
    for name in expected:
        if name not in names:
            missing.append(name)
    extra = []
    for name in names:
        if name not in expected:
            extra.append(name)
    if len(missing) > 0 or len(extra) > 0:
        text = "add_data's " + side + " should be named " + ", ".join(expected) + ";"
        if len(missing) > 0:
            text += " missing: " + ", ".join(missing) + ";"
        if len(extra) > 0:
            text += " unknown: " + ", ".join(extra) + ";"
        raise ValueError(text + " (names come from the first example, or from the " + side + " option).")


def _kind_word(kind):
    return {"number": "number", "string": "word", "array": "list of numbers"}[kind]


