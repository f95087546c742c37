"""The pretrained-model registry: find a model by name, get its files onto this computer.

CPython only (the browser build uses :func:`upstream_url` / :func:`mirror_url_for`).

Each model is described by ``pretrained/<id>.json`` in the repository (written by
``pretrained/make_registry.py``). An id may contain slashes (``style-transfer/scream``);
it is also the model's folder in a mirror or in the cache. Keys of an entry:

``id``, ``names`` (what a learner types, e.g. ``"MobileNet"``), ``task``, ``format``,
``order`` (position in lists shown to people), ``entry`` (the file a loader opens first),
``upstream`` (base URL ending in ``/``), ``licence``, ``files`` ({name: {"size", "sha256"}},
exactly the files on the upstream host), ``preprocessing``, ``output``, ``labels`` and
``labels_source``.

``preprocessing``: a pixel value ``v`` in 0..255 becomes ``v * scale + offset``; the image
is resized to ``input_size`` ([height, width]) with ``resize`` ("bilinear") and
``align_corners``. ``channels`` is what the model takes. ``"gray": "mean_round"`` (also
flagged ``"gray_round": true``) means: after scaling and resizing, average R, G and B and
round half to even (like ``tf.round``) to get that one channel. ``"invert": true`` is only a
note: the inversion is already inside ``scale``/``offset``. ``output.softmax`` is true when
the model's output still needs a softmax.

Where a file comes from, in order:

1. ``$ML5PY_MODELS``, when set: a folder laid out as ``<folder>/<id>/<file>`` (files are
   used in place, after checking their size and, once per process, their sha256), or an
   http(s) base URL (``<base>/<id>/<file>``, downloaded into the cache like step 3).
2. The cache, ``$ML5PY_CACHE`` or ``~/.cache/ml5py``: ``<cache>/<id>/<file>``, used when
   its size and sha256 match the registry; a damaged copy is deleted and fetched again.
3. The upstream host: downloaded to a temporary file beside its final place, checked
   (size and sha256), then moved into place with ``os.replace``. Nothing half-written is
   ever left behind.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import socket
import tempfile
import threading
import http.client
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from ml5py.core.safe_save import clean_debris, temporary_prefix
from ml5py.weights.transfer import TransferError, cache_writing, declared_length, read_body

_OVERSIZE = 16 * 1024 * 1024  # bytes read past a registry file's size to name the wrong file's sha256
from ml5py.weights.errors import ChecksumError, DownloadError, ModelFileError, UnknownModelError  # noqa: F401

ENV_MODELS = "ML5PY_MODELS"
ENV_CACHE = "ML5PY_CACHE"

#: Called while a file downloads: ``progress(filename, bytes_done, bytes_total_or_None)``.
Progress = Callable[[str, int, Optional[int]], None]

TIMEOUT_S = 30.0
_USER_AGENT = "ml5py (https://pypi.org/project/ml5py/)"

# --------------------------------------------------------------------------- registry

def registry_dir() -> Path:
    """The folder holding ``<id>.json`` for every pretrained model (``<repo>/pretrained``)."""
    folder = Path(__file__).resolve().parents[2] / "pretrained"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"The pretrained-model registry folder {folder} is missing. ml5py expects it next "
            "to the ml5py package folder; reinstall ml5py, or run it from a full checkout."
        )
    return folder


_ENTRIES: Dict[Path, List[Dict[str, Any]]] = {}


def _load_entries() -> List[Dict[str, Any]]:
    folder = registry_dir()
    if folder not in _ENTRIES:
        entries = []
        for path in sorted(folder.rglob("*.json")):
            try:
                entry = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise ValueError(f"The registry file {path} is not valid JSON: {exc}") from None
            missing = [key for key in ("id", "names", "entry", "upstream", "files") if key not in entry]
            if missing:
                raise ValueError(f"The registry file {path} lacks {', '.join(missing)}.")
            expected_id = path.relative_to(folder).with_suffix("").as_posix()
            if entry["id"] != expected_id:
                raise ValueError(f"The registry file {path} says id {entry['id']!r}; its name says {expected_id!r}.")
            entries.append(entry)
        entries.sort(key=lambda e: (e.get("order", 1_000_000), e["id"]))
        _ENTRIES[folder] = entries
    return _ENTRIES[folder]


def all_entries() -> List[Dict[str, Any]]:
    """Every registry entry (copies: change them freely), in display order."""
    return copy.deepcopy(_load_entries())


def model_names(task: Optional[str] = None) -> List[str]:
    """The names a learner can use, e.g. ``["MobileNet", "Darknet", ...]``; optionally for one task."""
    return [name for entry in _load_entries() if task is None or entry.get("task") == task
            for name in entry["names"]]


def find_entry(name: str, task: Optional[str] = None) -> Dict[str, Any]:
    """The registry entry for a model name or id, ignoring upper/lower case.

    With ``task`` (e.g. ``"image-classifier"``) only models for that task are accepted.
    Raises :class:`UnknownModelError` listing the valid names.
    """
    wanted = str(name).strip().lower()
    for entry in _load_entries():
        if wanted == entry["id"].lower() or wanted in (n.lower() for n in entry["names"]):
            if task is not None and entry.get("task") != task:
                raise UnknownModelError(
                    f"'{name}' is a model for the task {entry.get('task')}, not {task}. "
                    f"Valid names are: {', '.join(model_names(task))}."
                )
            return copy.deepcopy(entry)
    message = f"Unknown model '{name}'. Valid names are: {', '.join(model_names(task))}."
    if task in (None, "image-classifier"):
        message += " You can also give the folder or URL of a TF.js layers model with a metadata.json."
    raise UnknownModelError(message)


def is_model_name(name: str) -> bool:
    """True if ``name`` names a registry model of any task (a style given to a classifier...)."""
    try:
        find_entry(name)
        return True
    except UnknownModelError:
        return False


def looks_like_location(text: str) -> bool:
    """True if ``text`` reads as a folder, file or URL rather than a model name."""
    return "/" in text or "\\" in text or text.endswith(".json") or text.startswith(".")


def _entry_of(name_or_entry: Any) -> Dict[str, Any]:
    return name_or_entry if isinstance(name_or_entry, dict) else find_entry(name_or_entry)


def _display_name(entry: Dict[str, Any]) -> str:
    names = entry.get("names") or []
    return names[0] if names else str(entry.get("id") or entry.get("base") or "model")


# ----------------------------------------------------------------------------- places

def _safe_relative(value: str, what: str) -> str:
    """Refuse absolute paths and ``..`` so a name can never point outside its folder."""
    parts = value.replace("\\", "/").split("/")
    if not value or value.startswith(("/", "\\")) or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise ValueError(f"{what} {value!r} is not a plain relative name.")
    return "/".join(parts)


def _check_filename(entry: Dict[str, Any], filename: str) -> str:
    filename = _safe_relative(filename, "File name")
    files = entry.get("files")
    if files is not None and filename not in files:
        raise ValueError(
            f"{_display_name(entry)} has no file '{filename}'. Its files are: {', '.join(files)}."
        )
    return filename


def _id_of(entry: Dict[str, Any]) -> str:
    return _safe_relative(str(entry.get("id")), "Model id")


def cache_dir() -> Path:
    """Where downloaded models are kept: ``$ML5PY_CACHE`` or ``~/.cache/ml5py``."""
    env = os.environ.get(ENV_CACHE, "")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "ml5py"


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _models_setting() -> str:
    return os.environ.get(ENV_MODELS, "").strip()


def upstream_url(entry: Dict[str, Any], filename: str) -> str:
    """The URL of one file of a registry model on its original host."""
    return entry["upstream"] + urllib.parse.quote(_check_filename(entry, filename))


def mirror_url_for(entry: Dict[str, Any], filename: str) -> Optional[str]:
    """The URL of one file on the mirror named by ``$ML5PY_MODELS``, or None if that is not a URL."""
    setting = _models_setting()
    if not _is_url(setting):
        return None
    path = _id_of(entry) + "/" + _check_filename(entry, filename)
    return setting.rstrip("/") + "/" + urllib.parse.quote(path)


# --------------------------------------------------------------------------- checking

_SHA_MEMO: Dict[Tuple[str, int, int], str] = {}


def _sha256(path: Path) -> str:
    """sha256 of a file, computed once per process for an unchanged file."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _SHA_MEMO:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _SHA_MEMO[key] = digest.hexdigest()
    return _SHA_MEMO[key]


