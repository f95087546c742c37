"""The CPython runtime, BodyPix: graph models, masks and effects for ``body_pix.py``.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``runtime_browser.py`` beside it.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ml5py.core.image_files import Image, to_rgb_pixels
from ml5py.core.pending_cpython import Settled, attempt


# ---------------------------------------------------------------- BodyPix: graph models, masks and effects for body_pix.py
#
# The ops themselves are in ml5py/bodypix_numpy.py; the graph model runs on ml5py/graph_numpy.py.

def find_bodypix_model(model_id: str) -> Settled:
    """The registry facts of one BodyPix variant (``sources.bodypix_source``)."""
    from ml5py.weights import registry
    from ml5py.weights.sources import bodypix_source

    return attempt(lambda: bodypix_source(registry.find_entry(model_id, task="body-segmentation")))


def load_graph_model(source: dict, filename: str, title: str = "model") -> Settled:
    """A TF.js graph model (``filename`` of a registry model) in our numpy executor."""
    import json

    from ml5py.weights import registry
    from ml5py.numpy_executor.graph import GraphModel

    def load() -> Any:
        entry = registry.find_entry(source["id"])
        folder = registry.model_dir(entry)  # every file of the entry, checked (size, sha256)
        model_json = json.loads((folder / filename).read_text(encoding="utf-8"))
        return GraphModel.from_files(model_json, lambda name: (folder / name).read_bytes())

    return attempt(load)


def bodypix_input(image: np.ndarray, padding: list, size: list) -> np.ndarray:
    """The batch of one BodyPix takes: padded, resized, ``x / 127.5 - 1`` (as body-pix computes it)."""
    from ml5py.models.body_pix import image_ops_numpy as bodypix_numpy

    resized = bodypix_numpy.pad_and_resize(image, padding, size)
    return (resized / np.float32(127.5) - np.float32(1))[np.newaxis]


def execute_graph(model: Any, input_name: str, tensor: np.ndarray, output_names: list) -> list:
    """Run a graph model on ``{input_name: tensor}``; the outputs named, in that order."""
    return list(model.execute({input_name: tensor}, list(output_names)))


def scale_and_crop(logits: np.ndarray, size: list, resized: list, padding: list) -> np.ndarray:
    """body-pix's way back to the picture: resize (corners aligned), sigmoid, crop the padding."""
    from ml5py.models.body_pix import image_ops_numpy as bodypix_numpy

    return bodypix_numpy.scale_and_crop(logits, size, resized, padding)


def above(tensor: np.ndarray, threshold: float) -> np.ndarray:
    """1.0 where ``tensor > threshold``, else 0.0 (float32)."""
    from ml5py.models.body_pix import image_ops_numpy as bodypix_numpy

    return bodypix_numpy.above(tensor, threshold)


def part_ids(part_probabilities: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The most likely part (first on ties) where ``mask`` is on; -1 elsewhere (int32, H x W)."""
    from ml5py.models.body_pix import image_ops_numpy as bodypix_numpy

    return bodypix_numpy.part_ids(part_probabilities, mask)


def blur(tensor: np.ndarray, kernel: list) -> np.ndarray:
    """Blur along height then width with the 1-D ``kernel``; edges mirrored ("reflect")."""
    from ml5py.models.body_pix import image_ops_numpy as bodypix_numpy

    return bodypix_numpy.blur(tensor, kernel)


def blend(front: np.ndarray, back: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask * front + (1 - mask) * back``: the person from ``front``, the rest from ``back``."""
    from ml5py.models.body_pix import image_ops_numpy as bodypix_numpy

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
