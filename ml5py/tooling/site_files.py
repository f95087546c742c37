"""Which files of a sketch's folder a built site publishes, and which folders a build may replace.

CPython only (``build.py`` and ``watch.py`` use it). Published: every file in the sketch's
folder and its subfolders, except, at every depth,

- names that start with a dot (``.env``, ``.git/``, ``.ssh/``...),
- Python files (``.py``, ``.pyc``...; the sketch itself reaches the site compiled),
- ``__pycache__``, ``__target__``, ``node_modules``, virtual environments (``venv``, or any
  folder holding ``pyvenv.cfg`` or ``conda-meta``), earlier builds (a folder holding
  ``.ml5py-site``) and the output folder itself,
- symbolic links to anything outside the sketch's folder (skipped with a one-line note,
  never followed); a link back into a folder it sits in (a loop) stops the build.

A built site holds ``.ml5py-site``: the list of every file that build wrote. ``ml5py build
-o`` replaces a folder only when it is empty or holds nothing but what the last build wrote.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Tuple

SITE_MARKER = ".ml5py-site"
PRIVATE_FOLDERS = {"__pycache__", "__target__", "node_modules", "venv"}
PYTHON_SUFFIXES = {".py", ".pyc", ".pyo", ".pyw", ".pyi", ".pyd", ".pyx"}
MAX_FILES = 20000  # a sketch folder that holds more is probably not meant to be published


class SiteError(Exception):
    """The sketch's folder or the output folder stops the build; the message says why."""


def is_private(name: str, is_folder: bool) -> bool:
    """True for a name never published, at any depth (see the module description)."""
    if name.startswith("."):
        return True
    if is_folder:
        return name in PRIVATE_FOLDERS
    return os.path.splitext(name)[1].lower() in PYTHON_SUFFIXES


def _left_out_folder(folder: Path) -> bool:
    """Folders left out by what they hold: virtual environments and earlier builds."""
    return any((folder / name).exists() for name in ("pyvenv.cfg", "conda-meta", SITE_MARKER))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def published_files(sketch_dir: Path, skip: Iterable[Path] = (),
                    note: Optional[Callable[[str], None]] = None) -> List[Tuple[Path, str]]:
    """``(file to copy, its path in the site)`` for every published file of ``sketch_dir``."""
    root = os.path.realpath(sketch_dir)
    skipped = {os.path.realpath(path) for path in skip}
    found: List[Tuple[Path, str]] = []

    def visit(folder: str, real_folder: str, prefix: str, ancestors: frozenset) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            raise SiteError(f"Cannot read the folder '{prefix or '.'}' beside the sketch: {error.strerror}.") from None
        for entry in entries:
            name, where = entry.name, prefix + entry.name
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not _inside(real, root):
                    if note and not name.startswith("."):
                        note(f"left out {where}: it links to {real}, outside the sketch's folder")
                    continue
                if not os.path.exists(real):
                    if note:
                        note(f"left out {where}: it links to {real}, which does not exist")
                    continue
            else:
                real = os.path.join(real_folder, name)
            is_folder = os.path.isdir(real)
            if is_private(name, is_folder):
                continue
            if is_folder:
                if real in ancestors:
                    raise SiteError(f"'{where}' links back to the folder "
                                    f"'{os.path.relpath(real, root) if real != root else '.'}' that holds it, "
                                    "a loop: remove that link (or move it out of the sketch's folder) and "
                                    "build again.")
                if real in skipped or _left_out_folder(Path(real)):
                    continue
                visit(entry.path, real, where + "/", ancestors | {real})
            elif os.path.isfile(real):
                found.append((Path(real), where))
                if len(found) > MAX_FILES:
                    raise SiteError(f"The sketch's folder holds more than {MAX_FILES} files to publish. Put "
                                    "the sketch and what it uses in a folder of their own, and build that.")

    visit(str(sketch_dir), root, "", frozenset({root}))
    return found


# ---------------------------------------------------------------- the output folder

def files_in(folder: Path) -> List[str]:
    """Every file and link under ``folder`` (links not followed), as site paths."""
    listed = []
    for base, folders, files in os.walk(folder):
        relative = Path(base).relative_to(folder)
        for name in files + [name for name in folders if os.path.islink(os.path.join(base, name))]:
            listed.append((relative / name).as_posix())
    return sorted(listed)


def write_manifest(site: Path) -> None:
    """Write ``.ml5py-site``: what this build wrote, so the next build may replace it and nothing else."""
    files = [name for name in files_in(site) if name != SITE_MARKER]
    (site / SITE_MARKER).write_text(json.dumps({"built_by": "ml5py; safe to delete", "files": files},
                                               indent=0) + "\n", encoding="utf-8")


def _listed(names: List[str], most: int = 6) -> str:
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


def check_output_folder(out: Path, sketch: Path) -> None:
    """Refuse an output folder that a build must not replace: say what was found."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"-o names the file '{out}'; a site is a folder. Give a folder name, e.g. -o site.")
    if out == sketch.parent or out in sketch.parents:
        raise SiteError(f"The output folder '{out}' holds the sketch {sketch.name}: building there would "
                        f"replace it. Build into a new folder beside it, e.g. -o {sketch.parent / 'site'}.")
    if not out.is_dir() or not any(out.iterdir()):
        return
    present = files_in(out)
    try:
        manifest = json.loads((out / SITE_MARKER).read_text(encoding="utf-8"))
        written = set(manifest["files"]) | {SITE_MARKER}
    except FileNotFoundError:
        raise SiteError(f"The output folder {out} already holds files that ml5py did not build "
                        f"({_listed(present)}). Choose an empty or new folder with -o.") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise SiteError(f"The output folder {out} was built by an older ml5py, which kept no list of "
                        "its files, so ml5py cannot tell whether you added any. Delete it yourself if "
                        "nothing in it is yours, or choose a new folder with -o.") from None
    added = [name for name in present if name not in written]
    if added:
        raise SiteError(f"The output folder {out} holds files the last build did not write ({_listed(added)}), "
                        "and building replaces the whole folder. Move them out, or choose a new folder "
                        "with -o.")
