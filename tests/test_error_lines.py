"""Errors point at the learner's Python line: at build time and on the page.

Build errors are checked through the ``ml5py build`` command, as a learner meets them. Page
errors are checked in headless Chromium: the error box must name the sketch's file and
line (found through Transcrypt's source maps), not the generated JavaScript.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PAGE_TIMEOUT, page_state, write_sketch


def ml5py_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ml5py.tooling.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def wait_for_error_box(driver, url: str, timeout: float = PAGE_TIMEOUT) -> str:
    """Open ``url`` and return the error box's text once it shows."""
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = driver.execute_script("""var box = document.getElementById('ml5py-error');
                                        return box && !box.hidden ? box.textContent : null;""")
        if text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for the error box; page state: {page_state(driver)}")


# ================================================================ build time

def test_syntax_error_stops_the_build_at_its_line(tmp_path):
    write_sketch(tmp_path, "print('one')\n\nfor i in range(3)\n    print(i)\n", )
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode == 1
    assert 'File "sketch.py", line 3' in finished.stderr, finished.stderr
    assert "for i in range(3)" in finished.stderr and "Traceback" not in finished.stderr
    assert not (tmp_path / "site").exists()


def test_python_3_10_syntax_is_refused_at_its_line(tmp_path):
    source = "command = 'go'\nmatch command:\n    case 'go':\n        print('going')\n"
    write_sketch(tmp_path, source)
    compile(source, "sketch.py", "exec")  # fine for this CPython; not for the browser
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode == 1
    assert 'File "sketch.py", line 2' in finished.stderr and "match" in finished.stderr
    assert "if / elif" in finished.stderr, finished.stderr


STAR_SKETCH = """\
# Transcrypt cannot compile line 5, though CPython can
scores = [3, 1, 2]
print("scores:", scores)

best, *others = sorted(scores, reverse=True)
print(best, others)
"""


