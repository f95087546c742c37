"""Straight-line sketches print the same in CPython and in the browser.

``results = classifier.classify("bird.jpg")`` then ``results[0].label`` works at a sketch's
top level and in a function the top level calls (the build waits there:
``tooling/straight_line.py``); ``await`` and ``ml5py.run(main)`` work in both runtimes;
inside ``draw()`` reading a pending result is an error that says what to write instead.
"""
from __future__ import annotations

import ast

import pytest

from conftest import open_page, page_state, run_cpython, write_sketch
from ml5py.tooling.straight_line import async_functions, rewrite
from test_error_lines import wait_for_error_box

STRAIGHT_SKETCH = """\
import ml5py
from ml5py import ImageClassifier

classifier = ImageClassifier("MobileNet")
results = classifier.classify("bird.jpg")
print("top level:", results[0].label)
print("as a dict:", results[0]["label"] == results[0].label, len(results))


def best_label(path):
    found = classifier.classify(path, 2)
    return found[0].label + " / " + str(len(found))


def twice(path):
    return [best_label(path), best_label(path)]


print("in a function:", best_label("bird.jpg"))
print("two levels:", twice("bird.jpg")[1])


async def main():
    got = await classifier.classify("bird.jpg")
    ready = await classifier.ready
    print("with await:", got[0].label, ready is classifier)


ml5py.run(main)
top = classifier.classify("bird.jpg", 1)
print("label lengths:", [len(r.label) for r in top])
print("done")
"""

DRAW_SKETCH = """\
from ml5py import ImageClassifier

classifier = ImageClassifier("MobileNet")


def setup():
    createCanvas(40, 40)


def draw():
    results = classifier.classify("bird.jpg")
    print(results[0].label)
    noLoop()
"""


# ================================================================ the rewrite (CPython)

def test_the_top_level_and_the_functions_it_calls_wait_and_no_line_moves():
    rewritten = rewrite(STRAIGHT_SKETCH)
    assert len(rewritten.splitlines()) == len(STRAIGHT_SKETCH.splitlines())
    lines = rewritten.splitlines()
    assert lines[4] == 'results = (await classifier.classify("bird.jpg"))'
    assert lines[9] == "async def best_label(path):"
    assert lines[10] == "    found = (await classifier.classify(path, 2))"
    assert lines[14] == "async def twice(path):"
    assert lines[15] == "    return [(await best_label(path)), (await best_label(path))]"
    assert lines[5] == 'print("top level:", results[0].label)'
    assert 'print("in a function:", (await best_label("bird.jpg")))' in rewritten
    assert 'print("in a function:", (await best_label("bird.jpg")))' in rewritten
    assert "got = await classifier.classify" in rewritten  # written by hand: left alone
    assert "(await ml5py.run(main))" in rewritten
    # comprehensions cannot wait (Transcrypt makes them functions): left alone
    assert 'for r in top]' in rewritten
    assert "(await print" not in rewritten and "(await round" not in rewritten
    ast.parse(rewritten)


def test_p5_functions_callbacks_and_functions_used_elsewhere_stay_plain():
    source = """\
def helper(x):
    return classifier.classify(x)
def passed(results, error):
    print(results)
def from_draw(x):
    return classifier.classify(x)
def pure(x):
    return x * 2
def setup():
    helper(1)
def draw():
    from_draw(2)
from_draw(3)
classifier.classify(video, passed)
passed(None, None)
pure(3)
nested = lambda: helper(2)
"""
    assert async_functions(ast.parse(source)) == set()
    rewritten = rewrite(source)
    # draw() cannot wait; the top level can (for what a plain function returns)
    assert "def draw():\n    from_draw(2)" in rewritten and "(await from_draw(3))" in rewritten
    # given a callback, a call whose value is dropped runs on by itself (as in ml5.js)
    assert "\nclassifier.classify(video, passed)\n" in rewritten
    assert rewrite("x = c.classify(v, got)\ndef got(r, e):\n    pass\n").startswith("x = (await c.classify(v, got))")
    assert rewrite("p = __new__(Promise(make))\n") == "p = __new__(Promise(make))\n"  # JavaScript's new
    assert "\npure(3)" in rewritten  # calls nothing: never pending and "    return x * 2" in rewritten
    assert "lambda: helper(2)" in rewritten


def test_calls_in_f_strings_wait_once_the_build_made_them_calls():
    from ml5py.tooling import sketch_python

    source = 'print(f"top: {c.classify(img)[0].label}")\n'
    assert "[await c.classify(img)][0][0].label" in rewrite(sketch_python.rewrite(source))


