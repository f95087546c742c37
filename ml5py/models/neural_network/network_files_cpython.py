"""The CPython runtime, NeuralNetwork's model files: the folder written whole, files read back.

Star-imported by this folder's ``runtime_cpython.py``. Its twin for the browser is
``network_files_browser.py``. Saving replaces the folder all at once (a failed save keeps
the old files) and refuses a folder holding anything but a saved model; loading reads a
folder, a ``model.json`` (ml5.js's ``name.json`` + ``name_meta.json`` too), a URL, or
ml5.js's ``{"model", "metadata", "weights"}``, with errors that name the damaged file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict

import numpy as np

from ml5py.core.pending_cpython import Settled, attempt

MODEL_FILES = ("model.json", "model_meta.json", "model.weights.bin")


def network_save(folder: Any, texts: dict, weights_file: str, weights: list) -> Settled:
    """Write ``texts`` and the weights (float32, one after another) as the folder ``folder``.

    The folder is replaced all at once (``core/saved_folders.write_folder``): a failed save
    keeps the old files. A folder holding anything but a saved model is left alone (the
    shared rule of ``core/safe_save.py``, as for every saver).
    """
    from ml5py.core.saved_folders import write_folder

    def save() -> dict:
        target = Path(os.fspath(folder))
        files: Dict[str, bytes] = {name: text.encode("utf-8") for name, text in texts.items()}
        files[weights_file] = b"".join(np.asarray(w, dtype="<f4").tobytes() for w in weights)
        write_folder(target, files, "save")  # (refuses a folder holding anything but a saved model)
        return files

    return attempt(save)


def _read(place: str, what: str) -> bytes:
    if place.startswith(("http://", "https://")):
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(place, timeout=60) as response:
                return response.read()
        except (urllib.error.URLError, OSError) as error:
            raise OSError(f"Could not load {what} from '{place}': {getattr(error, 'reason', error)}.") from None
    try:
        return Path(place).read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"There is no {what} at '{place}'. A saved network is a folder with "
                                f"{', '.join(MODEL_FILES)}.") from None


def _json(data: bytes, place: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"'{place}' is not valid JSON ({error}); the file is damaged. Save the network "
                         "again.") from None


def _places(location: Any) -> dict:
    """Where the model, metadata and weights files are, from a folder, model.json, URL or dict."""
    from ml5py.models.neural_network.nn_model_files import model_places

    if isinstance(location, dict):
        if "model" not in location:
            raise ValueError("load() takes a folder, a model.json, or {\"model\": ..., \"metadata\": ..., "
                             "\"weights\": ...}; this dict has no \"model\".")
        weights = location.get("weights")
        return model_places(os.fspath(location["model"]), location.get("metadata"),
                            None if weights is None else os.fspath(weights))
    if not isinstance(location, (str, os.PathLike)):
        raise TypeError(f"load() takes the folder (or model.json, or URL) of a saved network; got a "
                        f"{type(location).__name__}.")
    return model_places(os.fspath(location), None, None)


def network_load(location: Any) -> Settled:
    """A saved network's files: ``{"model", "meta", "weights": {name: numbers}, "where", "model_name",
    "meta_name"}`` (the JSON as dicts, the weights by name, the places for messages)."""
    from ml5py.models.neural_network.nn_model_files import joined
    from ml5py.numpy_executor.weight_manifest import _byte_length, decode_weights

    def load() -> dict:
        places = _places(location)
        model = _json(_read(places["model"], "model.json"), places["model"])
        meta_place = places["meta"][0]
        for candidate in places["meta"]:
            if candidate.startswith(("http://", "https://")) or Path(candidate).is_file():
                meta_place = candidate
                break
        meta = _json(_read(meta_place, "model_meta.json (ml5.js saves it beside model.json)"), meta_place)
        manifest = model.get("weightsManifest") if isinstance(model, dict) else None
        if not isinstance(manifest, list):
            raise ValueError(f"'{places['model']}' has no weightsManifest: it is not a TF.js model.json.")
        def weights_file(path: str) -> bytes:
            override = places["weights"]
            return _read(override if override is not None else joined(places["base"], path), "weights file")

        for group in manifest:
            paths = group.get("paths", [])
            data = b"".join(weights_file(path) for path in paths)
            needed = sum(_byte_length(spec) for spec in group.get("weights", []))
            if len(data) != needed:
                raise ValueError(f"The weights file {', '.join(paths)} next to '{places['model']}' holds "
                                 f"{len(data)} bytes where the model needs {needed}: it is damaged or belongs "
                                 "to another model. Save the network again.")
        named = decode_weights(manifest, weights_file)
        return {"model": model, "meta": meta, "where": places["base"], "meta_name": meta_place,
                "model_name": places["model"],
                "weights": {name: array.ravel().tolist() for name, array in named.items()}}

    return attempt(load)
