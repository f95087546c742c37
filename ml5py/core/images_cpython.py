"""The CPython runtime's images (files, numpy arrays, PIL images; ``load_image``, the photo
given on the command line) and live loops (frames in order).

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``images_browser.py``.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable

import numpy as np

from ml5py.core.image_files import array_to_rgb, Image, read_image_file, to_rgb_pixels
from ml5py.core.pending_cpython import attempt, ready, Settled

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


def loop(media: Any, step: Callable[[Any], Any], running: Callable[[], bool], eager: bool = False) -> Settled:
    """Call ``step(frame)`` for each frame of ``media``, in order, while ``running()``.

    ``media`` is an image or an iterable of images (a list, a generator reading a video
    file...). Each step finishes before the next starts. Errors raised by a step (a
    callback's own) stop the loop and are raised here. (In the browser the frames are
    the new frames of a video or canvas, until ``running()`` turns false; ``eager`` matters
    only there: here every frame is there already.)
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
