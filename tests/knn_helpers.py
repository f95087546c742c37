"""Shared by the KNNClassifier tests (CPython and browser): a classifier filled with given
examples, data full of ties, and the JSON that ml5.js 0.x saves."""
from __future__ import annotations

import json

import numpy as np

from ml5py import KNNClassifier


def tie_prone_data(rng, count, dimension, label_count):
    """Small integer vectors (many equal similarities), some exact duplicates under other labels."""
    examples = rng.integers(-2, 3, size=(count, dimension)).astype(np.float64)
    labels = [f"label {rng.integers(label_count)}" for _ in range(count)]
    for _ in range(count // 4):  # duplicates and scaled copies
        source, target = rng.integers(count, size=2)
        examples[target] = examples[source] * rng.choice([1.0, 2.0, 0.5])
    return examples, labels


def filled(examples, labels):
    knn = KNNClassifier()
    for example, label in zip(examples, labels):
        knn.add_example(example, label)
    return knn


def ml5js_json(classes, labels=True, tensors_as_lists=False):
    """What ml5.js 0.x's knnClassifier.save() writes: JSON.stringify({dataset, tensors}).

    ``dataset`` maps class index -> a serialised tf.Tensor (its fields, plus ``label``);
    ``tensors`` lists each class's data, a Float32Array, which JSON writes as {"0": v, ...}.
    """
    dataset, tensors = {}, []
    for position, (index, label, rows) in enumerate(classes):
        rows = np.asarray(rows, dtype=np.float32)
        entry = {"kept": False, "isDisposedInternal": False, "shape": list(rows.shape),
                 "dtype": "float32", "size": int(rows.size), "strides": [rows.shape[1]],
                 "dataId": {}, "id": 40 + position, "rankType": "2", "scopeId": 7}
        if labels:
            entry["label"] = label
        dataset[str(index)] = entry
        flat = [float(v) for v in rows.ravel()]
        tensors.append(flat if tensors_as_lists else {str(i): v for i, v in enumerate(flat)})
    return json.dumps({"dataset": dataset, "tensors": tensors})
