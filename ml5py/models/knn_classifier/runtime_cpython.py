"""KNNClassifier's part of the CPython runtime: cosine similarities on numpy (float64, rounded
to 9 decimals so they agree with the browser's).

Its twin for the browser is ``runtime_browser.py`` beside it.
"""
from __future__ import annotations

import numpy as np


# ---------------------------------------------------------------- cosine similarities

SIMILARITY_DECIMALS = 1e9  # similarities are rounded to 9 decimals, in both runtimes


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
