"""First result on a cold and a warm page, before and after.

Each side builds the same sketch with its own ``ml5py build``: ``ImageClassifier(MODEL)``
classifying ``bird.jpg`` (an 800 x 800 photo), wasm backend; both sites are served on
loopback by this checkout's server (weights under ``/models/`` from ``$ML5PY_MODELS``).
**cold**: a new headless Chromium with a new profile (empty HTTP and Cache API caches)
opens the page at once; **settled**: the same in another new Chromium, after it has had
``--settle`` seconds on ``about:blank`` (a starting Chromium renders its own WebUI pages, the
omnibox popup and the new tab page, in other renderers: about 0.7 s of CPU on this 2-core machine
during a page's first second, which a learner's running browser no longer spends);
**warm**: the first browser opens the page again (weights from the Cache API).
The figure is the page's ``performance.now()`` when the result callback runs (milliseconds
since navigation started); the table also shows when ``model.json`` was requested, how
big ``ml5py-config.js`` is, and the page's own User Timing marks (``ml5py: ...``: the
backend ready, the weights downloaded, the model built; a side without them shows nan). Sides take turns (ABBA), a fresh browser each cold run.

    .venv/bin/python bench/cold_start_bench.py --before /path/to/main-checkout --rounds 5
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from checkouts import SHARED, build_sites, checkouts, load_average, row, serve, turns

SKETCH = """
# __pragma__ ('noopov')
from ml5py import ImageClassifier, load_image

def got_results(results, error):
    window.bench_first = [performance.now(), str(error) if error else results[0]["label"]]

classifier = ImageClassifier("{model}")
classifier.classify(load_image("bird.jpg"), got_results)
"""

TIMINGS = """
var model = performance.getEntriesByType('resource').filter(function (e) { return /model\\.json$/.test(e.name); })[0];
var marks = {};
performance.getEntriesByType('mark').forEach(function (m) {
  var end = /^ml5py: .*?(MARKS)$/.exec(m.name);
  if (end) marks[end[1]] = m.startTime;
});
return {first: window.bench_first, model_json: model ? model.startTime : null, marks: marks};
"""

KINDS = ("cold", "settled", "warm")
MARKS = ["weights downloaded", "backend ready", "built"]  # (how the page's "ml5py: ..." marks end)
TIMINGS = TIMINGS.replace("MARKS", "|".join(MARKS))


def first_result(driver, url: str) -> dict:
    driver.get(url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        got = driver.execute_script(TIMINGS)
        if got["first"]:
            return got
        time.sleep(0.05)
    raise RuntimeError(f"no result on {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="a checkout of the commit to compare with (set up with .ci/setup)")
    parser.add_argument("--rounds", type=int, default=5, help="cold starts per side (default 5)")
    parser.add_argument("--model", default="Darknet-tiny")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds a settled browser waits first (default 3)")
    args = parser.parse_args()
    from tests.browser import chromium

    sides = checkouts(args.before)
    print(f"load average at start: {load_average()}", flush=True)
    names = []
    for kind in KINDS:
        names += [f"{kind} first result", f"  {kind}: model.json requested"]
        names += [f"  {kind}: {mark}" for mark in MARKS]
    results = {name: {side.name: [] for side in sides} for name in names}
    with tempfile.TemporaryDirectory(prefix="ml5py-cold-bench-") as temporary:
        sites = build_sites(sides, Path(temporary), SKETCH.format(model=args.model),
                            {"bird.jpg": SHARED / "images" / "bird.jpg"})
        servers = {name: serve(site) for name, site in sites.items()}
        try:
            for side in turns(sides, args.rounds):
                url = servers[side.name][1] + "?backend=wasm"
                with chromium() as driver:
                    cold = first_result(driver, url)
                    driver.get("about:blank")
                    warm = first_result(driver, url)
                with chromium() as driver:
                    driver.get("about:blank")
                    time.sleep(args.settle)
                    settled = first_result(driver, url)
                assert cold["first"][1] == warm["first"][1] == settled["first"][1] == "robin", (cold, warm, settled)
                for kind, got in (("cold", cold), ("settled", settled), ("warm", warm)):
                    results[f"{kind} first result"][side.name].append(got["first"][0])
                    results[f"  {kind}: model.json requested"][side.name].append(got["model_json"] or float("nan"))
                    for mark in MARKS:
                        results[f"  {kind}: {mark}"][side.name].append(got["marks"].get(mark, float("nan")))
                print(f"  {side.name}: cold {cold['first'][0]:.0f} ms (model.json at {cold['model_json']:.0f}), "
                      f"settled {settled['first'][0]:.0f} ms, "
                      f"warm {warm['first'][0]:.0f} ms (load {load_average()})", flush=True)
        finally:
            for server, _ in servers.values():
                server.shutdown()
        sizes = {name: (site / "ml5py-config.js").stat().st_size for name, site in sites.items()}
    print(f"\nload average at end: {load_average()}")
    print(f"{args.model}, bird.jpg, wasm, loopback; ml5py-config.js: " +
          ", ".join(f"{name} {size / 1000:.1f} kB" for name, size in sizes.items()))
    for name in names:
        print(row(name, results[name], unit="ms", digits=0))
    print("target: cold first result <= 700 ms for Darknet-tiny on loopback (empty caches: cold and settled)")


if __name__ == "__main__":
    main()
