"""KNNClassifier: label new embeddings by their nearest stored examples. Written once.

How a decision is made (the same in CPython and in the browser):

1. Similarity is the cosine of the angle between two embeddings (0 when either is all
   zeros), rounded to 9 decimal places, so that numpy's and JavaScript's last-digit
   rounding differences never change a decision.
2. The ``k`` nearest examples are the ``k`` most similar ones (``k`` is capped at the
   number of examples); among equally similar examples, the one added earlier wins.
3. Each of them votes for its label; confidence = votes / k. The label with the most votes
   wins; equal votes: the higher summed similarity of its voters; still equal: the label
   added first (the lower ``class_index``).

Labels are numbered (``class_index``) in the order they were first added.
"""
# __pragma__ ('noopov')

from ml5py.core.arguments import check_callback, check_name, k_and_callback, label_text
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt
from ml5py.core.results import best_indices, count_by_label
from ml5py.models.knn_classifier.knn_files import _examples_from, _looks_like_json, _parsed

DEFAULT_K = 3
DEFAULT_FILE = "knn.json"
FORMAT = "ml5py.KNNClassifier"
NO_EXAMPLES = "This KNNClassifier has no examples yet. Call add_example(...) before classify(...)."
NOT_AN_IMAGE = ("needs an embedding (a list of numbers), not an image. Give the KNNClassifier a "
                "feature extractor to turn images into embeddings: features = "
                "FeatureExtractor(\"MobileNet\"), knn = KNNClassifier(features); or pass "
                "features.infer(image).")


