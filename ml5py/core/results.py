"""Turning a model's scores into the list of results a beginner reads."""
# __pragma__ ('noopov')

from ml5py.runtime import rt

FEW = 20  # up to this many results, one pass over the scores beats sorting them all


def best_indices(scores, k):
    """Indices of the ``k`` highest scores, best first; equal scores keep label order."""
    if k > FEW:
        return sorted(range(len(scores)), key=lambda index: -scores[index])[:k]  # a stable sort
    best = []
    for index in range(len(scores)):
        score = scores[index]
        if len(best) == k and score <= scores[best[len(best) - 1]]:
            continue
        position = len(best)
        while position > 0 and scores[best[position - 1]] < score:
            position -= 1
        best.insert(position, index)
        if len(best) > k:
            best.pop()
    return best


def top_k(scores, labels, k):
    """The ``k`` best labels, best first: ``[{"label": ..., "confidence": ...}, ...]``.

    Equal scores keep the model's label order, in CPython and in the browser alike.
    """
    results = []
    for index in best_indices(scores, min(int(k), len(scores))):
        label = labels[index] if index < len(labels) else str(index)
        results.append(rt.record({"label": label, "confidence": scores[index]}))
    return results


def count_by_label(labels, indices):
    """``{label: count}`` of examples given by their label's index; every label is there, in order."""
    counts = {}
    for label in labels:
        counts[label] = 0
    for index in indices:
        counts[labels[index]] += 1
    return counts
