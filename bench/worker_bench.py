"""Live sketches with a model on every webcam frame: results per second and draw() frames per
second four ways (the model on the main thread or in a web worker, TF.js wasm on one thread or
one per core; the page is cross-origin isolated by ml5py serve), interleaved; and the time to
the first result with empty caches.

    .venv/bin/python bench/worker_bench.py [--seconds 10] [--rounds 2] [--models mobilenet bodypix style]
        [--ways 'main 1 thread' 'worker 1 thread']

MobileNet and BodyPix (internal_resolution "medium") on 640x480 frames, StyleTransfer ("wave")
on 256x256. Each measure opens bench/worker_page/sketch.py in the same headless Chromium
(fake camera), waits for the first result, lets it run 3 s, then counts for --seconds; the
ways take turns (in order, then in reverse order). "none" is the same sketch with no
model: draw()'s rate to compare with, measured again before each round. The ways "... kept" are the
worker's with keep_draw=0.9 (ml5py/worker/pacing.py). Longest = the longest main-thread task seen (ms,
PerformanceObserver "longtask"). The load average is printed with every row.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
for path in (str(REPO_DIR), str(REPO_DIR / "tests")):
    if path not in sys.path:
        sys.path.insert(0, path)
FLAGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
CORES = str(os.cpu_count() or 1)
# (worker, wasm threads, keep_draw): the four ways, and the worker's two paced to keep 0.9 of
# draw()'s rate (pacing.py; "" = ml5py's choice: one thread per core, in a worker one less; no pacing)
WAYS = {"main 1 thread": ("0", "1", ""), "main threaded": ("0", "", ""),
        "worker 1 thread": ("1", "1", ""), "worker threaded": ("1", CORES, ""),
        "worker 1 thread kept": ("1", "1", "0.9"), "worker threaded kept": ("1", CORES, "0.9")}
FOUR = ["main 1 thread", "main threaded", "worker 1 thread", "worker threaded"]
STATE = "return window.bench && Object.assign({}, window.bench)"


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def page(url: str, model: str, way: tuple) -> str:
    worker, threads, keep = way
    query = f"?backend=wasm&model={model}&worker={worker}" + (f"&wasm_threads={threads}" if threads else "")
    return url + query + (f"&keep_draw={keep}" if keep else "")


def measure(driver, url: str, seconds: float) -> dict:
    from browser import wait_for

    driver.get(url)
    wait_for(driver, "return window.bench && (window.bench.first !== null || "
             "new URLSearchParams(location.search).get('model') === 'none')", timeout=300)
    time.sleep(3)
    before = driver.execute_script(STATE)
    time.sleep(seconds)
    after = driver.execute_script(STATE)
    return {"results": (after["results"] - before["results"]) / seconds,
            "draw": (after["frames"] - before["frames"]) / seconds,
            "first_ms": after["first"], "longest_ms": after["longest"]}


def cold_first(url: str) -> float:
    """Time to the first result in a fresh profile (empty caches), ms since the page started."""
    from browser import chromium, wait_for

    with chromium(FLAGS) as driver:
        driver.get(url)
        return wait_for(driver, "return window.bench && window.bench.first", timeout=300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--models", nargs="+", default=["mobilenet", "bodypix", "style"])
    parser.add_argument("--ways", nargs="+", choices=list(WAYS), default=FOUR, metavar="WAY",
                        help="other ways than the four: 'main 1 thread' 'worker 1 thread' 'worker 1 thread kept'")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold first-result runs")
    args = parser.parse_args()
    os.environ.setdefault("ML5PY_MODELS", str(REPO_DIR.parent / "shared" / "pretrained"))
    from browser import chromium
    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of

    with tempfile.TemporaryDirectory(prefix="ml5py-worker-bench-") as work:
        folder = Path(work) / "sketch"
        folder.mkdir()
        (folder / "sketch.py").write_text((BENCH_DIR / "worker_page" / "sketch.py").read_text())
        server = serve_in_background(build(folder / "sketch.py", Path(work) / "site", models_url="models/"))
        url = url_of(server)
        print(f"cores: {os.cpu_count()}, {load()}")
        with chromium(FLAGS) as driver:
            none = measure(driver, page(url, "none", WAYS["main threaded"]), args.seconds)
            print(f"no model: draw {none['draw']:.1f} fps, longest task {none['longest_ms']:.0f} ms, {load()}")
            for model in args.models:
                measure(driver, page(url, model, WAYS["main threaded"]), 2)  # weights into the browser's cache
                ways = [way for way in WAYS if way in args.ways]
                rows = {way: [] for way in ways}
                for turn in range(args.rounds):
                    order = ways if turn % 2 == 0 else list(reversed(ways))
                    if turn:  # the no-model rate again, in turn with the others
                        none = measure(driver, page(url, "none", WAYS["main threaded"]), args.seconds)
                        print(f"no model: draw {none['draw']:.1f} fps, {load()}")
                    for way in order:
                        row = measure(driver, page(url, model, WAYS[way]), args.seconds)
                        rows[way].append(row)
                        print(f"{model:9} {way:23}: {row['results']:5.2f} results/s, "
                              f"draw {row['draw']:5.1f} fps ({row['draw'] / none['draw']:.2f}x no model), "
                              f"longest task {row['longest_ms']:.0f} ms, {load()}", flush=True)
                mean = {w: sum(r["results"] for r in rows[w]) / len(rows[w]) for w in ways}
                print(f"{model:9} results/s against {ways[0]}: " + ", ".join(
                    f"{w} {mean[w] / mean[ways[0]]:.2f}x" for w in ways))
        if not args.no_cold:
            for model in args.models:
                for way in [w for w in ("main 1 thread", "main threaded", "worker threaded") if w in args.ways]:
                    first = cold_first(page(url, model, WAYS[way]))
                    print(f"{model:9} {way:15} cold first result: {first / 1000:.1f} s, {load()}", flush=True)
        server.shutdown()


if __name__ == "__main__":
    main()
