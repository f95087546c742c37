"""``ml5py fetch NAME``: download every file of a model now, with a progress bar.

CPython only. Builds on ``registry.py`` (pretrained models) and ``user_models.py`` (a
learner's model at a URL); neither imports this module.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Optional

from ml5py.weights.registry import _display_name, _entry_of, _is_url, model_file
from ml5py.weights.user_models import resolve_user_model


def _human(size: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


class _ProgressBar:
    """A one-line ``\\r`` progress bar on stderr: ``[#####.....] 5.2 MB / 10.4 MB  50%``."""

    def __init__(self, label: str, total: int, stream: Any = None, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream if stream is not None else sys.stderr
        self.last_draw = 0.0

    def draw(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        fraction = min(done / self.total, 1.0)
        filled = int(fraction * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {_human(done)} / {_human(self.total)} {fraction * 100:3.0f}%")
        self.stream.flush()

    def finish(self) -> None:
        self.draw(self.total, force=True)
        self.stream.write("\n")
        self.stream.flush()


def fetch(name: Any, progress: bool = True) -> Path:
    """Download every file of a model now (for ``ml5py fetch NAME``) and return its folder.

    ``name`` is a registry name or id, a registry entry, or the http(s) URL of a learner's
    own model. Shows a progress bar on stderr and prints where the model is.
    """
    if isinstance(name, str) and _is_url(name.strip()):
        user = resolve_user_model(name.strip())
        print(f"{name.strip()} is ready in {user['dir']}")
        return Path(user["dir"])
    entry = _entry_of(name)
    files = entry["files"]
    total = sum(int(info["size"]) for info in files.values())
    bar = _ProgressBar(f"Downloading {_display_name(entry)}", total) if progress else None
    finished = 0

    def on_bytes(filename: str, done: int, _total: Optional[int]) -> None:
        if bar:
            bar.draw(finished + done)

    folder: Optional[Path] = None
    try:
        for filename, info in files.items():
            path = model_file(entry, filename, on_bytes)
            if filename == entry["entry"]:
                folder = path.parent
            finished += int(info["size"])
            if bar:
                bar.draw(finished)
    except BaseException:
        if bar:
            bar.stream.write("\n")  # end the bar's line before the error is shown
            bar.stream.flush()
        raise
    if bar:
        bar.finish()
    folder = folder or model_file(entry, entry["entry"]).parent
    print(f"{_display_name(entry)} ({len(files)} files, {_human(total)}) is ready in {folder}")
    return folder
