"""The numpy ops around BodyPix (ml5py/bodypix_numpy.py) against straightforward loops."""
from __future__ import annotations

import math

import numpy as np
import pytest

from ml5py.models.body_pix import image_ops_numpy as ops

RNG = np.random.default_rng(5)


def sample(image: np.ndarray, y: float, x: float) -> np.ndarray:
    """Bilinear sample at (y, x), as TensorFlow's CropAndResize computes it."""
    top, bottom = math.floor(y), math.ceil(y)
    left, right = math.floor(x), math.ceil(x)
    y_lerp, x_lerp = y - top, x - left
    upper = image[top, left] + (image[top, right] - image[top, left]) * x_lerp
    lower = image[bottom, left] + (image[bottom, right] - image[bottom, left]) * x_lerp
    return upper + (lower - upper) * y_lerp


def crop_loop(image: np.ndarray, box, size, extrapolation=0.0) -> np.ndarray:
    height, width, channels = image.shape
    y1, x1, y2, x2 = box
    out = np.zeros((size[0], size[1], channels), np.float64)
    for i in range(size[0]):
        y = (y1 * (height - 1) + i * (y2 - y1) * (height - 1) / (size[0] - 1)) if size[0] > 1 else \
            0.5 * (y1 + y2) * (height - 1)
        for j in range(size[1]):
            x = (x1 * (width - 1) + j * (x2 - x1) * (width - 1) / (size[1] - 1)) if size[1] > 1 else \
                0.5 * (x1 + x2) * (width - 1)
            if 0 <= y <= height - 1 and 0 <= x <= width - 1:
                out[i, j] = sample(image.astype(np.float64), y, x)
            else:
                out[i, j] = extrapolation
    return out


@pytest.mark.parametrize("box, size", [
    ([0.0, 0.0, 1.0, 1.0], (9, 7)),        # the whole image, resized (corners aligned)
    ([0.1, 0.2, 0.8, 0.9], (5, 11)),       # a crop, enlarged along x
    ([0.25, 0.0, 0.75, 1.0], (1, 4)),      # one row: sampled at the box's middle
    ([-0.2, 0.1, 1.3, 0.7], (6, 6)),       # partly outside: extrapolated
])
def test_crop_and_resize_matches_a_loop(box, size) -> None:
    image = RNG.normal(size=(6, 8, 3)).astype(np.float32)
    got = ops.crop_and_resize(image, box, size, extrapolation=-7.0)
    assert got.dtype == np.float32 and got.shape == (size[0], size[1], 3)
    np.testing.assert_allclose(got, crop_loop(image, box, size, -7.0), rtol=1e-5, atol=1e-5)


def test_scale_and_crop_is_resize_sigmoid_crop() -> None:
    logits = RNG.normal(size=(1, 5, 6, 2)).astype(np.float32) * 3
    size, resized, padding = (30, 35), (33, 41), (2, 3, 1, 4)
    got = ops.scale_and_crop(logits, size, resized, padding)
    # by hand: align-corners resize to `resized`, sigmoid, then crop the padding back out
    h, w = resized
    up = np.zeros((h, w, 2))
    for i in range(h):
        for j in range(w):
            up[i, j] = sample(logits[0].astype(np.float64), i * (5 - 1) / (h - 1), j * (6 - 1) / (w - 1))
    probability = 1 / (1 + np.exp(-up))
    top, bottom, left, right = padding
    full_h, full_w = size[0] + top + bottom - 1, size[1] + left + right - 1
    box = [top / full_h, left / full_w, (top + size[0] - 1) / full_h, (left + size[1] - 1) / full_w]
    np.testing.assert_allclose(got, crop_loop(probability, box, size), atol=2e-6)
    assert got.shape == (30, 35, 2) and 0 < got.min() and got.max() < 1


def test_pad_and_resize() -> None:
    image = RNG.uniform(0, 255, size=(4, 6, 3)).astype(np.float32)
    got = ops.pad_and_resize(image, (1, 2, 0, 3), (7, 9))
    padded = np.zeros((7, 9, 3), np.float32)
    padded[1:5, 0:6] = image
    np.testing.assert_allclose(got, padded, atol=1e-4)  # same size: only the black border added
    smaller = ops.pad_and_resize(image, (0, 0, 1, 1), (2, 4))
    # corners not aligned: output pixel (i, j) samples input (i * 4/2, j * 8/4) of the padded image
    padded = np.zeros((4, 8, 3), np.float32)
    padded[:, 1:7] = image
    for i in range(2):
        for j in range(4):
            np.testing.assert_allclose(smaller[i, j], sample(padded, i * 2.0, j * 2.0), atol=1e-4)


def test_part_ids_loop() -> None:
    probabilities = RNG.uniform(size=(5, 7, 24)).astype(np.float32)
    probabilities[0, 0, [3, 9]] = 2.0  # a tie: the first wins, as tf.argMax
    mask = (RNG.uniform(size=(5, 7, 1)) > 0.4).astype(np.float32)
    mask[0, 0, 0] = 1
    got = ops.part_ids(probabilities, mask)
    assert got.dtype == np.int32 and got.shape == (5, 7) and got[0, 0] == 3
    for y in range(5):
        for x in range(7):
            best = max(range(24), key=lambda k: (probabilities[y, x, k], -k))
            assert got[y, x] == (best if mask[y, x, 0] else -1)


def test_above_compares_in_float32() -> None:
    threshold = 0.7
    x = np.array([[np.float32(0.7), np.nextafter(np.float32(0.7), np.float32(1)), 0.0]], np.float32)[..., None]
    assert ops.above(x, threshold)[..., 0].tolist() == [[0.0, 1.0, 0.0]]


@pytest.mark.parametrize("radius", [0, 1, 3])
def test_blur_matches_a_loop_with_mirrored_edges(radius: int) -> None:
    image = RNG.normal(size=(6, 5, 2)).astype(np.float32)
    kernel = RNG.uniform(size=2 * radius + 1)
    kernel = (kernel / kernel.sum()).tolist()
    got = ops.blur(image, kernel)

    def mirror(index: int, size: int) -> int:  # "reflect": ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...
        if index < 0:
            return -index
        return 2 * (size - 1) - index if index >= size else index

    rows = np.zeros_like(image, dtype=np.float64)
    for y in range(6):
        for x in range(5):
            rows[y, x] = sum(w * image[mirror(y + k - radius, 6), x] for k, w in enumerate(kernel))
    expected = np.zeros_like(rows)
    for y in range(6):
        for x in range(5):
            expected[y, x] = sum(w * rows[y, mirror(x + k - radius, 5)] for k, w in enumerate(kernel))
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_blend() -> None:
    front = np.full((2, 2, 3), 200, np.float32)
    back = np.zeros((2, 2, 3), np.float32)
    mask = np.array([[[1.0], [0.0]], [[0.25], [0.5]]], np.float32)
    assert ops.blend(front, back, mask)[..., 0].tolist() == [[200, 0], [50, 100]]
