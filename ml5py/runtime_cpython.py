"""The CPython runtime: numpy tensors, our numpy model executor, Pillow images.

Its twin for the browser is ``runtime_browser.py``; both offer the same functions, so the
model classes above them are written once. Here "pending" values are ``Settled`` boxes
that already hold a value or an error: CPython code runs straight through, in order.
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
    """Write ``text`` to the file ``path`` safely: through a temporary file and ``os.replace``.

    If anything fails, an older file at ``path`` stays as it was and no temporary file is
    left behind. (In the browser the page downloads the text as a file named ``path``.)
    """
    import os
    import tempfile

    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot save to '{path}': the folder '{folder}' does not exist.")
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp",
                                         dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


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


# ---------------------------------------------------------------- style transfer (issue 4): ops and images for ml5py/style_transfer.py
#
# Tensors are NHWC float32 numpy arrays (a batch of one image), as numpy_ops takes them.

# The most pixels one style transfer takes here: a 2048 x 2048 picture (the limit itself)
# was run once: it peaked at 2.5 GB of memory and took 89 s on two busy cores.
STYLE_MAX_PIXELS = 2048 * 2048
_BAND_BYTES = 64 * 1024 * 1024  # a convolution's im2col matrix is built in bands this big


def style_names() -> list:
    """The names of the pretrained styles."""
    from ml5py.style_sources import style_names as names

    return names()


def find_checkpoint(style: Any) -> Settled:
    """The description of a style: a pretrained style's name, or a checkpoint folder/URL."""
    from ml5py.style_sources import find_style

    return attempt(lambda: find_style(style))


def load_checkpoint(source: dict, title: str = "style") -> Settled:
    """The checkpoint's variables: a dict from name (``Variable_3``) to float32 array."""
    from ml5py.style_sources import load_style

    return attempt(lambda: load_style(source))


def max_pixels() -> list:
    """[the most pixels style transfer takes, where]: here numpy's memory."""
    return [STYLE_MAX_PIXELS, "CPython (numpy, memory)"]


