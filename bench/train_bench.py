"""Trainable head speed: milliseconds per training epoch on 100 examples, both runtimes.

    .venv/bin/python bench/train_bench.py                 # CPython and the browser (wasm), ~1 min
    .venv/bin/python bench/train_bench.py --no-browser    # CPython only

The examples are **embeddings, precomputed** (synthetic: 100 vectors of 768 non-negative
numbers around 3 class centres, like MobileNet's pooled features), so an epoch is the
head's work alone: ``Dense(100, relu) -> Dense(3, softmax)``, Adam (lr 0.001), batches of
16, 70 examples trained on and 30 checked (loss and accuracy) per epoch. Computing an
embedding is ``FeatureExtractor.infer``'s cost, measured by ``bench/run.py`` (MobileNet).

One epoch per timed call, ml5py and its reference interleaved call by call (ml5py, ref,
ref, ml5py...) so other load on the machine hits both alike; medians:

- CPython: ``model.train(1)`` vs a plain numpy reference of the same network (forward,
  backward, Adam written out here; the same 70/30 split, shuffled batches).
- Browser (headless Chromium, wasm, the same page): ``await model.train(1)`` of the sketch
  compiled by Transcrypt vs raw TF.js ``model.fit(x, y, {epochs: 1, batchSize: 16,
  validationData})`` of a ``tf.sequential`` with the same layers and optimiser.

Both sides continue training from call to call (the losses go down as they run). The
final validation accuracy of each side is printed as a check. numpy's BLAS threads are
capped at 1 unless ``--threads`` (wasm runs on one thread here).
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

SKETCH = """
# __pragma__ ('noopov')
from ml5py import FeatureExtractor


async def main():
    response = await fetch("train_bench.json")
    meta = await response.json()
    response = await fetch("train_bench.bin")
    buffer = await response.arrayBuffer()
    values = __new__(Float32Array(buffer))
    features = FeatureExtractor("MobileNet")
    await features.ready  # not loading in the background while we time
    model = features.classification({"epochs": 1})
    size = meta.dims
    for i in range(meta.count):
        model.add_image(values.subarray(i * size, (i + 1) * size), meta.labels[i])
    await model.train(1)
    window.bench_model = model
    window.bench_values = values
    window.bench_meta = meta
    print("ready")

