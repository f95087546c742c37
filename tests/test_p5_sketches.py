"""p5.js sketches written in Python: what the build does with them, and what they draw.

The browser tests open built sketches in the session's headless Chromium (fake webcam,
see conftest.SESSION_FLAGS). Pixels are compared with the same sketch written in
JavaScript and run by the same p5.js, on the same site.
"""
from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from browser import wait_for
from conftest import EXAMPLE, REPO, open_page, page_state, write_sketch
from ml5py.p5_support import p5_names
from ml5py.tooling import sketch_analysis
from ml5py.tooling.build import build

# ================================================================ analysis and build (CPython)


def test_a_sketch_with_setup_or_draw_is_a_p5_sketch():
    info = sketch_analysis.analyse_source(
        "def setup():\n    pass\n\ndef draw():\n    pass\n\ndef keyPressed():\n    pass\n")
    assert info.uses_p5 and info.handlers == ["setup", "draw", "keyPressed"]
    info = sketch_analysis.analyse_source("createCanvas(100, 100)\nx = mouseX\n")
    assert info.uses_p5 and info.handlers == [] and sorted(info.p5_names_used) == ["createCanvas", "mouseX"]


def test_python_builtins_and_own_names_do_not_make_a_p5_sketch():
    source = """
text = "a, b"
def image(path):                         # the sketch's own image(), not p5's
    return path
def draw_it(width):                      # a parameter, not p5's width
    print(round(min(width, 3)), max([1]), abs(-1), map(str, [1]), filter(None, [0]))
image(text)
draw_it(4)
"""
    info = sketch_analysis.analyse_source(source)
    assert not info.uses_p5, info
    assert not sketch_analysis.analyse(EXAMPLE).uses_p5  # the ImageClassifier example


def test_the_tail_keeps_every_line_of_the_sketch_where_it_was(tmp_path):
    source = "def setup():\n    global thing\n    thing = 1\n\ndef draw():\n    print(thing)"  # no final newline
    sketch = write_sketch(tmp_path / "s", source)
    copy, info = sketch_analysis.prepare(sketch, tmp_path / "copy")
    assert copy.name == sketch.name and copy != sketch
    assert info.undeclared_globals == ["thing"]
    lines = copy.read_text().splitlines()
    assert lines[:6] == source.splitlines()
    tail = "\n".join(lines[6:])
    assert "from ml5py.p5_support.global_mode import *" in tail and "var thing;" in tail
    assert '_ml5py_start_sketch(["setup", setup, "draw", draw])' in tail
    ast.parse(copy.read_text())  # still Python
    plain = write_sketch(tmp_path / "plain", "print(1)\n")
    copy = sketch_analysis.prepare(plain, tmp_path / "copy2")[0]
    assert copy.read_text().splitlines()[0] == "print(1)"  # only Python's semantics appended
    assert "global_mode" not in copy.read_text()


def test_p5_is_copied_into_sites_of_p5_sketches_only(tmp_path):
    package = (REPO / "node_modules" / "p5" / "package.json").read_text()
    assert f'"version": "{p5_names.P5_VERSION}"' in package  # the names match the pinned p5
    assert f'"p5": "{p5_names.P5_VERSION}"' in (REPO / "package.json").read_text()  # pinned exactly
    plain = build(write_sketch(tmp_path / "plain", EXAMPLE.read_text()), tmp_path / "plain-site")
    assert not (plain / "lib" / "p5.min.js").exists()
    assert "p5" not in (plain / "index.html").read_text()
    drawing = build(write_sketch(tmp_path / "p5", "def draw():\n    circle(50, 50, 20)\n"),
                    tmp_path / "p5-site")
    assert (drawing / "lib" / "p5.min.js").read_bytes() == (
        REPO / "node_modules" / "p5" / "lib" / "p5.min.js").read_bytes()
    assert '<script src="lib/p5.min.js"></script>' in (drawing / "index.html").read_text()


def test_every_name_python_or_transcrypt_would_take_is_handled():
    """p5 names that are Python builtins, or that Transcrypt renames, are in ml5py/p5_support/global_mode.py."""
    import builtins

    renamed = {"clear", "copy", "get", "pop", "sort", "split"}  # Transcrypt's alias list
    p5_source = (REPO / "ml5py" / "p5_support" / "global_mode.py").read_text()
    defined = {node.name for node in ast.parse(p5_source).body if isinstance(node, ast.FunctionDef)}
    clashes = p5_names.FUNCTIONS & (set(dir(builtins)) | renamed)
    kept_python = {"abs", "min", "max", "pow", "round", "str", "print"}  # same meaning: documented
    assert clashes - kept_python <= defined, clashes - kept_python - defined
    for name in kept_python:
        assert f"``{name}``" in p5_source  # the docstring says why Python's stays


# ================================================================ in the browser

