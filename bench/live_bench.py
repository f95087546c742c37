"""Live classification benchmark: the webcam classifier sketch in ml5py against the same
sketch written by hand in JavaScript (p5.js + TensorFlow.js), same page, same backend.

    .venv/bin/python bench/live_bench.py [--backends wasm webgl] [--seconds 15] [--rounds 2]
                                         [--leak-frames 500]

Headless Chromium with a fake camera. For each backend, the two pages take turns
(ml5py, JS, JS, ml5py, ...), each after a warm-up, counting classifications (callbacks)
and p5 draw() frames per second. Then each page runs --leak-frames classifications of
both pages and reports tf.memory().numTensors, WebGL
textures and the JS heap (after a forced GC) at five points. Prints a table and writes
bench/results/live.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
MIRROR = REPO_DIR.parent / "shared" / "pretrained"
RESULTS = BENCH_DIR / "results" / "live.json"
TARGET = 0.95  # ml5py fps / JavaScript fps
for path in (str(REPO_DIR), str(REPO_DIR / "tests")):
    if path not in sys.path:
        sys.path.insert(0, path)
FLAGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         "--enable-precise-memory-info", "--js-flags=--expose-gc"]

JS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>webcam classifier in JS</title>
<script src="lib/tf.min.js"></script><script src="lib/tf-backend-wasm.min.js"></script>
<script src="lib/p5.min.js"></script><script src="bench-config.js"></script>
<script src="webcam.js"></script></head><body><main></main></body></html>"""

MEMORY = """
var backend = tf.backend();
var textures = backend.textureManager ?
    backend.textureManager.numUsedTextures + backend.textureManager.numFreeTextures : null;
window.gc();
return [window.probe_callbacks, tf.memory().numTensors, textures, performance.memory.usedJSHeapSize];
"""


def build_site(work: Path) -> tuple:
    """The webcam example (with the tests' probe) and its JS twin, in one site."""
    from ml5py.weights import registry
    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from ml5py.weights.sources import classifier_source
    from test_live_browser import PROBE

    folder = work / "webcam"
    folder.mkdir()
    sketch = (REPO_DIR / "examples" / "webcam_classifier" / "sketch.py").read_text()
    (folder / "sketch.py").write_text(sketch + PROBE.replace("{media}", "video"))
    out = build(folder / "sketch.py", work / "site", models_url="models/")
    shutil.copyfile(BENCH_DIR / "page" / "webcam.js", out / "webcam.js")
    (out / "js.html").write_text(JS_PAGE)
    source = classifier_source(registry.find_entry("MobileNet"))
    server = serve_in_background(out)
    return server, url_of(server), source


def settle(driver, milliseconds: int) -> None:
    driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; setTimeout(done, arguments[0]);", milliseconds)


def open_side(driver, base: str, side: str, backend: str, source: dict) -> None:
    from browser import wait_for

    if side == "ml5py":
        driver.get(f"{base}?backend={backend}")
    else:
        driver.get("about:blank")
        config = "window.BENCH = " + json.dumps({"backend": backend, "source": source}) + ";"
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": config})
        driver.get(f"{base}js.html")
    wait_for(driver, "return window.probe_callbacks >= 5", timeout=240)
    got = driver.execute_script("return tf.getBackend()")
    if got != backend:
        raise RuntimeError(f"{side} runs on {got}, not {backend}")


# Both pages set window.probe_callbacks in each callback: a setter notes the time.
STOPWATCH = """
var value = window.probe_callbacks;
window.probe_times = [];
Object.defineProperty(window, 'probe_callbacks', {configurable: true,
    get: function () { return value; },
    set: function (v) { value = v; window.probe_times.push(performance.now()); }});
"""


