"""Classifying one unchanged photo again and again, before and after.

Each side builds the same sketch with its own ``ml5py build``: one ``ImageClassifier`` per
model and one ``<img>`` of ``bird.jpg`` (800 x 800). On the page, after warm-up calls,
``await classifier.classify(img)`` is timed ``--repeats`` times per model; and, for the
share of it that reading the pixels took, ``tf.browser.fromPixels`` of that photo alone.
Before, every call read the photo's pixels again (drawn on a canvas and read back on
wasm); after, they are read once. Also timed: each repeat, the same photo in a new ``<img>``
(read again: the cost of a still's first read), and each model's first classify on the page. Sides take turns (ABBA), a fresh browser for each page.

    .venv/bin/python bench/still_picture_bench.py --before /path/to/main-checkout --rounds 3
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from checkouts import SHARED, build_sites, checkouts, load_average, row, serve, turns

SKETCH = """
# __pragma__ ('noopov')
from ml5py import ImageClassifier

window.bench_classifiers = {{}}
for name in "{models}".js_split(","):
    window.bench_classifiers[name] = ImageClassifier(name)
image = document.createElement("img")
image.src = "bird.jpg"
window.bench_image = image
"""

HARNESS = """
var done = arguments[arguments.length - 1];
var repeats = arguments[0], warmup = arguments[1], names = Object.keys(window.bench_classifiers);
var out = {};
function median(values) { values = values.slice().sort(function (a, b) { return a - b; }); return values[Math.floor(values.length / 2)]; }
async function run() {
  for (var n = 0; n < names.length; n++) {
    var classifier = window.bench_classifiers[names[n]];
    await classifier.ready;
    for (var i = 0; i < warmup; i++) {
      var start = performance.now();
      await classifier.classify(window.bench_image);
      if (i == 0) out[names[n] + " first"] = performance.now() - start;
    }
    var times = [], fresh = [];
    for (var i = 0; i < repeats; i++) {
      var start = performance.now();
      await classifier.classify(window.bench_image);
      times.push(performance.now() - start);
      var other = document.createElement("img");  // the same photo in a new element: read again
      other.src = "bird.jpg";
      await other.decode();
      start = performance.now();
      await classifier.classify(other);
      fresh.push(performance.now() - start);
    }
    out[names[n]] = median(times);
    out[names[n] + " new"] = median(fresh);
  }
  var reads = [];
  for (var i = 0; i < repeats; i++) {
    var start = performance.now();
    var pixels = tf.browser.fromPixels(window.bench_image);
    reads.push(performance.now() - start);
    pixels.dispose();
  }
  out.fromPixels = median(reads);
  return out;
}
run().then(done, function (error) { done({error: String(error)}); });
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="a checkout of the commit to compare with (set up with .ci/setup)")
    parser.add_argument("--rounds", type=int, default=3, help="pages per side (default 3)")
    parser.add_argument("--models", default="DoodleNet,MobileNet")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    from tests.browser import chromium

    sides = checkouts(args.before)
    models = args.models.split(",")
    print(f"load average at start: {load_average()}", flush=True)
    measures = [f"{name}{kind}" for name in models for kind in ("", " new", " first")] + ["fromPixels"]
    results = {name: {side.name: [] for side in sides} for name in measures}
    with tempfile.TemporaryDirectory(prefix="ml5py-still-bench-") as temporary:
        sites = build_sites(sides, Path(temporary), SKETCH.format(models=args.models),
                            {"bird.jpg": SHARED / "images" / "bird.jpg"})
        servers = {name: serve(site) for name, site in sites.items()}
        try:
            for side in turns(sides, args.rounds):
                with chromium() as driver:
                    driver.get(servers[side.name][1] + "?backend=wasm")
                    deadline = time.monotonic() + 60
                    while not driver.execute_script("return !!window.bench_classifiers") and time.monotonic() < deadline:
                        time.sleep(0.1)
                    got = driver.execute_async_script(HARNESS, args.repeats, args.warmup)
                if "error" in got:
                    raise RuntimeError(f"{side.name}: {got['error']}")
                for name in results:
                    results[name][side.name].append(got[name])
                print(f"  {side.name}: " + ", ".join(f"{name} {got[name]:.1f} ms" for name in results) +
                      f" (load {load_average()})", flush=True)
        finally:
            for server, _ in servers.values():
                server.shutdown()
    print(f"\nload average at end: {load_average()}")
    print(f"ms per classify of one unchanged <img> (bird.jpg, 800 x 800), wasm, median of {args.repeats} per page:")
    for name in models:
        print(row(f"classify, {name}", results[name], unit="ms", digits=1))
        print(row(f"  a new <img> of it each time", results[name + " new"], unit="ms", digits=1))
        print(row(f"  the page's first classify", results[name + " first"], unit="ms", digits=1))
    print(row("tf.browser.fromPixels alone", results["fromPixels"], unit="ms", digits=1))


if __name__ == "__main__":
    main()
