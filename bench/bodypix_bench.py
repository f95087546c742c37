"""BodyPix benchmark: milliseconds per 640x480 frame at internal_resolution="medium".

    .venv/bin/python bench/bodypix_bench.py                       # CPython, wasm and webgl
    .venv/bin/python bench/bodypix_bench.py --backends wasm --repeats 10

- CPython: ``BodyPix().segment(frame)`` (numpy), and the graph model alone
  (``GraphModel.execute`` on the prepared input) to show what the steps around it cost.
- Browser: ``await bodypix.segment(img)`` (ml5py, compiled by Transcrypt like any sketch)
  against ``await net.segmentPerson(img, ...)`` of tfjs-models body-pix 2.2.1, on the same
  page, backend, weights (MobileNetV1 0.75, 2-byte, stride 16) and ``<img>``, interleaved.
  Target: ml5py at most 1.0x body-pix's time. body-pix's UMD file is copied beside the
  bench page only (not into learners' sketches).

Medians of the timed frames after warm-up; results to stdout (and ``--json PATH``).
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
PHOTO = REPO_DIR.parent / "shared" / "images" / "harriet.jpg"
BODY_PIX_JS = REPO_DIR / "node_modules" / "@tensorflow-models" / "body-pix" / "dist" / "body-pix.min.umd.js"
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))


def frame_640x480(photo: Path):
    """The test frame: the photo fitted into 640x480 (letterboxed on grey), as a numpy array."""
    import numpy as np
    from PIL import Image

    picture = Image.open(photo).convert("RGB")
    picture.thumbnail((640, 480))
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    return np.asarray(frame)


def bench_cpython(frame, repeats: int, warmup: int) -> dict:
    from ml5py import BodyPix
    from ml5py.models.body_pix.body_pix import resize_plan
    from ml5py.runtime_cpython import bodypix_input

    bodypix = BodyPix()
    plan = resize_plan(480, 640, "medium", 16)
    batch = bodypix_input(frame.astype("float32"), plan["padding"], plan["size"])
    segment, network = [], []
    for i in range(warmup + repeats):  # interleaved: the whole call, then the network alone
        start = time.perf_counter()
        result = bodypix.segment(frame)
        took = time.perf_counter() - start
        start = time.perf_counter()
        bodypix.model.execute({"sub_2": batch}, ["float_segments"])
        alone = time.perf_counter() - start
        if i >= warmup:
            segment.append(took * 1000)
            network.append(alone * 1000)
    return {"segment_ms": statistics.median(segment), "network_ms": statistics.median(network),
            "person_pixels": int(result.data.sum()), "samples": segment}


def bench_browser(frame, backends: list, repeats: dict, warmup: dict, timeout: float = 900.0) -> dict:
    from PIL import Image

    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from tests.browser import chromium, wait_for

    if not BODY_PIX_JS.is_file():
        raise SystemExit(f"{BODY_PIX_JS} is missing: run `npm ci` (body-pix is pinned in package.json).")
    out = {}
    with tempfile.TemporaryDirectory(prefix="ml5py-bodypix-bench-") as temporary:
        sketch_dir = Path(temporary) / "sketch"
        sketch_dir.mkdir()
        shutil.copyfile(BENCH_DIR / "page" / "bodypix_sketch.py", sketch_dir / "sketch.py")
        shutil.copyfile(BODY_PIX_JS, sketch_dir / BODY_PIX_JS.name)  # the bench page only
        Image.fromarray(frame).save(sketch_dir / "frame.png")
        site = build(sketch_dir / "sketch.py", Path(temporary) / "site", models_url="models/")
        server = serve_in_background(site)
        try:
            for backend in backends:
                print(f"browser: {backend} ({repeats[backend]} frames per side, {warmup[backend]} warm-up)",
                      file=sys.stderr)
                with chromium() as driver:
                    driver.get(f"{url_of(server)}?backend={backend}")
                    wait_for(driver, "return window.bench_sketch_ready === true", timeout=180)
                    driver.execute_script((BENCH_DIR / "bodypix_harness.js").read_text(encoding="utf-8"))
                    driver.execute_script("window.benchStart(arguments[0]);",
                                          {"repeats": repeats[backend], "warmup": warmup[backend]})
                    out[backend] = poll_bench_state(driver, timeout)
                    if out[backend]["backend"] != backend:
                        raise RuntimeError(f"asked for {backend}, the page ran on {out[backend]['backend']}")
        finally:
            server.shutdown()
    return out




def table(cpython: dict | None, browser: dict) -> str:
    lines = ["BodyPix MobileNetV1 0.75 2-byte stride 16, 640x480 frame, internal_resolution=medium "
             "(median ms per frame)", "",
             "| side | ml5py ms | body-pix ms | ratio | paired | numTensors | masks differ | target <= 1.0 |",
             "|---|---|---|---|---|---|---|---|"]
    if cpython:
        lines.append(f"| CPython numpy | {cpython['segment_ms']:.1f} (network alone {cpython['network_ms']:.1f}) "
                     "| - | - | - | - | - | - |")
    for backend, result in browser.items():
        ours, theirs = result["ml5py"]["median"], result["bodypix"]["median"]
        ratio = ours / theirs
        lines.append(f"| browser {backend} | {ours:.1f} | {theirs:.1f} | {ratio:.2f} | {result['paired']:.2f} | "
                     f"{result['tensors'][0]} -> {result['tensors'][1]} | {result['mask_pixels_differ']} | "
                     f"{'ok' if ratio <= 1.0 else 'MISSED'} |")
    return "\n".join(lines)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="*", default=["wasm", "webgl"])
    parser.add_argument("--repeats", type=int, default=20, help="timed frames per side (CPython, wasm)")
    parser.add_argument("--webgl-repeats", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-cpython", action="store_true")
    parser.add_argument("--photo", type=Path, default=PHOTO)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("ML5PY_MODELS", str(REPO_DIR.parent / "shared" / "pretrained"))
    frame = frame_640x480(args.photo)
    cpython = None if args.no_cpython else bench_cpython(frame, args.repeats, args.warmup)
    repeats = {"wasm": args.repeats, "webgl": min(args.webgl_repeats, args.repeats), "cpu": 3}
    warmup = {"wasm": args.warmup, "webgl": min(args.warmup, 2), "cpu": 1}
    browser = bench_browser(frame, args.backends, repeats, warmup) if args.backends else {}
    print(table(cpython, browser))
    if args.json:
        args.json.write_text(json.dumps({"cpython": cpython, "browser": browser}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
