"""The compiled ml5py library, kept between builds: only the sketch is compiled on each save.

Transcrypt compiles a sketch together with everything it imports: ml5py, the page's
models and Transcrypt's own runtime, about 97% of a build's time, and the same every time.
So each module compiled from a file *outside* the sketch's folder (plus the two page
modules, ``tooling/page_models.py``) is kept in a cache folder, and the next build copies
them into its work folder before Transcrypt runs. Transcrypt then loads each one it finds
up to date there (its "make" mode) and compiles only the rest: the sketch, and any library
module no earlier build needed.

A cache entry is a folder named by a hash (``key``) of everything the compiled modules
depend on: every ``.py`` and ``.js`` file of the ml5py package (a changed library is a new
entry), Transcrypt's version and files, Python's version, the compiler command and its
flags (``build.TRANSCRYPT_FLAGS``, read from that one place), and the page modules' text
(which models the page loads). Files in an entry are never changed once written; each is
written through a temporary file and ``os.replace``, a module's ``.js`` last, so a build
running beside another one, or one that was killed, never sees half a module. Source maps
travel with their modules (``.map`` and the ``.py`` copy they point at), unchanged.

Where: ``$ML5PY_CACHE/build-cache/`` (default ``~/.cache/ml5py/build-cache/``), never in
the learner's folder. Deleting it is always safe; the oldest entries are removed once there
are more than ``KEEP_ENTRIES``.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, TypeVar

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parents[1]
FORMAT = "ml5py-build-cache-1"
FOLDER = "build-cache"
KEEP_ENTRIES = 12
NOT_COMPILED = {"__pycache__", "web"}  # folders of the package Transcrypt never reads
MODULE_FILES = (".py", ".map", ".js")  # what Transcrypt writes per module; .js written last


def cache_root() -> Path:
    """``$ML5PY_CACHE/build-cache`` (default ``~/.cache/ml5py/build-cache``)."""
    from ml5py.weights.registry import cache_dir

    return cache_dir() / FOLDER


def _library_files() -> List[Path]:
    files = []
    for folder, subfolders, names in os.walk(PACKAGE_DIR):
        subfolders[:] = sorted(name for name in subfolders if name not in NOT_COMPILED)
        files.extend(Path(folder) / name for name in sorted(names) if name.endswith((".py", ".js")))
    return files


_digests: Dict[str, tuple] = {}  # path -> (mtime_ns, size, sha256): a file is read again only when it changed


def _file_digest(path: Path) -> bytes:
    stat = path.stat()
    known = _digests.get(str(path))
    if known is None or known[:2] != (stat.st_mtime_ns, stat.st_size):
        known = (stat.st_mtime_ns, stat.st_size, hashlib.sha256(path.read_bytes()).digest())
        _digests[str(path)] = known
    return known[2]


@functools.lru_cache(maxsize=1)
def _transcrypt_fingerprint() -> str:
    """Transcrypt's version and the sizes and times of its compiler and modules (an installed
    package: once per process)."""
    import transcrypt

    folder = Path(list(transcrypt.__path__)[0]).resolve()
    files = [folder / "__main__.py"] + sorted(path for path in (folder / "modules").rglob("*")
                                              if path.suffix in (".py", ".js") and "__pycache__" not in path.parts)
    listing = [(str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in files if path.is_file()]
    try:
        from importlib.metadata import version

        name = version("Transcrypt")
    except Exception:  # pragma: no cover - Transcrypt is a dependency
        name = "unknown"
    return name + json.dumps(listing)


def key(compiler: Iterable[str], page_sources: dict) -> str:
    """The entry for this library, compiler and set of page modules (a hex digest)."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)

    add(FORMAT, sys.version, _transcrypt_fingerprint(), json.dumps(list(compiler)))
    for path in _library_files():
        add(path.relative_to(PACKAGE_DIR).as_posix(), _file_digest(path))
    for name in sorted(page_sources):
        add(name, page_sources[name])
    return digest.hexdigest()[:32]


