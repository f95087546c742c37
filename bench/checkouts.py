"""Helpers for the before/after benchmarks: two checkouts, the machine's load.

"after" is this checkout. "before" is a second checkout of the commit to compare with,
set up with ``bash .ci/setup`` (its own .venv and node_modules), given as ``--before PATH``.
Each side runs its own ml5py (its .venv's Python, in its own folder); the benchmarks take
turns between the sides (before, after, after, before, ...) so that other work on the
machine hits both alike, and print ``uptime``'s load average beside every figure.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
SHARED = REPO_DIR.parent / "shared"
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))  # for tests/browser.py (the Selenium helpers)


@dataclass(frozen=True)
class Checkout:
    name: str   # "before" / "after"
    root: Path

    @property
    def python(self) -> str:
        return str(self.root / ".venv" / "bin" / "python")

    def run(self, *args: str, env: Optional[dict] = None, **kwargs) -> subprocess.CompletedProcess:
        """``python ARGS`` with this checkout's Python, in its folder, ML5PY_MODELS set."""
        return subprocess.run([self.python, *args], cwd=self.root, env=environment(env),
                              capture_output=True, text=True, **kwargs)

    def build(self, sketch: Path, out: Path, models_url: str = "models/") -> None:
        done = self.run("-m", "ml5py.tooling.cli", "build", str(sketch), "-o", str(out), "--models", models_url)
        if done.returncode != 0:
            raise RuntimeError(f"{self.name}: ml5py build failed:\n{done.stdout}\n{done.stderr}")


def environment(extra: Optional[dict] = None) -> dict:
    env = dict(os.environ)
    env.setdefault("ML5PY_MODELS", str(SHARED / "pretrained"))
    env.update(extra or {})
    return env


def checkouts(before: Optional[str]) -> List[Checkout]:
    """[before, after] (or [after] alone without ``--before``)."""
    sides = []
    if before:
        root = Path(before).resolve()
        if not (root / ".venv" / "bin" / "python").is_file():
            raise SystemExit(f"--before {root}: no .venv there; run `bash .ci/setup` in that checkout first")
        sides.append(Checkout("before", root))
    sides.append(Checkout("after", REPO_DIR))
    return sides


def turns(sides: List[Checkout], rounds: int) -> Iterator[Checkout]:
    """The sides in ABBA order, ``rounds`` times each."""
    for number in range(rounds):
        yield from (sides if number % 2 == 0 else list(reversed(sides)))


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` prints them."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux
        return "?"


def median(values: List[float]) -> float:
    return statistics.median(values) if values else float("nan")


def row(label: str, values_by_side: dict, unit: str = "s", digits: int = 3) -> str:
    """One line: median (min-max, n) per side, and after/before."""
    parts = []
    for side, values in values_by_side.items():
        if values:
            parts.append(f"{side} {median(values):.{digits}f} {unit} ({min(values):.{digits}f}-"
                         f"{max(values):.{digits}f}, n={len(values)})")
    ratio = ""
    if len(values_by_side) == 2 and all(values_by_side.values()):
        before, after = (median(v) for v in values_by_side.values())
        ratio = f"  after/before {after / before:.2f}" if before else ""
    return f"{label:34s} " + " | ".join(parts) + ratio


def build_sites(sides: List[Checkout], work: Path, sketch_source: str, assets: dict) -> dict:
    """Each side's ``ml5py build`` of one sketch (``assets``: file name -> Path beside it): name -> site."""
    import shutil

    sites = {}
    for side in sides:
        folder = work / f"{side.name}-sketch"
        folder.mkdir()
        (folder / "sketch.py").write_text(sketch_source, encoding="utf-8")
        for name, source in assets.items():
            shutil.copyfile(source, folder / name)
        side.build(folder / "sketch.py", work / f"{side.name}-site")
        sites[side.name] = work / f"{side.name}-site"
    return sites


def serve(site: Path):
    """This checkout's server for ``site`` (also /models/ from $ML5PY_MODELS), in the background."""
    os.environ.setdefault("ML5PY_MODELS", str(SHARED / "pretrained"))
    from ml5py.tooling.server import serve_in_background, url_of

    server = serve_in_background(site)
    return server, url_of(server)