COVERAGE_PY = """
def setup():
    createCanvas(120, 80)
    pixelDensity(1)
    noLoop()


def draw():
    background(50)
    clear()                              # transparent again
    noStroke()
    g = createGraphics(40, 40)
    g.background(255, 0, 0)
    g.clear()
    g.fill(0, 0, 255)
    g.push()
    g.fill(0, 255, 0)
    g.pop()
    g.rect(5, 5, 20, 20)
    image(g, 0, 0)
    push()
    fill(255, 255, 0)
    translate(50, 0)
    rect(0, 0, 10, 10)
    pop()
    rect(70, 0, 10, 10)                  # default fill and origin again
    c = get(10, 10)
    fill(c[0], c[1], c[2])
    rect(0, 45, 10, 10)
    loadPixels()
    set(100, 60, color(255, 0, 255))
    set(101, 60, color(255, 0, 255))
    updatePixels()
    parts = split("10,30,20", ",")
    sizes = sort([int(p) for p in parts])
    fill(0, min(sizes) * 5, max(sizes) * 5)
    rect(map(5, 0, 10, 20, 40), 50, abs(-8), max(4, 6))
    evens = list(filter(lambda v: v % 2 == 0, [1, 2, 3, 4]))   # Python's filter and map
    doubled = list(map(lambda v: v * 2, evens))
    fill(doubled[0] * 40, doubled[1] * 20, round(2.4) * 50)
    rect(60, 50, 8, 8)
    img = get(0, 0, 40, 40)
    piece = img.get(10, 10)
    fill(piece[0], piece[1], piece[2])
    rect(80, 50, 6, 6)
    target = createImage(20, 20)
    target.copy(img, 0, 0, 40, 40, 0, 0, 20, 20)
    image(target, 90, 20)
    v = createVector(3, 4)
    w = v.copy()
    w.mult(2)
    fill(w.x * 20, w.y * 20, w.mag() * 10)
    rect(110, 0, 8, 8)
    h = createGraphics(20, 20)
    h.background(100)
    h.fill(220)
    h.rect(5, 5, 10, 10)
    h.filter(THRESHOLD, 0.5)
    image(h, 90, 55)
    stroke(0)
    line(0, height - 1, width, height - 1)
    filter(INVERT)
    print("done", width, height, frameCount, split("a b", " "), min([3, 2]), hex(255, 2))
    print(len(set([1, 1, 2])), sorted(set(map(str, [3, 3]))), hex(255), int("7") + 1,
          int([1.5, "2"]), float(["1.5"]), int(7.9), list(map(lambda a, b: a + b, [1], [2])))
    window.sketch_done = True
"""

COVERAGE_JS = """
function setup() {
  createCanvas(120, 80);
  pixelDensity(1);
  noLoop();
}

function draw() {
  background(50);
  clear();
  noStroke();
  let g = createGraphics(40, 40);
  g.background(255, 0, 0);
  g.clear();
  g.fill(0, 0, 255);
  g.push();
  g.fill(0, 255, 0);
  g.pop();
  g.rect(5, 5, 20, 20);
  image(g, 0, 0);
  push();
  fill(255, 255, 0);
  translate(50, 0);
  rect(0, 0, 10, 10);
  pop();
  rect(70, 0, 10, 10);
  let c = get(10, 10);
  fill(c[0], c[1], c[2]);
  rect(0, 45, 10, 10);
  loadPixels();
  set(100, 60, color(255, 0, 255));
  set(101, 60, color(255, 0, 255));
  updatePixels();
  let parts = split("10,30,20", ",");
  let sizes = sort(parts.map((p) => int(p)));
  fill(0, min(sizes) * 5, max(sizes) * 5);
  rect(map(5, 0, 10, 20, 40), 50, abs(-8), max(4, 6));
  let evens = [1, 2, 3, 4].filter((v) => v % 2 === 0);
  let doubled = evens.map((v) => v * 2);
  fill(doubled[0] * 40, doubled[1] * 20, round(2.4) * 50);
  rect(60, 50, 8, 8);
  let img = get(0, 0, 40, 40);
  let piece = img.get(10, 10);
  fill(piece[0], piece[1], piece[2]);
  rect(80, 50, 6, 6);
  let target = createImage(20, 20);
  target.copy(img, 0, 0, 40, 40, 0, 0, 20, 20);
  image(target, 90, 20);
  let v = createVector(3, 4);
  let w = v.copy();
  w.mult(2);
  fill(w.x * 20, w.y * 20, w.mag() * 10);
  rect(110, 0, 8, 8);
  let h = createGraphics(20, 20);
  h.background(100);
  h.fill(220);
  h.rect(5, 5, 10, 10);
  h.filter(THRESHOLD, 0.5);
  image(h, 90, 55);
  stroke(0);
  line(0, height - 1, width, height - 1);
  filter(INVERT);
  print("done " + width + " " + height + " " + frameCount + " ['a', 'b'] " + min([3, 2]) + " " + hex(255, 2));
  print("2 ['3'] 0xff 8 " + JSON.stringify(int([1.5, "2"])) + " " + JSON.stringify(float(["1.5"])) +
        " " + int(7.9) + " [3]");
  window.sketch_done = true;
}
"""