def test_nested_calls_get_their_own_waits():
    source = 'print(model.classify(load_image("a.png"))[0].label.upper(), len(x.items()))\n'
    # a value read further is [await x][0], as Transcrypt writes (await x).label as await x.label;
    # the object and arguments of a method call cannot wait (Transcrypt makes the call a function):
    # classify takes the pending picture itself
    assert rewrite('print(model.classify(load_image("a.png"))[0].label)\n') == (
        'print([await model.classify(load_image("a.png"))][0][0].label)\n')
    assert rewrite(source) == source  # everything here is inside a method call's object or arguments
    assert rewrite("a.b(1).c(2)\n") == "(await a.b(1).c(2))\n"
    assert rewrite("def f(x):\n    return c.classify(x)\nitems.append(f(1))\nf(2)\n") == (
        "def f(x):\n    return c.classify(x)\nitems.append(f(1))\n(await f(2))\n")  # f stays plain
    text = "name = 'é'; out = f(g('ü'))\n"  # columns are UTF-8 bytes in ast
    assert rewrite(text) == "name = 'é'; out = (await f((await g('ü'))))\n"
    assert rewrite("print(f(g(1)))\n") == "print((await f((await g(1)))))\n"  # plain calls can wait inside


# ================================================================ both runtimes

def test_straight_line_sketch_prints_the_same_in_cpython_and_in_the_browser(tmp_path, images, driver, sites):
    expected = run_cpython(write_sketch(tmp_path, STRAIGHT_SKETCH, {"bird.jpg": images / "bird.jpg"}))
    assert expected[0].startswith("top level: robin") and expected[-1] == "done", expected
    assert "with await: robin, American robin, Turdus migratorius True" in expected
    site = sites(STRAIGHT_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="straight-line")
    lines = open_page(driver, site.page("wasm"), lines=len(expected))
    assert lines == expected, page_state(driver)


def test_a_pending_result_read_in_draw_says_to_use_a_callback(driver, sites, images):
    site = sites(DRAW_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="pending-in-draw")
    error = wait_for_error_box(driver, site.page("wasm"))
    assert "sketch.py, line 12" in error, error
    assert "not ready yet" in error and "callback" in error and "classify_start" in error, error
    assert "print(results[0].label)" in error and "await" not in error, error


PATTERNS_SKETCH = """\
import math
from ml5py import ImageClassifier, load_image

classifier = ImageClassifier("MobileNet")
picture = load_image("bird.jpg")
found = classifier.classify(load_image("bird.jpg"), 2)
labels = [r.label for r in classifier.classify(picture)]
print(f"{classifier.classify(picture)[0].label}", classifier.classify(picture)[0].label.upper())
names = []
names.append(classifier.classify(picture)[0].label)
mapping = {"top": classifier.classify(picture, k=1)[0].label, "n": len(classifier.classify(picture))}
best = max(classifier.classify(picture), key=lambda r: r.confidence)
total = math.floor(classifier.classify(picture)[0].confidence * 100) + int(str(3))


class Keeper:
    size = len(names)

    def keep(self, value):
        return value


def helper(x, extra=len(names)):
    try:
        return classifier.classify(x)[0].label
    except ValueError as error:
        return str(error)
    finally:
        names.append(helper.__name__ if False else "done")


def top_label(x):
    return classifier.classify(x)[0].label


keeper = Keeper()
print(top_label(picture))
while len(names) < 3:
    names.append(keeper.keep(helper(picture)))
for index in range(2):
    if helper(picture) and index:
        print(index, helper(picture) == helper(picture), not helper(picture))
"""


def test_every_kind_of_call_compiles_to_a_module_javascript_can_parse(tmp_path, images):
    """No ``await`` lands in a function that cannot wait (node parses the compiled module)."""
    import shutil
    import subprocess

    from ml5py.tooling.build import build

    node = shutil.which("node")
    assert node, "node (installed with npm) is needed to parse the compiled sketch"
    sketch = write_sketch(tmp_path / "patterns", PATTERNS_SKETCH, {"bird.jpg": images / "bird.jpg"})
    site = build(sketch, tmp_path / "site")
    compiled = (site / "app" / "sketch.js").read_text()
    assert "await" in compiled and "async function" in compiled
    module = tmp_path / "sketch.mjs"
    module.write_text(compiled)
    checked = subprocess.run([node, "--check", str(module)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
