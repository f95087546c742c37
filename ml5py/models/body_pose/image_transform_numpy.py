"""``tf.image.transform`` in numpy: a projective warp with bilinear sampling, black outside.

CPython only (BlazePose's input cut and its mask put back into the picture). Output pixel
(x, y) samples the input at ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with
``k = c0 x + c1 y + 1``; each of the four neighbours outside the input counts as 0, as in
TF.js's kernels. The sums are in float32, as the wasm kernel does them.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


def projective_warp(image: np.ndarray, transform: Sequence[float], out_height: int, out_width: int) -> np.ndarray:
    """An out_height x out_width (x C) float32 picture sampled from ``image`` (H x W or H x W x C)."""
    source = np.asarray(image, dtype=np.float32)
    flat_input = source.ndim == 2
    if flat_input:
        source = source[:, :, np.newaxis]
    height, width, channels = source.shape
    t = np.asarray(transform, dtype=np.float32)
    xs = np.arange(out_width, dtype=np.float32)[np.newaxis, :]
    ys = np.arange(out_height, dtype=np.float32)[:, np.newaxis]
    projection = t[6] * xs + t[7] * ys + np.float32(1)
    in_x = (t[0] * xs + t[1] * ys + t[2]) / projection
    in_y = (t[3] * xs + t[4] * ys + t[5]) / projection
    x_floor = np.floor(in_x)
    y_floor = np.floor(in_y)
    # a zero border of one pixel: every neighbour outside the picture reads it (clipped to -1 or the size)
    padded = np.zeros((height + 2, width + 2, channels), dtype=np.float32)
    padded[1:-1, 1:-1] = source
    flat = padded.reshape(-1, channels)
    limit = np.float32(max(width, height) + 2)  # (far-off coordinates cannot overflow the int cast)
    x_low = np.clip(np.clip(x_floor, -limit, limit).astype(np.int64), -1, width) + 1
    x_high = np.clip(np.clip(x_floor, -limit, limit).astype(np.int64) + 1, -1, width) + 1
    y_low = (np.clip(np.clip(y_floor, -limit, limit).astype(np.int64), -1, height) + 1) * (width + 2)
    y_high = (np.clip(np.clip(y_floor, -limit, limit).astype(np.int64) + 1, -1, height) + 1) * (width + 2)
    x_weight_high = (in_x - x_floor)[..., np.newaxis]
    x_weight_low = ((x_floor + np.float32(1)) - in_x)[..., np.newaxis]
    y_weight_high = (in_y - y_floor)[..., np.newaxis]
    y_weight_low = ((y_floor + np.float32(1)) - in_y)[..., np.newaxis]

    def read(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.take(flat, (rows + cols).ravel(), axis=0).reshape(out_height, out_width, channels)

    top = x_weight_low * read(y_low, x_low) + x_weight_high * read(y_low, x_high)
    bottom = x_weight_low * read(y_high, x_low) + x_weight_high * read(y_high, x_high)
    out = (y_weight_low * top + y_weight_high * bottom).astype(np.float32)
    out[np.broadcast_to(projection == 0, out.shape[:2])] = 0
    return out[:, :, 0] if flat_input else out


def projective_warp_loops(image: np.ndarray, transform: Sequence[float], out_height: int,
                          out_width: int) -> np.ndarray:
    """The same warp, one pixel at a time in plain Python (the reference the tests compare with)."""
    source = np.asarray(image, dtype=np.float64)
    flat = source.ndim == 2
    if flat:
        source = source[:, :, np.newaxis]
    height, width, channels = source.shape
    out = np.zeros((out_height, out_width, channels))
    for y in range(out_height):
        for x in range(out_width):
            k = transform[6] * x + transform[7] * y + 1
            if k == 0:
                continue
            sx = (transform[0] * x + transform[1] * y + transform[2]) / k
            sy = (transform[3] * x + transform[4] * y + transform[5]) / k
            x0, y0 = int(np.floor(sx)), int(np.floor(sy))
            for c in range(channels):
                def at(row: int, col: int) -> float:
                    return source[row, col, c] if 0 <= row < height and 0 <= col < width else 0.0
                upper = (x0 + 1 - sx) * at(y0, x0) + (sx - x0) * at(y0, x0 + 1)
                lower = (x0 + 1 - sx) * at(y0 + 1, x0) + (sx - x0) * at(y0 + 1, x0 + 1)
                out[y, x, c] = (y0 + 1 - sy) * upper + (sy - y0) * lower
    return out[:, :, 0] if flat else out