def _matches(path: Path, expected: Dict[str, Any]) -> Tuple[bool, int, str]:
    """(size and sha256 both match, actual size, actual sha256 or "" when size already differs)."""
    size = path.stat().st_size
    if size != expected["size"]:
        return False, size, ""
    digest = _sha256(path)
    return digest == expected["sha256"], size, digest


def _mismatch_text(expected: Dict[str, Any], size: int, digest: str) -> str:
    return (f"expected {expected['size']} bytes with sha256 {expected['sha256']}, "
            f"got {size} bytes with sha256 {digest}")


# --------------------------------------------------------------------------- download

def _open(url: str) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    return urllib.request.urlopen(request, timeout=TIMEOUT_S)


_NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError)


def _offline_hint(entry: Dict[str, Any]) -> str:
    if not entry.get("id"):
        return ("Check the address and the internet connection, or download the model's folder "
                "(model.json, metadata.json and the weight files) and give its path instead.")
    return (f"If this computer has no internet, run `ml5py fetch {_display_name(entry)}` on one "
            f"that has, or set {ENV_MODELS} to a folder or URL that mirrors the models.")


def _download_error(exc: BaseException, what: str, url: str, entry: Dict[str, Any]) -> DownloadError:
    status: Optional[int] = None
    if isinstance(exc, urllib.error.HTTPError):
        status = exc.code
        reason = f"the server answered {exc.code} {exc.reason}"
    else:
        reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
    return DownloadError(f"Could not download {what} from {url}: {reason}. {_offline_hint(entry)}",
                         url=url, status=status)


