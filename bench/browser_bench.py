"""Browser half of the benchmark: ml5py vs raw TensorFlow.js on the same page and backend.

Builds ``bench/page/sketch.py`` with ``ml5py build`` (Transcrypt, as a learner's sketch),
serves it with ml5py's dev server (weights from the registry mirror), opens it in headless
Chromium once per backend, injects ``bench/harness.js`` and polls until it has finished.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
IMAGE = REPO_DIR.parent / "shared" / "images" / "bird.jpg"
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))  # for tests/browser.py (the Selenium helpers)


def build_site(work: Path, image: Path = IMAGE) -> Path:
    """Compile the benchmark sketch (with the photo beside it) into ``work/site``."""
    from ml5py.tooling.build import build

    sketch_dir = work / "sketch"
    sketch_dir.mkdir()
    shutil.copyfile(BENCH_DIR / "page" / "sketch.py", sketch_dir / "sketch.py")
    shutil.copyfile(image, sketch_dir / image.name)
    return build(sketch_dir / "sketch.py", work / "site", models_url="models/")


def _poll(driver, timeout: float, progress) -> dict:
    """Wait for the harness to finish, printing its log lines as they come."""
    seen = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script(
            "var s = window.benchState; return s && {done: s.done, error: s.error, log: s.log};")
        if state:
            for line in state["log"][seen:]:
                progress(line)
            seen = len(state["log"])
            if state["done"]:
                if state["error"]:
                    raise RuntimeError(f"The benchmark page failed: {state['error']}")
                return driver.execute_script(
                    "return {env: window.benchState.env, results: window.benchState.results};")
        page_error = driver.execute_script(
            "var e = document.getElementById('ml5py-error'); return e && !e.hidden ? e.textContent : null;")
        if page_error:
            raise RuntimeError(f"The page shows an error: {page_error}")
        time.sleep(0.5)
    raise RuntimeError(f"The benchmark page did not finish within {timeout:.0f} s")


def run_backend(driver, base_url: str, backend: str, models: list[str], repeats: int, warmup: int,
                image_name: str, timeout: float, progress) -> dict:
    """Open the page on ``backend`` and time every model there; returns env + per-model results."""
    from ml5py.weights import registry
    from ml5py.weights.sources import classifier_source
    from tests.browser import wait_for

    query = urlencode({"backend": backend, "models": ",".join(models), "image": image_name})
    url = f"{base_url}?{query}"
    driver.get(url)
    wait_for(driver, "return window.bench_sketch_ready === true", timeout=120)
    driver.execute_script((BENCH_DIR / "harness.js").read_text(encoding="utf-8"))
    plan = {
        "repeats": repeats,
        "warmup": warmup,
        "stub_calls": 200 if backend == "wasm" else 40,
        "models": [{"name": name, "source": classifier_source(registry.find_entry(name))}
                   for name in models],
    }
    driver.execute_script("window.benchStart(arguments[0]);", plan)
    outcome = _poll(driver, timeout, progress)
    if outcome["env"]["backend"] != backend:
        raise RuntimeError(f"Asked for the {backend} backend but the page runs on {outcome['env']['backend']}")
    return outcome


def run_browser(models: list[str], backends: list[str], repeats: dict, warmup: dict,
                image: Path = IMAGE, timeout: float = 900.0, progress=print) -> dict:
    """Time ``models`` on each of ``backends``; ``repeats``/``warmup`` map backend -> count."""
    from ml5py.tooling.server import serve_in_background, url_of
    from tests.browser import chromium

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="ml5py-bench-") as temporary:
        site = build_site(Path(temporary), Path(image))
        server = serve_in_background(site)
        try:
            for backend in backends:
                progress(f"browser: {backend} ({repeats[backend]} repeats, {warmup[backend]} warm-up)")
                with chromium() as driver:  # a fresh browser (and profile) per backend
                    out[backend] = run_backend(driver, url_of(server), backend, models,
                                               repeats[backend], warmup[backend], Path(image).name,
                                               timeout, progress)
        finally:
            server.shutdown()
    return out
