"""The CPython runtime's core: pending values, images, live loops, tensor ops, models,
backends, embeddings, and the hint for p5 sketches run from CPython.

A part of ``runtime_cpython.py`` (read that first). Its twin for the browser is
``runtime_browser_core.py``. The other parts import what they need from here, by name;
this module imports none of them.
"""
from __future__ import annotations

import atexit
import inspect
import os
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ml5py import numpy_ops
from ml5py.media_cpython import Image, array_to_rgb, read_image_file, to_rgb_pixels

# ---------------------------------------------------------------- pending values


class Settled:
    """A finished piece of work: either a ``value`` or the ``error`` that stopped it."""

    def __init__(self, value: Any = None, error: BaseException | None = None):
        self.value = value
        self.error = error

    def result(self) -> Any:
        """The value, or raise the error."""
        if self.error is not None:
            raise self.error
        return self.value


def ready(value: Any) -> Settled:
    """A pending value that is already there."""
    return value if isinstance(value, Settled) else Settled(value)


def attempt(work: Callable[[], Any]) -> Settled:
    """Run ``work()`` now and keep its value, or the error it raised."""
    try:
        return ready(work())
    except Exception as error:  # kept, to be handed to the callback or raised later
        return Settled(error=error)


def after(pending: Any, work: Callable[[Any], Any]) -> Settled:
    """When ``pending`` has its value, run ``work(value)``; errors skip ahead."""
    pending = ready(pending)
    if pending.error is not None:
        return pending
    return attempt(lambda: work(pending.value))


def when_all(items: list) -> Settled:
    """One pending list from a list of pending values (the first error wins)."""
    values = []
    for item in items:
        item = ready(item)
        if item.error is not None:
            return item
        values.append(item.value)
    return Settled(values)


def call_back(callback: Callable, *args: Any) -> Any:
    """Call a user's callback with as many of ``args`` as it accepts.

    So ``def got_results(results):`` works as well as ``def got_results(results, error):``.
    """
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return callback(*args)
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return callback(*args)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return callback(*args[: len(positional)])


def deliver(pending: Any, callback: Callable | None = None) -> Any:
    """Hand the outcome to the user: call ``callback(value, error)`` and return the value.

    Without a callback an error is raised, so it cannot pass unnoticed.
    """
    pending = ready(pending)
    if callback is None:
        return pending.result()
    if pending.error is not None:
        call_back(callback, None, pending.error)
        return None
    call_back(callback, pending.value, None)
    return pending.value


def record(fields: dict) -> "Record":
    """A result item readable both as ``item["label"]`` and as ``item.label``."""
    return Record(fields)


class Record(dict):
    """A dict whose keys can also be read as attributes (``r.label == r["label"]``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"This result has no '{name}'. It has: {', '.join(self)}.") from None


# ---------------------------------------------------------------- images

def load_image(path: Any) -> Image:
    """Load a picture from a file, ready to classify (``photo = load_image("bird.jpg")``)."""
    if isinstance(path, Image):
        return path
    return read_image_file(path)


def ask_for_image(default: str | None = None) -> Image:
    """The photo the user gives: ``python sketch.py photo.jpg``, else ``default``.

    (In the browser the page shows a file picker and accepts drag-and-drop.)
    """
    given = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if given:
        return read_image_file(given[0])
    if default is None:
        raise SystemExit(f"Give this sketch a photo: python {sys.argv[0]} path/to/photo.jpg")
    return read_image_file(default)


def media_ready(media: Any) -> Settled:
    """Wait until an image is loaded (instant here) and check it is a usable image."""
    return attempt(lambda: to_rgb_pixels(media))


def pixels(media: Any) -> np.ndarray:
    """The image's RGB pixels as a float32 height x width x 3 tensor, values 0..255."""
    return np.asarray(to_rgb_pixels(media), dtype=np.float32)


def image_from_pixels(tensor: np.ndarray) -> Settled:
    """A picture made from a height x width x 3 array of values 0..255 (an ``Image``).

    Height x width x 4 (RGBA, alpha 0 = transparent) keeps its alpha, for masks.
    (In the browser: a p5 image in a p5 sketch, else a ``<canvas>``.)
    """
    values = np.clip(np.round(np.asarray(tensor, dtype=np.float32)), 0, 255).astype(np.uint8)
    if values.ndim == 3 and values.shape[2] == 4 and values.shape[0] and values.shape[1]:
        return Settled(Image(np.ascontiguousarray(values), "a model's result"))
    return Settled(Image(array_to_rgb(values), "a model's result"))


