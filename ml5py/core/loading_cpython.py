"""The CPython runtime's model loading: registry names and a learner's own models (``find_model``),
layers models run by our numpy executor.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``loading_browser.py``.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from ml5py.core.pending_cpython import attempt, Settled


# ---------------------------------------------------------------- models

def find_model(name_or_path: Any) -> Settled:
    """The registry entry for a model name, or a description of a user's model folder/URL.

    A ``pathlib.Path`` counts as a folder (what ``model.save(path)`` was given).
    """
    from ml5py.weights import registry
    from ml5py.weights.sources import classifier_source, user_model_source
    from ml5py.weights.user_models import resolve_user_model

    if isinstance(name_or_path, os.PathLike):
        return attempt(lambda: user_model_source(resolve_user_model(os.fspath(name_or_path))))

    def look_up() -> dict:
        if not isinstance(name_or_path, str):
            raise TypeError(
                f"A model is named by a string such as 'MobileNet', or the folder/URL of a "
                f"TF.js model; got a {type(name_or_path).__name__}."
            )
        try:  # registry names first: an id may contain a slash (style-transfer/scream)
            return classifier_source(registry.find_entry(name_or_path, task="image-classifier"))
        except registry.UnknownModelError as unknown:
            if registry.is_model_name(name_or_path):
                raise
            if not _is_location(name_or_path):
                raise registry.UnknownModelError(
                    f"{unknown} (There is no folder '{name_or_path}/' in {os.getcwd()} either.)"
                ) from None
        return user_model_source(resolve_user_model(name_or_path))

    return attempt(look_up)


def _is_location(text: str) -> bool:
    """True if ``text`` reads as a folder, file or URL, or names an existing one (``"pets"``)."""
    from pathlib import Path

    from ml5py.weights import registry

    return registry.looks_like_location(text) or Path(text).expanduser().exists()


def load_layers_model(source: dict, title: str = "model") -> Any:
    """Load a TF.js layers model (``model.json`` + weight shards) into our numpy executor."""
    import json
    from pathlib import Path

    from ml5py.weights import registry
    from ml5py.numpy_executor.layers import LayersModel

    if source["id"]:
        folder = registry.model_dir(source["id"])
    else:
        folder = Path(source["dir"])  # a user's model, already copied locally if it was a URL
    model_json = json.loads((folder / source.get("entry", "model.json")).read_text())
    model = LayersModel.from_files(model_json, lambda name: (folder / name).read_bytes())
    return model


def model_input_size(model: Any) -> list:
    """The (height, width) a model wants, read from its first layer."""
    shape = model.input_shape
    return [int(shape[1]), int(shape[2])]


def model_output_size(model: Any) -> int:
    """How many numbers the model gives per picture (one blank picture through it)."""
    import numpy as np

    shape = model.input_shape
    blank = np.zeros([1] + [int(side or 1) for side in shape[1:]], dtype=np.float32)
    return int(np.asarray(model.predict(blank)).shape[-1])


def embedding(tensor: np.ndarray) -> Settled:
    """An embedding from a 1 x n tensor: a numpy float32 vector of n numbers (a new array)."""
    return Settled(np.array(tensor, dtype=np.float32).reshape(-1))
