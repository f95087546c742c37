"""StyleTransfer speed: milliseconds per 256x256 frame, ml5py against the same network by hand.

    .venv/bin/python bench/style_bench.py                      # CPython, wasm and webgl, ~3 min
    .venv/bin/python bench/style_bench.py --backends wasm      # skip SwiftShader's slow WebGL
    .venv/bin/python bench/style_bench.py --backends           # CPython only

Rows, median milliseconds per frame (the same 256x256 crop of harriet.jpg, style
``scream``), ml5py and its reference interleaved call by call (ml5py, ref, ref, ml5py...)
so that other load on the machine hits both alike, after untimed warm-up calls:

- CPython: ``style.transfer(pixels).to_numpy()`` vs ``numpy_reference``: the network
  written directly on ``ml5py.numpy_executor.ops`` (no ml5py classes or runtime), rounding to uint8.
- Browser (headless Chromium, one page per backend): ``await style.transfer(canvas)`` (the
  sketch compiled by Transcrypt) vs the same network written directly in TF.js in this
  file's harness, with its own weight tensors fetched from the same ``models/`` route:
  ``tf.tidy(fromPixels -> network -> slice -> round/clip)``, then ``tf.browser.toPixels``
  onto a canvas, as ml5py does. Target: ratio at most 1.10.

The table also shows numTensors before -> after the timed loop, and the largest pixel
difference between the two sides' pictures (0 expected: the same ops in the same order).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
IMAGE = REPO_DIR.parent / "shared" / "images" / "harriet.jpg"
STYLE = "scream"
SIZE = 256
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))  # for tests/browser.py (the Selenium helpers)

SKETCH = """
from ml5py import StyleTransfer


async def main():
    style = StyleTransfer("{style}")
    await style.ready
    window.bench_style = style
    print("ready")

