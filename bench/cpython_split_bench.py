"""CPython: decoding a photo, and where a classification's time goes, before and after
(no colour conversion for sRGB photos, a faster depthwise convolution, one BLAS thread).

Each side runs this file's ``measure`` in its own Python (its .venv, its ml5py), ``--rounds``
times in turns (ABBA), ``--repeats`` timed calls after warm-up each time:

- ``load_image``: ``bird.jpg`` (800 x 800, an sRGB profile) and ``kitten.jpg`` (Adobe RGB:
  converted on both sides);
- ``classify``: ``ImageClassifier(MODEL).classify(image)`` on the decoded photo, as shipped
  (each side's own thread setting);
- ``network``: the model's ``predict`` on the prepared batch inside ``rt.tidy``, as a
  classification runs it; ``depthwise``: the part of that spent in depthwise convolutions.

    .venv/bin/python bench/cpython_split_bench.py --before /path/to/main-checkout --rounds 4
"""
from __future__ import annotations

import argparse
import inspect
import json
import sys
from pathlib import Path

from checkouts import SHARED, checkouts, load_average, row, turns


def measure(model_name: str, repeats: int, images: str) -> dict:
    """Run inside one side's Python: the medians, in milliseconds."""
    import statistics
    import time

    import ml5py
    from ml5py import ImageClassifier, load_image, rt
    from ml5py.models.image_classifier.image_classifier import model_input
    from ml5py.numpy_executor import layer_builders

    def timed(work, count=repeats, warmup=2):
        for _ in range(warmup):
            work()
        times = []
        for _ in range(count):
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    out = {"where": ml5py.__file__,
           "load_image bird.jpg (sRGB)": timed(lambda: load_image(f"{images}/bird.jpg")),
           "load_image kitten.jpg (Adobe RGB)": timed(lambda: load_image(f"{images}/kitten.jpg"))}
    classifier = ImageClassifier(model_name)
    image = load_image(f"{images}/bird.jpg")
    out["classify"] = timed(lambda: classifier.classify(image))
    batch = model_input(classifier.source, classifier.model, image)
    out["network"] = timed(lambda: rt.tidy(lambda: rt.predict(classifier.model, batch)))
    # where depthwise convolution lives: after, its own module; before, numpy_executor.ops
    owner = layer_builders if hasattr(layer_builders, "depthwise_conv2d") else layer_builders.ops
    original, spent = owner.depthwise_conv2d, [0.0]

    def counted(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    owner.depthwise_conv2d = counted
    rt.tidy(lambda: rt.predict(classifier.model, batch))  # the layers' closures now call it
    spent[0] = 0.0
    for _ in range(repeats):
        rt.tidy(lambda: rt.predict(classifier.model, batch))
    out["  depthwise (mean)"] = spent[0] * 1000 / repeats
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="a checkout of the commit to compare with (set up with .ci/setup)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--model", default="MobileNet")
    args = parser.parse_args()
    # One side's run: ``measure`` in that side's Python, started in its folder, so that
    # ``import ml5py`` finds that side's ml5py (and nothing of this checkout).
    code = (inspect.getsource(measure) + "\nimport json\n"
            f"print(json.dumps(measure({args.model!r}, {args.repeats}, {str(SHARED / 'images')!r})))\n")
    sides = checkouts(args.before)
    print(f"load average at start: {load_average()}", flush=True)
    results: dict = {}
    for side in turns(sides, args.rounds):
        done = side.run("-c", code, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"{side.name}: {done.stderr}")
        got = json.loads(done.stdout.strip().splitlines()[-1])
        where = Path(got.pop("where")).resolve()
        if side.root not in where.parents:
            raise RuntimeError(f"{side.name} ran the ml5py in {where}, not its own")
        for name, value in got.items():
            results.setdefault(name, {s.name: [] for s in sides})[side.name].append(value)
        print(f"  {side.name}: " + ", ".join(f"{k.strip()} {v:.1f}" for k, v in got.items()) +
              f" ms (load {load_average()})", flush=True)
    print(f"\nload average at end: {load_average()}")
    print(f"CPython, {args.model}, bird.jpg, ms (median of {args.repeats} per run):")
    for name, values in results.items():
        print(row(name, values, unit="ms", digits=1))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
