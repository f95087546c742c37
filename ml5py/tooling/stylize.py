"""``ml5py stylize STYLE INPUT... -o OUTDIR``: repaint image files in a style. CPython only.

Each picture is written as ``OUTDIR/<name>_<style>.png`` (``<name>_<style>_2.png`` for a
second picture of the same name from another folder) by ``Image.save``, which goes
through a temporary file, so an interrupted run never leaves half a picture behind. A
progress bar on stderr counts the pictures.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional, TextIO


class _Bar:
    """``Painting in scream [#####.....] 3/6 harriet.jpg`` on one line of ``stream``."""

    def __init__(self, label: str, total: int, stream: TextIO, width: int = 30):
        self.label, self.total, self.stream, self.width = label, max(total, 1), stream, width

    def draw(self, done: int, name: str = "") -> None:
        filled = int(done / self.total * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} {name[:40]:<40}")
        self.stream.flush()

    def end(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def output_name(picture: Path, style: str) -> str:
    """``harriet.jpg`` in ``scream`` -> ``harriet_scream.png`` (a folder/URL style: its last part)."""
    tag = style.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if tag == "manifest.json":
        tag = style.replace("\\", "/").rstrip("/").rsplit("/", 2)[-2]
    tag = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in tag) or "style"
    return f"{picture.stem}_{tag}.png"


def unique_names(pictures: List[Path], style: str) -> List[str]:
    """The output name of each picture; a name met again gets ``_2``, ``_3``... (``a/x.jpg``, ``b/x.jpg``)."""
    names: List[str] = []
    for picture in pictures:
        name = output_name(picture, style)
        stem, number = name[: -len(".png")], 2
        while name in names:
            name, number = f"{stem}_{number}.png", number + 1
        names.append(name)
    return names


def stylize(style: str, inputs: List[str], out_dir: str, stream: Optional[TextIO] = None) -> int:
    """Repaint every picture of ``inputs`` in ``style`` into ``out_dir``; the exit status.

    Raises (before any work) for an unknown style or missing input files; a picture that
    cannot be read or is too big is reported and skipped (exit status 1 at the end).
    """
    from ml5py import StyleTransfer, load_image

    stream = stream if stream is not None else sys.stderr
    missing = [name for name in inputs if not Path(name).is_file()]
    if missing:
        raise FileNotFoundError(f"No such picture: {', '.join(missing)}. Give the paths of image files "
                                "(JPEG, PNG, ...).")
    target_dir = Path(out_dir)
    if target_dir.exists() and not target_dir.is_dir():
        raise NotADirectoryError(f"The output folder {target_dir} is a file. Give -o the name of a "
                                 "folder (it is made if it does not exist yet).")
    painter = StyleTransfer(style)  # in CPython: loaded now, or raises (unknown style...)
    pictures = list({Path(name).resolve(): Path(name) for name in inputs}.values())  # each file once
    target_dir.mkdir(parents=True, exist_ok=True)
    bar = _Bar(f"Painting in {style}", len(pictures), stream)
    problems = []
    started = time.monotonic()
    bar.draw(0)
    for done, (picture, target) in enumerate(zip(pictures, unique_names(pictures, style)), start=1):
        try:
            result = painter.transfer(load_image(picture))
            result.save(target_dir / target)  # whole or not at all
        except (OSError, ValueError, TypeError) as error:
            problems.append(f"{picture}: {error}")
        bar.draw(done, picture.name)
    bar.end()
    for problem in problems:
        print(f"ml5py stylize: skipped {problem}", file=stream)
    written = len(pictures) - len(problems)
    print(f"{written} picture{'s' if written != 1 else ''} painted in {style} into {target_dir} "
          f"({time.monotonic() - started:.1f} s)", file=stream)
    return 1 if problems else 0
