"""KNNClassifier's part of the browser runtime: cosine similarities in plain JavaScript numbers
(float64, rounded to 9 decimals so they agree with CPython's).

Only Transcrypt compiles it. Its twin for CPython is ``runtime_cpython.py`` beside it.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')


# ---------------------------------------------------------------- cosine similarities

SIMILARITY_DECIMALS = 1e9  # similarities are rounded to 9 decimals, in both runtimes


def _length(values):
    total = 0.0
    for position in range(values.length):
        total += values[position] * values[position]
    return Math.sqrt(total)


def similarity_index(vectors):
    """What ``cosine_similarities`` needs about the stored embeddings: rows and their lengths."""
    norms = []
    for row in range(vectors.length):
        norms.append(_length(vectors[row]))
    return {"rows": vectors, "norms": norms}


def cosine_similarities(index, query):
    """Cosine similarity of ``query`` with each stored row (0 for all-zero rows), rounded to 9 decimals."""
    rows = index["rows"]
    norms = index["norms"]
    query_length = _length(query)
    size = query.length
    similarities = []
    for row in range(rows.length):
        values = rows[row]
        dot = 0.0
        for position in range(size):
            dot += values[position] * query[position]
        scale = norms[row] * query_length
        similarity = dot / scale if scale > 0 else 0.0
        similarities.append(Math.floor(similarity * SIMILARITY_DECIMALS + 0.5) / SIMILARITY_DECIMALS)
    return similarities