main()
"""

# Runs in the page: the raw TF.js network, then interleaved timing. Progress in window.styleBench.
HARNESS = r"""
const plan = arguments[0];
window.styleBench = {done: false, error: null, log: []};
(async () => {
  const state = window.styleBench;
  const base = "models/style-transfer/" + plan.style + "/";
  const manifest = await (await fetch(base + "manifest.json")).json();
  const v = [];
  for (let i = 0; i < 48; i++) {
    const info = manifest[i === 0 ? "Variable" : "Variable_" + i];
    const buffer = await (await fetch(base + info.filename)).arrayBuffer();
    v.push(tf.tensor(new Float32Array(buffer), info.shape, "float32"));
  }
  function norm(x, i, relu) {
    const m = tf.moments(x, [1, 2], true);
    const y = tf.add(tf.mul(v[i + 1], tf.div(tf.sub(x, m.mean), tf.sqrt(tf.add(m.variance, 1e-3)))), v[i]);
    return relu ? tf.relu(y) : y;
  }
  const conv = (x, i, s, relu) => norm(tf.conv2d(x, v[i], [s, s], "same"), i + 1, relu);
  const up = (x, i) => norm(tf.conv2dTranspose(x, v[i], [1, x.shape[1] * 2, x.shape[2] * 2,
                                                        v[i].shape[2]], [2, 2], "same"), i + 1, true);
  function network(pixels) {
    const [h, w] = pixels.shape;
    let x = conv(tf.expandDims(pixels, 0), 0, 1, true);
    x = conv(x, 3, 2, true);
    x = conv(x, 6, 2, true);
    for (const i of [9, 15, 21, 27, 33]) x = tf.add(x, conv(conv(x, i, 1, true), i + 3, 1, false));
    x = up(up(x, 39), 42);
    x = conv(x, 45, 1, false);
    x = tf.clipByValue(tf.add(tf.mul(tf.tanh(x), 150), 255 / 2), 0, 255);
    return tf.reshape(tf.slice(x, [0, 0, 0, 0], [1, h, w, -1]), [h, w, 3]);
  }
  async function raw(source) {
    const out = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(
      network(tf.cast(tf.browser.fromPixels(source), "float32"))), 0, 255), "int32"));
    const canvas = document.createElement("canvas");
    await tf.browser.toPixels(out, canvas);
    out.dispose();
    return canvas;
  }
  const source = document.createElement("canvas");
  source.width = plan.size; source.height = plan.size;
  const image = new Image();
  image.src = plan.image;
  await image.decode();
  source.getContext("2d").drawImage(image, 0, 0);
  const style = window.bench_style;
  const read = (c) => c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  const a = read(await style.transfer(source)), b = read(await raw(source));
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  for (let i = 1; i < plan.warmup; i++) { await style.transfer(source); await raw(source); }
  const before = tf.memory().numTensors;
  const ml5py = [], ref = [];
  for (let r = 0; r < plan.repeats; r++) {
    const order = r % 2 === 0 ? ["ml5py", "ref"] : ["ref", "ml5py"];
    for (const side of order) {
      const t0 = performance.now();
      if (side === "ml5py") await style.transfer(source); else await raw(source);
      (side === "ml5py" ? ml5py : ref).push(performance.now() - t0);
    }
    state.log.push(tf.getBackend() + " pair " + (r + 1) + "/" + plan.repeats);
  }
  state.results = {ml5py, ref, maxDiff, tensors: [before, tf.memory().numTensors],
                   backend: tf.getBackend(), userAgent: navigator.userAgent};
  state.done = true;
})().catch((e) => { window.styleBench.error = String(e && e.stack || e); window.styleBench.done = true; });
"""


def test_pixels():
    """The picture both sides paint: the top-left 256x256 of harriet.jpg, as CPython decodes it."""
    import numpy as np

    from ml5py import load_image

    return np.ascontiguousarray(load_image(IMAGE).to_numpy()[:SIZE, :SIZE])


def numpy_reference(variables: list, pixels):
    """The network written directly on numpy_executor.ops and the style ops: NHWC float32, 'same' padding, uint8 out."""
    import numpy as np

    from ml5py.models.style_transfer import style_ops_numpy as style_ops
    from ml5py.numpy_executor import ops

    v = variables

    def norm(x, i, relu):
        y = style_ops.instance_norm(x, v[i], v[i + 1], 1e-3)
        return ops.relu(y) if relu else y

    def conv(x, i, stride, relu):
        return norm(ops.conv2d(x, v[i], stride, "same"), i + 1, relu)

    def up(x, i):
        shape = [1, x.shape[1] * 2, x.shape[2] * 2, v[i].shape[2]]
        return norm(style_ops.conv2d_transpose(x, v[i], shape, 2, "same"), i + 1, True)

    h, w = pixels.shape[:2]
    x = conv(pixels.astype(np.float32)[None], 0, 1, True)
    x = conv(x, 3, 2, True)
    x = conv(x, 6, 2, True)
    for i in (9, 15, 21, 27, 33):
        x = x + conv(conv(x, i, 1, True), i + 3, 1, False)
    x = conv(up(up(x, 39), 42), 45, 1, False)
    x = style_ops.clip(ops.tanh(x) * np.float32(150) + np.float32(127.5), 0, 255)
    return np.clip(np.round(x[0, :h, :w]), 0, 255).astype(np.uint8)


def run_cpython(repeats: int, warmup: int) -> dict:
    import numpy as np

    from ml5py import StyleTransfer
    from ml5py.weights import registry
    from ml5py.models.style_transfer.checkpoint import read_checkpoint

    pixels = test_pixels()
    style = StyleTransfer(STYLE)
    checkpoint = read_checkpoint(registry.model_dir(registry.find_entry(STYLE, task="style-transfer")))
    variables = [checkpoint["Variable" if i == 0 else f"Variable_{i}"] for i in range(48)]
    mine, theirs = style.transfer(pixels).to_numpy(), numpy_reference(variables, pixels)
    max_diff = int(np.max(np.abs(mine.astype(int) - theirs.astype(int))))
    for _ in range(warmup - 1):
        style.transfer(pixels).to_numpy()
        numpy_reference(variables, pixels)
    ml5py, ref = [], []
    for r in range(repeats):
        for side in (("ml5py", "ref") if r % 2 == 0 else ("ref", "ml5py")):
            start = time.perf_counter()
            style.transfer(pixels).to_numpy() if side == "ml5py" else numpy_reference(variables, pixels)
            (ml5py if side == "ml5py" else ref).append((time.perf_counter() - start) * 1000)
    return {"ml5py": ml5py, "ref": ref, "maxDiff": max_diff, "tensors": None}


def run_browser(backends: list, repeats: int, webgl_repeats: int, warmup: int, progress) -> dict:
    from PIL import Image

    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from tests.browser import chromium, wait_for

    results = {}
    with tempfile.TemporaryDirectory(prefix="ml5py-style-bench-") as temporary:
        folder = Path(temporary) / "sketch"
        folder.mkdir()
        (folder / "sketch.py").write_text(SKETCH.replace("{style}", STYLE).lstrip(), encoding="utf-8")
        Image.fromarray(test_pixels()).save(folder / "frame.png")  # no colour profile: same pixels
        site = build(folder / "sketch.py", Path(temporary) / "site", models_url="models/")
        server = serve_in_background(site)
        try:
            with chromium() as driver:
                for backend in backends:
                    driver.get(url_of(server) + f"?backend={backend}")
                    wait_for(driver, "return window.ml5py && window.ml5py.lines.length >= 1", timeout=180)
                    plan = {"style": STYLE, "size": SIZE, "image": "frame.png",
                            "repeats": webgl_repeats if backend == "webgl" else repeats,
                            "warmup": min(warmup, 2) if backend == "webgl" else warmup}
                    driver.execute_script(HARNESS, plan)
                    seen = 0
                    while True:
                        state = driver.execute_script("return window.styleBench")
                        for line in state["log"][seen:]:
                            progress(line)
                        seen = len(state["log"])
                        if state["done"]:
                            break
                        time.sleep(0.5)
                    if state["error"]:
                        raise RuntimeError(f"The benchmark page failed on {backend}: {state['error']}")
                    if state["results"]["backend"] != backend:
                        raise RuntimeError(f"Asked for {backend}, the page ran {state['results']['backend']}")
                    results[backend] = state["results"]
        finally:
            server.shutdown()
            server.server_close()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", nargs="*", default=["wasm", "webgl"])
    parser.add_argument("--repeats", type=int, default=10, help="timed calls per side (CPython, wasm)")
    parser.add_argument("--webgl-repeats", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="numpy BLAS threads (default 1, as wasm)")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args(argv)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)  # before numpy is imported
    os.environ.setdefault("ML5PY_MODELS", str(REPO_DIR.parent / "shared" / "pretrained"))

    print(f"StyleTransfer '{STYLE}', {SIZE}x{SIZE} frame: median ms per frame, ml5py vs the same "
          f"network by hand, interleaved; load average {os.getloadavg()[0]:.1f}", flush=True)
    results = {"CPython numpy": run_cpython(args.repeats, args.warmup)}
    if args.backends:
        browser = run_browser(args.backends, args.repeats, args.webgl_repeats, args.warmup,
                              lambda line: print("  " + line, file=sys.stderr, flush=True))
        for backend, outcome in browser.items():
            results[f"browser {backend}"] = outcome

    print(f"{'row':<15} {'ml5py ms':>9} {'ref ms':>9} {'ratio':>6} {'paired':>7} {'target':>7} "
          f"{'n':>3} {'max diff':>8} {'numTensors':>11}")
    worst = 0.0
    for row, samples in results.items():
        mine, theirs = statistics.median(samples["ml5py"]), statistics.median(samples["ref"])
        paired = statistics.median(a / b for a, b in zip(samples["ml5py"], samples["ref"]))
        browser_row = row.startswith("browser")
        target = ("ok" if mine / theirs <= 1.10 else "MISSED") if browser_row else "-"
        if browser_row:
            worst = max(worst, mine / theirs)
        tensors = f"{samples['tensors'][0]}->{samples['tensors'][1]}" if samples["tensors"] else "-"
        print(f"{row:<15} {mine:>9.1f} {theirs:>9.1f} {mine / theirs:>6.2f} {paired:>7.2f} {target:>7} "
              f"{len(samples['ml5py']):>3} {samples['maxDiff']:>8} {tensors:>11}")
    if "browser wasm" in results:
        ratio = statistics.median(results["CPython numpy"]["ml5py"]) / statistics.median(
            results["browser wasm"]["ml5py"])
        print(f"CPython ml5py / wasm ml5py: {ratio:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0 if worst <= 1.10 else 1


if __name__ == "__main__":
    sys.exit(main())
