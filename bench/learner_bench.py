"""What Python-in-the-browser costs: learner code and the webcam classifier, before and after.

    .venv/bin/python bench/learner_bench.py [--rounds 3] [--seconds 8] [--draws 120]

"before" builds a sketch as ml5py did without its Python layer (Transcrypt's switches of
``build.TRANSCRYPT_FLAGS`` less ``sketch_python.SWITCHES``, no rewrite, no operator imports,
no shims); "after" as ``ml5py build`` does now. Two measures, in headless Chromium:

- ``ms per draw()``: a p5 sketch doing typical learner work, 300 particles as dicts moved,
  bounced and labelled with f-strings each frame; the time of the Python work inside
  ``draw()`` (``performance.now()`` around it), median over ``--draws`` frames;
- ``classifications/s``: the webcam classifier example (MobileNet, wasm, fake camera), as
  ``live_bench.py`` times them: 1000 / the median ms between callbacks (a moment of load
  on the machine moves it less than a count). Must not drop more than 5 %.

The pages take turns (before, after, after, before, ...) for ``--rounds`` rounds; the load
average is printed beside each round. Prints a table; writes bench/results/learner.json.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "learner.json"
for path in (str(REPO_DIR), str(REPO_DIR / "tests"), str(BENCH_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

PARTICLES = '''
import random

particles = []
labels = []
window.bench_ms = []


def setup():
    createCanvas(200, 200)
    random.seed(1)
    for i in range(300):
        particles.append({"x": random.random() * 200, "y": random.random() * 200,
                          "vx": random.random() * 4 - 2, "vy": random.random() * 4 - 2, "hits": 0})


def move(p):
    p["x"] += p["vx"]
    p["y"] += p["vy"]
    if p["x"] < 0 or p["x"] > 200:
        p["vx"] = -p["vx"]
        p["hits"] += 1
    if p["y"] < 0 or p["y"] > 200:
        p["vy"] = -p["vy"]
        p["hits"] += 1


def draw():
    start = window.performance.now()
    total = 0
    labels.clear()
    for p in particles:
        move(p)
        total += p["hits"]
        labels.append(f"{p['x']:.1f},{p['y']:.1f} hits {p['hits']}")
    fastest = max(particles, key=lambda p: abs(p["vx"]) + abs(p["vy"]))
    summary = f"{len(particles)} particles, {total} bounces, fastest at {fastest['x']:.0f}"
    window.bench_ms.append(window.performance.now() - start)
    background(220)
    text(summary, 5, 15)
'''


@contextlib.contextmanager
def without_python_layer():
    """Build as ml5py did before its Python layer: the switches, rewrite, tail and check off."""
    from ml5py.tooling import build, sketch_python

    saved = (build.TRANSCRYPT_FLAGS, sketch_python.rewrite, sketch_python.tail, sketch_python.check)
    build.TRANSCRYPT_FLAGS = [flag for flag in build.TRANSCRYPT_FLAGS if flag not in sketch_python.SWITCHES]
    sketch_python.rewrite, sketch_python.tail = (lambda source: source), (lambda source: "")
    sketch_python.check = lambda source: None
    try:
        yield
    finally:
        build.TRANSCRYPT_FLAGS, sketch_python.rewrite, sketch_python.tail, sketch_python.check = saved


def build_sites(work: Path) -> dict:
    """{(measure, side): url} for both sketches, before and after."""
    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from test_live_browser import PROBE

    webcam = (REPO_DIR / "examples" / "webcam_classifier" / "sketch.py").read_text() + PROBE.replace("{media}", "video")
    urls = {}
    for side in ("before", "after"):
        for measure, source in (("draw", PARTICLES), ("classify", webcam)):
            folder = work / f"{measure}-{side}"
            folder.mkdir()
            (folder / "sketch.py").write_text(source)
            if side == "before":
                with without_python_layer():
                    out = build(folder / "sketch.py", work / f"site-{measure}-{side}", models_url="models/")
            else:
                out = build(folder / "sketch.py", work / f"site-{measure}-{side}", models_url="models/")
            urls[(measure, side)] = url_of(serve_in_background(out)) + "?backend=wasm"
    return urls


def draw_ms(driver, url: str, draws: int) -> float:
    from browser import wait_for

    driver.get(url)
    wait_for(driver, f"return window.bench_ms && window.bench_ms.length >= {draws + 30}", timeout=240)
    times = driver.execute_script("return window.bench_ms.slice(30)")  # after 30 warm-up frames
    return statistics.median(times[:draws])


def classify_fps(driver, url: str, seconds: float) -> float:
    from browser import wait_for
    from live_bench import measure

    driver.get(url)
    wait_for(driver, "return window.probe_callbacks >= 5", timeout=240)
    return measure(driver, seconds)["median_fps"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--draws", type=int, default=120)
    args = parser.parse_args(argv)
    os.environ.setdefault("ML5PY_MODELS", str(REPO_DIR.parent / "shared" / "pretrained"))
    from browser import chromium
    from live_bench import FLAGS

    samples = {key: [] for key in ("draw-before", "draw-after", "classify-before", "classify-after")}
    loads = []
    with tempfile.TemporaryDirectory(prefix="ml5py-learner-bench-") as work, chromium(FLAGS) as driver:
        urls = build_sites(Path(work))
        for round_index in range(args.rounds):
            order = ("before", "after") if round_index % 2 == 0 else ("after", "before")
            for side in order:
                samples[f"draw-{side}"].append(draw_ms(driver, urls[("draw", side)], args.draws))
            for side in order:
                samples[f"classify-{side}"].append(classify_fps(driver, urls[("classify", side)], args.seconds))
            loads.append(os.getloadavg()[0])
            print(f"round {round_index + 1}: load {loads[-1]:.2f}  " + "  ".join(
                f"{key} {values[-1]:.3f}" for key, values in samples.items()), flush=True)
    medians = {key: statistics.median(values) for key, values in samples.items()}
    draw_ratio = medians["draw-after"] / medians["draw-before"]
    classify_ratio = medians["classify-after"] / medians["classify-before"]
    print(f"\nms per draw() (300 particles, dicts, f-strings): before {medians['draw-before']:.3f}  "
          f"after {medians['draw-after']:.3f}  ratio {draw_ratio:.2f}")
    print(f"classifications/s (webcam, MobileNet, wasm): before {medians['classify-before']:.2f}  "
          f"after {medians['classify-after']:.2f}  ratio {classify_ratio:.3f} "
          f"({'ok' if classify_ratio >= 0.95 else 'MISSED'}: at least 0.95)")
    print(f"load average (1 min) during the rounds: {', '.join(f'{load:.2f}' for load in loads)}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"samples": samples, "medians": medians, "loads": loads,
                                   "draw_ratio": draw_ratio, "classify_ratio": classify_ratio,
                                   "time": time.time()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