# ---------------------------------------------------------------- live loops

def _frames(media: Any) -> Any:
    """The frames of ``media``: one image, or each item of a list, generator, or N x H x W x C array."""
    if isinstance(media, np.ndarray):
        return list(media) if media.ndim == 4 else [media]
    if isinstance(media, (str, os.PathLike, Image, bytes)) or hasattr(media, "getpixel"):
        return [media]  # a path, an Image, a PIL image: one picture
    try:
        return iter(media)
    except TypeError:
        return [media]  # not an image either: the step reports it


def loop(media: Any, step: Callable[[Any], Any], running: Callable[[], bool]) -> Settled:
    """Call ``step(frame)`` for each frame of ``media``, in order, while ``running()``.

    ``media`` is an image or an iterable of images (a list, a generator reading a video
    file...). Each step finishes before the next starts. Errors raised by a step (a
    callback's own) stop the loop and are raised here. (In the browser the frames are
    the new frames of a video or canvas, until ``running()`` turns false.)
    """
    for frame in _frames(media):
        if not running():
            break
        ready(step(frame)).result()
        if not running():
            break
    return Settled(None)


def keep_sketch_waiting(pending: Any) -> None:
    """Inside a p5 sketch's ``preload()``, p5 waits for ``pending``; CPython has no p5."""


# ---------------------------------------------------------------- tensor ops

def tidy(work: Callable[[], Any]) -> Any:
    """Run ``work``; in the browser this frees every temporary tensor it made."""
    return work()


def dispose(tensor: Any) -> None:
    """Free a tensor's memory (numpy's garbage collector does it for us)."""


def read(tensor: Any) -> Settled:
    """The tensor's values as a flat Python list of floats."""
    return Settled(np.asarray(tensor, dtype=np.float32).ravel().tolist())


def resize_bilinear(tensor: np.ndarray, size: list, align_corners: bool) -> np.ndarray:
    if tensor.shape[0] == size[0] and tensor.shape[1] == size[1]:
        return tensor
    return numpy_ops.resize_bilinear(tensor, (size[0], size[1]), align_corners=align_corners)


def scale_offset(tensor: np.ndarray, scale: float, offset: float) -> np.ndarray:
    return tensor * np.float32(scale) + np.float32(offset)


def mean_round_channels(tensor: np.ndarray) -> np.ndarray:
    """Average the colour channels and round to whole numbers (height x width x 1)."""
    total = tensor[..., 0:1] + tensor[..., 1:2] + tensor[..., 2:3]
    return np.round(total / np.float32(3)).astype(np.float32)


def batch(tensor: np.ndarray) -> np.ndarray:
    return tensor[np.newaxis]


def softmax(tensor: np.ndarray) -> np.ndarray:
    return numpy_ops.softmax(tensor)


# ---------------------------------------------------------------- models

def find_model(name_or_path: Any) -> Settled:
    """The registry entry for a model name, or a description of a user's model folder/URL.

    A ``pathlib.Path`` counts as a folder (what ``model.save(path)`` was given).
    """
    from ml5py import registry
    from ml5py.sources import classifier_source, user_model_source
    from ml5py.user_models import resolve_user_model

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

    from ml5py import registry

    return registry.looks_like_location(text) or Path(text).expanduser().exists()


def load_layers_model(source: dict, title: str = "model") -> Any:
    """Load a TF.js layers model (``model.json`` + weight shards) into our numpy executor."""
    import json
    from pathlib import Path

    from ml5py import registry
    from ml5py.layers_numpy import LayersModel

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
    shape = model.input_shape
    blank = np.zeros([1] + [int(side or 1) for side in shape[1:]], dtype=np.float32)
    return int(np.asarray(model.predict(blank)).shape[-1])


def predict(model: Any, tensor: np.ndarray) -> np.ndarray:
    return model.predict(tensor)


