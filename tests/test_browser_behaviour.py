"""What a learner's sketch does in the browser, beyond printing the right labels.

Each test writes a small sketch, builds it with ``ml5py build`` and opens it in the
session's headless Chromium (wasm unless the test is about choosing a backend). The dev
server and the build command are checked from outside, as a learner meets them.
"""
from __future__ import annotations

import http.client
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import wait_for
from conftest import EXAMPLE, PAGE_TIMEOUT, open_page, page_state, parse_results, write_sketch

VALID_MODELS = ["MobileNet", "Darknet", "Darknet-tiny", "DoodleNet"]


def wait_for_error(driver, url: str, lines: int = 0, timeout: float = PAGE_TIMEOUT):
    """Open ``url``; wait until the page's error box shows and ``lines`` lines are printed."""

    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page_state(driver)
        if state["error"] and len(state["lines"]) >= lines:
            return state["lines"], state["error"]
        time.sleep(0.25)
    raise AssertionError(f"Timed out waiting for an error on the page; page state: {page_state(driver)}")


# ================================================================ no tensor leaks

LEAK_SKETCH = """
from ml5py import ImageClassifier, load_image

classifier = ImageClassifier("MobileNet")
photo = load_image("bird.jpg")
window.classifier = classifier
window.photo = photo
labels = []

def got_results(results, error):
    labels.append(results[0].label if results else str(error))

async def main():
    await classifier.classify(photo)
    window.after_first = tf.memory().numTensors
    for i in range(49):
        if i % 2:
            await classifier.classify(photo, got_results)   # callback style
        else:
            results = await classifier.classify(photo, k=5)  # promise style
            labels.append(results[0].label)
    window.after_last = tf.memory().numTensors
    print("classified", 1 + len(labels), "times;", labels[len(labels) - 1])

main()
"""


@pytest.mark.browser
def test_fifty_classifications_leak_no_tensors(driver, sites, images):
    site = sites(LEAK_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="leak")
    lines = open_page(driver, site.page("wasm"), lines=1)
    assert lines[0].startswith("classified 50 times;") and "robin" in lines[0], lines
    first, last, weights = driver.execute_script(
        "return [window.after_first, window.after_last, window.classifier.model.weights.length]")
    assert first >= weights > 0, (first, weights)  # the model's weights are tensors too
    assert last == first, f"tf.memory().numTensors grew from {first} to {last} in 49 classifications"
    # and the objects the sketch put on window are what it says
    assert driver.execute_script("return window.photo.width") == 800


# ================================================================ Cache API

CACHE_SKETCH = """
from ml5py import ImageClassifier, load_image

def got_results(results, error):
    print(error if error else results[0].label)

ImageClassifier("MobileNet").classify(load_image("bird.jpg"), got_results)
"""


@pytest.mark.browser
def test_second_visit_loads_weights_from_the_cache_api(driver, sites, images):
    site = sites(CACHE_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="cache")
    seen, refuse = [], threading.Event()
    base = site.server.RequestHandlerClass

    class Gated(base):  # the same server, with a switch that takes /models/ off the network
        def do_GET(self):  # noqa: N802
            if urlsplit(self.path).path.startswith("/models/"):
                seen.append(self.path)
                if refuse.is_set():
                    return self.send_error(503, "models are offline for this test")
            return super().do_GET()

    site.server.RequestHandlerClass = Gated
    try:
        lines = open_page(driver, site.page("wasm"), lines=1)
        assert "robin" in lines[0], lines
        assert any(path.endswith("/model.json") for path in seen), seen
        assert sum("-shard" in path for path in seen) >= 2, seen  # the weight files
        # The result can come before the last Cache API write settles: look again until all are there.
        expected = sorted(set(urlsplit(p).path for p in seen))
        deadline = time.monotonic() + 30
        while True:
            driver.execute_script("""window.cached = null;
                caches.open('ml5py-models-v1').then(c => c.keys())
                      .then(requests => { window.cached = requests.map(r => new URL(r.url).pathname); });""")
            cached = wait_for(driver, "return window.cached", timeout=30)
            if sorted(cached) == expected or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert sorted(cached) == expected, (cached, seen)

        seen.clear()
        refuse.set()
        lines = open_page(driver, site.page("wasm"), lines=1)  # same profile, same origin
        assert "robin" in lines[0], lines
        assert seen == [], f"the second visit asked the network for {seen}"
        assert "ready" in page_state(driver)["status"]
    finally:
        site.server.RequestHandlerClass = base


# ================================================================ backends

