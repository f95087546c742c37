"""Shared by the trainable head tests (CPython, examples, browser): the made-up shape task
(pictures of circles, squares and triangles), and module-scoped fixtures: a MobileNet
FeatureExtractor, the task with its embeddings, and a classifier trained on it."""
from __future__ import annotations

from typing import List, Tuple

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ml5py import FeatureExtractor

SHAPES = ["circle", "square", "triangle"]


def shape_image(kind: str, rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """A dark shape of a random colour, size and place on a light random background."""
    background = tuple(int(c) for c in rng.integers(190, 256, 3))
    colour = tuple(int(c) for c in rng.integers(0, 150, 3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    side = int(rng.integers(26, 40))
    x, y = (int(v) for v in rng.integers(4, size - side - 4, 2))
    if kind == "circle":
        draw.ellipse([x, y, x + side, y + side], fill=colour)
    elif kind == "square":
        draw.rectangle([x, y, x + side, y + side], fill=colour)
    else:
        draw.polygon([(x, y + side), (x + side, y + side), (x + side // 2, y)], fill=colour)
    return np.asarray(image)


def shape_task(count: int = 30, seed: int = 7) -> List[Tuple[np.ndarray, str]]:
    """``count`` pictures of circles, squares and triangles (in turn), with their labels."""
    rng = np.random.default_rng(seed)
    return [(shape_image(SHAPES[i % 3], rng), SHAPES[i % 3]) for i in range(count)]


@pytest.fixture(scope="module")
def features() -> FeatureExtractor:
    return FeatureExtractor("MobileNet")


@pytest.fixture(scope="module")
def task(features):
    """The shape task's pictures, labels and embeddings (computed once)."""
    pictures = shape_task()
    return {"images": [p for p, _ in pictures], "labels": [label for _, label in pictures],
            "embeddings": [features.infer(p) for p, _ in pictures]}


@pytest.fixture(scope="module")
def trained(features, task):
    """A classifier trained on the shape task from its pictures, with what train() reported."""
    model = features.classification()
    for image, label in zip(task["images"], task["labels"]):
        model.add_image(image, label)
    progress = []
    history = model.train(on_progress=lambda epoch, loss, val_loss, logs: progress.append(
        (epoch, loss, val_loss, dict(logs))))
    return model, history, progress
