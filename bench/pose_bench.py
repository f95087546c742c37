"""BodyPose benchmark: milliseconds per 640x480 frame for MoveNet Lightning and MultiPose.

    .venv/bin/python bench/pose_bench.py                        # CPython, wasm and webgl
    .venv/bin/python bench/pose_bench.py --backends wasm --repeats 10 --models lightning

- CPython: ``BodyPose(...).detect(frame)`` (numpy), and the graph model alone on the
  prepared input, timed in turns, to show what the steps around the network cost.
- Browser: ``await body_pose.detect(img)`` (ml5py, compiled by Transcrypt like any sketch)
  against ``await detector.estimatePoses(img)`` of tfjs-models pose-detection 2.1.3 on the
  same page, backend, weights (served from the mirror through its ``modelUrl``) and
  ``<img>``, interleaved. Targets: ml5py at most 1.05x pose-detection's time; CPython no
  slower than wasm. pose-detection's UMD file is copied beside the bench page only.

Each model is a row of ``MODELS``: a name, ml5py's options, pose-detection's model and
config (BlazePose full is the third row). Medians after warm-up; ``--json PATH`` keeps them.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from page_state import poll_bench_state

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
PHOTO = REPO_DIR.parent / "shared" / "images" / "three_people.jpg"
POSE_DETECTION_JS = (REPO_DIR / "node_modules" / "@tensorflow-models" / "pose-detection" / "dist"
                     / "pose-detection.min.js")
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

MODELS = [  # name, ml5py's BodyPose options, pose-detection's createDetector(model, config)
    {"name": "lightning", "title": "MoveNet SinglePose Lightning",
     "ml5py": {"model": "MoveNet", "model_type": "SINGLEPOSE_LIGHTNING"},
     "upstream": {"model": "MoveNet", "config": {"modelType": "SinglePose.Lightning",
                                                 "modelUrl": "models/movenet-lightning/movenet-lightning.json"}}},
    {"name": "multipose", "title": "MoveNet MultiPose Lightning",
     "ml5py": {"model": "MoveNet", "model_type": "MULTIPOSE_LIGHTNING"},
     "upstream": {"model": "MoveNet", "config": {"modelType": "MultiPose.Lightning",
                                                 "modelUrl": "models/movenet-multipose/movenet-multipose.json"}}},
    # BlazePose: a still is answered afresh (detector, then landmarks); pose-detection keeps the last
    # region of interest between calls, so the harness resets it before each of its stills ("reset").
    {"name": "blazepose", "title": "BlazePose full",
     "ml5py": {"model": "BlazePose", "model_type": "full"},
     "upstream": {"model": "BlazePose", "reset": True, "config": {
         "runtime": "tfjs", "modelType": "full",
         "detectorModelUrl": "models/blazepose-detector/blazepose-detector.json",
         "landmarkModelUrl": "models/blazepose-full/blazepose-full.json"}}},
]


def frame_640x480(photo: Path):
    """The test frame: the photo fitted into 640x480 (letterboxed on grey), as a numpy array."""
    import numpy as np
    from PIL import Image

    picture = Image.open(photo).convert("RGB")
    picture.thumbnail((640, 480))
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    return np.asarray(frame)


def bench_cpython(frame, rows: list, repeats: int, warmup: int) -> dict:
    from ml5py import BodyPose

    out = {}
    for row in rows:
        options = dict(row["ml5py"])
        model = BodyPose(options.pop("model"), **options)
        inputs = _network_input(model, frame)
        detect, network = [], []
        for i in range(warmup + repeats):  # interleaved: the whole call, then the network alone
            start = time.perf_counter()
            poses = model.detect(frame)
            took = time.perf_counter() - start
            start = time.perf_counter()
            if inputs is not None:
                model._estimator.model.execute(inputs)
            alone = time.perf_counter() - start
            if i >= warmup:
                detect.append(took * 1000)
                network.append(alone * 1000)
        out[row["name"]] = {"detect_ms": statistics.median(detect),
                            "network_ms": statistics.median(network) if inputs is not None else None,
                            "people": len(poses), "samples": detect}
    return out


def _network_input(model, frame):
    """MoveNet's input batch for this frame (the first frame's crop / the resized picture)."""
    from ml5py.models.body_pose.movenet import MoveNet
    from ml5py.models.body_pose.movenet_crop import init_crop_region
    from ml5py.runtime import rt

    estimator = model._estimator
    if not isinstance(estimator, MoveNet):
        return None
    pixels = frame.astype("float32")
    if estimator.multi_pose:
        plan = estimator._multi_plan(640, 480)
        batch = rt.movenet_resize_pad(pixels, plan[0], plan[1])
    else:
        crop = init_crop_region(True, 640, 480)
        side = 192 if estimator.model_type == "SINGLEPOSE_LIGHTNING" else 256
        batch = rt.movenet_crop(pixels, [crop["y_min"], crop["x_min"], crop["y_max"], crop["x_max"]], [side, side])
    return {estimator.source["input"]: batch}


def bench_browser(frame, rows: list, backends: list, repeats: dict, warmup: dict, timeout: float = 900.0) -> dict:
    from PIL import Image

    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from tests.browser import chromium, wait_for

    if not POSE_DETECTION_JS.is_file():
        raise SystemExit(f"{POSE_DETECTION_JS} is missing: run `npm ci` (pose-detection is pinned in package.json).")
    out = {}
    with tempfile.TemporaryDirectory(prefix="ml5py-pose-bench-") as temporary:
        sketch_dir = Path(temporary) / "sketch"
        sketch_dir.mkdir()
        listed = repr([[row["name"], row["ml5py"]] for row in rows])
        sketch = (BENCH_DIR / "page" / "pose_sketch.py").read_text(encoding="utf-8").replace("ROWS", listed)
        (sketch_dir / "sketch.py").write_text(sketch, encoding="utf-8")
        shutil.copyfile(POSE_DETECTION_JS, sketch_dir / POSE_DETECTION_JS.name)  # the bench page only
        Image.fromarray(frame).save(sketch_dir / "frame.png")
        site = build(sketch_dir / "sketch.py", Path(temporary) / "site", models_url="models/")
        server = serve_in_background(site)
        plan_rows = [{"name": row["name"], "upstream": row["upstream"]} for row in rows]
        try:
            for backend in backends:
                print(f"browser: {backend} ({repeats[backend]} frames per side, {warmup[backend]} warm-up)",
                      file=sys.stderr)
                with chromium() as driver:
                    driver.get(f"{url_of(server)}?backend={backend}")
                    wait_for(driver, "return window.bench_sketch_ready === true", timeout=300)
                    driver.execute_script((BENCH_DIR / "pose_harness.js").read_text(encoding="utf-8"))
                    driver.execute_script("window.benchStart(arguments[0]);",
                                          {"rows": plan_rows, "repeats": repeats[backend], "warmup": warmup[backend]})
                    out[backend] = poll_bench_state(driver, timeout)
                    for name, result in out[backend].items():
                        if result["backend"] != backend:
                            raise RuntimeError(f"asked for {backend}, {name} ran on {result['backend']}")
        finally:
            server.shutdown()
    return out




def table(rows: list, cpython: dict | None, browser: dict) -> str:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    lines = [f"BodyPose, 640x480 frame ({PHOTO.name} letterboxed), median ms per frame; load average {load}", "",
             "| model | side | ml5py ms | pose-detection ms | ratio | paired | numTensors | people | target |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        name = row["name"]
        if cpython and name in cpython:
            mine = cpython[name]
            network = f" (network alone {mine['network_ms']:.1f})" if mine["network_ms"] is not None else ""
            wasm = browser.get("wasm", {}).get(name)
            verdict = "-" if wasm is None else (
                "ok (<= wasm)" if mine["detect_ms"] <= wasm["ml5py"]["median"] else "MISSED (> wasm)")
            lines.append(f"| {row['title']} | CPython numpy | {mine['detect_ms']:.1f}{network} | - | - | - | - | "
                         f"{mine['people']} | {verdict} |")
        for backend, results in browser.items():
            result = results[name]
            ours, theirs = result["ml5py"]["median"], result["pose_detection"]["median"]
            ratio = ours / theirs
            lines.append(f"| {row['title']} | browser {backend} | {ours:.1f} | {theirs:.1f} | {ratio:.2f} | "
                         f"{result['paired']:.2f} | {result['tensors'][0]} -> {result['tensors'][1]} | "
                         f"{result['people'][0]} / {result['people'][1]} | "
                         f"{'ok' if ratio <= 1.05 else 'MISSED'} (<= 1.05) |")
    return "\n".join(lines)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="*", default=[row["name"] for row in MODELS])
    parser.add_argument("--backends", nargs="*", default=["wasm", "webgl"])
    parser.add_argument("--repeats", type=int, default=30, help="timed frames per side (CPython, wasm)")
    parser.add_argument("--webgl-repeats", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-cpython", action="store_true")
    parser.add_argument("--photo", type=Path, default=PHOTO)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("ML5PY_MODELS", str(REPO_DIR.parent / "shared" / "pretrained"))
    rows = [row for row in MODELS if row["name"] in args.models]
    frame = frame_640x480(args.photo)
    cpython = None if args.no_cpython else bench_cpython(frame, rows, args.repeats, args.warmup)
    repeats = {"wasm": args.repeats, "webgl": min(args.webgl_repeats, args.repeats), "cpu": 3}
    warmup = {"wasm": args.warmup, "webgl": min(args.warmup, 2), "cpu": 1}
    browser = bench_browser(frame, rows, args.backends, repeats, warmup) if args.backends else {}
    print(table(rows, cpython, browser))
    if args.json:
        args.json.write_text(json.dumps({"cpython": cpython, "browser": browser}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
