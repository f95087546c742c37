"""A learner's own TF.js layers model (a Teachable Machine export): find it, read its labels.

CPython only. Given a folder, a ``model.json`` path or an http(s) URL, this returns a dict
shaped like a registry entry (see ``registry.py``), so the rest of ml5py treats a user's
model and a pretrained one alike. Remote models are downloaded once into the user cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ml5py.weights.registry import (
    DownloadError,
    ModelFileError,
    Progress,
    _download,
    _is_url,
    _safe_relative,
    cache_dir,
)
from ml5py.core.safe_save import clean_debris
from ml5py.weights.whole_files import read_url, write_atomic
from ml5py.numpy_executor.weight_manifest import declared_bytes


COMPLETE = ".ml5py-complete"  # written last into a downloaded model's folder: {file: size}


def _parsed(data: bytes, where: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError as exc:
        raise ModelFileError(f"{where} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ModelFileError(f"{where} is not a model file: its JSON nests lists or objects thousands "
                             "of levels deep.") from None

#: Preprocessing of Teachable Machine image models, the default for a learner's own model.
TEACHABLE_MACHINE_PREPROCESSING: Dict[str, Any] = {
    "input_size": None,
    "channels": 3,
    "resize": "bilinear",
    "align_corners": True,
    "scale": 1 / 127.5,
    "offset": -1.0,
}


def _labels_from_metadata(data: bytes, where: str) -> Tuple[Dict[str, Any], List[str]]:
    metadata = _parsed(data, where)
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise ModelFileError(
            f"{where} has no \"labels\" list (the class names, in the model's output order). "
            "Teachable Machine exports include it; for another model, add "
            '{"labels": ["first class", "second class", ...]} to it.'
        )
    return metadata, labels


def _weight_groups(model_json: bytes, where: str) -> List[Tuple[List[str], Optional[int]]]:
    """Each weight group's files and the bytes ``model.json`` declares they hold in all (None: unsaid)."""
    model = _parsed(model_json, where)
    _weight_paths(model_json, where, model)
    groups = []
    for group in model["weightsManifest"]:
        try:
            size = declared_bytes(group)
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(f"{where} describes its weights in a way ml5py cannot read: {exc}") from None
        groups.append(([_safe_relative(path, f"Weight file in {where}") for path in group.get("paths", [])], size))
    return groups


def _weight_paths(model_json: bytes, where: str, model: Any = None) -> List[str]:
    if model is None:
        model = _parsed(model_json, where)
    if not isinstance(model, dict) or "modelTopology" not in model or "weightsManifest" not in model:
        raise ModelFileError(f"{where} is not a TF.js model.json (it needs modelTopology and weightsManifest).")
    if model.get("format") == "graph-model" or "node" in (model.get("modelTopology") or {}):
        raise ModelFileError(f"{where} is a TF.js graph model; an image classifier needs a TF.js layers model.")
    paths: List[str] = []
    for group in model["weightsManifest"]:
        for path in group.get("paths", []):
            paths.append(_safe_relative(path, f"Weight file in {where}"))
    return paths


def _user_entry(base: str, folder: Path, entry_name: str, metadata: Dict[str, Any],
                labels: List[str], metadata_where: str) -> Dict[str, Any]:
    return {
        "id": None,
        "title": base,
        "names": [],
        "task": "image-classifier",
        "format": "tfjs-layers",
        "entry": entry_name,
        "base": base,
        "dir": str(folder),
        "upstream": base if _is_url(base) else None,
        "licence": None,
        "files": None,
        "preprocessing": dict(TEACHABLE_MACHINE_PREPROCESSING),
        "output": {"softmax": False},
        "labels_source": {"file": metadata_where},
        "labels": labels,
        "metadata": metadata,
    }


