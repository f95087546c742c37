"""p5.js in a Python sketch: the p5 names Python or Transcrypt would otherwise take.

Only Transcrypt compiles this file, and only for sketches that use p5 (see
``ml5py/sketch_analysis.py``, which makes the sketch import it). The sketch runs as a
p5.js *global-mode* sketch: p5 puts its functions, constants and live variables
(``width``, ``mouseX``, ``frameCount``...) on ``window``, where the sketch's free names
find them, always current. Two kinds of p5 names need help, and get it here:

- names Transcrypt renames (``clear`` becomes ``py_clear``, also ``copy``, ``get``,
  ``pop``, ``sort``, ``split``): these forward to p5;
- names that are Python builtins too. Where the call can only mean p5, p5 gets it:
  ``map(value, 0, 100, 0, 1)`` (five or six numbers), ``filter(THRESHOLD)`` (not a
  function first), ``set(x, y, colour)`` (three arguments), ``hex(value, digits)``,
  ``int(list)``/``float(list)`` (p5 converts each item). Otherwise it is Python's own:
  ``map(f, xs)``, ``filter(f, xs)``, ``set(xs)``, ``int("3")``.
  ``min``, ``max``, ``abs``, ``pow``, ``round``, ``str`` and ``print`` stay Python's: they
  take what p5's take and give the same answers (``round`` rounds halves to even, as
  Python does; ``print`` writes to the console and the page like p5's).
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (an object with no own fields is still true):
# __pragma__ ('notconv')

from ml5py.p5_support.python_builtins import python_map, python_filter, python_set, python_int, python_float, python_hex


# ---------------------------------------------------------------- renamed by Transcrypt

def clear(*args):
    return window.js_clear(*args)


def copy(*args):
    return window.js_copy(*args)


def get(*args):
    return window.js_get(*args)


def pop(*args):
    return window.js_pop(*args)


def sort(*args):
    return window.js_sort(*args)


def split(*args):
    return window.js_split(*args)


# ---------------------------------------------------------------- shared with Python

def map(*args):
    if len(args) >= 5 and not callable(args[0]):
        return window.map(*args)
    return python_map(*args)


def filter(*args):
    if len(args) == 2 and (args[0] is None or callable(args[0])):
        return python_filter(*args)
    return window.filter(*args)


def set(*args):
    if len(args) >= 3:
        return window.set(*args)
    return python_set(*args)


def int(*args):
    if len(args) >= 1 and Array.isArray(args[0]):
        return window.int(*args)
    return python_int(*args)


def float(*args):
    if len(args) >= 1 and Array.isArray(args[0]):
        return window.float(*args)
    return python_float(*args)


def hex(*args):
    if len(args) >= 2 or (len(args) == 1 and Array.isArray(args[0])):
        return window.hex(*args)
    return python_hex(*args)


# ---------------------------------------------------------------- starting p5

def start_sketch(handlers):
    """Hand p5 the sketch's functions (``["setup", setup, "draw", draw, ...]``) and start it.

    Called by the last line the build appends to a p5 sketch, once the sketch's module
    has run. p5 calls ``window.setup``, ``window.draw`` and the event functions it finds.
    """
    for index in range(0, len(handlers), 2):
        window[handlers[index]] = handlers[index + 1]
    _answer_to_renamed_methods()
    if window.p5.instance:
        return
    if window.ml5pyP5Ready:
        __new__(p5())
    else:
        window.addEventListener("p5Ready", _start_when_ready)


def _start_when_ready(event):
    # p5 announces "p5Ready" just before it looks for window.setup itself; starting here
    # means exactly one p5 instance, also for sketches with only event functions.
    if not window.p5.instance:
        __new__(p5())


# Transcrypt renames these attributes too: ``img.get(0, 0)`` reads ``img.py_get``,
# ``vector.copy()`` reads ``vector.py_copy``. p5's objects answer to both names.
RENAMED = ["clear", "copy", "get", "pop", "sort", "split", "keys", "values", "items", "name",
           "update", "replace"]

__pragma__ ('js', '{}', """
function has_property (object, name) { return name in object; }
function type_of (value) { return typeof value; }
function answer_as (prototype, alias, name) {
    Object.defineProperty (prototype, alias, {
        get: function () { return this [name]; },
        set: function (value) { this [name] = value; },
        configurable: true
    });
}
""")


def _answer_to_renamed_methods():
    for kind_name in Object.getOwnPropertyNames(window.p5):
        kind = window.p5[kind_name]
        if type_of(kind) != "function" or not kind.prototype:
            continue
        for name in RENAMED:
            # a p5.Graphics copies p5's own methods onto itself: it has them all
            known = has_property(kind.prototype, name) or (
                kind_name == "Graphics" and has_property(window.p5.prototype, name))
            if known and not has_property(kind.prototype, "py_" + name):
                answer_as(kind.prototype, "py_" + name, name)
