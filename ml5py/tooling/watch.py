"""Rebuild on save for ``ml5py serve``: watch the sketch's folder, rebuild, switch atomically.

The watcher is a plain polling thread (standard library only): every tenth of a second it
compares the size and modification time of the sketch and the files beside it. After a
change has settled, the sketch is built into a *new* folder (the library comes compiled from
the build cache, ``compile_cache.py``, so only the sketch is compiled); only a finished build
is handed to the server (:meth:`ml5py.tooling.server.LiveSite.publish`), which tells the
waiting pages at once, so a page never loads half a site.
A failed build keeps the last good site and reports the error, which the page shows in its
error box; the next save that fixes it reloads the page.
"""
from __future__ import annotations

import html
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple

from ml5py.tooling.build import WEB_DIR, BuildError, build
from ml5py.tooling.server import LiveSite
from ml5py.tooling.site_files import SITE_MARKER, is_private, write_manifest

MAX_WATCHED_FILES = 2000  # a sketch saved in a huge folder: watch only the first ones

Snapshot = Dict[str, Tuple[int, int]]


def snapshot(sketch: Path) -> Snapshot:
    """(mtime, size) of the sketch and what sits beside it, as the build would copy it."""
    files: Snapshot = {}

    def visit(folder: Path, depth: int) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for item in entries:
            if len(files) >= MAX_WATCHED_FILES:
                return
            try:
                is_folder = item.is_dir()
                if item.name.startswith(".") or (is_folder and is_private(item.name, True)):
                    continue  # (Python files stay watched: a sketch may come to import them)
                if is_folder:
                    if depth < 4 and not (item / SITE_MARKER).exists():
                        visit(item, depth + 1)
                    continue
                stat = item.stat()
            except OSError:
                continue  # removed while we looked
            files[str(item)] = (stat.st_mtime_ns, stat.st_size)

    try:
        stat = sketch.stat()
        files[str(sketch)] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        files[str(sketch)] = (-1, -1)
    visit(sketch.parent, 0)
    return files


def error_page(folder: Path, sketch: Path) -> Path:
    """A stand-in site for when the first build fails: just the page and its error box."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("ml5py-page.js", "ml5py-page.css"):
        shutil.copy2(WEB_DIR / name, folder / name)
    title = html.escape(sketch.stem)
    (folder / "index.html").write_text(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
        f"  <title>{title} - ml5py</title>\n  <link rel=\"icon\" href=\"data:,\">\n"
        "  <link rel=\"stylesheet\" href=\"ml5py-page.css\">\n"
        "  <script src=\"ml5py-page.js\"></script>\n</head>\n<body>\n"
        f"  <header><strong>{title}</strong> <span class=\"by\">an ml5py sketch</span></header>\n"
        "  <div id=\"ml5py-status\" role=\"status\">The sketch did not build yet.</div>\n"
        "  <pre id=\"ml5py-output\" aria-live=\"polite\"></pre>\n"
        "  <div id=\"ml5py-error\" role=\"alert\" hidden></div>\n</body>\n</html>\n",
        encoding="utf-8")
    write_manifest(folder)
    return folder


class LiveBuilder:
    """Builds ``sketch`` into numbered folders under ``work`` and publishes each result."""

    def __init__(self, sketch: Path, work: Path, log: Callable[[str], None] = print,
                 **build_options) -> None:
        self.sketch = Path(sketch).resolve()
        self.work = Path(work)
        self.options = build_options
        self.log = log
        self.count = 0
        self.details = ""  # the compiler's raw report for the last failed build
        self.live: Optional[LiveSite] = None
        self._lock = threading.Lock()  # one build at a time

    def build(self) -> Optional[str]:
        """Build now; returns the error text, or None when the new site is being served."""
        with self._lock:
            self.count += 1
            out = self.work / f"site-{self.count}"
            try:
                build(self.sketch, out, **self.options)
                error = None
            except BuildError as problem:
                error = str(problem)
                self.details = problem.details
            except Exception as problem:  # keep serving whatever went wrong
                error = f"{type(problem).__name__}: {problem}"
            if error is not None:
                shutil.rmtree(out, ignore_errors=True)
                if self.live is None:  # nothing good to show yet: a page with the error box
                    self.live = LiveSite(error_page(self.work / "site-error", self.sketch))
                self.live.publish(error=error)
                return error
            if self.live is None:
                self.live = LiveSite(out)
            self.live.publish(root=out)
            self._clean_up(keep={out.name, self.live.root.name})
            return None

    def _clean_up(self, keep: set) -> None:
        """Remove builds older than the previous one (requests may still read that one)."""
        folders = sorted((f for f in self.work.glob("site-*") if f.name not in keep and f.is_dir()),
                         key=lambda f: f.stat().st_mtime)
        for folder in folders[:-1]:
            shutil.rmtree(folder, ignore_errors=True)


class Watcher(threading.Thread):
    """Looks at the sketch's folder every ``interval`` seconds; calls ``on_change()`` once
    edits have settled (the same files for ``settle`` seconds).

    A save is noticed within about ``interval + settle`` (0.15 s). Looking costs a few
    hundred microseconds for a sketch's folder; in a folder of thousands of files the pause
    grows so that looking takes at most a tenth of the time.
    """

    def __init__(self, sketch: Path, on_change: Callable[[], None], interval: float = 0.1,
                 settle: float = 0.05) -> None:
        super().__init__(name="ml5py-watch", daemon=True)
        self.sketch = Path(sketch).resolve()
        self.on_change = on_change
        self.interval = interval
        self.settle = settle
        self._stopping = threading.Event()
        self._last = snapshot(self.sketch)
        self._cost = 0.0  # seconds the last look took

    def _look(self) -> Snapshot:
        started = time.monotonic()
        files = snapshot(self.sketch)
        self._cost = time.monotonic() - started
        return files

    def run(self) -> None:
        while not self._stopping.wait(max(self.interval, 10 * self._cost)):
            current = self._look()
            if current == self._last:
                continue
            for _ in range(40):  # an editor may write in steps: wait until it is quiet
                time.sleep(max(self.settle, self._cost))
                settled = self._look()
                if settled == current:
                    break
                current = settled
            self._last = current
            try:
                self.on_change()
            except Exception as error:  # never let the watcher die
                print(f"ml5py serve: {error}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        self._stopping.set()