def _cache_writing(folder: Path) -> Any:
    """A context in which an OS error writing the cache becomes a ModelFileError saying what to do."""
    return cache_writing(folder, ModelFileError)


def _download(url: str, dest: Path, entry: Dict[str, Any], filename: str,
              expected: Optional[Dict[str, Any]], progress: Optional[Progress],
              limit: Optional[int] = None) -> int:
    """Stream ``url`` into ``dest`` through a temporary file; check it if ``expected`` is given.

    ``limit``: the most bytes accepted (what ``model.json`` declares, for a learner's model).
    Returns the number of bytes saved.
    """
    what = f"{filename} of {_display_name(entry)}"
    with _cache_writing(dest.parent):
        dest.parent.mkdir(parents=True, exist_ok=True)
        clean_debris(dest)  # what a killed download of this file left
        fd, tmp_name = tempfile.mkstemp(prefix=temporary_prefix(dest), suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        # A registry file too long is read on a little (never written) to name its sha256.
        limit = expected["size"] + _OVERSIZE if expected else limit
        with _cache_writing(dest.parent), os.fdopen(fd, "wb") as out:
            written = [0]

            def sink(block: bytes) -> None:
                keep = block if expected is None else block[: max(expected["size"] - written[0], 0)]
                out.write(keep)
                written[0] += len(keep)

            try:
                with _open(url) as response:
                    total = expected["size"] if expected else (declared_length(response) or None)
                    if progress:
                        progress(filename, 0, total)
                    on_bytes = (lambda done: progress(filename, min(done, total) if total else done, total)
                                ) if progress else None
                    done, digest = read_body(response, sink, limit, on_bytes)
            except _NETWORK_ERRORS as exc:
                raise _download_error(exc, what, url, entry) from None
            except TransferError as problem:
                raise DownloadError(f"Could not download {what} from {url}: {problem}.", url=url) from None
        if expected and (done != expected["size"] or digest != expected["sha256"]):
            raise ChecksumError(
                f"The downloaded file {what} from {url} is not the expected file: "
                f"{_mismatch_text(expected, done, digest)}. It was not saved. The server (or a proxy "
                "between) sent something else; try again later, and report it if it keeps happening.",
                path=dest, url=url, expected=(expected["size"], expected["sha256"]), actual=(done, digest),
            )
        with _cache_writing(dest.parent):
            os.replace(tmp, dest)
        if expected:
            stat = dest.stat()
            _SHA_MEMO[(str(dest.resolve()), stat.st_size, stat.st_mtime_ns)] = expected["sha256"]
        return done
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------ model files

def model_file(entry: Dict[str, Any], filename: str, progress: Optional[Progress] = None) -> Path:
    """A local path to one file of a registry model, downloading it if needed.

    See the module description for where it looks. Raises :class:`ModelFileError`
    (missing file in ``$ML5PY_MODELS``), :class:`DownloadError` or :class:`ChecksumError`.
    """
    filename = _check_filename(entry, filename)
    model_id = _id_of(entry)
    expected = entry["files"][filename]
    setting = _models_setting()

    if setting and not _is_url(setting):
        path = Path(setting).expanduser() / model_id / filename
        if not path.is_file():
            raise ModelFileError(
                f"{path} does not exist. {ENV_MODELS} is set to {setting}, so ml5py looks for "
                f"{_display_name(entry)} in {path.parent}. Check {ENV_MODELS}, or unset it to "
                "download the model instead.", path=path,
            )
        ok, size, digest = _matches(path, expected)
        if not ok:
            raise ChecksumError(
                f"The file {path} does not match the registry: "
                f"{_mismatch_text(expected, size, digest or _sha256(path))}. "
                f"Check that {ENV_MODELS} points to an unmodified copy of the models.",
                path=path, expected=(expected["size"], expected["sha256"]), actual=(size, digest or _sha256(path)),
            )
        return path

    cached = cache_dir() / model_id / filename
    with _lock_for(cached):  # many requests for one file (a classroom on one dev server): one download
        clean_debris(cached)  # what a killed download of this file left
        if cached.is_file():
            if _matches(cached, expected)[0]:
                return cached
            cached.unlink(missing_ok=True)  # damaged or outdated copy: fetch it again
        url = mirror_url_for(entry, filename) if setting else upstream_url(entry, filename)
        assert url is not None
        _download(url, cached, entry, filename, expected, progress)
    return cached


_LOCKS: Dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    """One lock per cached file, so threads wanting the same file wait for one download."""
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(str(path), threading.Lock())


def model_dir(name_or_entry: Any, progress: Optional[Progress] = None) -> Path:
    """The local folder holding every file of a model (downloading what is missing).

    Takes a name (``"MobileNet"``), a registry entry, or an entry from
    ``user_models.resolve_user_model`` (its folder is returned as it is).
    """
    entry = _entry_of(name_or_entry)
    if entry.get("dir"):
        return Path(entry["dir"])
    folder = model_file(entry, entry["entry"], progress).parent
    for filename in entry["files"]:
        model_file(entry, filename, progress)
    return folder
