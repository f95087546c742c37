"""The CPython runtime, NeuralNetwork (issue 12): numpy layers, data as numbers, model files.

A part of ``runtime_cpython.py`` (star-imported there). Its twin for the browser is
``runtime_browser_network.py``; ``neural_network.py`` calls both through ``rt``.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Dict

import numpy as np

from ml5py.runtime_cpython_core import Settled, attempt

MODEL_FILES = ("model.json", "model_meta.json", "model.weights.bin")


# ---------------------------------------------------------------- values

def is_number(value: Any) -> bool:
    """True for a number (int, float, numpy number), not for True/False."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def is_list(value: Any) -> bool:
    """True for a list of values: a list, a tuple or a 1-D numpy array (a JS array in the browser)."""
    return isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1)


def as_list(value: Any) -> list:
    """``value`` (a list, tuple or numpy array) as a plain list."""
    return value.tolist() if isinstance(value, np.ndarray) else list(value)


def describe_type(value: Any) -> str:
    """The name of a value's type, for messages."""
    return "None" if value is None else type(value).__name__


def network_warning(message: str) -> None:
    """Tell the learner something is likely wrong, without stopping (a Python warning, shown at
    the learner's line: the first caller outside ml5py)."""
    import sys

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level, frame = 2, sys._getframe(1)  # 2: the caller of this function
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        level, frame = level + 1, frame.f_back
    warnings.warn("NeuralNetwork: " + message, UserWarning, stacklevel=level)


# ---------------------------------------------------------------- pictures

def network_pixels_now(media: Any, shape: list, method: str) -> list:
    """A picture's pixels as one list of numbers (0..255), rows of [r, g, b(, a)], checked against
    the network's ``[width, height, channels]``."""
    from ml5py.media_cpython import Image, to_rgb_pixels

    rgb = np.asarray(to_rgb_pixels(media))
    height, width = rgb.shape[:2]
    if width != shape[0] or height != shape[1]:
        raise ValueError(f"{method}: the picture is {width}x{height} pixels, but the network takes "
                         f"{shape[0]}x{shape[1]} (inputs=[{shape[0]}, {shape[1]}, {shape[2]}]). Resize it "
                         f"first (in p5: video.size({shape[0]}, {shape[1]})).")
    if shape[2] == 3:
        return rgb.astype(np.float64).ravel().tolist()
    alpha = np.full((height, width, 1), 255.0)
    if isinstance(media, Image) and media.pixels.shape[2] == 4:
        alpha = media.pixels[..., 3:].astype(np.float64)
    return np.concatenate([rgb.astype(np.float64), alpha], axis=2).ravel().tolist()


def network_pixels(media: Any, shape: list, method: str) -> Settled:
    """``network_pixels_now`` as a pending value (the browser may have to wait for the picture)."""
    return attempt(lambda: network_pixels_now(media, shape, method))


# ---------------------------------------------------------------- the network

def network_create(specs: list, weights: list, optimizer: str, learning_rate: float, classifying: bool) -> Any:
    """A trainable network (numpy) of ``specs`` starting from ``weights`` (flat lists)."""
    from ml5py.neural_network.network_numpy import Network

    return Network(specs, weights, optimizer, learning_rate, classifying)


def network_data(net: Any, inputs: list, targets: list) -> dict:
    """The examples as float32 arrays shaped for the network."""
    shape = [len(inputs)] + list(net.specs[0]["input_shape"])
    return {"x": np.asarray(inputs, dtype=np.float32).reshape(shape),
            "y": np.asarray(targets, dtype=np.float32).reshape(len(targets), -1)}


def network_data_dispose(data: dict) -> None:
    data.clear()


def network_fit_epoch(net: Any, data: dict, batches: list) -> Settled:
    """One epoch: an optimiser step per batch (lists of example numbers); [mean loss, accuracy]."""
    loss = correct = 0.0
    count = 0
    for batch in batches:
        batch_loss, accuracy = net.train_batch(data["x"][batch], data["y"][batch])
        loss += batch_loss * len(batch)
        correct += (accuracy or 0.0) * len(batch)
        count += len(batch)
    if count == 0:
        return Settled([None, None])
    return Settled([loss / count, correct / count if net.classifying else None])


def network_evaluate(net: Any, data: dict, indices: list) -> Settled:
    """[loss, accuracy] on the examples numbered ``indices`` ([None, None] for none)."""
    if len(indices) == 0:
        return Settled([None, None])
    return Settled(list(net.evaluate(data["x"][indices], data["y"][indices])))


def network_predict_sync(net: Any, rows: list) -> list:
    """The network's outputs for each row, as lists of floats."""
    shape = [len(rows)] + list(net.specs[0]["input_shape"])
    return net.predict(np.asarray(rows, dtype=np.float32).reshape(shape)).tolist()


def network_predict(net: Any, rows: list) -> Settled:
    return attempt(lambda: network_predict_sync(net, rows))


def network_weights(net: Any) -> Settled:
    """The weights, one flat float32 array per weight, in the specs' order."""
    return Settled([p.ravel().copy() for p in net.params])


def network_dispose(net: Any) -> None:
    """Free a network: drop its weights and its optimiser's state."""
    net.params = []
    net.optimizer = None


# ---------------------------------------------------------------- files

def network_save(folder: Any, texts: dict, weights_file: str, weights: list) -> Settled:
    """Write ``texts`` and the weights (float32, one after another) as the folder ``folder``.

    The folder is replaced all at once (``trained_files.write_folder``): a failed save
    keeps the old files. A folder holding anything but a saved model is left alone.
    """
    from ml5py.trained_files import write_folder

    def save() -> dict:
        target = Path(os.fspath(folder))
        if target.is_dir():
            others = sorted(p.name for p in target.iterdir() if p.name not in MODEL_FILES)
            if others:
                raise FileExistsError(
                    f"Cannot save the network as '{folder}': that folder holds other files "
                    f"({', '.join(others[:5])}), and saving replaces the whole folder. "
                    "Give save() a new folder name, such as save(\"my_model\").")
        files: Dict[str, bytes] = {name: text.encode("utf-8") for name, text in texts.items()}
        files[weights_file] = b"".join(np.asarray(w, dtype="<f4").tobytes() for w in weights)
        write_folder(target, files)
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
    from ml5py.neural_network.nn_model_files import model_places

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
    from ml5py.neural_network.nn_model_files import joined
    from ml5py.weights import _byte_length, decode_weights

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
