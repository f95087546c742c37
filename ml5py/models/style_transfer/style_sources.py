"""Where a style-transfer checkpoint lives: a style name, a folder, or a URL. CPython only.

A style name (``"scream"``) is looked up among the pretrained styles; anything that looks
like a location is a learner's own checkpoint: a folder (or its ``manifest.json``) holding
``manifest.json`` plus one raw float32 file per variable, or the http(s) URL of such a
folder, downloaded once into ``<cache>/user/<hash of the URL>/``.
"""
from __future__ import annotations

import hashlib
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any, Dict

from ml5py.weights import registry, whole_files
from ml5py.models.style_transfer.checkpoint import MANIFEST, checked_bytes, read_checkpoint, read_manifest
from ml5py.weights.sources import style_source

TASK = "style-transfer"


def style_names() -> list:
    """The names of the pretrained styles (``la_muse``, ``mathura``, ...)."""
    return registry.model_names(TASK)


def find_style(name_or_location: Any) -> Dict[str, Any]:
    """What ``StyleTransfer`` needs to load a style: a dict like ``sources.style_source`` gives.

    Pretrained styles have an ``id``; a learner's checkpoint has ``id`` None and ``dir``, the
    local folder holding it.
    """
    if not isinstance(name_or_location, str):
        raise TypeError(f"A style is named by a string such as 'scream', or the folder/URL of a "
                        f"checkpoint; got a {type(name_or_location).__name__}.")
    text = name_or_location.strip()
    try:
        return style_source(registry.find_entry(text, task=TASK))
    except registry.UnknownModelError:
        known = registry.is_model_name(text)
        if known or not registry.looks_like_location(text):
            task = registry.find_entry(text)["task"] if known else None
            other_task = f" ('{text}' is a model for {task}, not a style.)" if known else ""
            raise registry.UnknownModelError(
                f"Unknown style '{name_or_location}'. Valid styles are: {', '.join(style_names())}. "
                "You can also give the folder (ending in /, as in 'my_style/') or URL of a "
                "style-transfer checkpoint (manifest.json plus its variable files)." + other_task) from None
    folder = _remote_folder(text) if registry._is_url(text) else _local_folder(text)
    return {"id": None, "title": text, "names": [], "upstream": None, "entry": MANIFEST,
            "files": {}, "dir": str(folder)}


def _local_folder(text: str) -> Path:
    given = Path(text).expanduser()
    folder = given.parent if given.name == MANIFEST or given.is_file() else given
    if not folder.is_dir():
        raise registry.ModelFileError(
            f"There is no checkpoint folder {folder}. Give a style name ({', '.join(style_names())}), "
            "or the folder holding manifest.json and the variable files.", path=folder)
    return folder


def _remote_folder(url: str) -> Path:
    """Download the checkpoint at ``url`` (a folder URL or its manifest.json) into the cache."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if path.endswith("/" + MANIFEST):
        path = path[: -len(MANIFEST)]
    elif not path.endswith("/"):
        path += "/"
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    folder = registry.cache_dir() / "user" / hashlib.sha256(base.encode("utf-8")).hexdigest()[:16]
    if (folder / MANIFEST).is_file():
        return folder  # the manifest is written last: its presence means the copy is complete
    entry: Dict[str, Any] = {"id": None, "names": [base], "files": None}
    manifest_bytes = whole_files.read_url(base + MANIFEST, MANIFEST, entry)
    with tempfile.TemporaryDirectory(prefix="ml5py-manifest-") as scratch:
        (Path(scratch) / MANIFEST).write_bytes(manifest_bytes)
        try:
            manifest = read_manifest(Path(scratch))
        except registry.ModelFileError:
            raise registry.ModelFileError(
                f"corrupt checkpoint: {base + MANIFEST} is not a checkpoint manifest (it should map "
                'variable names to {"filename": ..., "shape": [...]}).', url=base + MANIFEST) from None
    for variable, info in manifest.items():
        name = info["filename"]
        registry._download(base + urllib.parse.quote(name), folder / name, entry, name, None, None)
        # checked before the manifest is written: a bad file is fetched again next time
        checked_bytes(folder / name, variable, info["shape"], shown_as=base + name)
    whole_files.write_atomic(folder / MANIFEST, manifest_bytes)
    return folder


def load_style(source: Dict[str, Any]) -> Dict[str, Any]:
    """The checkpoint's variables (name -> float32 array), from the mirror, cache or folder."""
    if source.get("id"):
        folder = registry.model_dir(registry.find_entry(source["id"], task=TASK))
    else:
        folder = Path(source["dir"])
    return read_checkpoint(folder)