DEFAULT_BACKEND_SKETCH = """
from ml5py import ImageClassifier, load_image, get_backend

print("before any model:", get_backend())
# two models at once, as a learner may write: both must wait for one backend choice
mobilenet = ImageClassifier("MobileNet")
darknet = ImageClassifier("Darknet")
photo = load_image("bird.jpg")

async def main():
    first = await mobilenet.classify(photo)
    second = await darknet.classify(photo)
    print("backend:", get_backend())
    print("labels:", first[0].label, "|", second[0].label)

main()
"""


@pytest.mark.browser
def test_default_backend_is_wasm_on_a_software_gpu(driver, sites, images):
    site = sites(DEFAULT_BACKEND_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="default-backend")
    lines = open_page(driver, site.page(backend=None), lines=3)  # no ?backend: ml5py chooses
    renderer = driver.execute_script("""
        var gl = document.createElement('canvas').getContext('webgl');
        var info = gl && gl.getExtension('WEBGL_debug_renderer_info');
        return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'no webgl';""")
    assert "swiftshader" in renderer.lower() or renderer == "no webgl", (
        f"this test expects a software renderer, Chromium reports {renderer!r}")
    assert lines[0] == "before any model: None", lines
    assert lines[1] == "backend: wasm", (lines, driver.get_log("browser")[-10:])
    assert page_state(driver)["backend"] == "wasm"
    assert "robin" in lines[2].split("|")[0] and "robin" in lines[2].split("|")[1], lines


@pytest.mark.browser
def test_set_backend_forces_cpu(driver, sites, images):
    source = """
    from ml5py import ImageClassifier, load_image, set_backend, get_backend

    set_backend("cpu")

    def got_results(results, error):
        print(get_backend(), error if error else results[0].label)

    ImageClassifier("MobileNet").classify(load_image("bird.jpg"), got_results)
    """
    site = sites(source, {"bird.jpg": images / "bird.jpg"}, name="cpu-backend")
    lines = open_page(driver, site.page(backend=None), lines=1)
    assert lines[0].startswith("cpu robin"), lines
    assert page_state(driver)["backend"] == "cpu"


@pytest.mark.browser
def test_an_unknown_backend_is_a_clear_error(driver, sites):
    source = """
    from ml5py import set_backend

    try:
        set_backend("gpu")
    except ValueError as error:
        print("caught:", error)
    set_backend("metal")   # not caught: the page must show it
    """
    site = sites(source, name="bad-backend")
    lines, error = wait_for_error(driver, site.page(backend=None), lines=1)
    assert lines == ["caught: Unknown backend 'gpu'. Valid backends are: webgpu, webgl, wasm, cpu."], lines
    assert "ValueError" in error and "'metal'" in error and "webgpu, webgl, wasm, cpu" in error, error


# ================================================================ errors

@pytest.mark.browser
def test_unknown_model_lists_the_valid_names(driver, sites):
    source = """
    from ml5py import ImageClassifier

    def made(classifier, error):
        print("callback got:", error)

    ImageClassifier("MobileNett", made)
    ImageClassifier("ResNet")   # no callback: the error goes to the page
    """
    site = sites(source, name="unknown-model")
    lines, error = wait_for_error(driver, site.page("wasm"), lines=1)
    assert "Unknown model 'MobileNett'" in lines[0], lines
    assert all(name in lines[0] for name in VALID_MODELS), lines
    assert "Unknown model 'ResNet'" in error and all(name in error for name in VALID_MODELS), error


@pytest.mark.browser
def test_errors_name_the_problem(driver, sites, images):
    source = """
    from ml5py import ImageClassifier, load_image

    classifier = ImageClassifier("MobileNet")

    def report(name):
        def got_results(results, error):
            print(name, "->", error.__class__.__name__ + ":", error)
        return got_results

    classifier.classify(42, report("number"))
    classifier.classify({"pixels": [1, 2, 3]}, report("dict"))
    classifier.classify(load_image("missing.jpg"), report("missing"))

    async def main():
        try:
            await classifier.classify([1, 2, 3])
        except TypeError as error:
            print("await list -> caught TypeError:", error)
        results = await classifier.classify(load_image("bird.jpg"), k=5)
        print("await ->", len(results), "|", results[0].label, "|", results[0]["label"] == results[0].label)

    main()
    """
    site = sites(source, {"bird.jpg": images / "bird.jpg"}, name="errors")
    lines = open_page(driver, site.page("wasm"), lines=5)
    by_name = {line.split(" -> ", 1)[0]: line.split(" -> ", 1)[1] for line in lines}
    accepted = ["<img>", "<canvas>", "<video>", "ImageData", "load_image"]
    for name, type_words in [("number", ["number", "int"]), ("dict", ["dict"]),
                             ("await list", ["list"])]:
        message = by_name[name]
        assert "TypeError" in message, lines
        assert any(f"Cannot use a {word} as an image" in message for word in type_words), message
        assert all(word in message for word in accepted), message
    assert "missing.jpg" in by_name["missing"] and "ValueError" in by_name["missing"], lines
    count, label, same = by_name["await"].split(" | ")
    assert count == "5" and "robin" in label and same == "True", lines  # k=5; r["label"] is r.label
    assert page_state(driver)["error"] == "", "handled errors must not reach the error box"


