"""Saving without losing anything: every saver in ml5py writes through here (CPython only).

- A saver replaces a folder only when it holds nothing but a model ml5py (or Teachable
  Machine) saved (``model.json``, ``metadata.json`` and the weight files ``model.json``
  names), and a file only when the saver recognises it as its own; otherwise it refuses,
  naming the files it found and suggesting a new name (:class:`NotOursError`).
- The new files are written beside the target under a temporary name, then take its place
  in one step: on Linux the two folders swap with ``renameat2(RENAME_EXCHANGE)`` (macOS:
  ``renamex_np(RENAME_SWAP)``), so the target is one whole model at every instant; where the
  system has no swap, the old folder steps aside first and the next save or load puts it
  back if the program was killed in between.
- Temporary names hold the process id: ``.<name>.<pid>-<random>.tmp`` / ``.part`` / ``.old``.
  What a killed program left (its process is gone, or the debris is older than
  ``STALE_AFTER_S``) is removed by the next save, load or download of that name.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

OS_LEFTOVERS = {".DS_Store", "Thumbs.db", "desktop.ini"}  # files a file browser adds by itself
MODEL_FILES = {"model.json", "metadata.json"}
DEBRIS_SUFFIXES = (".tmp", ".part", ".old")
STALE_AFTER_S = 600.0  # debris whose process cannot be checked counts as stale after this
_DEBRIS = re.compile(r"^\.(?P<name>.+)\.(?:(?P<pid>\d+)-)?[A-Za-z0-9_]+(?P<suffix>\.tmp|\.part|\.old)$")
_MAX_MODEL_JSON = 64 * 1024 * 1024


class NotOursError(FileExistsError):
    """A save would replace files ml5py did not write; ``found`` lists them."""

    def __init__(self, message: str, found: List[str]):
        super().__init__(message)
        self.found = found

    def __str__(self) -> str:
        return str(self.args[0])


# ---------------------------------------------------------------- whose files are these?

def _listed(names: List[str], most: int = 6) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def suggested_name(target: Path, ending: str = "_model") -> str:
    """A name beside ``target`` that is free: ``photos_model``, ``photos_model_2``..."""
    stem, suffix = (target.stem, target.suffix) if target.suffix and not target.is_dir() else (target.name, "")
    for number in range(1, 1000):
        candidate = f"{stem}{ending}{'' if number == 1 else '_' + str(number)}{suffix}"
        if not (target.parent / candidate).exists():
            return candidate
    return f"{stem}{ending}_{os.getpid()}{suffix}"


def weight_paths(model_json: Path) -> Optional[List[str]]:
    """The weight files a TF.js ``model.json`` names, or None if it is not one."""
    try:
        if model_json.stat().st_size > _MAX_MODEL_JSON:
            return None
        model = json.loads(model_json.read_text(encoding="utf-8"))
        paths = [path for group in model["weightsManifest"] for path in group.get("paths", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if "modelTopology" not in model or not all(isinstance(path, str) for path in paths):
        return None
    return paths


def foreign_files(folder: Path, written: Iterable[str] = ()) -> List[str]:
    """What in ``folder`` is not part of a saved TF.js model (model.json, metadata.json, its weights,
    the other files its saver writes: ``written``)."""
    names = sorted(os.listdir(folder))
    paths = weight_paths(folder / "model.json") if "model.json" in names else None
    if paths is None:
        allowed = set(OS_LEFTOVERS)  # no model here: every file counts
    else:
        allowed = set(MODEL_FILES) | OS_LEFTOVERS | set(paths) | set(written)
    return [name + ("/" if (folder / name).is_dir() and not (folder / name).is_symlink() else "")
            for name in names if name not in allowed or not (folder / name).is_file()]


def check_model_folder(target: Path, saver: str = "model.save", written: Iterable[str] = ()) -> None:
    """Refuse to replace ``target`` when it holds anything but a saved model."""
    if not target.is_dir():
        return
    found = foreign_files(target, written)
    if found:
        raise NotOursError(
            f"Cannot save the model as the folder '{target}': it holds files that are not a saved "
            f"model ({_listed(found)}), and saving replaces the whole folder. Nothing was changed. "
            f"Save into a new folder instead, e.g. {saver}(\"{suggested_name(target)}\").", found)


# ---------------------------------------------------------------- temporary names and debris

def temporary_prefix(target: Path) -> str:
    """The start of a temporary name beside ``target``: ``.<name>.<pid>-``."""
    return f".{target.name}.{os.getpid()}-"


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this program: perhaps another thread is writing it now
    if os.name != "posix":
        return False  # (no safe check: rely on the age)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _is_stale(path: Path, pid: Optional[str]) -> bool:
    if pid is not None and _process_gone(int(pid)):
        return True
    try:
        return time.time() - path.lstat().st_mtime > STALE_AFTER_S and (pid is None or int(pid) != os.getpid())
    except OSError:
        return False


def clean_debris(target: Path, every_name: bool = False) -> None:
    """Remove what killed saves or downloads left beside ``target`` (or, with ``every_name``,
    in the folder ``target``); a model folder that stepped aside is put back first."""
    folder = target if every_name else target.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _DEBRIS.match(name)
        if not match or (not every_name and match.group("name") != target.name):
            continue
        path = folder / name
        if not _is_stale(path, match.group("pid")):
            continue
        try:
            original = folder / match.group("name")
            previous = path / "previous"
            if match.group("suffix") == ".old" and previous.is_dir() and not os.path.lexists(original):
                os.replace(previous, original)  # killed between the two steps of a swap: undo it
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue  # someone else's, or already gone


# ---------------------------------------------------------------- writing

def _usual_mode(existing: Optional[Path] = None, folder: bool = False) -> int:
    """The permissions a plain ``open()`` / ``mkdir()`` would give (``mkstemp`` makes 0600)."""
    if existing is not None and existing.exists():
        return existing.stat().st_mode & 0o7777
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def _write(path: Path, content: bytes) -> None:
    with open(path, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


def _swap(first: Path, second: Path) -> bool:
    """Exchange two paths in one step; False where this system cannot."""
    try:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            rename = getattr(libc, "renameat2", None)
            if rename is None:
                return False
            at_cwd, rename_exchange = -100, 2
            done = rename(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange)
        elif sys.platform == "darwin":
            libc = ctypes.CDLL(None, use_errno=True)
            done = libc.renamex_np(os.fsencode(first), os.fsencode(second), 2)  # RENAME_SWAP
        else:
            return False
    except (OSError, AttributeError):
        return False
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # this file system cannot swap: step aside instead
    raise OSError(code, os.strerror(code), str(second))


def replace_folder(target: Path, files: Dict[str, bytes],
                   check: Callable[[Path], None] = check_model_folder) -> Path:
    """Write ``files`` as the folder ``target``, all or nothing, after ``check(target)``."""
    target = Path(os.path.abspath(os.fspath(target)))
    if not target.parent.is_dir():
        raise FileNotFoundError(f"Cannot save to '{target}': the folder '{target.parent}' does not exist. "
                                "Create it first, or pick another place.")
    if target.exists() and not target.is_dir():
        raise NotOursError(f"Cannot save the model as the folder '{target}': a file has that name. "
                           f"Nothing was changed. Save into a new folder instead, e.g. "
                           f"\"{suggested_name(target)}\".", [target.name])
    clean_debris(target)
    check(target)
    temporary = Path(tempfile.mkdtemp(prefix=temporary_prefix(target), suffix=".tmp", dir=target.parent))
    try:
        os.chmod(temporary, _usual_mode(target if target.is_dir() else None, folder=True))
        for name, content in files.items():
            _write(temporary / name, content)
        move_into_place(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


def move_into_place(temporary: Path, target: Path) -> None:
    """Put the finished folder ``temporary`` (beside ``target``) at ``target``, in one step
    where the system can swap folders; the old folder is removed afterwards."""
    if not os.path.lexists(target):
        os.replace(temporary, target)
    elif _swap(temporary, target):
        shutil.rmtree(temporary, ignore_errors=True)  # (it holds the old folder now)
    else:
        _step_aside_and_replace(temporary, target)


def _step_aside_and_replace(temporary: Path, target: Path) -> None:
    """Where folders cannot swap: move the old one aside, the new one in, then drop the old."""
    old = Path(tempfile.mkdtemp(prefix=temporary_prefix(target), suffix=".old", dir=target.parent))
    try:
        os.replace(target, old / "previous")
        try:
            os.replace(temporary, target)
        except BaseException:
            os.replace(old / "previous", target)  # put the old model back
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def replace_file(target: Path, content: bytes, is_ours: Callable[[Path], bool], what: str,
                 saver: str = "save") -> Path:
    """Write ``content`` to the file ``target`` whole or not at all, if ``target`` is new or ``is_ours``."""
    target = Path(os.path.abspath(os.fspath(target)))
    if not target.parent.is_dir():
        raise FileNotFoundError(f"Cannot save to '{target}': the folder '{target.parent}' does not exist. "
                                "Create it first, or pick another place.")
    if target.is_dir():
        raise NotOursError(f"Cannot save {what} as '{target}': that is a folder. Give a file name, "
                           f"e.g. {saver}(\"{target / 'knn.json'}\").", [target.name + "/"])
    if target.exists() and not is_ours(target):
        raise NotOursError(f"Cannot save {what} as '{target}': that file was not saved by ml5py "
                           f"({target.name}), and saving would replace it. Nothing was changed. Save "
                           f"under a new name instead, e.g. {saver}(\"{suggested_name(target, '_saved')}\").",
                           [target.name])
    clean_debris(target)
    handle, name = tempfile.mkstemp(prefix=temporary_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        os.chmod(name, _usual_mode(target))
        _write(Path(name), content)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return target
