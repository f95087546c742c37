"""Turning a model's scores into the list of results a beginner reads."""
# __pragma__ ('noopov')

from ml5py.runtime import rt


def top_k(scores, labels, k):
    """The ``k`` best labels, best first: ``[{"label": ..., "confidence": ...}, ...]``.

    Equal scores keep the model's label order, in CPython and in the browser alike.
    """
    count = min(int(k), len(scores))
    order = sorted(range(len(scores)), key=lambda index: -scores[index])  # a stable sort
    results = []
    for index in order[:count]:
        label = labels[index] if index < len(labels) else str(index)
        results.append(rt.record({"label": label, "confidence": scores[index]}))
    return results
