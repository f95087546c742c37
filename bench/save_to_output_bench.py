"""Save to new output in ``ml5py serve``, before and after.

Each side runs its own ``ml5py serve`` on its own copy of ``examples/classify_image``
(bird.jpg beside it), opened in one headless Chromium. A round saves a new version of the
sketch (its printed lines carry a new mark) and measures, from just before the file is
written, to the moment the reloaded page's callback runs (the sketch records ``Date.now()``
there): watcher + build + the page hearing of it + reload + model from the browser's cache +
classification. Then a broken save (a syntax error): until the page shows the build error
(a MutationObserver on the error box records the time), and the fix that follows. Sides
take turns (ABBA); ``ml5py build`` of the same sketch is timed too (after: from the cache).

    .venv/bin/python bench/save_to_output_bench.py --before /path/to/main-checkout --rounds 5
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from checkouts import REPO_DIR, SHARED, checkouts, environment, load_average, median, row, turns

EXAMPLE = REPO_DIR / "examples" / "classify_image" / "sketch.py"
PRINT_LINE = '        print(result["label"], round(result["confidence"], 3))\n'
WATCH_ERROR = """
window.bench_error_at = null;
var box = document.getElementById('ml5py-error');
new MutationObserver(function () {
  if (!box.hidden && box.textContent.indexOf('could not build') >= 0 && window.bench_error_at === null)
    window.bench_error_at = Date.now();
}).observe(box, {attributes: true, childList: true, characterData: true, subtree: true});
"""


def version(mark: str, broken: bool = False) -> str:
    """The example, printing ``mark`` first and noting when its callback ran."""
    source = EXAMPLE.read_text(encoding="utf-8")
    assert PRINT_LINE in source, "examples/classify_image changed: update the benchmark"
    source = source.replace(PRINT_LINE, PRINT_LINE.replace("print(", f'print("{mark}", ') +
                            f'    window.bench_output = ["{mark}", Date.now(), performance.now()]\n')
    if broken:
        source = source.replace("classifier = ImageClassifier(", "classifier = ImageClassifier((")
    return source


class Served:
    """One side's ``ml5py serve`` on its own copy of the example."""

    def __init__(self, side, work: Path) -> None:
        self.side = side
        self.folder = work / side.name
        self.folder.mkdir()
        shutil.copyfile(SHARED / "images" / "bird.jpg", self.folder / "bird.jpg")
        self.sketch = self.folder / "sketch.py"
        self.sketch.write_text(version("start"), encoding="utf-8")
        self.process = subprocess.Popen([side.python, "-m", "ml5py.tooling.cli", "serve", str(self.sketch),
                                         "--port", "0", "--backend", "wasm"], cwd=side.root,
                                        env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        first = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", first)
        if not match:
            self.process.kill()
            raise RuntimeError(f"{side.name}: ml5py serve printed {first!r}: {self.process.stderr.read()}")
        self.url = match.group(0)
        self.count = 0

    def save(self, source: str) -> float:
        started = time.time()
        self.sketch.write_text(source, encoding="utf-8")
        return started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wait(driver, script: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = driver.execute_script(script)
        except Exception:  # the page is reloading
            value = None
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"timed out waiting for {script}")


def output_after(driver, mark: str, started: float, results: dict, side: str) -> float:
    """Seconds from ``started`` to the page's new output; the split at the reload goes to ``results``."""
    got = wait(driver, f"return window.bench_output && window.bench_output[0] === '{mark}' && window.bench_output")
    reloaded = (got[1] - got[2]) / 1000.0  # the new page's navigation start
    results["  save to reload (watch, build, hear)"][side].append(reloaded - started)
    results["  reload to output"][side].append(got[2] / 1000.0)
    return got[1] / 1000.0 - started


def one_round(driver, served: Served, results: dict) -> None:
    side = served.side.name
    driver.get(served.url)
    wait(driver, "return window.bench_output && window.bench_output[1]")  # this page's output, warm
    time.sleep(0.3)
    served.count += 1
    mark = f"{side}{served.count}"
    started = served.save(version(mark))
    results["save to new output"][side].append(output_after(driver, mark, started, results, side))
    results["load during"][side].append(load_average())
    time.sleep(0.3)
    driver.execute_script(WATCH_ERROR)
    started = served.save(version(mark + "x", broken=True))
    results["broken save to its error"][side].append(wait(driver, "return window.bench_error_at") / 1000.0 - started)
    time.sleep(0.3)
    mark = f"{side}{served.count}fixed"
    started = served.save(version(mark))
    results["fix to new output"][side].append(output_after(driver, mark, started, {
        name: {side: []} for name in results}, side))


def build_times(sides, rounds: int, work: Path) -> dict:
    times = {side.name: [] for side in sides}
    for number, side in enumerate(turns(sides, rounds)):
        folder = work / f"build-{side.name}-{number}"
        folder.mkdir()
        (folder / "sketch.py").write_text(version(f"b{number}"), encoding="utf-8")
        shutil.copyfile(SHARED / "images" / "bird.jpg", folder / "bird.jpg")
        started = time.perf_counter()
        side.build(folder / "sketch.py", folder / "site")
        times[side.name].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="a checkout of the commit to compare with (set up with .ci/setup)")
    parser.add_argument("--rounds", type=int, default=5, help="saves per side (default 5)")
    args = parser.parse_args()
    from tests.browser import chromium

    sides = checkouts(args.before)
    print(f"load average at start: {load_average()}", flush=True)
    names = ["save to new output", "  save to reload (watch, build, hear)", "  reload to output",
             "broken save to its error", "fix to new output", "load during"]
    results = {name: {side.name: [] for side in sides} for name in names}
    with tempfile.TemporaryDirectory(prefix="ml5py-save-bench-") as temporary:
        work = Path(temporary)
        builds = build_times(sides, args.rounds, work)
        served = {side.name: Served(side, work) for side in sides}
        try:
            with chromium() as driver:
                for side in turns(sides, args.rounds):
                    one_round(driver, served[side.name], results)
                    print(f"  {side.name}: save {results['save to new output'][side.name][-1]:.3f} s, "
                          f"error {results['broken save to its error'][side.name][-1]:.3f} s, "
                          f"fix {results['fix to new output'][side.name][-1]:.3f} s "
                          f"(load {load_average()})", flush=True)
        finally:
            for one in served.values():
                one.stop()
    print(f"\nload average at end: {load_average()}")
    print(row("ml5py build (classify_image)", builds))
    for name in names[:5]:
        print(row(name, results[name]))
    print("target: save to new output <= 1.5 s, broken save to its error <= 0.7 s; "
          f"median after: {median(results['save to new output']['after']):.3f} s, "
          f"{median(results['broken save to its error']['after']):.3f} s")


if __name__ == "__main__":
    main()
