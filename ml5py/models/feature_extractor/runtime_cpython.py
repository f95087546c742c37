"""The CPython runtime, training: trainable heads for ``feature_extractor.py`` and ``trainable.py``.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``runtime_browser.py`` beside it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ml5py.core.pending_cpython import Settled, attempt
from ml5py.numpy_executor.blas_threads import on_one_blas_thread as _on_one_blas_thread


# ---------------------------------------------------------------- training: trainable heads for feature_extractor.py

def head_create(weights: list, sizes: list, kind: str, learning_rate: float) -> Any:
    """A trainable ``Dense(relu) -> Dense`` network (numpy) from flat or shaped weights."""
    from ml5py.models.feature_extractor.head_numpy import DenseHead

    shapes = [(sizes[0], sizes[1]), (sizes[1],), (sizes[1], sizes[2]), (sizes[2],)]
    return DenseHead([np.asarray(w, dtype=np.float32).reshape(shape) for w, shape in zip(weights, shapes)],
                     kind, learning_rate)


def head_sizes(head: Any) -> list:
    """[inputs, hidden units, outputs] of a head."""
    return head.sizes


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def head_fit_epoch(head: Any, rows: list, targets: list, batches: list) -> Settled:
    """One epoch: an Adam step per batch (lists of example numbers); [mean loss, accuracy]."""
    x = np.asarray(rows, dtype=np.float32)
    y = np.asarray(targets)
    loss = correct = 0.0
    count = 0
    for batch in batches:
        batch_loss, accuracy = head.train_batch(x[batch], y[batch])
        loss += batch_loss * len(batch)
        correct += (accuracy or 0.0) * len(batch)
        count += len(batch)
    if count == 0:
        return Settled([None, None])
    return Settled([loss / count, correct / count if head.kind == "classification" else None])


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def head_evaluate(head: Any, rows: list, targets: list, indices: list) -> Settled:
    """[loss, accuracy] of the examples numbered ``indices`` ([None, None] if there are none)."""
    if len(indices) == 0:
        return Settled([None, None])
    loss, accuracy = head.evaluate(np.asarray([rows[i] for i in indices], dtype=np.float32),
                                   np.asarray([targets[i] for i in indices]))
    return Settled([loss, accuracy])


@_on_one_blas_thread  # numpy's matrix products on one thread (numpy_executor/blas_threads.py)
def head_predict(head: Any, row: Any) -> Settled:
    """The head's outputs for one embedding, as a list of floats."""
    return Settled(head.predict(np.asarray(row, dtype=np.float32)[np.newaxis])[0].tolist())


def head_dispose(head: Any) -> None:
    """Free a head: drop its weights and Adam's state (numpy's garbage collector frees them)."""
    head.params = []
    head.optimizer = None


def _model_folder(source: dict) -> Path:
    from ml5py.weights import registry

    return registry.model_dir(source["id"]) if source["id"] else Path(source["dir"])


def save_trained_model(extractor: Any, head: Any, metadata: dict, folder: Any) -> Settled:
    """Write the extractor's model (cut at its embedding) + the head as a TF.js model folder.

    Returns ``{file name: bytes}``. The folder is replaced all at once (see ``trained_files``).
    """
    import json

    from ml5py.models.feature_extractor.trained_files import trained_model_files, write_folder

    def save() -> dict:
        if not isinstance(folder, (str, os.PathLike)):
            raise TypeError(f"model.save needs a folder name such as \"my_model\"; got {folder!r}.")
        base = _model_folder(extractor.source)
        base_json = json.loads((base / extractor.source.get("entry", "model.json")).read_text())
        files = trained_model_files(base_json, lambda name: (base / name).read_bytes(),
                                    extractor.layer_name, head.params, head.kind, metadata)
        write_folder(folder, files)
        return files

    return attempt(save)


def load_trained_model(location: Any) -> Settled:
    """A saved model's head and metadata: ``{"weights", "sizes", "metadata"}``."""
    import json

    from ml5py.models.feature_extractor.trained_files import head_from_model
    from ml5py.weights.user_models import resolve_user_model

    def load() -> dict:
        if not isinstance(location, (str, os.PathLike)):
            raise TypeError(f"Give the folder, model.json or URL of a saved model; got a "
                            f"{type(location).__name__}.")
        described = resolve_user_model(os.fspath(location))
        folder = Path(described["dir"])
        model_json = json.loads((folder / described["entry"]).read_text())
        head = head_from_model(model_json, lambda name: (folder / name).read_bytes(), str(location))
        head["metadata"] = described["metadata"]
        return head

    return attempt(load)
