"""KNNClassifier speed: ms per classify with 1,000 stored examples of 768 numbers.

    .venv/bin/python bench/knn_bench.py                 # CPython and the browser, ~30 s
    .venv/bin/python bench/knn_bench.py --no-browser    # CPython only

Four columns, median milliseconds per ``classify`` (k=3) of the same queries, ml5py and its
reference interleaved call by call so that other load on the machine hits both alike:

- CPython: ``knn.classify(query)`` vs a plain numpy reference (rows normalised once, one
  matrix-vector product, ``argsort``, ``bincount``).
- Browser (headless Chromium, the same page): ``await knn.classify(query)`` of the sketch
  compiled by Transcrypt vs a hand-written JavaScript reference (Float32Array rows, norms
  computed once, a dot-product loop, sort, votes). Neither uses TF.js, so the backend
  does not matter.

The data (random float32, 10 labels) is the same in both runtimes; the decisions of all
four are compared at the end. numpy's BLAS threads are capped at 1 unless ``--threads``.
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
from ml5py import KNNClassifier


async def main():
    response = await fetch("knn_bench.json")
    meta = await response.json()
    response = await fetch("knn_bench.bin")
    buffer = await response.arrayBuffer()
    values = __new__(Float32Array(buffer))
    count = meta.count
    size = meta.dims
    knn = KNNClassifier()
    for i in range(count):
        knn.add_example(values.subarray(i * size, (i + 1) * size), meta.labels[i])
    queries = []
    for i in range(meta.queries):
        queries.append(values.subarray((count + i) * size, (count + i + 1) * size))
    window.bench_knn = knn
    window.bench_queries = queries
    window.bench_values = values
    window.bench_meta = meta
    print("ready")

main()
"""

# Runs in the page (execute_async_script): interleaved timing of ml5py and plain JavaScript.
HARNESS = """
const done = arguments[arguments.length - 1];
const plan = arguments[0];
(async () => {
  const knn = window.bench_knn, queries = window.bench_queries, values = window.bench_values;
  const meta = window.bench_meta, n = meta.count, d = meta.dims, k = plan.k;
  const labelNames = [...new Set(meta.labels)];
  const classes = Int32Array.from(meta.labels.map((l) => labelNames.indexOf(l)));
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += values[i * d + j] * values[i * d + j];
    norms[i] = Math.sqrt(s);
  }
  const order = Array.from({length: n}, (_, i) => i);
  function reference(q) {
    let qn = 0;
    for (let j = 0; j < d; j++) qn += q[j] * q[j];
    qn = Math.sqrt(qn);
    const sims = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      const base = i * d;
      for (let j = 0; j < d; j++) dot += values[base + j] * q[j];
      sims[i] = dot / (norms[i] * qn);
    }
    const nearest = order.slice().sort((a, b) => sims[b] - sims[a] || a - b).slice(0, k);
    const votes = new Array(labelNames.length).fill(0);
    for (const i of nearest) votes[classes[i]] += 1;
    return labelNames[votes.indexOf(Math.max(...votes))];
  }
  const ml5py = [], ref = [], labels = [], refLabels = [];
  for (let i = 0; i < queries.length; i++) {  // one pass for the decisions (and warm-up)
    labels.push((await knn.classify(queries[i], k)).label);
    refLabels.push(reference(queries[i]));
  }
  for (let r = 0; r < plan.repeats; r++) {
    const q = queries[r % queries.length];
    const first = r % 2 === 0;
    let t0, t1;
    if (!first) { t0 = performance.now(); reference(q); ref.push(performance.now() - t0); }
    t0 = performance.now(); await knn.classify(q, k); ml5py.push(performance.now() - t0);
    if (first) { t1 = performance.now(); reference(q); ref.push(performance.now() - t1); }
  }
  done({ml5py, ref, labels, refLabels, userAgent: navigator.userAgent});
})().catch((e) => done({error: String(e && e.stack || e)}));
"""


def make_data(count: int, dims: int, queries: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(10, dims))
    classes = rng.integers(10, size=count + queries)
    values = (centres[classes] + 2.0 * rng.normal(size=(count + queries, dims))).astype(np.float32)
    labels = [f"class {c}" for c in classes[:count]]
    return values[:count], labels, values[count:]