class KNNClassifier:
    """A k-nearest-neighbour classifier over embeddings (lists of numbers).

    ``add_example(embedding, label)`` stores examples; ``classify(embedding)`` finds the
    ``k`` most similar ones (cosine similarity) and lets them vote. ``save`` and ``load``
    keep the examples and their labels in a JSON file.

    ``KNNClassifier(FeatureExtractor("MobileNet"))`` also takes images: ``add_example`` and
    ``classify`` turn them into embeddings with that feature extractor first.
    """

    def __init__(self, feature_extractor=None):
        if feature_extractor is not None and not (hasattr(feature_extractor, "infer") and
                                                  callable(feature_extractor.infer)):
            raise TypeError("KNNClassifier takes a feature extractor, such as "
                            "KNNClassifier(FeatureExtractor(\"MobileNet\")), or nothing; got " +
                            str(feature_extractor) + ".")
        self.feature_extractor = feature_extractor
        self._labels = []    # label text, by class index (order first added)
        self._vectors = []   # one embedding per example, in the order added
        self._classes = []   # the class index of each example
        self._index = None   # the runtime's similarity index over _vectors (rebuilt when stale)
        self._loading = rt.ready(None)  # the last load() or image add (and adds queued behind it)
        self._waiting_for = 0  # loads and image adds still running (browser): later adds queue
        self._queued_error = None

    # ------------------------------------------------------------ examples

    def add_example(self, example, label):
        """Store ``example`` (an embedding: a list or array of numbers) under ``label``.

        With a feature extractor (``KNNClassifier(features)``) ``example`` may be an image.
        In the browser that add finishes later (it returns a promise), as does the add of a
        promised embedding (``add_example(features.infer(video), label)``); adds keep their
        order and ``classify`` waits for them.
        """
        if self._comes_later(example):
            return self._add_later(example, _label_text(label))
        vector = self._vector(example, "add_example")
        label = _label_text(label)
        if self._waiting_for > 0:  # (browser) a load() or image add is running: add after it
            self._loading = rt.after(self._loading, lambda ignored: self._queued_add(vector, label))
            return
        self._add(vector, label)

    def _comes_later(self, example):
        """True for an image with a feature extractor, or (browser) a promise of an embedding."""
        return rt.is_pending(example) or (self.feature_extractor is not None and rt.is_image(example))

    def _embedding_of(self, example, method):
        """The pending embedding of an image (from the feature extractor) or a pending embedding."""
        if rt.is_pending(example):
            embedding = example  # features.infer(video) in the browser
        else:
            embedding = rt.attempt(lambda: self.feature_extractor.infer(example))
        return rt.after(embedding, lambda values: self._vector(values, method))

    def _add_later(self, example, label):
        job = rt.when_all([self._loading, self._embedding_of(example, "add_example")])
        job = rt.after(job, lambda loaded_and_vector: self._add(loaded_and_vector[1], label))
        self._waiting_for += 1
        self._loading = rt.deliver(job, self._wait_finished)  # never fails: the caller gets errors
        return rt.deliver(job)  # CPython: raises now; browser: a promise (rejects on error)

    def _queued_add(self, vector, label):
        try:
            self._add(vector, label)
        except Exception as error:  # reported by the next classify()
            self._queued_error = error

    def _add(self, vector, label):
        if len(self._vectors) > 0 and len(vector) != len(self._vectors[0]):
            raise ValueError("This example has " + str(len(vector)) + " numbers, but the examples "
                             "added before have " + str(len(self._vectors[0])) + ". All examples "
                             "must come from the same feature extractor.")
        if label not in self._labels:
            self._labels.append(label)
        self._vectors.append(vector)
        self._classes.append(self._labels.index(label))
        self._index = None

    def _vector(self, example, method):
        if rt.is_image(example):
            raise TypeError("KNNClassifier." + method + " " + NOT_AN_IMAGE)
        return rt.vector(example)

    # ------------------------------------------------------------ classify

    def classify(self, example, k_or_callback=None, callback=None, k=None):
        """Label ``example`` by its ``k`` nearest examples (default 3).

        ``classify(example, callback)``, ``classify(example, 5, callback)`` or
        ``classify(example, k=5)``. The result reads as ``r["label"]`` or ``r.label``, with
        ``class_index``, ``confidences`` (label -> votes / k) and ``confidences_by_index``.
        The callback is called as ``callback(result, error)``; the result is also returned
        (in the browser: a promise you can ``await``).
        """
        k, callback = k_and_callback(k_or_callback, callback, k, "KNNClassifier.classify",
                                     "how many nearest examples vote")
        if k is None:
            k = DEFAULT_K
        if self._comes_later(example):
            query = self._embedding_of(example, "classify")
        else:
            query = rt.attempt(lambda: self._vector(example, "classify"))  # read it now, not later
        job = rt.when_all([self._loading, query])
        return rt.deliver(rt.after(job, lambda loaded_and_query: self._vote(loaded_and_query[1], k)),
                          callback)

    def _vote(self, query, k):
        if self._queued_error is not None:
            error = self._queued_error
            self._queued_error = None
            raise error
        if len(self._vectors) == 0:
            raise ValueError(NO_EXAMPLES)
        if len(query) != len(self._vectors[0]):
            raise ValueError("The example to classify has " + str(len(query)) + " numbers, but the "
                             "stored examples have " + str(len(self._vectors[0])) + ". Classify "
                             "embeddings from the same feature extractor as the examples.")
        k = min(k, len(self._vectors))
        if self._index is None:
            self._index = rt.similarity_index(self._vectors)
        similarities = rt.cosine_similarities(self._index, query)
        votes = []
        summed = []
        for label in self._labels:
            votes.append(0)
            summed.append(0.0)
        for example in best_indices(similarities, k):  # most similar first; earlier wins ties
            votes[self._classes[example]] += 1
            summed[self._classes[example]] += similarities[example]
        best = 0
        for index in range(1, len(votes)):
            if votes[index] > votes[best] or (votes[index] == votes[best] and summed[index] > summed[best]):
                best = index
        confidences = {}
        by_index = []
        for index in range(len(votes)):
            confidences[self._labels[index]] = votes[index] / k
            by_index.append(votes[index] / k)
        return rt.record({"label": self._labels[best], "class_index": best,
                          "confidences": confidences, "confidences_by_index": by_index})

    # ------------------------------------------------------------ counts and clearing

    def get_count(self):
        """How many examples are stored."""
        return len(self._vectors)

    def get_count_by_label(self):
        """How many examples each label has: ``{label: count}``, labels in the order added."""
        return count_by_label(self._labels, self._classes)

    def get_labels(self):
        """The labels, in the order they were first added (a label's place is its class_index)."""
        return self._labels[:]

    def clear_label(self, label):
        """Forget every example of ``label``; labels added after it move up one class_index."""
        label = _label_text(label)
        if label not in self._labels:
            if len(self._labels) == 0:
                raise ValueError("There is no label '" + label + "' to clear: this KNNClassifier "
                                 "has no labels yet.")
            raise ValueError("There is no label '" + label + "' to clear. The labels are: " +
                             ", ".join(["'" + known + "'" for known in self._labels]) + ".")
        gone = self._labels.index(label)
        vectors = []
        classes = []
        for example in range(len(self._vectors)):
            index = self._classes[example]
            if index != gone:
                vectors.append(self._vectors[example])
                classes.append(index - 1 if index > gone else index)
        self._labels.pop(gone)
        self._vectors = vectors
        self._classes = classes
        self._index = None

    def clear_all_labels(self):
        """Forget every example and label."""
        self._labels = []
        self._vectors = []
        self._classes = []
        self._index = None

    # ------------------------------------------------------------ save and load

    def save(self, path=None):
        """Save the examples and labels as JSON and return that JSON text.

        In CPython the file ``path`` (default ``knn.json``) is written safely: a failure
        leaves an older file as it was. In the browser the page downloads it.
        """
        check_name(path, "knn.save", DEFAULT_FILE)
        text = rt.to_json(self.to_json_data())
        rt.save_text(path or DEFAULT_FILE, text, "knn.save")
        return text

    def to_json_data(self):
        """The examples and labels as JSON-ready data (what ``save`` writes)."""
        examples = []
        for example in range(len(self._vectors)):
            examples.append({"label": self._labels[self._classes[example]],
                             "embedding": self._vectors[example]})
        dimension = len(self._vectors[0]) if len(self._vectors) > 0 else None
        return {"format": FORMAT, "version": 1, "labels": self._labels[:],
                "dimension": dimension, "examples": examples}

    def load(self, source, callback=None):
        """Replace the examples with saved ones: a JSON file, a URL, JSON text or data.

        Files saved by ml5py and by ml5.js 0.x (``knnClassifier.save()``) both load.
        ``callback(classifier, error)`` is called when done; ``classify`` waits for it.
        """
        check_callback(callback, "KNNClassifier.load", "def loaded(knn, error): ...")
        if rt.is_object(source):
            data = rt.ready(source)
            where = "the data you gave"
        elif _is_text(source) and _looks_like_json(source):
            data = rt.attempt(lambda: _parsed(source, "the JSON text you gave"))
            where = "the JSON text you gave"
        else:  # a file (CPython) or a URL
            where = "'" + str(source) + "'"
            data = rt.after(rt.load_text(source), lambda text: _parsed(text, where))
        job = rt.after(data, lambda loaded: self._use(loaded, where))
        self._waiting_for += 1
        self._loading = rt.deliver(job, self._wait_finished)  # never fails: load() reports it
        rt.keep_sketch_waiting(self._loading)  # called in a p5 preload(): setup() waits for it
        return rt.deliver(job, callback)

    def _wait_finished(self, value, error):
        self._waiting_for -= 1

    def _use(self, data, where):
        labels, vectors, classes = _examples_from(data, where)
        self._labels = labels
        self._vectors = vectors
        self._classes = classes
        self._index = None
        return self


# ---------------------------------------------------------------- helpers

def _label_text(label):
    return label_text(label)


def _is_text(value):
    return isinstance(value, str)


ml5_names(KNNClassifier)  # also answers to ml5.js's names (core/ml5_names.py)
