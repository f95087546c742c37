"""The CPython runtime, BodyPose: pose graph models and MoveNet's image ops, on numpy.

Gathered into ``rt`` (``ml5py/runtime_cpython.py``). Its twin for the browser is
``runtime_browser.py`` beside it.
The graph models run on ml5py's numpy executor (``ml5py/numpy_executor/graph.py``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ml5py.core.pending_cpython import Settled, attempt


def find_pose_model(model_id: str) -> Settled:
    """The registry facts of one body-pose graph model (``sources.pose_source``)."""
    from ml5py.weights import registry
    from ml5py.weights.sources import pose_source

    return attempt(lambda: pose_source(registry.find_entry(model_id, task="body-pose")))


def load_pose_graph(source: dict, location: Any = None) -> Settled:
    """The graph model of ``source`` (a registry model), or the model.json at ``location``.

    ``location``: a model.json file, a folder holding one, or an http(s) URL of one (the
    learner's ``model_url``); its weight files are read beside it.
    """
    if location is None:
        return attempt(lambda: _registry_graph(source))
    return attempt(lambda: _graph_at(str(location)))


def _registry_graph(source: dict) -> Any:
    from ml5py.weights import registry
    from ml5py.numpy_executor.graph import GraphModel

    folder = registry.model_dir(registry.find_entry(source["id"]))  # every file checked (size, sha256)
    return GraphModel.from_files(folder / source["entry"])


def _graph_at(location: str) -> Any:
    import json

    from ml5py.numpy_executor.graph import GraphModel

    if location.startswith(("http://", "https://")):
        from urllib.request import urlopen

        base = location.rsplit("/", 1)[0] + "/"
        with urlopen(location, timeout=60) as response:  # noqa: S310 (the learner's own URL)
            model_json = json.loads(response.read().decode("utf-8"))

        def read_url(name: str) -> bytes:
            with urlopen(base + name, timeout=120) as response:  # noqa: S310
                return response.read()
        return GraphModel.from_files(model_json, read_url)
    path = Path(location).expanduser()
    if path.is_dir():
        found = sorted(path.glob("*.json"))
        if len(found) != 1:
            raise ValueError(f"model_url '{location}' is a folder with {len(found)} .json files; give "
                             f"the model.json file itself.")
        path = found[0]
    if not path.is_file():
        raise FileNotFoundError(f"model_url '{location}': there is no such file. Give the path of a "
                                f"TF.js graph model's model.json (its weight files beside it) or its URL.")
    return GraphModel.from_files(path)


def dispose_pose_graph(model: Any) -> None:
    """Let go of a graph model (numpy frees its weights once nothing holds them)."""


def run_pose_graph(model: Any, tensor: np.ndarray, input_name: Any, output_name: Any) -> np.ndarray:
    """The one output of a pose graph (``output_name``; None: the model's first output)."""
    feeds = {input_name or model.input_names[0]: tensor}
    return model.execute(feeds, output_name or model.output_names[0])


def run_pose_graph_outputs(model: Any, tensor: np.ndarray, input_name: Any, output_names: list) -> list:
    """Several outputs of a pose graph, by node or signature name (BlazePose's landmark model)."""
    return model.execute({input_name or model.input_names[0]: tensor}, list(output_names))


def blazepose_input(image: np.ndarray, transform: list, side: int, scale: float, offset: float) -> np.ndarray:
    """A [1, side, side, 3] float32 batch: the picture warped by ``transform`` (tf.image.transform's
    8 numbers; black outside it), then ``value * scale + offset`` in float32."""
    from ml5py.models.body_pose.image_transform_numpy import projective_warp

    warped = projective_warp(image, transform, side, side)
    return (warped * np.float32(scale) + np.float32(offset))[np.newaxis]


def blazepose_mask(segmentation: np.ndarray, transform: list, width: int, height: int, previous: Any,
                   ratio: float) -> np.ndarray:
    """The landmark model's 256 x 256 mask put back into the picture (height x width, float32),
    blended with the ``previous`` one where it is unsure (pose-detection's segmentation smoothing)."""
    from ml5py.models.body_pose.image_transform_numpy import projective_warp

    mask = projective_warp(np.asarray(segmentation, dtype=np.float32)[0, :, :, 0], transform, height, width)
    if previous is None:
        return mask
    x = np.square(mask - np.float32(0.5))
    c1, c2, c3, c4, c5 = (np.float32(v) for v in (5.68842, -0.748699, -57.8051, 291.309, -624.717))
    uncertainty = np.float32(1) - np.minimum(np.float32(1), x * (c1 + x * (c2 + x * (c3 + x * (c4 + x * c5)))))
    return (mask + (previous - mask) * (uncertainty * np.float32(ratio))).astype(np.float32)


def pose_mask_picture(mask: np.ndarray, width: int, height: int, free: bool, flipped: bool) -> Settled:
    """The person mask as an RGBA picture: red and opaque where the person is (value x 255, rounded),
    transparent elsewhere, as pose-detection draws its masks; ``flipped``: mirrored left to right."""
    from ml5py.core.image_files import Image

    level = np.round(np.clip(mask, 0, 1) * np.float32(255)).astype(np.uint8)
    if flipped:
        level = level[:, ::-1]
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    rgba[:, :, 0] = level
    rgba[:, :, 3] = level
    return Settled(Image(rgba, "a BlazePose person mask"))


def movenet_crop(image: np.ndarray, box: list, size: list) -> np.ndarray:
    """A [1, h, w, 3] int32 batch: ``box`` ([y1, x1, y2, x2], 0..1, may reach outside: black
    there) cut from the picture and resized bilinearly to ``size``, as pose-detection does
    (``tf.image.cropAndResize``, then a cast that truncates).

    Every step is rounded to float32 as TF.js's wasm kernel does it, so that the truncated
    pixels are the ones the browser feeds the network.
    """
    image = np.asarray(image, dtype=np.float32)
    height, width = image.shape[:2]
    ys = _crop_positions_f32(box[0], box[2], height, int(size[0]))
    xs = _crop_positions_f32(box[1], box[3], width, int(size[1]))
    inside = ((ys >= 0) & (ys <= height - 1))[:, None] & ((xs >= 0) & (xs <= width - 1))[None, :]
    ys = np.clip(ys, 0, height - 1)
    xs = np.clip(xs, 0, width - 1)
    top, left = np.floor(ys).astype(np.intp), np.floor(xs).astype(np.intp)
    bottom, right = np.ceil(ys).astype(np.intp), np.ceil(xs).astype(np.intp)
    y_lerp = (ys - top.astype(np.float32))[:, None, None]
    x_lerp = (xs - left.astype(np.float32))[None, :, None]
    upper, lower = image[top], image[bottom]
    upper = upper[:, left] + (upper[:, right] - upper[:, left]) * x_lerp
    lower = lower[:, left] + (lower[:, right] - lower[:, left]) * x_lerp
    out = upper + (lower - upper) * y_lerp
    out[~inside] = 0
    return np.trunc(out).astype(np.int32)[np.newaxis]


def _crop_positions_f32(start: float, end: float, in_size: int, out_size: int) -> np.ndarray:
    """Where cropAndResize samples along one axis, in float32 arithmetic (the box is float32)."""
    start, end = np.float32(start), np.float32(end)
    if out_size == 1:
        return np.array([np.float32(0.5) * (start + end) * np.float32(in_size - 1)], dtype=np.float32)
    scale = (end - start) * np.float32(in_size - 1) / np.float32(out_size - 1)
    return start * np.float32(in_size - 1) + np.arange(out_size).astype(np.float32) * scale


def movenet_resize_pad(image: np.ndarray, resized: list, padded: list) -> np.ndarray:
    """A [1, H, W, 3] int32 batch: the picture resized to ``resized`` (bilinear, corners not
    aligned), padded with black at the bottom / right to ``padded``, truncated to int32.

    The resize rounds as TF.js's wasm backend (XNNPACK) does, every step in float32, so
    that the truncated pixels are the ones the browser feeds the network.
    """
    small = _resize_bilinear_f32(np.asarray(image, dtype=np.float32), int(resized[0]), int(resized[1]))
    out = np.zeros((int(padded[0]), int(padded[1]), 3), dtype=np.int32)
    out[: small.shape[0], : small.shape[1]] = np.trunc(small).astype(np.int32)
    return out[np.newaxis]


def _positions_f32(out_size: int, in_size: int) -> tuple:
    """Source rows (or columns) and weights, in float32: ``i * (in / out)``, corners not aligned."""
    scale = np.float32(in_size) / np.float32(out_size)
    where = np.arange(out_size).astype(np.float32) * scale
    low = np.minimum(where.astype(np.int64), in_size - 1)
    high = np.minimum(low + 1, in_size - 1)
    return low, high, (where - low.astype(np.float32)).astype(np.float32)


def _resize_bilinear_f32(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """``tf.image.resizeBilinear`` of an H x W x C float32 image, rounded as XNNPACK does it."""
    rows_low, rows_high, row_alpha = _positions_f32(height, image.shape[0])
    cols_low, cols_high, col_alpha = _positions_f32(width, image.shape[1])
    col_alpha = col_alpha[None, :, None]

    def across(rows: np.ndarray) -> np.ndarray:
        left = rows[:, cols_low]
        return left + (rows[:, cols_high] - left) * col_alpha

    top = across(image[rows_low])
    bottom = across(image[rows_high])
    return top + (bottom - top) * row_alpha[:, None, None]


def named_record(fields: dict) -> Any:
    """A result item with a ``name`` (a keypoint): ``item.name`` and ``item["name"]`` both work."""
    from ml5py.core.pending_cpython import record

    return record(fields)


def frame_time_us(media: Any, frame: Any, index: int, fps: float) -> float:
    """When frame ``index`` of a live loop was seen, in microseconds: ``index / fps`` seconds."""
    return index * 1e6 / fps