JS_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="ml5py-page.js"></script><script src="lib/p5.min.js"></script>
<script>{sketch}</script></head><body><main></main></body></html>"""

READ_CANVAS = """
var canvas = document.querySelector('canvas');
var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
return [canvas.width, canvas.height, Array.prototype.slice.call(data)];"""


@pytest.mark.browser
def test_p5_names_draw_what_the_same_sketch_in_javascript_draws(driver, sites):
    site = sites(COVERAGE_PY, name="p5-names")
    (site.out / "js.html").write_text(JS_PAGE.replace("{sketch}", COVERAGE_JS), encoding="utf-8")
    lines = open_page(driver, site.page(None), until="return window.sketch_done === true", timeout=60)
    python_width, python_height, python_pixels = driver.execute_script(READ_CANVAS)
    driver.get(site.url + "js.html")
    wait_for(driver, "return window.sketch_done === true", timeout=60)
    js_lines = driver.execute_script("return window.ml5py.lines.slice()")
    js_width, js_height, js_pixels = driver.execute_script(READ_CANVAS)
    assert (python_width, python_height) == (js_width, js_height) == (120, 80)
    assert lines[0] == js_lines[0] == "done 120 80 1 ['a', 'b'] 2 FF", (lines, js_lines)
    # Python's set/map/hex/int next to p5's int(list), float(list): Transcrypt prints lists as Python does
    assert js_lines[1] == "2 ['3'] 0xff 8 [1,2] [1.5] 7 [3]", js_lines
    assert lines[1] == "2 ['3'] 0xff 8 [1, 2] [1.5] 7 [3]", lines
    differ = [index // 4 for index in range(len(js_pixels)) if python_pixels[index] != js_pixels[index]]
    assert not differ, (f"{len(set(differ))} pixels differ, first at (x, y) = "
                        f"{(differ[0] % 120, differ[0] // 120)}")
    assert len(set(js_pixels)) > 10  # the sketch drew something


LIVE_SKETCH = """
seen = []

def setup():
    createCanvas(200, 150)
    seen.append(["setup", width, height, frameCount])
    resizeCanvas(300, 100)
    seen.append(["resized", width, height])

def draw():
    if frameCount == 3:
        window.draw_saw = [frameCount, width, deltaTime > 0]

def mouseMoved():
    window.mouse_saw = [mouseX, mouseY, pmouseX >= 0, mouseIsPressed]

def mousePressed():
    window.pressed_saw = [mouseX, mouseY, mouseIsPressed]

def keyPressed():
    window.key_saw = [key, keyCode, keyIsPressed]

def report():
    window.seen = seen

report()
"""


@pytest.mark.browser
def test_p5_variables_are_live_and_event_functions_are_called(driver, sites):
    from selenium.webdriver.common.action_chains import ActionChains

    site = sites(LIVE_SKETCH, name="p5-live")
    open_page(driver, site.page(None), until="return window.draw_saw", timeout=60)
    assert driver.execute_script("return window.seen") == [["setup", 200, 150, 0], ["resized", 300, 100]]
    assert driver.execute_script("return window.draw_saw") == [3, 300, True]
    canvas = driver.find_element("css selector", "canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, -100, -30).perform()  # 50, 20 from the corner
    ActionChains(driver).move_to_element_with_offset(canvas, -90, -20).click().perform()
    ActionChains(driver).send_keys("a").perform()
    wait_for(driver, "return window.key_saw && window.pressed_saw", timeout=10)
    mouse_x, mouse_y, _, _ = driver.execute_script("return window.mouse_saw")
    assert (round(mouse_x), round(mouse_y)) in [(50, 20), (60, 30)], (mouse_x, mouse_y)
    assert driver.execute_script("return window.pressed_saw") == [60, 30, True]
    assert driver.execute_script("return window.key_saw") == ["a", 65, True]
    assert page_state(driver)["error"] == ""


P5_MEDIA = """
from ml5py import ImageClassifier
from ml5py.runtime import rt


def preload():
    global photo, classifier
    photo = loadImage("bird.jpg")
    classifier = ImageClassifier("MobileNet")   # p5 waits for it before setup()


def setup():
    window.ready_in_setup = classifier.model is not None
    canvas = createCanvas(300, 300)
    image(photo, 0, 0, 300, 300)
    layer = createGraphics(250, 250)
    layer.image(photo, 0, 0, 250, 250)
    noLoop()
    classify_all(canvas, layer)


async def classify_all(canvas, layer):
    made = await rt.image_from_pixels(rt.pixels(photo))
    window.made = made
    for media in [photo, layer, canvas, made]:
        results = await classifier.classify(media)
        print(results[0]["label"].split(",")[0])
"""


@pytest.mark.browser
def test_p5_images_graphics_and_canvas_classify_and_results_come_as_p5_images(driver, sites, images):
    site = sites(P5_MEDIA, {"bird.jpg": images / "bird.jpg"}, name="p5-media")
    lines = open_page(driver, site.page("wasm"), lines=4)
    assert lines == ["robin"] * 4, lines
    assert driver.execute_script("return window.ready_in_setup") is True
    assert driver.execute_script(
        "return window.made instanceof p5.Image && window.made.width === 800") is True