@pytest.mark.browser
def test_errors_without_a_callback_reach_the_page(driver, sites):
    source = """
    from ml5py import ImageClassifier, load_image

    ImageClassifier("MobileNet").classify(load_image("no_such_photo.png"))
    """
    site = sites(source, name="unhandled")
    lines, error = wait_for_error(driver, site.page("wasm"))
    assert "no_such_photo.png" in error, error


TFJS_ERROR_SKETCH = """
from ml5py import ImageClassifier, load_image

def got_results(results, error):
    if error:   # the example sketches' pattern: it must see errors thrown inside TF.js
        print("callback:", error)
        return
    print("callback: no error, results", results)

broken = ImageClassifier("broken_model/")   # metadata.json is fine, model.json is not
broken.classify(load_image("bird.jpg"), got_results)

async def main():
    try:
        await broken.classify(load_image("bird.jpg"))
        print("await: no error")
    except Exception as error:
        print("await:", error)

main()
"""


@pytest.mark.browser
def test_errors_from_tensorflow_js_reach_the_sketch_as_python_errors(driver, sites, images):
    assets = {"bird.jpg": images / "bird.jpg",
              "broken_model/metadata.json": b'{"labels": ["a", "b"]}',
              "broken_model/model.json": b"{}"}
    site = sites(TFJS_ERROR_SKETCH, assets, name="tfjs-error")
    lines, error = wait_for_error(driver, site.page("wasm"), lines=2)  # `broken` has no callback
    assert sorted(line.split(":")[0] for line in lines) == ["await", "callback"], lines
    for line in lines:
        assert "broken_model/model.json" in line, lines
    assert "broken_model/model.json" in error, error


# ================================================================ inputs

INPUTS_SKETCH = """
from ml5py import ImageClassifier, load_image

classifier = ImageClassifier("MobileNet")

def report(name):
    def got_results(results, error):
        print(name, error if error else results[0].label + " " + str(results[0].confidence))
    return got_results

classifier.classify(load_image("bird.jpg"), report("load_image"))

img = document.createElement("img")
img.src = "bird.jpg"
classifier.classify(img, report("img"))          # waits for the <img> to load

def loaded(event):
    canvas = document.createElement("canvas")
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    context = canvas.getContext("2d")
    context.drawImage(img, 0, 0)
    classifier.classify(canvas, report("canvas"))
    classifier.classify(context.getImageData(0, 0, canvas.width, canvas.height), report("ImageData"))
    createImageBitmap(img).then(lambda bitmap: classifier.classify(bitmap, report("ImageBitmap")))

img.addEventListener("load", loaded)
"""


@pytest.mark.browser
def test_every_browser_input_type_classifies_the_bird(driver, sites, images):
    site = sites(INPUTS_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="inputs")
    lines = open_page(driver, site.page("wasm"), lines=5)
    results = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in lines}
    assert set(results) == {"load_image", "img", "canvas", "ImageData", "ImageBitmap"}, lines
    parsed = {name: parse_results([text])[0] for name, text in results.items()}
    for name, (label, confidence) in parsed.items():
        assert "robin" in label, (name, lines)
        assert abs(confidence - parsed["load_image"][1]) < 1e-4, (name, lines)


@pytest.mark.browser
def test_example_without_a_photo_asks_for_one(driver, sites, images, tmp_path):
    """examples/classify_image with no bird.jpg beside it: the learner picks a photo."""
    site = sites(EXAMPLE.read_text(encoding="utf-8"), name="picker")
    open_page(driver, site.page("wasm"))
    wait_for(driver, "return document.getElementById('ml5py-status').textContent.indexOf('ready') >= 0",
             timeout=PAGE_TIMEOUT)  # the model is ready; the sketch waits for a photo
    assert driver.execute_script("return document.getElementById('ml5py-picker').hidden") is False
    assert page_state(driver)["lines"] == [] and page_state(driver)["error"] == ""
    photo = tmp_path / "my photo.jpg"
    photo.write_bytes((images / "bird.jpg").read_bytes())
    driver.find_element("css selector", "#ml5py-picker input[type=file]").send_keys(str(photo))
    wait_for(driver, "return window.ml5py.lines.length >= 3", timeout=PAGE_TIMEOUT)
    assert "robin" in parse_results(page_state(driver)["lines"])[0][0]


