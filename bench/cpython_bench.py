"""CPython half of the benchmark: ml5py's ImageClassifier vs a plain numpy reference.

The reference is the same forward pass written the straightforward way, without ml5py's
wrapper: numpy preprocessing (scale/offset, a bilinear resize written here, the gray
channel mean), ``LayersModel.predict`` called directly, ``np.argsort`` for the top 3.
Both start from the same decoded RGB pixels, so photo decoding is not timed.
"""
from __future__ import annotations

import json
import statistics
import time
from typing import Callable

import numpy as np


def _summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "samples": samples}


def _timed(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = work()
    return (time.perf_counter() - start) * 1000.0, value


def bilinear(x: np.ndarray, height: int, width: int, align_corners: bool) -> np.ndarray:
    """Resize an H x W x C float32 image like ``tf.image.resizeBilinear`` (no half-pixel centers)."""
    def positions(out_size: int, in_size: int):
        if align_corners and out_size > 1:
            scale = (in_size - 1) / (out_size - 1)
        else:
            scale = in_size / out_size
        source = np.arange(out_size, dtype=np.float32) * np.float32(scale)
        low = np.minimum(np.floor(source).astype(np.int64), in_size - 1)
        high = np.minimum(low + 1, in_size - 1)
        return low, high, (source - low).astype(np.float32)

    rows_low, rows_high, row_frac = positions(height, x.shape[0])
    cols_low, cols_high, col_frac = positions(width, x.shape[1])
    top, bottom = x[rows_low], x[rows_high]
    top = top[:, cols_low] + (top[:, cols_high] - top[:, cols_low]) * col_frac[:, None]
    bottom = bottom[:, cols_low] + (bottom[:, cols_high] - bottom[:, cols_low]) * col_frac[:, None]
    return top + (bottom - top) * row_frac[:, None, None]


class Reference:
    """The plain forward pass for one registry model (no ml5py classes on the way)."""

    def __init__(self, name: str):
        from ml5py.weights import registry
        from ml5py.numpy_executor.layers import LayersModel

        entry = registry.find_entry(name)
        folder = registry.model_dir(entry)
        model_json = json.loads((folder / entry.get("entry", "model.json")).read_text())
        self.model = LayersModel.from_files(model_json, lambda file: (folder / file).read_bytes())
        self.labels = entry["labels"]
        self.prep = entry["preprocessing"]
        self.softmax = bool(entry.get("output", {}).get("softmax", False))
        shape = self.model.input_shape
        self.size = self.prep.get("input_size") or [shape[1], shape[2]]

    def preprocess(self, pixels: np.ndarray) -> np.ndarray:
        x = pixels.astype(np.float32) * np.float32(self.prep["scale"]) + np.float32(self.prep["offset"])
        if x.shape[:2] != tuple(self.size):
            x = bilinear(x, self.size[0], self.size[1], bool(self.prep.get("align_corners")))
        if self.prep.get("gray") == "mean_round":
            x = np.round(x.mean(axis=2, keepdims=True))
        return x[None]

    def scores(self, batch: np.ndarray) -> np.ndarray:
        y = self.model.predict(batch)[0]
        if self.softmax:
            e = np.exp(y - y.max())
            y = e / e.sum()
        return y

    def classify(self, pixels: np.ndarray, k: int = 3) -> list[tuple[str, float]]:
        y = self.scores(self.preprocess(pixels))
        best = np.argsort(-y, kind="stable")[:k]
        return [(self.labels[i], float(y[i])) for i in best]


def run_cpython(models: list[str], image_path: str, repeats: int, warmup: int,
                progress: Callable[[str], None] = print) -> dict:
    """Time ml5py and the reference on each model, interleaved; milliseconds per classification."""
    from ml5py import ImageClassifier, load_image

    image = load_image(image_path)
    pixels = image.pixels
    results = {}
    for name in models:
        classifier = ImageClassifier(name)
        reference = Reference(name)
        ml5py_once = lambda: classifier.classify(image)  # noqa: E731
        reference_once = lambda: reference.classify(pixels)  # noqa: E731
        for _ in range(warmup):
            ml5py_once()
            reference_once()
        ours, theirs = ml5py_once(), reference_once()
        ml5py_ms, reference_ms, predict_ms = [], [], []
        batch = reference.preprocess(pixels)
        for i in range(repeats):
            order = ("ml5py", "reference") if i % 2 == 0 else ("reference", "ml5py")
            for which in order:
                if which == "ml5py":
                    ml5py_ms.append(_timed(ml5py_once)[0])
                else:
                    reference_ms.append(_timed(reference_once)[0])
            predict_ms.append(_timed(lambda: reference.model.predict(batch))[0])
        result = {
            "model": name,
            "ml5py": _summary(ml5py_ms),
            "reference": _summary(reference_ms),
            "predict_only": _summary(predict_ms),
            "check": {"ml5py_top": [(r["label"], r["confidence"]) for r in ours], "reference_top": theirs},
        }
        result["ratio"] = result["ml5py"]["median"] / result["reference"]["median"]
        result["paired_ratio"] = statistics.median(a / b for a, b in zip(ml5py_ms, reference_ms))
        progress(f"cpython: {name}: ml5py {result['ml5py']['median']:.1f} ms, "
                 f"reference {result['reference']['median']:.1f} ms")
        results[name] = result
    return results