class CompiledLibrary:
    """The cache entry for one ``key``: restore it before Transcrypt runs, store after."""

    def __init__(self, entry_key: str, root: Optional[Path] = None) -> None:
        self.root = Path(root) if root is not None else cache_root()
        self.folder = self.root / entry_key

    def modules(self) -> List[str]:
        """The modules held (their names, as Transcrypt names its target files)."""
        if not self.folder.is_dir():
            return []
        return sorted(path.name[:-3] for path in self.folder.glob("*.js"))

    def restore(self, target: Path, main_module: str) -> List[str]:
        """Copy every held module into ``target`` (Transcrypt's ``__target__``); returns their names.

        The sketch's own module name (and anything under it) is never restored: the
        sketch may be called like a module Transcrypt or ml5py has. Copies get the current
        time, so Transcrypt sees them newer than their sources and loads them as they are.
        """
        restored = []
        target.mkdir(parents=True, exist_ok=True)
        for module in self.modules():
            if module == main_module or module.startswith(main_module + "."):
                continue
            for suffix in MODULE_FILES:
                held = self.folder / f"{module}{suffix}"
                if held.is_file():
                    shutil.copyfile(held, target / held.name)
            restored.append(module)
        if restored:
            try:
                os.utime(self.folder)  # most recently used (see prune)
            except OSError:
                pass
        return restored

    def store(self, target: Path, work: Path, page_modules: Iterable[str]) -> List[str]:
        """Keep what Transcrypt compiled into ``target`` from outside ``work`` (and the page modules).

        Reads Transcrypt's own list of the program's modules (``<main>.project``). The
        sketch's modules (files in ``work``) and JavaScript-only modules (copied, not
        compiled) are left out. Returns the names newly stored.
        """
        work = Path(work).resolve()
        page_modules = set(page_modules)
        held = set(self.modules())
        stored = []
        for module, source in _program_modules(target):
            if module in held or source.suffix != ".py":
                continue
            if (work == source.parent or work in source.parents) and module not in page_modules:
                continue
            files = [target / f"{module}{suffix}" for suffix in MODULE_FILES]
            if not files[-1].is_file():
                continue
            self.folder.mkdir(parents=True, exist_ok=True)
            for file in files:
                if file.is_file():
                    _write_whole(self.folder / file.name, file.read_bytes())
            stored.append(module)
        if stored:
            prune(self.root, keep=self.folder.name)
        return stored


def _program_modules(target: Path) -> List[tuple]:
    """(module name, source path) of each module of the program Transcrypt just compiled."""
    modules = []
    for project in target.glob("*.project"):
        try:
            listed = json.loads(project.read_text(encoding="utf-8")).get("modules", [])
        except (OSError, ValueError):
            continue
        for item in listed:
            name = Path(item.get("target", "")).name
            if name.endswith(".js") and item.get("source"):
                modules.append((name[:-3], Path(item["source"]).resolve()))
    return modules


def quietly(step: Callable[[], T], instead: T) -> T:
    """``step()``, or ``instead`` when the cache folder cannot be read or written (a full disk,
    a read-only home): the build then simply compiles more, and says nothing."""
    try:
        return step()
    except OSError:
        return instead


def drop_unused(target: Path, restored: Iterable[str], page_modules: Iterable[str]) -> None:
    """Remove restored modules this program does not import (an earlier sketch needed them),
    so the site holds what a build without the cache would write, no more.

    The page modules stay: the library imports them (an empty one, for a page whose models
    need no twins of their own, leaves no import in the JavaScript to follow).
    """
    used = {module for module, _ in _program_modules(target)} | set(page_modules)
    for module in set(restored) - used:
        for suffix in MODULE_FILES:
            (target / f"{module}{suffix}").unlink(missing_ok=True)


def _write_whole(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prune(root: Path, keep: str, entries: int = KEEP_ENTRIES) -> None:
    """Remove the least recently used entries beyond ``entries`` (never ``keep``)."""
    try:
        folders = [f for f in root.iterdir() if f.is_dir() and len(f.name) == 32 and f.name != keep]
        folders.sort(key=lambda f: f.stat().st_mtime, reverse=True)
    except OSError:
        return
    for folder in folders[max(entries - 1, 0):]:
        shutil.rmtree(folder, ignore_errors=True)