def measure(driver, seconds: float) -> dict:
    """Classifications and draw() frames per second over ``seconds``.

    ``classify_fps``: callbacks counted over the whole time; ``median_fps``: 1000 / the
    median ms between callbacks, which a moment of load on the machine moves less.
    """
    driver.execute_script(STOPWATCH)
    start = driver.execute_script("return [window.probe_callbacks, frameCount, performance.now()]")
    time.sleep(seconds)
    end = driver.execute_script("return [window.probe_callbacks, frameCount, performance.now()]")
    times = driver.execute_script("return window.probe_times")
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    median = gaps[len(gaps) // 2] if len(gaps) % 2 else (gaps[len(gaps) // 2 - 1] + gaps[len(gaps) // 2]) / 2
    elapsed = (end[2] - start[2]) / 1000
    return {"classify_fps": (end[0] - start[0]) / elapsed, "draw_fps": (end[1] - start[1]) / elapsed,
            "median_fps": 1000 / median, "median_ms": median, "seconds": elapsed, "gaps_ms": gaps}


def leak_run(driver, frames: int) -> list:
    from browser import wait_for

    samples = []
    base = driver.execute_script("return window.probe_callbacks")
    for target in [base + frames * share // 5 for share in range(1, 6)]:
        wait_for(driver, f"return window.probe_callbacks >= {target}", timeout=900)
        driver.execute_script("probe_stop()")
        settle(driver, 200)
        driver.execute_script("window.gc(); window.gc();")
        settle(driver, 300)
        samples.append(driver.execute_script(MEMORY))
        driver.execute_script("probe_start()")
    driver.execute_script("probe_stop()")
    return samples


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["wasm", "webgl"], choices=["wasm", "webgl"])
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per turn")
    parser.add_argument("--rounds", type=int, default=2, help="turns per side (interleaved)")
    parser.add_argument("--leak-frames", type=int, default=500, help="0 to skip the memory runs")
    parser.add_argument("--webgl-leak-frames", type=int, default=100,
                        help="the same on webgl, which is SwiftShader here: about 1 s a frame")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if "ML5PY_MODELS" not in os.environ and MIRROR.is_dir():
        os.environ["ML5PY_MODELS"] = str(MIRROR)
    from browser import chromium

    report = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(),
              "load_before": os.getloadavg()[0], "backends": {}}
    with tempfile.TemporaryDirectory(prefix="ml5py-live-bench-") as temporary:
        server, base, source = build_site(Path(temporary))
        try:
            with chromium(FLAGS) as driver:
                for backend in args.backends:
                    turns = {"ml5py": [], "js": []}
                    order = []
                    for round_ in range(args.rounds):
                        order += ["ml5py", "js"] if round_ % 2 == 0 else ["js", "ml5py"]
                    for side in order:
                        open_side(driver, base, side, backend, source)
                        result = measure(driver, args.seconds)
                        turns[side].append(result)
                        print(f"{backend} {side:5}: {result['classify_fps']:.2f} classifications/s "
                              f"(median gap {result['median_ms']:.1f} ms: {result['median_fps']:.2f}/s), "
                              f"{result['draw_fps']:.1f} draw frames/s", flush=True)
                    entry = {"turns": turns}
                    for side in turns:
                        entry[side] = {key: sum(t[key] for t in turns[side]) / len(turns[side])
                                       for key in ("classify_fps", "draw_fps", "median_fps")}
                    entry["ratio"] = entry["ml5py"]["classify_fps"] / entry["js"]["classify_fps"]
                    entry["median_ratio"] = entry["ml5py"]["median_fps"] / entry["js"]["median_fps"]
                    entry["draw_ratio"] = entry["ml5py"]["draw_fps"] / entry["js"]["draw_fps"]
                    frames = args.webgl_leak_frames if backend == "webgl" else args.leak_frames
                    if frames:
                        for side in ("ml5py", "js"):
                            open_side(driver, base, side, backend, source)
                            entry[side]["memory"] = leak_run(driver, frames)
                            print(f"{backend} {side:5} memory [callbacks, numTensors, textures, heap]: "
                                  f"{entry[side]['memory']}", flush=True)
                    report["backends"][backend] = entry
        finally:
            server.shutdown()
    report["load_after"] = os.getloadavg()[0]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1))
    print(f"\nwebcam classifier, MobileNet, fake camera 640x480, {args.rounds} x {args.seconds:.0f} s per side"
          f" (load average {report['load_before']:.2f} -> {report['load_after']:.2f})")
    print(f"{'backend':<8} {'ml5py fps':>9} {'JS fps':>7} {'ratio':>6}  {'target':<12} "
          f"{'median-gap ratio':>16} {'draw ml5py':>10} {'draw JS':>8}")
    for backend, entry in report["backends"].items():
        ok = "ok" if entry["ratio"] >= TARGET else "MISSED"
        print(f"{backend:<8} {entry['ml5py']['classify_fps']:>9.2f} {entry['js']['classify_fps']:>7.2f} "
              f"{entry['ratio']:>6.3f}  >= {TARGET} {ok:<6} {entry['median_ratio']:>16.3f} "
              f"{entry['ml5py']['draw_fps']:>10.1f} "
              f"{entry['js']['draw_fps']:>8.1f}")
        for side in ("ml5py", "js"):
            memory = entry[side].get("memory")
            if memory:
                heaps = [sample[3] for sample in memory]
                print(f"         {side:5} classifications {memory[0][0]}..{memory[-1][0]}: "
                      f"numTensors {sorted({s[1] for s in memory})}, textures {sorted({str(s[2]) for s in memory})}, "
                      f"heap {heaps[0] / 1e6:.2f} -> {heaps[-1] / 1e6:.2f} MB")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
