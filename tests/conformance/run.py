"""Run the conformance suite outside pytest and print the counts (``python tests/conformance/run.py``).

Builds every group once, opens each in one headless Chromium (wasm backend) and prints,
per group, how many cases print the same, how many differ as the README's table says, and
how many differ unexpectedly (named). ``-v`` shows each unexpected difference.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import harness  # noqa: E402
from known_differences import DIFFERENCES  # noqa: E402


def main() -> int:
    from browser import chromium
    from ml5py.tooling.server import url_of

    verbose = "-v" in sys.argv
    totals = {"same": 0, "expected": 0, "unexpected": 0}
    with tempfile.TemporaryDirectory(prefix="ml5py-conformance-") as folder, chromium() as driver:
        for group, outcome in harness.run_groups(Path(folder), driver, url_of):
            for name, (python, browser) in outcome.items():
                key = f"{group}.{name}"
                kind = harness.classify(key, python, browser, DIFFERENCES)
                totals[kind] += 1
                if kind == "unexpected":
                    print(f"  differs: {key}" + (f"\n    python:  {python}\n    browser: {browser}" if verbose else ""))
    print(f"conformance: {sum(totals.values())} cases: {totals['same']} print the same, "
          f"{totals['expected']} known differences, {totals['unexpected']} unexpected differences")
    return 0 if totals["unexpected"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