main()
"""

# Runs in the page (execute_async_script): interleaved epochs of ml5py and raw TF.js.
HARNESS = """
const done = arguments[arguments.length - 1];
const plan = arguments[0];
(async () => {
  const model = window.bench_model, values = window.bench_values, meta = window.bench_meta;
  const d = meta.dims, names = [...new Set(meta.labels)];
  const rows = (indices) => tf.tensor2d(indices.flatMap((i) => Array.from(values.subarray(i * d, (i + 1) * d))),
                                        [indices.length, d]);
  const targets = (indices) => tf.oneHot(tf.tensor1d(indices.map((i) => names.indexOf(meta.labels[i])), 'int32'),
                                         names.length).toFloat();
  const xt = rows(meta.train), yt = targets(meta.train), xv = rows(meta.validation), yv = targets(meta.validation);
  const raw = tf.sequential({layers: [
    tf.layers.dense({units: 100, activation: 'relu', inputShape: [d]}),
    tf.layers.dense({units: names.length, activation: 'softmax'})]});
  raw.compile({optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy',
               metrics: ['accuracy']});
  const fit = () => raw.fit(xt, yt, {epochs: 1, batchSize: 16, shuffle: true, validationData: [xv, yv]});
  let last = null, rawLast = null;
  for (let i = 0; i < plan.warmup; i++) { last = await model.train(1); rawLast = await fit(); }
  const ml5py = [], ref = [];
  const before = tf.memory().numTensors;
  for (let r = 0; r < plan.repeats; r++) {
    const first = r % 2 === 0;
    let t0;
    if (!first) { t0 = performance.now(); rawLast = await fit(); ref.push(performance.now() - t0); }
    t0 = performance.now(); last = await model.train(1); ml5py.push(performance.now() - t0);
    if (first) { t0 = performance.now(); rawLast = await fit(); ref.push(performance.now() - t0); }
  }
  const after = tf.memory().numTensors;
  done({ml5py, ref, tensors: [before, after], accuracy: last.val_accuracy[0],
        refAccuracy: rawLast.history.val_acc ? rawLast.history.val_acc[0] : rawLast.history.val_accuracy[0],
        backend: tf.getBackend()});
})().catch((e) => done({error: String(e && e.stack || e)}));
"""


def make_data(count: int, dims: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 1, size=(3, dims))
    classes = np.arange(count) % 3
    values = np.clip(centres[classes] + 0.8 * rng.normal(size=(count, dims)), 0, 6).astype(np.float32)
    return values, [f"class {c}" for c in classes]


class NumpyReference:
    """The same network and training, written plainly in numpy (float32)."""

    def __init__(self, x, labels, train, validation, hidden=100, rate=0.001, batch=16, seed=1):
        import numpy as np

        names = list(dict.fromkeys(labels))
        self.x = np.asarray(x, np.float32)
        self.y = np.eye(len(names), dtype=np.float32)[[names.index(label) for label in labels]]
        self.train, self.validation, self.rate, self.batch = train, validation, rate, batch
        rng = np.random.default_rng(seed)
        limit1 = np.sqrt(6 / (x.shape[1] + hidden))
        limit2 = np.sqrt(6 / (hidden + len(names)))
        self.params = [rng.uniform(-limit1, limit1, (x.shape[1], hidden)).astype(np.float32),
                       np.zeros(hidden, np.float32),
                       rng.uniform(-limit2, limit2, (hidden, len(names))).astype(np.float32),
                       np.zeros(len(names), np.float32)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.rng = rng

    def forward(self, x):
        import numpy as np

        w1, b1, w2, b2 = self.params
        h = np.maximum(x @ w1 + b1, 0)
        z = h @ w2 + b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return h, e / e.sum(axis=1, keepdims=True)

    def epoch(self):
        import numpy as np

        order = self.rng.permutation(self.train)
        for start in range(0, len(order), self.batch):
            rows = order[start:start + self.batch]
            x, y = self.x[rows], self.y[rows]
            h, p = self.forward(x)
            dz = (p - y) / len(rows)
            dh = (dz @ self.params[2].T) * (h > 0)
            grads = [x.T @ dh, dh.sum(0), h.T @ dz, dz.sum(0)]
            self.t += 1
            for i, g in enumerate(grads):
                self.m[i] = 0.9 * self.m[i] + 0.1 * g
                self.v[i] = 0.999 * self.v[i] + 0.001 * g * g
                m_hat = self.m[i] / (1 - 0.9 ** self.t)
                v_hat = self.v[i] / (1 - 0.999 ** self.t)
                self.params[i] -= (self.rate * m_hat / (np.sqrt(v_hat) + 1e-7)).astype(np.float32)
        _, p = self.forward(self.x[self.validation])
        y = self.y[self.validation]
        loss = float(-np.mean(np.log(np.sum(p * y, axis=1) + 1e-12)))
        return loss, float(np.mean(p.argmax(1) == y.argmax(1)))


def split_of(values, labels):
    """ml5py's own 70/30 split of these examples (so both sides train on the same rows)."""
    from ml5py import FeatureExtractor
    from ml5py.core.seeded import SeededRandom

    model = FeatureExtractor("MobileNet").classification()
    for value, label in zip(values, labels):
        model.add_image(value, label)
    return model._split(SeededRandom(model.options["seed"] + 1))


