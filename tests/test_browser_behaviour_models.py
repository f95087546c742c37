"""What a learner's sketch does in the browser, beyond printing the right labels: no tensor
leaks, weights from the Cache API on a second visit, and the choice of backend.

Each test writes a small sketch, builds it with ``ml5py build`` and opens it in the
session's headless Chromium (wasm unless the test is about choosing a backend).
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import pytest

from browser import wait_for
from browser_behaviour_helpers import wait_for_error
from conftest import open_page, page_state


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
