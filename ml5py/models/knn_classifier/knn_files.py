"""Reading saved KNN examples: ml5py's own format and ml5.js 0.x's (``KNNClassifier.load``).

Written once for CPython and the browser, for ``knn_classifier.py``. Each problem is a
ValueError that says which file (or text) and what is wrong with it.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt


def _looks_like_json(text):
    start = text.strip()
    return start.startswith("{") or start.startswith("[")


def _parsed(text, where):
    try:
        return rt.parse_json(text)
    except ValueError as error:
        raise ValueError("Could not load KNN examples from " + where + ": " + str(error))


def _problem(where, text):
    return ValueError("Could not load KNN examples from " + where + ": " + text)


def _examples_from(data, where):
    """(labels, vectors, classes) from saved data: ml5py's format or ml5.js 0.x's."""
    if not rt.is_object(data):
        raise _problem(where, "expected a JSON object with 'examples' (ml5py) or 'dataset' (ml5.js).")
    if "examples" in data:
        return _ml5py_examples(data, where)
    if "dataset" in data:
        return _ml5js_examples(data, where)
    raise _problem(where, "it has neither 'examples' (saved by ml5py) nor 'dataset' (saved by "
                   "ml5.js), so it is not a saved KNNClassifier.")


def _gather(labels, vectors, classes, label, values, where, what):
    """Add one example to the lists being built, checking it like add_example does."""
    try:
        vector = rt.vector(values)
    except Exception as error:
        raise _problem(where, what + ": " + str(error))
    if len(vectors) > 0 and len(vector) != len(vectors[0]):
        raise _problem(where, what + " has " + str(len(vector)) + " numbers, but the examples "
                       "before it have " + str(len(vectors[0])) + ".")
    label = str(label)
    if label not in labels:
        labels.append(label)
    vectors.append(vector)
    classes.append(labels.index(label))


def _ml5py_examples(data, where):
    examples = data["examples"]
    if not isinstance(examples, list):
        raise _problem(where, "'examples' should be a list.")
    labels = []
    vectors = []
    classes = []
    if "labels" in data and isinstance(data["labels"], list):
        for label in data["labels"]:
            labels.append(str(label))  # keeps the saved label order (class indices)
    for number in range(len(examples)):
        example = examples[number]
        what = "example " + str(number)
        if not rt.is_object(example) or "label" not in example or "embedding" not in example:
            raise _problem(where, what + " should have a 'label' and an 'embedding'.")
        _gather(labels, vectors, classes, example["label"], example["embedding"], where, what)
    return _drop_unused(labels, vectors, classes)


def _ml5js_examples(data, where):
    """ml5.js 0.x: ``dataset`` maps class index -> a serialised tensor (``shape`` [n, d],
    ``label``); ``tensors`` lists each class's values (in the order of ``dataset``'s keys,
    which are ascending numbers), each a {"0": value, ...} object or a list."""
    dataset = data["dataset"]
    tensors = data["tensors"] if "tensors" in data else None
    if not rt.is_object(dataset):
        raise _problem(where, "'dataset' should be an object of classes.")
    try:
        keys = _number_keys(dataset)
    except ValueError as error:
        raise _problem(where, str(error))
    labels = []
    vectors = []
    classes = []
    for position in range(len(keys)):
        key = keys[position]
        entry = dataset[key]
        if not rt.is_object(entry) or "shape" not in entry:
            raise _problem(where, "class " + key + " in 'dataset' has no 'shape'.")
        shape = entry["shape"]
        if not isinstance(shape, list) or len(shape) != 2:
            raise _problem(where, "class " + key + " should have a shape [examples, numbers]; got " +
                           str(shape) + ".")
        label = entry["label"] if "label" in entry and entry["label"] is not None else key
        values = None
        if isinstance(tensors, list) and position < len(tensors):
            values = tensors[position]
        elif tensors is not None and not isinstance(tensors, list) and key in tensors:
            values = tensors[key]
        if values is None and "data" in entry:
            values = entry["data"]
        if values is None:
            raise _problem(where, "class " + key + " ('" + str(label) + "') has no values in 'tensors'.")
        rows = shape[0]
        columns = shape[1]
        for row in range(rows):
            vector = []
            for column in range(columns):
                at = row * columns + column
                place = at if isinstance(values, list) else str(at)
                if isinstance(values, list):
                    value = values[at] if at < len(values) else None
                else:
                    value = values[place] if place in values else None
                if value is None:
                    raise _problem(where, "class " + key + " ('" + str(label) + "') should hold " +
                                   str(rows) + " x " + str(columns) + " numbers, but number " +
                                   str(at) + " is missing.")
                vector.append(value)
            _gather(labels, vectors, classes, label, vector, where,
                    "example " + str(row) + " of class " + key)
    return labels, vectors, classes


def _number_keys(mapping):
    """The keys "0", "1", ... of an ml5.js dataset, in ascending order (gaps allowed)."""
    keys = rt.object_keys(mapping)
    for key in keys:
        if not _digits(key):
            raise ValueError("the ml5.js 'dataset' should be keyed by class numbers "
                             "\"0\", \"1\", ...; found the key '" + key + "'.")
    return sorted(keys, key=lambda key: int(key))


def _digits(text):
    if len(text) == 0:
        return False
    for character in text:
        if character < "0" or character > "9":
            return False
    return True


def _drop_unused(labels, vectors, classes):
    """Keep only labels with examples (a saved label list may name more)."""
    used = []
    for label in labels:
        used.append(False)
    for index in classes:
        used[index] = True
    kept = []
    new_index = []
    for index in range(len(labels)):
        new_index.append(len(kept))
        if used[index]:
            kept.append(labels[index])
    renumbered = []
    for index in classes:
        renumbered.append(new_index[index])
    return kept, vectors, renumbered
