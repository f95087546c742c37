"""NeuralNetwork speed: ms per training epoch and per classify call, ml5py vs ml5.js 1.4.0.

    .venv/bin/python bench/neural_network_bench.py                  # CPython, wasm and webgl (~3 min)
    .venv/bin/python bench/neural_network_bench.py --backends wasm  # quicker
    .venv/bin/python bench/neural_network_bench.py --backends       # CPython only

The data is a pose classifier's: 1,000 examples of 34 numbers (17 keypoints' x and y, in
pixels, around three poses) and 3 labels, normalized. Both sides use ml5.js's defaults:
``Dense(16, relu) -> Dense(3, softmax)``, SGD with learning rate 0.2, batches of 32,
``validation_split`` 0.1 (900 examples trained on, 100 checked after each epoch).

- CPython: ``nn.train(epochs=1)`` (its median ms per epoch), ``nn.classify(row)``.
- Browser (headless Chromium, the same page and backend): ml5py's ``await
  nn.train(epochs=1)`` against ml5.js 1.4.0's ``nn.train({epochs: 1}, done)`` on the same
  data, interleaved call by call (ml5py, ml5.js, ml5.js, ml5py...) so that other load hits
  both alike; also 10-epoch calls (``train(epochs=10)``, per epoch), which spread the
  per-call work (turning the examples into tensors) over the epochs. Then ``classify``
  (awaited) and ``classify_sync`` one example at a time, against ml5.js's
  ``classify`` and ``classifySync``: what a ``draw()`` frame pays.

The ratio is ml5py's median / ml5.js's median; target: at most 1.0 for an epoch. The load
average (``uptime``) is printed before and after: the machine is small and shared.
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
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))  # for tests/browser.py (the Selenium helpers)
ML5JS = REPO_DIR / "node_modules" / "ml5" / "dist" / "ml5.min.js"

SKETCH = """
from ml5py import NeuralNetwork


async def main():
    response = await fetch("bench.json")
    data = await response.json()
    nn = NeuralNetwork(task="classification")
    for index in range(len(data.rows)):
        nn.add_data(data.rows[index], [data.labels[index]])
    nn.normalize_data()
    await nn.train(epochs=1)

    async def train(epochs):
        await nn.train(epochs=epochs)

    async def classify(row):
        return await nn.classify(row)

    window.bench_train = train
    window.bench_classify = classify
    window.bench_classify_sync = lambda row: nn.classify_sync(row)
    print("ready")

main()
"""

# Runs in the page; started by execute_script, polled through window.bench_state.
HARNESS = """
const plan = arguments[0];
window.bench_state = null;
const script = document.createElement('script');
script.src = 'ml5.min.js';
script.onload = async () => {
  try {
    const data = await (await fetch('bench.json')).json();
    const nn = ml5.neuralNetwork({task: 'classification'});
    data.rows.forEach((row, i) => nn.addData(row, [data.labels[i]]));
    nn.normalizeData();
    const ml5train = (epochs) => new Promise((resolve) => nn.train({epochs, batchSize: 32, validationSplit: 0.1}, resolve));
    await ml5train(1);
    await window.bench_train(1);
    const timed = async (work) => { const t0 = performance.now(); await work(); return performance.now() - t0; };
    const out = {epoch: {ml5py: [], ml5js: []}, ten: {ml5py: [], ml5js: []}, classify: {ml5py: [], ml5js: []},
                 sync: {ml5py: [], ml5js: []}};
    const before = tf.memory().numTensors;
    for (const [key, epochs, repeats] of [['epoch', 1, plan.repeats], ['ten', 10, plan.tenRepeats]]) {
      for (let r = 0; r < repeats; r++) {
        const order = r % 2 === 0 ? ['ml5py', 'ml5js'] : ['ml5js', 'ml5py'];
        for (const side of order) {
          const ms = await timed(() => side === 'ml5py' ? window.bench_train(epochs) : ml5train(epochs));
          out[key][side].push(ms / epochs);
        }
      }
    }
    const row = data.rows[0];
    for (let r = 0; r < plan.calls; r++) {
      const order = r % 2 === 0 ? ['ml5py', 'ml5js'] : ['ml5js', 'ml5py'];
      for (const side of order) {
        out.classify[side].push(await timed(() => side === 'ml5py' ? window.bench_classify(row) : nn.classify(row)));
        const t0 = performance.now();
        if (side === 'ml5py') window.bench_classify_sync(row); else nn.classifySync(row);
        out.sync[side].push(performance.now() - t0);
      }
    }
    out.tensors = [before, tf.memory().numTensors];
    out.backend = tf.getBackend();
    out.answers = [await window.bench_classify(row), await nn.classify(row)];
    window.bench_state = out;
  } catch (error) { window.bench_state = {error: String(error && error.stack || error)}; }
};
document.head.appendChild(script);
"""


def make_data(count: int = 1000, seed: int = 0):
    """Pose-like rows: 17 keypoints (x, y) in pixels around three poses, with the pose's name."""
    import numpy as np

    rng = np.random.default_rng(seed)
    poses = rng.uniform(100, 540, size=(3, 34))
    classes = np.arange(count) % 3
    rows = np.round(poses[classes] + rng.normal(0, 40, size=(count, 34)), 1)
    return rows.tolist(), [["stand", "squat", "star"][c] for c in classes]