def conv2d(x: np.ndarray, kernel: np.ndarray, stride: int, padding: str = "same") -> np.ndarray:
    """A 2-D convolution (kernel [kh, kw, in, out]), as ``tf.conv2d``.

    Large images are done in bands of output rows, so the im2col matrix of a 9x9
    convolution never takes more than ``_BAND_BYTES`` of memory.
    """
    kh, kw, cin, _ = kernel.shape
    _, height, width, _ = x.shape
    out_h, top, bottom = numpy_ops._out_size(height, kh, stride, 1, padding)
    out_w, left, right = numpy_ops._out_size(width, kw, stride, 1, padding)
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))) if top + bottom + left + right else x
    rows = max(1, _BAND_BYTES // (4 * out_w * kh * kw * cin))
    if rows >= out_h:
        return numpy_ops.conv2d(padded, kernel, stride, "valid")
    bands = []
    for first in range(0, out_h, rows):
        last = min(first + rows, out_h)
        band = padded[:, first * stride: (last - 1) * stride + kh, :, :]
        bands.append(numpy_ops.conv2d(band, kernel, stride, "valid"))
    return np.concatenate(bands, axis=1)


def conv2d_transpose(x: np.ndarray, kernel: np.ndarray, stride: int) -> np.ndarray:
    """A transposed convolution (kernel [kh, kw, out, in]) to ``stride`` times the size, 'same'."""
    shape = [x.shape[0], x.shape[1] * stride, x.shape[2] * stride, kernel.shape[2]]
    return numpy_ops.conv2d_transpose(x, kernel, shape, stride, "same")


def instance_norm(x: np.ndarray, shift: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``scale * (x - mean) / sqrt(variance + 0.001) + shift``, per image and channel."""
    return numpy_ops.instance_norm(x, shift, scale, 1e-3)


def relu(x: np.ndarray) -> np.ndarray:
    return numpy_ops.relu(x)


def tanh(x: np.ndarray) -> np.ndarray:
    return numpy_ops.tanh(x)


def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.add(a, b, dtype=np.float32)


def clip(x: np.ndarray, low: float, high: float) -> np.ndarray:
    return numpy_ops.clip(x, low, high)


def crop(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """The top-left ``height`` x ``width`` pixels of the first image of a batch (H x W x C)."""
    return x[0, :height, :width, :]


def dispose_variables(variables: dict) -> None:
    """Free every tensor of a checkpoint's variables (numpy's garbage collector does it here)."""


# (the functions of issue 4 go above this line)


# ---------------------------------------------------------------- bodypix (issue 5): graph models, masks and effects for ml5py/body_pix.py
#
# The ops themselves are in ml5py/bodypix_numpy.py; the graph model runs on ml5py/graph_numpy.py.

def is_number(value: Any) -> bool:
    """True for a plain number (int, float or a numpy number), not for True/False."""
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def is_sequence(value: Any) -> bool:
    """True for a list, tuple or 1-D array (of anything)."""
    return isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1)


def find_bodypix_model(model_id: str) -> Settled:
    """The registry facts of one BodyPix variant (``sources.bodypix_source``)."""
    from ml5py import registry
    from ml5py.sources import bodypix_source

    return attempt(lambda: bodypix_source(registry.find_entry(model_id, task="body-segmentation")))


def load_graph_model(source: dict, filename: str, title: str = "model") -> Settled:
    """A TF.js graph model (``filename`` of a registry model) in our numpy executor."""
    import json

    from ml5py import registry
    from ml5py.graph_numpy import GraphModel

    def load() -> Any:
        entry = registry.find_entry(source["id"])
        folder = registry.model_dir(entry)  # every file of the entry, checked (size, sha256)
        model_json = json.loads((folder / filename).read_text(encoding="utf-8"))
        return GraphModel.from_files(model_json, lambda name: (folder / name).read_bytes())

    return attempt(load)


def bodypix_input(image: np.ndarray, padding: list, size: list) -> np.ndarray:
    """The batch of one BodyPix takes: padded, resized, ``x / 127.5 - 1`` (as body-pix computes it)."""
    from ml5py import bodypix_numpy

    resized = bodypix_numpy.pad_and_resize(image, padding, size)
    return (resized / np.float32(127.5) - np.float32(1))[np.newaxis]


def execute_graph(model: Any, input_name: str, tensor: np.ndarray, output_names: list) -> list:
    """Run a graph model on ``{input_name: tensor}``; the outputs named, in that order."""
    return list(model.execute({input_name: tensor}, list(output_names)))


def scale_and_crop(logits: np.ndarray, size: list, resized: list, padding: list) -> np.ndarray:
    """body-pix's way back to the picture: resize (corners aligned), sigmoid, crop the padding."""
    from ml5py import bodypix_numpy

    return bodypix_numpy.scale_and_crop(logits, size, resized, padding)


def above(tensor: np.ndarray, threshold: float) -> np.ndarray:
    """1.0 where ``tensor > threshold``, else 0.0 (float32)."""
    from ml5py import bodypix_numpy

    return bodypix_numpy.above(tensor, threshold)


def part_ids(part_probabilities: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The most likely part (first on ties) where ``mask`` is on; -1 elsewhere (int32, H x W)."""
    from ml5py import bodypix_numpy

    return bodypix_numpy.part_ids(part_probabilities, mask)


def blur(tensor: np.ndarray, kernel: list) -> np.ndarray:
    """Blur along height then width with the 1-D ``kernel``; edges mirrored ("reflect")."""
    from ml5py import bodypix_numpy

    return bodypix_numpy.blur(tensor, kernel)


def blend(front: np.ndarray, back: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask * front + (1 - mask) * back``: the person from ``front``, the rest from ``back``."""
    from ml5py import bodypix_numpy

    return bodypix_numpy.blend(front, back, mask)


def mask_values(tensor: np.ndarray, dtype: str) -> Settled:
    """A height x width numpy array (``dtype``) of a H x W (x 1) tensor: one number per pixel."""
    array = np.asarray(tensor)
    return Settled(np.ascontiguousarray(array.reshape(array.shape[0], array.shape[1]), dtype=dtype))


def threshold_values(raw: np.ndarray, threshold: float, width: int, height: int) -> np.ndarray:
    """1 where ``raw > threshold`` (compared in float32), else 0: a height x width uint8 array."""
    return (raw > np.float32(threshold)).astype(np.uint8)


def lazy_field(fields: dict, name: str, make: Callable[[], Any]) -> None:
    """``fields[name] = make()`` (the browser makes it only when it is first read)."""
    fields[name] = make()


def masked_image(media: Any, data: np.ndarray, width: int, height: int, keep_person: bool) -> Image:
    """The picture with alpha from the mask: the person kept (or the background), the rest transparent."""
    rgb = to_rgb_pixels(media)
    if rgb.dtype != np.uint8:  # a float array: as the browser would draw it
        rgb = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    keep = data if keep_person else 1 - data
    alpha = (keep.astype(np.uint8) * np.uint8(255))[..., np.newaxis]
    return Image(np.concatenate([rgb, alpha], axis=2), "a BodyPix mask")


def coloured_parts(parts: np.ndarray, width: int, height: int, palette: list) -> Image:
    """Each body part in its palette colour, opaque; the background transparent (RGBA)."""
    colours = np.zeros((len(palette) + 1, 4), dtype=np.uint8)  # the last row: background (id -1)
    colours[:-1, :3] = np.asarray(palette, dtype=np.float64).round().clip(0, 255).astype(np.uint8)
    colours[:-1, 3] = 255
    return Image(colours[parts], "BodyPix parts")


# (the functions of issue 5 go above this line)


# ---------------------------------------------------------------- training (issue 6): trainable heads for ml5py/feature_extractor.py

def backend_ready() -> Settled:
    """Wait until tensors can be made (numpy: always; the browser starts TF.js's backend)."""
    return Settled(None)


def in_turn(count: int, step: Callable[[int], Any]) -> Settled:
    """Run ``step(0)``, ``step(1)``, ... ``step(count - 1)``, each after the last one finished.

    (In the browser each step starts after the previous one's promise, with a pause for the
    page to draw in between.) An error stops the steps and is kept.
    """
    def run() -> None:
        for number in range(count):
            ready(step(number)).result()

    return attempt(run)


def head_create(weights: list, sizes: list, kind: str, learning_rate: float) -> Any:
    """A trainable ``Dense(relu) -> Dense`` network (numpy) from flat or shaped weights."""
    from ml5py.train_numpy import DenseHead

    shapes = [(sizes[0], sizes[1]), (sizes[1],), (sizes[1], sizes[2]), (sizes[2],)]
    return DenseHead([np.asarray(w, dtype=np.float32).reshape(shape) for w, shape in zip(weights, shapes)],
                     kind, learning_rate)


def head_sizes(head: Any) -> list:
    """[inputs, hidden units, outputs] of a head."""
    return head.sizes


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


def head_evaluate(head: Any, rows: list, targets: list, indices: list) -> Settled:
    """[loss, accuracy] of the examples numbered ``indices`` ([None, None] if there are none)."""
    if len(indices) == 0:
        return Settled([None, None])
    loss, accuracy = head.evaluate(np.asarray([rows[i] for i in indices], dtype=np.float32),
                                   np.asarray([targets[i] for i in indices]))
    return Settled([loss, accuracy])


def head_predict(head: Any, row: Any) -> Settled:
    """The head's outputs for one embedding, as a list of floats."""
    return Settled(head.predict(np.asarray(row, dtype=np.float32)[np.newaxis])[0].tolist())


def head_dispose(head: Any) -> None:
    """Free a head: drop its weights and Adam's state (numpy's garbage collector frees them)."""
    head.params = []
    head.optimizer = None


def _model_folder(source: dict) -> Path:
    from ml5py import registry

    return registry.model_dir(source["id"]) if source["id"] else Path(source["dir"])


def save_trained_model(extractor: Any, head: Any, metadata: dict, folder: Any) -> Settled:
    """Write the extractor's model (cut at its embedding) + the head as a TF.js model folder.

    Returns ``{file name: bytes}``. The folder is replaced all at once (see ``trained_files``).
    """
    import json

    from ml5py.trained_files import trained_model_files, write_folder

    def save() -> dict:
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

    from ml5py.trained_files import head_from_model
    from ml5py.user_models import resolve_user_model

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

#
# (the functions of issue 6 go above this line)