def test_transcrypt_only_error_names_the_sketch_file_and_line(tmp_path):
    sketch = tmp_path / "my_game.py"
    sketch.write_text(STAR_SKETCH)
    compile(STAR_SKETCH, "my_game.py", "exec")  # valid Python: only the browser half refuses it
    finished = ml5py_cli("build", "my_game.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode == 1
    error = finished.stderr
    assert 'File "my_game.py", line 5' in error, error
    assert "best, *others = sorted(scores, reverse=True)" in error
    assert "rest = items[1:]" in error  # says what to write instead
    # the temporary copy Transcrypt compiled is never shown; its raw report only with -v
    assert "ml5py-build-" not in error and "Error while compiling" not in error, error
    verbose = ml5py_cli("build", "-v", "my_game.py", "-o", "site", cwd=tmp_path)
    assert verbose.returncode == 1 and "Error while compiling" in verbose.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("line, words", [
    ("import numpy as np", ["`numpy` cannot be imported", "python sketch.py"]),
    ("settings = {**{'size': 3}, **{'speed': 2}}", ["`**`", "update"]),
    ("global counter", ["`global`", "delete this line"]),
])
def test_other_transcrypt_errors_are_explained(tmp_path, line, words):
    write_sketch(tmp_path, f"print('hello')\n{line}\ncounter = 1\n")
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode == 1
    assert 'File "sketch.py", line 2' in finished.stderr, finished.stderr
    for word in words:
        assert word in finished.stderr, finished.stderr


def test_transcrypt_report_parsing():
    from ml5py.tooling.transcrypt_errors import parse_trail

    report = ("Saving target code in: x.js\n\nError while compiling (offending file last):\n"
              "\tFile '/scratch/ml5py-build-1/sketch.py', line 2, at import of:\n"
              "\tFile 'numpy', line 944, namely:\n\t\n\tCan't import module 'numpy'\n\nAborted\n")
    trail, message = parse_trail(report)
    assert trail == [("/scratch/ml5py-build-1/sketch.py", 2, "at import of"), ("numpy", 944, "namely")]
    assert message == "Can't import module 'numpy'"
    assert parse_trail("Ready\n") == ([], "")


# ================================================================ in the browser

RUNTIME_SKETCH = """\
# The page must point at line 7 of this file, not at the JavaScript.
print("starting")


def half_of(text):
    print("halving", text)
    number = float(text)
    return number / 2


print(half_of("10"))
print(half_of("ten"))
print("never printed")
"""


@pytest.mark.browser
def test_exception_in_a_function_shows_the_sketch_line(driver, sites):
    site = sites(RUNTIME_SKETCH, name="error-line")
    error = wait_for_error_box(driver, site.page(backend=None))
    assert error.startswith("sketch.py, line 7: ValueError"), error
    assert "number = float(text)" in error, error
    assert ".js" not in error, error
    assert page_state(driver)["lines"] == ["starting", "halving 10", "5", "halving ten"], page_state(driver)
    logged = [entry["message"] for entry in driver.get_log("browser")]
    assert any("sketch.py, line 7: ValueError" in message for message in logged), logged


CALLBACK_SKETCH = """\
# Errors inside callbacks point at the callback's line too.
print("waiting for the timer")


def on_timer():
    print("timer fired")
    total = scores_so_far + 1
    print(total)


window.setTimeout(on_timer, 50)
"""


@pytest.mark.browser
def test_exception_in_a_callback_shows_the_sketch_line(driver, sites):
    site = sites(CALLBACK_SKETCH, name="callback-error")
    error = wait_for_error_box(driver, site.page(backend=None))
    assert error.startswith("sketch.py, line 7: NameError: name 'scores_so_far' is not defined"), error
    assert "total = scores_so_far + 1" in error, error
    assert page_state(driver)["lines"] == ["waiting for the timer", "timer fired"]


LIBRARY_SKETCH = """\
from ml5py import set_backend

print("choosing a backend")

set_backend("quantum")
"""


@pytest.mark.browser
def test_error_raised_inside_ml5py_points_at_the_calling_line(driver, sites):
    site = sites(LIBRARY_SKETCH, name="library-error")
    error = wait_for_error_box(driver, site.page(backend=None))
    assert error.startswith("sketch.py, line 5: ValueError: Unknown backend 'quantum'"), error
    assert 'set_backend("quantum")' in error, error


@pytest.mark.browser
def test_source_map_decoder_matches_known_values(driver, example_site):
    driver.get(example_site.url + "index.html")
    maps = driver.execute_script("""
        var m = window.ml5py.sourceMaps;
        return {vlq: [m.decodeVlq('A'), m.decodeVlq('C'), m.decodeVlq('D'), m.decodeVlq('gB'),
                      m.decodeVlq('2HwBAAC')],
                rows: m.decodeMappings('AAAA;AACA,IAAI;;AAEA')};""")
    assert maps["vlq"] == [[0], [1], [-1], [16], [123, 24, 0, 0, 1]]
    assert maps["rows"] == [[[0, 0, 0, 0]], [[0, 0, 1, 0], [4, 0, 1, 4]], [], [[0, 0, 3, 4]]]


MISSING_IMAGE_SKETCH = """\
from ml5py import ImageClassifier, load_image

classifier = ImageClassifier("MobileNet")
photo = load_image("no_such_photo.png")
classifier.classify(photo)
"""


@pytest.mark.browser
def test_a_missing_image_points_at_the_line_that_names_it(driver, sites):
    site = sites(MISSING_IMAGE_SKETCH, name="missing-image")
    error = wait_for_error_box(driver, site.page("wasm"))
    assert error.startswith("sketch.py, line 4: ValueError: Could not load the image 'no_such_photo.png'"), error
    assert 'photo = load_image("no_such_photo.png")' in error, error


FAILED_MODEL_SKETCH = """\
from ml5py import ImageClassifier

print("loading a model that is not there")
classifier = ImageClassifier("no-such-folder/model.json")
"""


@pytest.mark.browser
def test_a_model_that_fails_to_load_points_at_the_line_that_asked_for_it(driver, sites):
    site = sites(FAILED_MODEL_SKETCH, name="failed-model")
    error = wait_for_error_box(driver, site.page("wasm"))
    assert error.startswith("sketch.py, line 4:"), error
    assert "metadata.json" in error and "no-such-folder" in error, error


DRAW_SKETCH = """\
# a p5 sketch whose draw() fails on its third frame
def setup():
    createCanvas(100, 100)


def draw():
    background(200)
    if frameCount == 3:
        speed = float("fast")
    circle(50, 50, 20)
"""


@pytest.mark.browser
def test_exception_in_p5_draw_shows_the_sketch_line(driver, sites):
    site = sites(DRAW_SKETCH, name="draw-error")
    error = wait_for_error_box(driver, site.page(backend=None))
    assert error.startswith("sketch.py, line 9: ValueError"), error
    assert 'speed = float("fast")' in error, error
    assert error.count("sketch.py, line 9") == 1, error  # shown once, not once per frame