def run_cpython(values, labels, split, repeats: int, warmup: int) -> dict:
    from ml5py import FeatureExtractor

    model = FeatureExtractor("MobileNet").classification()
    for value, label in zip(values, labels):
        model.add_image(value, label)
    reference = NumpyReference(values, labels, split[0], split[1])
    last = ref_last = None
    for _ in range(warmup):
        last, ref_last = model.train(1), reference.epoch()
    ml5py, ref = [], []
    for r in range(repeats):
        for side in ((0, 1) if r % 2 == 0 else (1, 0)):
            start = time.perf_counter()
            if side == 0:
                last = model.train(1)
            else:
                ref_last = reference.epoch()
            (ml5py if side == 0 else ref).append((time.perf_counter() - start) * 1000)
    return {"ml5py": ml5py, "ref": ref, "accuracy": last["val_accuracy"][0], "refAccuracy": ref_last[1]}


def run_browser(values, labels, split, repeats: int, warmup: int) -> dict:
    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from tests.browser import chromium, wait_for

    with tempfile.TemporaryDirectory(prefix="ml5py-train-bench-") as temporary:
        folder = Path(temporary) / "sketch"
        folder.mkdir()
        (folder / "sketch.py").write_text(SKETCH.lstrip(), encoding="utf-8")
        values.astype("<f4").tofile(folder / "train_bench.bin")
        (folder / "train_bench.json").write_text(json.dumps(
            {"count": len(values), "dims": values.shape[1], "labels": labels,
             "train": [int(i) for i in split[0]], "validation": [int(i) for i in split[1]]}))
        site = build(folder / "sketch.py", Path(temporary) / "site", models_url="models/")
        server = serve_in_background(site)
        try:
            with chromium() as driver:
                driver.get(url_of(server) + "?backend=wasm")
                wait_for(driver, "return window.ml5py && window.ml5py.lines.length >= 1", timeout=180)
                outcome = driver.execute_async_script(HARNESS, {"repeats": repeats, "warmup": warmup})
        finally:
            server.shutdown()
            server.server_close()
    if "error" in outcome:
        raise RuntimeError(f"The benchmark page failed: {outcome['error']}")
    return outcome


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--dims", type=int, default=768)
    parser.add_argument("--repeats", type=int, default=40, help="timed epochs per side")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="numpy BLAS threads (default 1)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args(argv)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)  # before numpy is imported
    if not os.environ.get("ML5PY_MODELS") and (REPO_DIR.parent / "shared" / "pretrained").is_dir():
        os.environ["ML5PY_MODELS"] = str(REPO_DIR.parent / "shared" / "pretrained")

    values, labels = make_data(args.examples, args.dims)
    split = split_of(values, labels)
    print(f"Training epochs: {args.examples} precomputed embeddings x {args.dims} numbers "
          f"({len(split[0])} trained on, {len(split[1])} checked), Dense(100, relu) -> Dense(3), "
          f"batch 16, Adam; {args.repeats} timed epochs per side (median ms per epoch); "
          f"load average {os.getloadavg()[0]:.1f}")
    results = {"cpython": run_cpython(values, labels, split, args.repeats, args.warmup)}
    if not args.no_browser:
        results["browser"] = run_browser(values, labels, split, args.repeats, args.warmup)

    rows = [("CPython (numpy)", "plain numpy", results["cpython"])]
    if "browser" in results:
        rows.append(("Browser (wasm)", "raw TF.js fit", results["browser"]))
    print(f"{'where':<18} {'ml5py ms':>9} {'reference':>14} {'ref ms':>8} {'ratio':>6} {'val acc':>8} {'ref acc':>8}")
    for where, reference, samples in rows:
        mine, theirs = statistics.median(samples["ml5py"]), statistics.median(samples["ref"])
        print(f"{where:<18} {mine:>9.2f} {reference:>14} {theirs:>8.2f} {mine / theirs:>6.2f} "
              f"{samples['accuracy']:>8.2f} {samples['refAccuracy']:>8.2f}")
    if "browser" in results:
        ratio = statistics.median(results["browser"]["ml5py"]) / statistics.median(results["cpython"]["ml5py"])
        before, after = results["browser"]["tensors"]
        print(f"browser ml5py / CPython ml5py: {ratio:.2f}; tf.memory().numTensors over the timed "
              f"epochs: {before} -> {after}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