# ================================================================ the dev server

def raw_get(server, path: str):
    """GET ``path`` exactly as written (no client-side normalisation): (status, headers, body)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"{host}:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/app/../../../../etc/passwd",
    "/app/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/models/../../../../etc/passwd",
    "/models/mobilenet_v1_0.75_224/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/models/mobilenet_v1_0.75_224/../../../../../../etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "/%00index.html",
]


def test_dev_server_refuses_paths_outside_the_site(example_site):
    server = example_site.server
    assert server.server_address[0] == "127.0.0.1"
    secret = Path("/etc/passwd").read_bytes()[:20] if Path("/etc/passwd").exists() else b"root:"
    for path in TRAVERSALS:
        status, _, body = raw_get(server, path)
        assert status in (400, 403, 404), (path, status, body[:200])
        assert secret not in body and b"root:" not in body, path
    # the folder the site sits in is outside it too
    sibling = example_site.out.parent / "outside.txt"
    sibling.write_text("not for the web")
    status, _, body = raw_get(server, f"/../{sibling.name}")
    assert status in (403, 404) and b"not for the web" not in body


def test_dev_server_serves_the_site_and_models_with_the_right_types(example_site):
    server = example_site.server
    expected = {
        "/": "text/html",
        "/index.html": "text/html",
        "/app/sketch.js": "text/javascript",
        "/lib/tf-core.es2017.min.js": "text/javascript",
        "/lib/tfjs-backend-wasm-simd.wasm": "application/wasm",
        "/models/mobilenet_v1_0.75_224/model.json": "application/json",
        "/bird.jpg": "image/jpeg",
    }
    for path, content_type in expected.items():
        status, headers, body = raw_get(server, path)
        assert status == 200, (path, status)
        assert headers["Content-Type"].split(";")[0] == content_type, (path, headers)
        assert int(headers["Content-Length"]) == len(body) > 0
    for path in ["/models/mobilenet_v1_0.75_224/nothing.bin", "/models/no-such-model/model.json",
                 "/models/", "/models/model.json", "/models/mobilenet_v1_0.75_224/",
                 "/no-such-file.js"]:
        status, _, _ = raw_get(server, path)
        assert status == 404, (path, status)


def test_ml5py_serve_binds_loopback_and_prints_the_url(tmp_path, images):
    sketch = write_sketch(tmp_path / "sketch", "print('hello')\n", {"bird.jpg": images / "bird.jpg"})
    process = subprocess.Popen([sys.executable, "-m", "ml5py.tooling.cli", "serve", str(sketch), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = process.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)/", first_line)
        assert match, (first_line, process.poll())
        assert match.group(1) == "127.0.0.1", first_line
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(2)), timeout=30)
        connection.request("GET", "/bird.jpg")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == (images / "bird.jpg").read_bytes()
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


# ================================================================ ml5py build

def ml5py_cli(*args: str, cwd: Path):
    return subprocess.run([sys.executable, "-m", "ml5py.tooling.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_build_reports_a_syntax_error_with_file_and_line(tmp_path):
    write_sketch(tmp_path, "from ml5py import ImageClassifier\n\nclassifier = ImageClassifier('MobileNet'\nprint('hi')\n")
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode != 0
    assert "sketch.py" in finished.stderr and re.search(r"line [34]\b", finished.stderr), finished.stderr
    assert "Traceback" not in finished.stderr, finished.stderr
    assert not (tmp_path / "site").exists()


def test_build_refuses_a_folder_it_did_not_make(tmp_path):
    write_sketch(tmp_path, "print('hi')\n")
    out = tmp_path / "homework"
    out.mkdir()
    (out / "essay.txt").write_text("my essay")
    finished = ml5py_cli("build", "sketch.py", "-o", "homework", cwd=tmp_path)
    assert finished.returncode != 0
    assert "homework" in finished.stderr and "did not build" in finished.stderr, finished.stderr
    assert (out / "essay.txt").read_text() == "my essay"
    # a folder from an earlier build is replaced without fuss, and an empty one is fine
    (tmp_path / "empty").mkdir()
    for folder in ["site", "site", "empty"]:
        finished = ml5py_cli("build", "sketch.py", "-o", folder, cwd=tmp_path)
        assert finished.returncode == 0, finished.stderr
        assert (tmp_path / folder / "index.html").is_file()
