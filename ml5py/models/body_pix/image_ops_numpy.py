"""The image ops around BodyPix in numpy, with TF.js's semantics (CPython only).

``pad_and_resize`` and ``scale_and_crop`` are body-pix's pre- and post-processing;
``crop_and_resize`` is ``tf.image.cropAndResize`` (bilinear, one box); ``blur`` a
separable Gaussian with mirrored edges (``tf.mirrorPad`` "reflect"); ``part_ids`` the
argmax of the part maps where the person mask is on. Images are H x W x C float32.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ml5py.numpy_executor import ops as numpy_ops


def pad_and_resize(image: np.ndarray, padding: Sequence[int], size: Sequence[int]) -> np.ndarray:
    """Pad with black (``[top, bottom, left, right]``), then resize bilinearly (corners not aligned)."""
    top, bottom, left, right = (int(p) for p in padding)
    padded = np.pad(np.asarray(image, dtype=np.float32), ((top, bottom), (left, right), (0, 0)))
    return numpy_ops.resize_bilinear(padded, (int(size[0]), int(size[1])), align_corners=False)


def _crop_positions(start: float, end: float, in_size: int, out_size: int) -> np.ndarray:
    """Where ``tf.image.cropAndResize`` samples along one axis (float64, like TF.js's CPU kernel)."""
    if out_size > 1:
        step = (end - start) * (in_size - 1) / (out_size - 1)
        return start * (in_size - 1) + np.arange(out_size, dtype=np.float64) * step
    return np.array([0.5 * (start + end) * (in_size - 1)], dtype=np.float64)


def crop_and_resize(image: np.ndarray, box: Sequence[float], size: Sequence[int],
                    extrapolation: float = 0.0) -> np.ndarray:
    """``tf.image.cropAndResize`` of one H x W x C image with one box ``[y1, x1, y2, x2]`` (0..1).

    Bilinear; samples outside the image get ``extrapolation``.
    """
    image = np.asarray(image, dtype=np.float32)
    height, width = image.shape[:2]
    ys = _crop_positions(box[0], box[2], height, int(size[0]))
    xs = _crop_positions(box[1], box[3], width, int(size[1]))
    y_inside = (ys >= 0) & (ys <= height - 1)
    x_inside = (xs >= 0) & (xs <= width - 1)
    ys_c = np.clip(ys, 0, height - 1)
    xs_c = np.clip(xs, 0, width - 1)
    top = np.floor(ys_c).astype(np.int64)
    bottom = np.ceil(ys_c).astype(np.int64)
    left = np.floor(xs_c).astype(np.int64)
    right = np.ceil(xs_c).astype(np.int64)
    y_lerp = (ys_c - top).astype(np.float32)[:, None, None]
    x_lerp = (xs_c - left).astype(np.float32)[None, :, None]
    # along x first, on every input row (the same sums as TF's top/bottom rows, done once per row)
    # (in place: these arrays are big, for 24 part maps at a photo's size)
    lefts = image[:, left]
    across = image[:, right]
    across -= lefts
    across *= x_lerp
    across += lefts
    top_row = across[top]
    out = across[bottom]
    out -= top_row
    out *= y_lerp
    out += top_row
    inside = y_inside[:, None] & x_inside[None, :]
    if not inside.all():
        out[~inside] = np.float32(extrapolation)
    return out.astype(np.float32, copy=False)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``: a network's score (logit) as a probability 0..1."""
    return numpy_ops.sigmoid(x)


def scale_and_crop(logits: np.ndarray, size: Sequence[int], resized: Sequence[int],
                   padding: Sequence[int]) -> np.ndarray:
    """body-pix's way back to the picture: resize (corners aligned), sigmoid, crop the padding.

    ``logits`` is the network's [1, h, w, C] output; the result is H x W x C probabilities
    for the picture of ``size`` = [H, W] that was padded by ``padding`` and resized to ``resized``.
    """
    height, width = int(size[0]), int(size[1])
    top, bottom, left, right = (float(p) for p in padding)
    scaled = numpy_ops.resize_bilinear(np.asarray(logits, dtype=np.float32)[0],
                                       (int(resized[0]), int(resized[1])), align_corners=True)
    probability = sigmoid(scaled)
    full_h = height + top + bottom - 1.0
    full_w = width + left + right - 1.0
    box = [top / full_h, left / full_w, (top + height - 1.0) / full_h, (left + width - 1.0) / full_w]
    return crop_and_resize(probability, box, (height, width))


def above(x: np.ndarray, threshold: float) -> np.ndarray:
    """1.0 where ``x > threshold`` (compared in float32, like ``tf.greater``), else 0.0."""
    return (x > np.float32(threshold)).astype(np.float32)


def part_ids(part_probabilities: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The most likely part (first on ties, as ``tf.argMax``) where ``mask`` is on; -1 elsewhere."""
    ids = np.argmax(part_probabilities, axis=-1).astype(np.int32)
    return np.where(mask.reshape(ids.shape) > 0, ids, np.int32(-1)).astype(np.int32)


def blur(image: np.ndarray, kernel: Sequence[float]) -> np.ndarray:
    """Blur along height then width with the 1-D ``kernel``; edges mirrored ("reflect")."""
    weights = np.asarray(kernel, dtype=np.float32)
    radius = len(weights) // 2
    x = np.asarray(image, dtype=np.float32)
    if radius == 0:
        return x * weights[0]
    for axis in (0, 1):
        pad = [(0, 0)] * x.ndim
        pad[axis] = (radius, radius)
        padded = np.pad(x, pad, mode="reflect")
        length = x.shape[axis]
        out = np.zeros_like(x)
        for tap, weight in enumerate(weights):
            window = [slice(None)] * x.ndim
            window[axis] = slice(tap, tap + length)
            out += weight * padded[tuple(window)]
        x = out
    return x


def blend(front: np.ndarray, back: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask * front + (1 - mask) * back``: the person from ``front``, the rest from ``back``."""
    return back + (front - back) * mask
