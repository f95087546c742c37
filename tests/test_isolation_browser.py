"""Cross-origin isolation and threaded wasm: ``ml5py serve`` isolates the page at once; a built
site on a plain static server (Python's http.server, no COOP/COEP) is isolated by its service
worker after one reload; TF.js's wasm then runs one thread per core, and gives the same answers
as on one thread. The speed of both is printed, never asserted (the machine is shared)."""
from __future__ import annotations

import functools
import http.server
import threading
import pytest

from conftest import open_page, parse_results

SKETCH = """
from ml5py import ImageClassifier, load_image

classifier = ImageClassifier("MobileNet")
bird = load_image("bird.jpg")

async def main():
    await classifier.classify(bird)  # the first call builds the kernels
    start = performance.now()  # (a browser-only sketch: JavaScript's clock)
    for i in range(4):
        results = await classifier.classify(bird)
    window.classify_ms = (performance.now() - start) / 4
    for result in results:
        print(result.label, result.confidence)

main()
"""

STATE = """return {isolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency,
    backend: tf.getBackend(), threads: tf.getBackend() === 'wasm' ? tf.wasm.getThreadsCount() : null,
    ms: window.classify_ms, worker: !!navigator.serviceWorker.controller, pool: self.ml5pyWasmPool};"""


def _classified(driver, url):
    lines = open_page(driver, url, lines=3)
    return parse_results(lines[:3]), driver.execute_script(STATE)


@pytest.fixture(scope="module")
def site(sites, images):
    return sites(SKETCH, {"bird.jpg": images / "bird.jpg"}, name="isolation")


@pytest.mark.browser
def test_ml5py_serve_isolates_and_wasm_runs_on_every_core(driver, site):
    threaded, state = _classified(driver, site.page())
    one, single = _classified(driver, site.page(wasm_threads="1"))
    print(f"\nwasm on {state['threads']} threads: {state['ms']:.0f} ms per classification; "
          f"on 1 thread: {single['ms']:.0f} ms ({single['ms'] / state['ms']:.2f}x)")
    assert state["isolated"] is True and state["worker"] is False, state  # the headers, at once
    assert state["backend"] == "wasm"
    assert state["threads"] == min(state["cores"], 8) and state["threads"] >= 2, state
    assert single["threads"] == 1, single
    # TF.js's pool of 8 workers: only as many load the module as there are threads; no thread
    # ever had to wake one of the others
    for got in (state, single):
        assert got["pool"] == {"real": got["threads"], "idle": 8 - got["threads"], "woken": 0}, got
    assert [label for label, _ in one] == [label for label, _ in threaded]
    for (_, a), (_, b) in zip(one, threaded):
        assert a == pytest.approx(b, abs=1e-5)


BACKEND_SKETCH = """
from ml5py import set_backend, get_backend

async def main():
    await set_backend("wasm")
    print("backend:", get_backend())

main()
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.browser
def test_a_static_host_without_headers_is_isolated_by_the_service_worker(driver, sites):
    from browser import printed_lines, wait_for

    built = sites(BACKEND_SKETCH, name="isolation-static")
    assert (built.out / "ml5py-isolation-sw.js").is_file()
    handler = functools.partial(_Quiet, directory=str(built.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # sends no COOP/COEP
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
        # the service worker installs and takes over; the page reloads once, isolated
        state = wait_for(driver, "return self.crossOriginIsolated && window.ml5pySketchLoaded && "
                         "window.ml5py.lines.length >= 1 && {worker: !!navigator.serviceWorker.controller,"
                         " reloaded: sessionStorage.getItem('ml5py-isolation-reload'),"
                         " threads: tf.wasm.getThreadsCount(), cores: navigator.hardwareConcurrency}",
                         timeout=120)
        assert printed_lines(driver) == ["backend: wasm"]
        assert state["worker"] is True and state["reloaded"] == "1", state
        assert state["threads"] == min(state["cores"], 8) and state["threads"] >= 2, state
    finally:
        driver.execute_script("navigator.serviceWorker.getRegistrations().then("
                              "function (all) { all.forEach(function (r) { r.unregister(); }); });")
        server.shutdown()
        server.server_close()


BLOCKED_SKETCH = """
from ml5py import FeatureExtractor, ImageClassifier, NeuralNetwork, load_image

def got(results, error):
    print("model error:", error)

classifier = ImageClassifier("{base}my_model/model.json", got)

def loaded(image, error):
    print("image error:", error)

load_image("{base}photo.jpg").ready.then(lambda image: loaded(image, None), lambda error: loaded(None, error))

def network_loaded(nn, error):
    print("network error:", error)

def head_loaded(head, error):
    print("head error:", error)

NeuralNetwork(task="classification").load("{base}my_network/model.json", network_loaded)
FeatureExtractor("MobileNet").classification().load("{base}my_head/model.json", head_loaded)
"""


@pytest.mark.browser
def test_another_sites_files_without_cors_are_explained(driver, sites, tmp_path, images):
    (tmp_path / "my_model").mkdir()
    (tmp_path / "my_model" / "model.json").write_text("{}")
    (tmp_path / "my_model" / "metadata.json").write_text('{"labels": ["a"]}')
    (tmp_path / "photo.jpg").write_bytes((images / "bird.jpg").read_bytes())
    for folder in ("my_network", "my_head"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "model.json").write_text("{}")
        (tmp_path / folder / "metadata.json").write_text('{"labels": ["a"]}')
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # sends no CORS header
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        site = sites(BLOCKED_SKETCH.replace("{base}", base), name="isolation-blocked")
        lines = sorted(open_page(driver, site.page(), lines=4))
    finally:
        server.shutdown()
        server.server_close()
    head, lines = lines[0], lines[1:]  # "head error", then "image", "model", "network" errors
    assert head.startswith("head error: Could not fetch " + base + "my_head/metadata.json"), head
    assert "Access-Control-Allow-Origin: *" in head and "beside your sketch" in head, head
    network = lines.pop()
    assert network.startswith("network error: Could not fetch " + base + "my_network/model.json"), network
    assert "Access-Control-Allow-Origin: *" in network and "beside your sketch" in network, network
    assert lines[0].startswith("image error: Could not load the image '" + base + "photo.jpg': it is on "
                               "another site"), lines
    assert "Access-Control-Allow-Origin" in lines[0] and "beside your sketch" in lines[0]
    assert lines[1].startswith("model error: Could not fetch " + base + "my_model/metadata.json"), lines
    assert "Access-Control-Allow-Origin: *" in lines[1] and "cross-origin isolated" in lines[1], lines