def uptime() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def run_cpython(rows, labels, repeats: int, calls: int) -> dict:
    from ml5py import NeuralNetwork

    nn = NeuralNetwork(task="classification")
    for row, label in zip(rows, labels):
        nn.add_data(row, [label])
    nn.normalize_data()
    nn.train(epochs=1)
    epoch, ten, classify = [], [], []
    for _ in range(repeats):
        start = time.perf_counter()
        history = nn.train(epochs=1)
        epoch.append((time.perf_counter() - start) * 1000)
    for _ in range(max(2, repeats // 4)):
        start = time.perf_counter()
        nn.train(epochs=10)
        ten.append((time.perf_counter() - start) * 100)
    for _ in range(calls):
        start = time.perf_counter()
        nn.classify(rows[0])
        classify.append((time.perf_counter() - start) * 1000)
    return {"epoch": epoch, "ten": ten, "classify": classify, "val_acc": history["val_acc"][-1]}


def run_browser(rows, labels, backend: str, repeats: int, calls: int) -> dict:
    from ml5py.build import build
    from ml5py.server import serve_in_background, url_of
    from tests.browser import chromium, wait_for

    with tempfile.TemporaryDirectory(prefix="ml5py-nn-bench-") as temporary:
        folder = Path(temporary) / "sketch"
        folder.mkdir()
        (folder / "sketch.py").write_text(SKETCH.lstrip(), encoding="utf-8")
        (folder / "bench.json").write_text(json.dumps({"rows": rows, "labels": labels}))
        (folder / "ml5.min.js").write_bytes(ML5JS.read_bytes())
        site = build(folder / "sketch.py", Path(temporary) / "site", models_url="models/")
        server = serve_in_background(site)
        try:
            with chromium() as driver:
                driver.get(url_of(server) + "?backend=" + backend)
                wait_for(driver, "return window.ml5py && window.ml5py.lines.length >= 1", timeout=300)
                plan = {"repeats": repeats, "tenRepeats": max(2, repeats // 4), "calls": calls}
                driver.execute_script(HARNESS, plan)
                outcome = wait_for(driver, "return window.bench_state", timeout=1800, interval=1)
        finally:
            server.shutdown()
            server.server_close()
    if "error" in outcome:
        raise RuntimeError(f"The benchmark page failed: {outcome['error']}")
    return outcome


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", nargs="*", default=["wasm", "webgl"])
    parser.add_argument("--repeats", type=int, default=20, help="timed 1-epoch calls per side (wasm)")
    parser.add_argument("--webgl-repeats", type=int, default=8)
    parser.add_argument("--calls", type=int, default=100, help="timed classify calls per side")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args(argv)
    if not ML5JS.is_file() and args.backends:
        raise SystemExit(f"ml5.js 1.4.0 is not installed ({ML5JS}): run npm ci (bash .ci/setup).")
    rows, labels = make_data()
    print("NeuralNetwork: 1000 examples x 34 inputs, 3 labels; Dense(16, relu) -> Dense(3, softmax), SGD 0.2, "
          f"batches of 32, validation_split 0.1; median ms. Before: {uptime()}")
    results = {"cpython": run_cpython(rows, labels, args.repeats, args.calls)}
    cpython = results["cpython"]
    print(f"{'where':<16} {'ml5py':>9} {'ml5.js':>9} {'ratio':>6}   (ms per epoch; per epoch of 10; per classify)")
    print(f"{'CPython':<16} {statistics.median(cpython['epoch']):>9.2f} {'':>9} {'':>6}   epoch"
          f"\n{'':<16} {statistics.median(cpython['ten']):>9.2f} {'':>9} {'':>6}   epoch of 10"
          f"\n{'':<16} {statistics.median(cpython['classify']):>9.3f} {'':>9} {'':>6}   classify "
          f"(val acc {cpython['val_acc']:.2f})")
    for backend in args.backends:
        repeats = args.webgl_repeats if backend == "webgl" else args.repeats
        outcome = run_browser(rows, labels, backend, repeats, args.calls if backend == "wasm" else args.calls // 4)
        results[backend] = outcome
        for key, what in [("epoch", "epoch"), ("ten", "epoch of 10"), ("classify", "classify (awaited)"),
                          ("sync", "classify_sync")]:
            mine, theirs = statistics.median(outcome[key]["ml5py"]), statistics.median(outcome[key]["ml5js"])
            print(f"{'browser ' + outcome['backend'] if key == 'epoch' else '':<16} {mine:>9.2f} {theirs:>9.2f} "
                  f"{mine / theirs:>6.2f}   {what}")
        print(f"{'':<16} numTensors {outcome['tensors'][0]} -> {outcome['tensors'][1]}; top answer ml5py "
              f"{outcome['answers'][0][0]['label']}, ml5.js {outcome['answers'][1][0]['label']}")
    print(f"After: {uptime()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
