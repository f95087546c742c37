"""The weights of a model the sketch names (and wasm's binary) start downloading before TensorFlow.js runs.

``ml5py-page.js`` fetches them (``config.early_weights``); ``core/loading_browser.py`` takes
them over, checks their sha256 and keeps them in the Cache API like any other download
(``test_browser_behaviour_models.py`` proves the second visit needs no network).
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import pytest

from browser import wait_for
from conftest import open_page

SKETCH = """
from ml5py import ImageClassifier, load_image

def got_results(results, error):
    print(error if error else results[0].label)

ImageClassifier("Darknet").classify(load_image("bird.jpg"), got_results)
"""

TF_CORE = "/lib/tf-core.es2017.min.js"


def _gated(site, handle):
    """Serve ``site`` through ``handle(request, path)``: None lets the server answer as usual."""
    base = site.server.RequestHandlerClass

    class Gated(base):
        def do_GET(self):  # noqa: N802
            if handle(self, urlsplit(self.path).path) is None:
                return super().do_GET()
            return None

    site.server.RequestHandlerClass = Gated
    return base


def _late_tf_core(events, lock, seconds):
    """A handler that records every path asked for and sends TF.js's core ``seconds`` late."""
    def handle(request, path):
        with lock:
            events.append(path)
        if path == TF_CORE:
            time.sleep(seconds)
            with lock:
                events.append("tf-core sent")
        return None

    return handle


@pytest.mark.browser
def test_weights_are_asked_for_while_tfjs_is_still_on_its_way_and_only_once(driver, sites, images):
    site = sites(SKETCH, {"bird.jpg": images / "bird.jpg"}, name="early")
    events, lock = [], threading.Lock()
    # TF.js arrives late: the page cannot run any of the library before
    base = _gated(site, _late_tf_core(events, lock, 1.5))
    try:
        lines = open_page(driver, site.page("wasm"), lines=1)
    finally:
        site.server.RequestHandlerClass = base
    assert "robin" in lines[0], lines
    weights = [path for path in events if path.startswith("/models/")]
    assert "/models/darknet-tiny/model.json" in weights, events  # (all at once: in any order)
    assert events.index("/models/darknet-tiny/model.json") < events.index("tf-core sent"), events
    assert sum(path.endswith("-shard1of1") for path in weights) > 1, events
    assert len(weights) == len(set(weights)), f"a weight file was downloaded twice: {weights}"
    # the wasm backend's binary starts early too (the page is isolated: the threaded one), and
    # TF.js's own fetch of it is answered by that download
    binaries = [path for path in events if path.endswith(".wasm")]
    assert binaries == ["/lib/tfjs-backend-wasm-threaded-simd.wasm"], events
    assert events.index(binaries[0]) < events.index("tf-core sent"), events


@pytest.mark.browser
def test_a_corrupt_file_fetched_early_is_still_refused(driver, sites, images, mirror):
    site = sites(SKETCH, {"bird.jpg": images / "bird.jpg"}, name="early-corrupt")
    shard = "/models/darknet-tiny/group1-shard1of1"
    good = (mirror / "darknet-tiny" / "group1-shard1of1").read_bytes()
    bad = bytes([good[0] ^ 0xFF]) + good[1:]

    def handle(request, path):
        if path != shard:
            return None
        request.send_response(200)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(len(bad)))
        request.end_headers()
        request.wfile.write(bad)
        return True

    base = _gated(site, handle)
    try:
        # the callback is given the error, and the page shows it too (the sketch has no
        # ready callback for the model that failed to load); in either order
        lines = open_page(driver, site.page("wasm"), lines=1, error_fails=False)
    finally:
        site.server.RequestHandlerClass = base
    assert "is corrupt" in lines[0] and "group1-shard1of1" in lines[0], lines
    shown = driver.execute_script(
        "var e = document.getElementById('ml5py-error'); return e && !e.hidden ? e.textContent : '';")
    assert not shown or "is corrupt" in shown, shown
    cached = driver.execute_async_script("""var done = arguments[0];
        caches.open('ml5py-models-v1').then(c => c.keys())
              .then(requests => done(requests.map(r => new URL(r.url).pathname)));""")
    assert shard not in cached, cached  # a refused file is never kept


@pytest.mark.browser
def test_the_page_marks_where_its_start_up_time_goes(driver, sites, images):
    # User Timing marks for DevTools and bench/cold_start_bench.py: the weights downloaded and
    # the backend ready (in either order), then the model built from them
    site = sites(SKETCH, {"bird.jpg": images / "bird.jpg"}, name="early")
    lines = open_page(driver, site.page("wasm"), lines=1)
    assert "robin" in lines[0], lines
    marks = dict(driver.execute_script(
        "return performance.getEntriesByType('mark').map(function (m) { return [m.name, m.startTime]; });"))
    assert set(marks) == {"ml5py: Darknet weights downloaded", "ml5py: wasm backend ready", "ml5py: Darknet built"}, marks
    assert marks["ml5py: Darknet built"] >= max(marks["ml5py: Darknet weights downloaded"],
                                                marks["ml5py: wasm backend ready"]), marks


SLOW_CACHE_OPEN = """
(function () {
  // the Cache API as slow to open as a new profile's, only more so: 2 s
  if (!self.caches) return;
  var open = caches.open.bind(caches);
  caches.open = function (name) {
    return new Promise(function (resolve) { setTimeout(function () { resolve(open(name)); }, 2000); });
  };
})();
"""


@pytest.mark.browser
def test_a_first_visit_downloads_at_once_and_the_next_one_reads_the_cache(driver, sites, images):
    site = sites(SKETCH, {"bird.jpg": images / "bird.jpg"}, name="early-first-visit")
    events, lock = [], threading.Lock()
    base = _gated(site, _late_tf_core(events, lock, 1.0))
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SLOW_CACHE_OPEN})
    try:
        # first visit (this origin has kept nothing): the weights are asked for before TF.js
        # has come, although the Cache API takes 2 s to open
        lines = open_page(driver, site.page("wasm"), lines=1)
        assert "robin" in lines[0], lines
        assert events.index("/models/darknet-tiny/model.json") < events.index("tf-core sent"), events
        # once a file is in the cache (here after the slow open), localStorage says so
        wait_for(driver, "return localStorage.getItem('ml5py-kept:ml5py-models-v1') === '1';", timeout=20)
        # the next visit reads them from the cache: no weight file is downloaded again
        with lock:
            events.clear()
        lines = open_page(driver, site.page("wasm"), lines=1)
        assert "robin" in lines[0], lines
        assert not [path for path in events if path.startswith("/models/")], events
        # the cache emptied while localStorage still says it holds weights: downloaded again
        driver.execute_async_script("var done = arguments[0]; "
                                    "caches.delete('ml5py-models-v1').then(function () { done(true); });")
        with lock:
            events.clear()
        lines = open_page(driver, site.page("wasm"), lines=1)
        assert "robin" in lines[0], lines
        assert "/models/darknet-tiny/model.json" in events, events
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
        site.server.RequestHandlerClass = base