def resolve_user_model(path_or_url: str, progress: Optional[Progress] = None, refresh: bool = False) -> Dict[str, Any]:
    """Describe a learner's own TF.js layers model (e.g. a Teachable Machine export).

    ``path_or_url`` is a folder, a ``model.json`` file, or an http(s) URL of either. The
    class labels come from ``metadata.json`` beside ``model.json``. A remote model is
    downloaded into ``<cache>/user/<hash of its URL>/`` (again only with ``refresh=True``).
    Returns a dict shaped like a registry entry, with ``id`` None, ``files`` None (sizes
    unknown, so not verified), ``preprocessing.input_size`` None (read it from model.json),
    ``base`` (the folder or URL given) and ``dir`` (the local folder holding the files).
    """
    text = str(path_or_url).strip()
    if _is_url(text):
        return _resolve_remote(text, progress, refresh)

    given = Path(text).expanduser()
    clean_debris(Path(os.path.abspath(given)))  # a save killed halfway: put the old model back
    if given.is_dir():
        folder, entry_name = given, "model.json"
    elif given.is_file():
        folder, entry_name = given.parent, given.name
    else:
        raise ModelFileError(
            f"There is no model at {given}. Give the folder that holds model.json and "
            "metadata.json (a Teachable Machine export), the model.json file, or its URL.", path=given,
        )
    model_path = folder / entry_name
    if not model_path.is_file():
        raise ModelFileError(f"{model_path} does not exist: the folder {folder} should hold the model's model.json.",
                             path=model_path)
    for paths, declared in _weight_groups(model_path.read_bytes(), str(model_path)):
        for weight in paths:
            if not (folder / weight).is_file():
                raise ModelFileError(f"{folder / weight} is missing: {model_path} needs it.", path=folder / weight)
        found = sum((folder / weight).stat().st_size for weight in paths)
        if declared is not None and found < declared:  # (more is harmless: TF.js reads what it needs)
            raise ModelFileError(
                f"{_listed_files(folder, paths)} {'holds' if len(paths) == 1 else 'hold'} {found} bytes, but "
                f"{model_path} declares {declared} bytes of weights: the file is incomplete. Download or "
                "export the model again.", path=folder / paths[0])
    metadata_path = folder / "metadata.json"
    if not metadata_path.is_file():
        raise ModelFileError(
            f"{metadata_path} is missing: ml5py reads the class labels from metadata.json beside "
            "model.json. Teachable Machine exports include it; copy it into the folder too.", path=metadata_path,
        )
    metadata, labels = _labels_from_metadata(metadata_path.read_bytes(), str(metadata_path))
    return _user_entry(str(given), folder, entry_name, metadata, labels, str(metadata_path))


def _resolve_remote(url: str, progress: Optional[Progress], refresh: bool) -> Dict[str, Any]:
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if path.lower().endswith(".json"):
        base_path, entry_name = path.rsplit("/", 1)[0] + "/", urllib.parse.unquote(path.rsplit("/", 1)[1])
    else:
        base_path, entry_name = (path if path.endswith("/") else path + "/"), "model.json"
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, base_path, "", ""))
    model_url = base + urllib.parse.quote(entry_name)
    folder = cache_dir() / "user" / hashlib.sha256(model_url.encode("utf-8")).hexdigest()[:16]
    fake_entry: Dict[str, Any] = {"id": None, "names": [model_url], "files": None}
    metadata_url = base + "metadata.json"

    model_path, metadata_path = folder / entry_name, folder / "metadata.json"
    if not refresh and _complete(folder):
        metadata, labels = _labels_from_metadata(metadata_path.read_bytes(), str(metadata_path))
        return _user_entry(base, folder, entry_name, metadata, labels, metadata_url)

    (folder / COMPLETE).unlink(missing_ok=True)
    model_bytes = read_url(model_url, f"the model {entry_name}", fake_entry)
    groups = _weight_groups(model_bytes, model_url)
    try:
        metadata_bytes = read_url(metadata_url, "metadata.json", fake_entry)
    except DownloadError as exc:
        if exc.status != 404:
            raise
        raise ModelFileError(
            f"There is no metadata.json at {metadata_url}: ml5py reads the class labels from "
            "metadata.json beside model.json. Teachable Machine exports include it.", url=metadata_url,
        ) from None
    metadata, labels = _labels_from_metadata(metadata_bytes, metadata_url)
    sizes = {}
    for paths, declared in groups:  # each group's files hold exactly what model.json declares
        left = declared
        for weight in paths:
            sizes[weight] = _download(base + urllib.parse.quote(weight), folder / weight, fake_entry, weight,
                                      None, progress, limit=left)
            left = None if left is None else left - sizes[weight]
        if left:
            raise ModelFileError(
                f"The weight files of {model_url} ({', '.join(paths)}) hold {declared - left} bytes, but "
                f"model.json declares {declared}: the server's copy is incomplete or not this model's. "
                "Nothing was kept; export or upload the model again.", url=model_url)
    write_atomic(metadata_path, metadata_bytes)
    write_atomic(model_path, model_bytes)
    sizes.update({"metadata.json": len(metadata_bytes), entry_name: len(model_bytes)})
    write_atomic(folder / COMPLETE, json.dumps({"entry": entry_name, "files": sizes}).encode())  # last
    return _user_entry(base, folder, entry_name, metadata, labels, metadata_url)


def _complete(folder: Path) -> bool:
    """True when a downloaded model's folder holds every file whole (as its completion marker lists)."""
    try:
        marker = json.loads((folder / COMPLETE).read_text(encoding="utf-8"))
        return all((folder / name).stat().st_size == size for name, size in marker["files"].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _listed_files(folder: Path, paths: List[str]) -> str:
    if len(paths) == 1:
        return f"{folder / paths[0]}"
    return "The weight files " + ", ".join(str(folder / path) for path in paths)