class NumpyReference:
    """Plain numpy KNN: normalised rows once, then one product, argsort and bincount per query."""

    def __init__(self, examples, labels):
        import numpy as np

        x = np.asarray(examples, dtype=np.float64)
        self.rows = x / np.linalg.norm(x, axis=1, keepdims=True)
        self.names = list(dict.fromkeys(labels))
        self.classes = np.array([self.names.index(label) for label in labels])

    def classify(self, query, k=3):
        import numpy as np

        q = np.asarray(query, dtype=np.float64)
        similarities = self.rows @ (q / np.linalg.norm(q))
        nearest = np.argsort(-similarities, kind="stable")[:k]
        votes = np.bincount(self.classes[nearest], minlength=len(self.names))
        return self.names[int(np.argmax(votes))]


def run_cpython(examples, labels, queries, repeats: int, k: int) -> dict:
    from ml5py import KNNClassifier

    knn = KNNClassifier()
    for example, label in zip(examples, labels):
        knn.add_example(example, label)
    reference = NumpyReference(examples, labels)
    decisions = [knn.classify(q, k).label for q in queries]  # also builds ml5py's index
    reference_decisions = [reference.classify(q, k) for q in queries]
    ml5py, ref = [], []
    for r in range(repeats):
        q = queries[r % len(queries)]
        for side in ((0, 1) if r % 2 == 0 else (1, 0)):
            start = time.perf_counter()
            knn.classify(q, k) if side == 0 else reference.classify(q, k)
            (ml5py if side == 0 else ref).append((time.perf_counter() - start) * 1000)
    return {"ml5py": ml5py, "ref": ref, "labels": decisions, "refLabels": reference_decisions}


def run_browser(values, labels, queries, repeats: int, k: int) -> dict:
    import numpy as np

    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of
    from tests.browser import chromium, wait_for

    with tempfile.TemporaryDirectory(prefix="ml5py-knn-bench-") as temporary:
        folder = Path(temporary) / "sketch"
        folder.mkdir()
        (folder / "sketch.py").write_text(SKETCH.lstrip(), encoding="utf-8")
        np.concatenate([values, queries]).astype("<f4").tofile(folder / "knn_bench.bin")
        (folder / "knn_bench.json").write_text(json.dumps(
            {"count": len(values), "dims": values.shape[1], "queries": len(queries), "labels": labels}))
        site = build(folder / "sketch.py", Path(temporary) / "site", models_url="models/")
        server = serve_in_background(site)
        try:
            with chromium() as driver:
                driver.get(url_of(server) + "?backend=wasm")
                wait_for(driver, "return window.ml5py && window.ml5py.lines.length >= 1", timeout=120)
                outcome = driver.execute_async_script(HARNESS, {"repeats": repeats, "k": k})
        finally:
            server.shutdown()
            server.server_close()
    if "error" in outcome:
        raise RuntimeError(f"The benchmark page failed: {outcome['error']}")
    return outcome


def median(samples: list) -> float:
    return statistics.median(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--dims", type=int, default=768)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=300, help="timed calls per side")
    parser.add_argument("-k", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="numpy BLAS threads (default 1)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args(argv)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)  # before numpy is imported

    values, labels, queries = make_data(args.examples, args.dims, args.queries)
    print(f"KNN classify: {args.examples} examples x {args.dims} numbers, k={args.k}, "
          f"{args.repeats} timed calls per side (median ms per classify); "
          f"load average {os.getloadavg()[0]:.1f}")
    results = {"cpython": run_cpython(values, labels, queries, args.repeats, args.k)}
    if not args.no_browser:
        results["browser"] = run_browser(values, labels, queries, args.repeats, args.k)

    rows = [("CPython", "numpy reference", results["cpython"])]
    if "browser" in results:
        rows.append(("Browser (Chromium)", "plain JS reference", results["browser"]))
    print(f"{'where':<20} {'ml5py ms':>9} {'reference':>20} {'ref ms':>8} {'ratio':>6}")
    for where, reference, samples in rows:
        mine, theirs = median(samples["ml5py"]), median(samples["ref"])
        print(f"{where:<20} {mine:>9.3f} {reference:>20} {theirs:>8.3f} {mine / theirs:>6.2f}")
    if "browser" in results:
        ratio = median(results["browser"]["ml5py"]) / median(results["cpython"]["ml5py"])
        print(f"browser ml5py / CPython ml5py: {ratio:.2f}")
        same = (results["cpython"]["labels"] == results["cpython"]["refLabels"]
                == results["browser"]["labels"] == results["browser"]["refLabels"])
    else:
        same = results["cpython"]["labels"] == results["cpython"]["refLabels"]
    print(f"decisions on {len(queries)} queries: {'the same everywhere' if same else 'DIFFERENT'}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
