"""The build's Python layer (``ml5py/tooling/sketch_python.py``): rewrites keep every line where
it was and mean the same in CPython; refusals name the line; errors on the page are Python's.
"""
from __future__ import annotations

import contextlib
import io
import textwrap
import time

import pytest

from conftest import open_page, page_state
from ml5py.tooling import sketch_python

SOURCE = textwrap.dedent('''\
    import time, math
    from datetime import datetime
    x = 0.4677157
    width = 6
    print(f"{x:.1f} {x!r} {{braces}} [{'ab':>{width}}] {x=} {1234567:,}")
    print(f"""two
    lines {x:.2f}""")
    scores = {"a": 1, "b": 2}
    del scores["a"]
    makers = [lambda i=i: i * 10 for i in range(3)]
    callbacks = []
    for name in ["cat", "dog"]:
        callbacks.append(lambda r, e, name=name: f"{name}{r}")
    print(scores, [make() for make in makers], [c(1, None) for c in callbacks])
    ''')


def _delete(container, key):  # what the browser's _py_delitem does, for the CPython run
    del container[key]


def _join(parts):  # what the browser's _py_fjoin does
    return "".join(part if isinstance(part, str) else format(part, "") for part in parts)


def run(source: str) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "sketch.py", "exec"), {"__name__": "__main__", sketch_python.DELETE: _delete,
                                                    sketch_python.JOIN: _join, sketch_python.FORMAT: format})
    return printed.getvalue()


def test_rewrite_keeps_lines_and_meaning():
    rewritten = sketch_python.rewrite(SOURCE)
    assert rewritten.count("\n") == SOURCE.count("\n")
    for number, line in enumerate(SOURCE.splitlines()):
        if not any(word in line for word in ("f\"", "\"\"\"", "import", "lambda", "del ")):
            assert rewritten.splitlines()[number] == line
    assert "import ml5py.browser_python.time as time" in rewritten
    assert "from ml5py.browser_python.datetime import datetime" in rewritten
    original = SOURCE.replace("import time, math\nfrom datetime import datetime\n", "import math\n\n")
    assert run(sketch_python.rewrite(original)) == run(original)  # the same meaning in CPython


@pytest.mark.parametrize("source, line, words", [
    ("import time\n\n\ntime.sleep(1)\n", 4, "millis()"),
    ("from time import sleep as nap\nnap(1)\n", 2, "setTimeout"),
    ("xs = [1]\nif (n := len(xs)):\n    pass\n", 2, "n = len(data)"),
])
def test_check_names_the_line(source, line, words):
    with pytest.raises(sketch_python.SketchPythonError) as refused:
        sketch_python.check(source)
    assert refused.value.line == line and words in str(refused.value)


def test_own_names_are_not_imported_over():
    tail = sketch_python.tail("def list(x):\n    return x\nNameError = 1\n")
    assert " as list" not in tail and "NameError" not in tail and "_py_getattr as getattr" in tail


UNCAUGHT = """\
scores = {"ada": 3}
print("before")
print(scores["bob"])
"""

JS_ERROR = """\
def show(word):
    return word.no_such_method()

try:
    show("hi")
except AttributeError as error:
    print("caught", type(error).__name__)
print(1 / 0)
"""


def page_error(driver, url: str, timeout: float = 120.0) -> tuple:
    """(printed lines, the error box's text) once the box names a line."""
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page_state(driver)
        if "line" in state["error"]:
            return state["lines"], state["error"]
        time.sleep(0.1)
    raise AssertionError(f"no error with a line on the page: {page_state(driver)}")


def test_uncaught_key_error_is_shown_at_the_learners_line(sites, driver):
    lines, error = page_error(driver, sites(UNCAUGHT, name="keyerror").page())
    assert lines == ["before"] and "sketch.py, line 3: KeyError" in error and 'scores["bob"]' in error, error


def test_javascript_errors_are_python_exceptions(sites, driver):
    lines, error = page_error(driver, sites(JS_ERROR, name="jserror").page())
    assert lines == ["caught AttributeError"], lines
    assert "sketch.py, line 8: ZeroDivisionError" in error and "1 / 0" in error, error


TF_TOO_SOON = """
from ml5py import ImageClassifier

def too_soon():
    try:
        tf.zeros([2])
        print("tf worked")
    except RuntimeError as error:
        print("RuntimeError: " + str(error))

start_backend = tf.setBackend

def starting(name):
    started = start_backend(name)
    too_soon()  # the sketch's own tf while TF.js starts the backend ml5py asked for
    return started

tf.setBackend = starting
classifier = ImageClassifier("Darknet-tiny")
classifier.ready.then(lambda ignored: too_soon())
"""


def test_the_sketchs_own_tf_while_the_backend_starts_says_to_wait(sites, driver):
    # TF.js's "Backend 'wasm' has not yet been initialized. Make sure to await tf.ready()..."
    site = sites(TF_TOO_SOON, name="tf-too-soon")
    lines = open_page(driver, site.page("wasm"), lines=2)
    assert lines[0].startswith("RuntimeError: TensorFlow.js is still starting its 'wasm' backend"), lines
    assert "await classifier.ready" in lines[0] and "await tf.ready()" in lines[0], lines
    assert lines[1] == "tf worked", lines  # (once the model is ready)
