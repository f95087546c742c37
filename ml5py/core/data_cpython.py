"""The CPython runtime's plain data: embeddings as numpy vectors, value checks, JSON, and text
files (written safely, read from a path or an http(s) URL).

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``data_browser.py``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ml5py.core.image_files import Image
from ml5py.core.pending_cpython import attempt, Settled


# ---------------------------------------------------------------- plain data: embeddings as numbers, JSON, text files

def is_pending(value: Any) -> bool:
    """True for work that may still be running (a ``Settled`` box here; a promise in the browser)."""
    return isinstance(value, Settled)


def is_image(value: Any) -> bool:
    """True for what ml5py reads as a picture (a path, an Image, a PIL image, an H x W x C array)."""
    import os

    if isinstance(value, (str, os.PathLike, Image, bytes)) or hasattr(value, "getpixel"):
        return True
    return isinstance(value, np.ndarray) and value.ndim >= 3


def vector(value: Any) -> np.ndarray:
    """An embedding as a flat float64 array: from a list, tuple, numpy array or tensor-like.

    A 1 x n array counts as n numbers. Anything else is a TypeError saying what came.
    """
    if hasattr(value, "tolist") and not hasattr(value, "__array__"):
        value = value.tolist()  # an embedding object that can only list its numbers
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = np.asarray(None)  # ragged lists
    if array.dtype.kind not in "biuf":
        raise TypeError(f"An embedding is a list of numbers; got a {type(value).__name__} that "
                        "is not one.")
    array = np.array(array, dtype=np.float64)  # a copy: later changes to ``value`` do not leak in
    if array.ndim == 2 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 1 or array.size == 0:
        raise TypeError(f"An embedding is a list of numbers; got numbers shaped {list(array.shape)}.")
    if not np.all(np.isfinite(array)):
        position = int(np.flatnonzero(~np.isfinite(array))[0])
        raise TypeError(f"An embedding holds numbers only; number {position} is {array[position]}.")
    return array


def is_number(value: Any) -> bool:
    """True for a plain number (int, float or a numpy number), not for True/False."""
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def is_sequence(value: Any) -> bool:
    """True for a list, tuple or 1-D array (of anything)."""
    return isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1)


def is_object(value: Any) -> bool:
    """True for a JSON object: a dict here (a plain object or dict in the browser)."""
    return isinstance(value, dict)


def object_keys(value: dict) -> list:
    return list(value.keys())


def parse_json(text: Any) -> Any:
    """Data from JSON text; a ValueError naming the problem if it is not JSON."""
    import json

    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"it is not valid JSON ({error.msg} at line {error.lineno}, "
                         f"column {error.colno}).") from None
    except RecursionError:
        raise ValueError("its JSON nests lists or objects thousands of levels deep, which no saved "
                         "data does.") from None


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"Cannot write a {type(value).__name__} as JSON.")


def to_json(data: Any) -> str:
    """JSON text for ``data`` (numpy arrays become lists)."""
    import json

    return json.dumps(data, default=_plain, separators=(",", ":"))


def save_text(path: Any, text: str, saver: str = "save") -> None:
    """Write ``text`` to the file ``path`` safely: whole or not at all (``safe_save.replace_file``).

    An existing file is replaced only if ml5py (or ml5.js) saved it; otherwise nothing is
    written and the error names it and ``saver`` (``knn.save``: the method called). (In the
    browser the page downloads the text as a file.)
    """
    import os
    from pathlib import Path

    from ml5py.core.safe_save import replace_file

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{saver} needs a file name such as \"my_file.json\"; got {path!r}.")
    replace_file(Path(path), text.encode("utf-8"), _saved_by_ml5, "the file", saver)


def _saved_by_ml5(path: Any) -> bool:
    """True for a JSON file ml5py saved (``"format": "ml5py...."``), or ml5.js's KNN or data save."""
    import json

    try:
        if path.stat().st_size > 1 << 30:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    return (str(data.get("format", "")).startswith("ml5py.") or ("dataset" in data and "tensors" in data)
            or (list(data) == ["data"] and isinstance(data["data"], list)))


def load_text(location: Any) -> Settled:
    """The text of a file or an http(s) URL."""
    import os

    def read() -> str:
        if isinstance(location, str) and location.startswith(("http://", "https://")):
            import urllib.error
            import urllib.request

            try:
                with urllib.request.urlopen(location, timeout=60) as response:
                    return response.read().decode("utf-8", errors="replace")
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                raise OSError(f"Could not load '{location}': {reason}.") from None
        if not isinstance(location, (str, os.PathLike)):
            raise TypeError(f"Give a file path, a URL or JSON text; got a {type(location).__name__}.")
        from pathlib import Path

        from ml5py.core.safe_save import clean_debris

        clean_debris(Path(os.path.abspath(os.fspath(location))))  # what a killed save left
        try:
            with open(location, encoding="utf-8", errors="replace") as file:
                return file.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"There is no file '{location}'. Check the name, and that it "
                                    "is relative to the folder you run Python in.") from None

    return attempt(read)