def feature_model(model: Any, layer_name: str) -> Any:
    """The model cut after ``layer_name``: its ``predict`` gives that layer's output."""
    return model.truncated(layer_name)


def embedding(tensor: np.ndarray) -> Settled:
    """An embedding from a 1 x n tensor: a numpy float32 vector of n numbers (a new array)."""
    return Settled(np.array(tensor, dtype=np.float32).reshape(-1))


# ---------------------------------------------------------------- backends

def set_backend(name: str) -> None:
    """Choose the maths engine. CPython always uses numpy; browser names are accepted and noted."""
    valid = ("numpy", "webgl", "wasm", "cpu")
    if name not in valid:
        raise ValueError(f"Unknown backend '{name}'. Valid backends are: {', '.join(valid)}.")
    if name != "numpy":
        warnings.warn(
            f"The '{name}' backend only exists in the browser; in CPython ml5py computes with numpy.",
            stacklevel=2,
        )


def get_backend() -> str:
    """The maths engine in use: always 'numpy' in CPython."""
    return "numpy"


# ---------------------------------------------------------------- embeddings (KNNClassifier)

SIMILARITY_DECIMALS = 1e9  # similarities are rounded to 9 decimals, in both runtimes


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


def similarity_index(vectors: list) -> tuple:
    """What ``cosine_similarities`` needs about the stored embeddings: rows and their lengths."""
    matrix = np.stack(vectors)
    return matrix, np.sqrt(np.einsum("ij,ij->i", matrix, matrix))


def cosine_similarities(index: tuple, query: np.ndarray) -> list:
    """Cosine similarity of ``query`` with each stored row (0 for all-zero rows), rounded to 9 decimals."""
    matrix, norms = index
    scale = norms * np.sqrt(np.dot(query, query))
    safe = np.where(scale > 0, scale, 1.0)
    similarities = np.where(scale > 0, (matrix @ query) / safe, 0.0)
    return (np.floor(similarities * SIMILARITY_DECIMALS + 0.5) / SIMILARITY_DECIMALS).tolist()


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


def save_text(path: Any, text: str) -> None:
    """Write ``text`` to the file ``path`` safely: whole or not at all (``safe_save.replace_file``).

    An existing file is replaced only if ml5py (or ml5.js) saved it; otherwise nothing is
    written and the error names it. (In the browser the page downloads the text as a file.)
    """
    from ml5py.safe_save import replace_file

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"save needs a file name such as \"knn.json\"; got {path!r}.")
    replace_file(Path(path), text.encode("utf-8"), _saved_by_ml5, "the examples", "knn.save")


def _saved_by_ml5(path: Path) -> bool:
    """True for a JSON file ml5py saved (``"format": "ml5py...."``) or ml5.js's KNN save."""
    import json

    try:
        if path.stat().st_size > 1 << 30:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    return str(data.get("format", "")).startswith("ml5py.") or ("dataset" in data and "tensors" in data)


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
        from ml5py.safe_save import clean_debris

        clean_debris(Path(os.path.abspath(os.fspath(location))))  # what a killed save left
        try:
            with open(location, encoding="utf-8", errors="replace") as file:
                return file.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"There is no file '{location}'. Check the name, and that it "
                                    "is relative to the folder you run Python in.") from None

    return attempt(read)


# ---------------------------------------------------------------- p5 sketches run from CPython

def _hint_for_p5_sketches() -> None:
    """At exit of ``python sketch.py``: if it was a p5 sketch, say how to run it instead.

    CPython has no canvas, so ``setup()``/``draw()`` never run here; silence would puzzle.
    """
    main = sys.modules.get("__main__")
    script = sys.argv[0] if sys.argv else ""  # (__main__.__file__ is gone by exit time)
    if not script.endswith(".py") or main is None:
        return  # a notebook, pytest, python -c ...
    defined = [name for name in ("preload", "setup", "draw")
               if inspect.isfunction(getattr(main, name, None))
               and getattr(main, name).__module__ == "__main__"]
    if defined:
        print(f"{Path(script).name} is a p5.js sketch (it defines {', '.join(n + '()' for n in defined)}), "
              f"and p5 sketches run in a browser. Try: ml5py serve {Path(script).name}", file=sys.stderr)


atexit.register(_hint_for_p5_sketches)
