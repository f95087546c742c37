"""Teach a FeatureExtractor new things: trainable heads (transfer learning). Written once.

``features.classification()`` and ``features.regression()`` return a ``TrainableModel``: a
small neural network that learns from the extractor's embeddings (what MobileNet "sees")
instead of from raw pixels, so a few examples and a few seconds of training are enough.

How training works, the same in CPython (numpy) and in the browser (TensorFlow.js):

1. The network is ``Dense(hidden_units, relu) -> Dense(outputs)``: softmax outputs and
   cross-entropy loss for classification, one linear output and mean squared error for
   regression. Kernels start glorot-uniform (as Keras), biases at zero, drawn from a
   seeded random generator written here, so both runtimes start from the same numbers.
2. ``validation_split`` of the examples (default 0.3; per label for classification) are
   kept aside to check the network on pictures it never trained on; the rest are shuffled
   into mini-batches each epoch (seeded). Adam (TF.js's settings) updates the weights.
3. Defaults (``DEFAULTS``): 20 epochs, learning rate 0.001, 100 hidden units, batches of
   16 examples. ml5.js used a learning rate of 0.0001, which needs many more epochs to
   learn a few dozen examples; 0.001 learns them in well under 20.
"""
# __pragma__ ('noopov')

from ml5py.core.arguments import check_callback, check_label_count, check_name, label_text, picture_or_own
from ml5py.core.live import LiveLoop
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt
from ml5py.core.results import count_by_label, top_k
from ml5py.core.seeded import SeededRandom, initial_weights, split_groups
from ml5py.models.feature_extractor.trainable_options import _checked_options, _number, _same, _whole

CLASSIFICATION = "classification"
REGRESSION = "regression"
DEFAULT_FOLDER = "model"
def _ignore(value, error):
    """A callback that swallows the outcome (the caller gets it through another promise)."""


class TrainableModel:
    """A network that learns from a FeatureExtractor's embeddings.

    Made by ``features.classification()`` or ``features.regression()``; then
    ``add_image(image, label)`` (or a number, for regression) for each example,
    ``train()``, and ``classify(image)`` / ``predict(image)``. ``save(folder)`` writes a
    model that ``ImageClassifier(folder)`` loads, in CPython and in the browser.
    """

    def __init__(self, feature_extractor, kind, options=None, video=None, callback=None):
        check_callback(callback, "classification", "def model_ready(model, error): ...")
        self.video = video  # ml5.js 0.x: classification(video): the picture add_image and classify use
        self.feature_extractor = feature_extractor
        self.kind = kind
        self.options = _checked_options(options)
        self._labels = []    # classification: label text by output number (order first added)
        self._vectors = []   # one embedding per example
        self._targets = []   # the output number (classification) or the value (regression)
        self._head = None    # the runtime's network, once trained or loaded
        self._pending = rt.ready(None)  # the last add, train or load; later work waits for it
        self._live = LiveLoop("classify" if kind == CLASSIFICATION else "predict")
        if callback is not None:
            rt.deliver(rt.after(rt.when_all([feature_extractor.ready, rt.ready(self)]), lambda done: self), callback)

    # ------------------------------------------------------------ examples

    def add_image(self, image, label_or_value=None, callback=None):
        """Add an example: ``image`` (or its embedding) and its label (or value, for regression).

        In the browser this finishes later (it returns a promise); adds keep their order and
        ``train`` waits for them. ``callback(model, error)`` is called when it is added.
        Made with a video (``classification(video)``, ml5.js 0.x), ``add_image("cat")`` adds its frame.
        """
        if self.video is not None and (label_or_value is None or callable(label_or_value)):
            callback = label_or_value if callback is None else callback
            label_or_value = image
            image = self.video
        check_callback(callback, "add_image", "def added(model, error): ...")
        target = rt.attempt(lambda: self._target_of(label_or_value))
        job = rt.when_all([self._pending, self._embedding(image, "add_image"), target])
        job = rt.after(job, lambda done: self._add(done[1], done[2]))
        self._pending = rt.deliver(job, _ignore)  # never fails: the caller gets the error
        return rt.deliver(job, callback)

    def _embedding(self, image, method):
        """The pending embedding of an image, or an embedding given directly (list, array, promise)."""
        if rt.is_pending(image):
            return rt.after(image, rt.vector)
        if rt.is_image(image):
            return rt.after(rt.attempt(lambda: self.feature_extractor.infer(image)), rt.vector)
        return rt.attempt(lambda: rt.vector(image))

    def _target_of(self, label_or_value):
        if self.kind == REGRESSION:
            return _number(label_or_value)
        return label_text(label_or_value)

    def _add(self, vector, target):
        size = self._embedding_size()
        if size is not None and len(vector) != size:
            raise ValueError("This example has " + str(len(vector)) + " numbers, but " +
                             self._size_source() + " " + str(size) + ". All examples must come "
                             "from the same feature extractor.")
        if self.kind == CLASSIFICATION:
            if target not in self._labels:
                self._labels.append(target)
            target = self._labels.index(target)
        self._vectors.append(vector)
        self._targets.append(target)
        return self

    def _embedding_size(self):
        if len(self._vectors) > 0:
            return len(self._vectors[0])
        if self._head is not None:
            return rt.head_sizes(self._head)[0]
        return None

    def _size_source(self):
        return "the examples added before have" if len(self._vectors) > 0 else "the loaded model takes"

    def get_count(self):
        """How many examples were added."""
        return len(self._vectors)

    def get_count_by_label(self):
        """How many examples each label has: ``{label: count}`` (classification)."""
        return count_by_label(self._labels, self._targets if self.kind == CLASSIFICATION else [])

    def get_labels(self):
        """The labels, in the model's output order (the order they were first added)."""
        return self._labels[:]

    # ------------------------------------------------------------ training

    def train(self, epochs=None, on_progress=None, callback=None):
        """Train on the examples: ``train()``, ``train(10)``, ``train(on_progress=show)``.

        After each epoch ``on_progress(epoch, loss, val_loss, logs)`` is called (epochs count
        from 1; ``logs`` also has ``accuracy`` and ``val_accuracy`` for classification; the
        validation values are None with too few examples to set some aside). When done,
        ``callback(history, error)``; ``history`` lists each epoch's values. Training again
        continues from the weights learned so far (new labels start a fresh network).
        """
        if callable(epochs):  # ml5.js style: train(while_training)
            on_progress = epochs
            epochs = None
        check_callback(on_progress, "train", "def show(epoch, loss, val_loss, logs): ...", "on_progress")
        check_callback(callback, "train", "def finished(history, error): ...")
        job = rt.when_all([self._pending, rt.backend_ready()])  # (browser) TF.js's engine started
        job = rt.after(job, lambda ignored: self._fit(epochs, on_progress))
        self._pending = rt.deliver(job, _ignore)
        return rt.deliver(job, callback)

    def _fit(self, epochs, on_progress):
        epochs = _whole(self.options["epochs"] if epochs is None else epochs, "epochs", 1)
        self._check_trainable()
        sizes = [len(self._vectors[0]), self.options["hidden_units"],
                 len(self._labels) if self.kind == CLASSIFICATION else 1]
        if self._head is not None and not _same(rt.head_sizes(self._head), sizes):
            rt.head_dispose(self._head)
            self._head = None
        if self._head is None:
            self._head = rt.head_create(initial_weights(sizes, self.options["seed"]), sizes, self.kind,
                                        self.options["learning_rate"])
        random = SeededRandom(self.options["seed"] + 1)
        parts = self._split(random)
        history = {"epochs": 0, "loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
        return rt.after(rt.in_turn(epochs, lambda epoch: self._epoch(epoch, parts, random, history,
                                                                     on_progress)),
                        lambda ignored: rt.record(history))

    def _check_trainable(self):
        if len(self._vectors) == 0:
            raise ValueError("This model has no examples yet. Call add_image(image, " +
                             ("label" if self.kind == CLASSIFICATION else "value") +
                             ") for each example before train().")
        if self.kind == CLASSIFICATION and len(self._used_labels()) < 2:
            raise ValueError("A classifier learns to tell labels apart, so it needs examples of at "
                             "least two labels; it only has examples of '" + self._used_labels()[0] +
                             "'. Add examples of another label with add_image(image, label).")

    def _used_labels(self):
        used = []
        for index in self._targets:
            if self._labels[index] not in used:
                used.append(self._labels[index])
        return used

    def _split(self, random):
        """[training indices, validation indices]: a seeded share of each label set aside."""
        groups = []
        if self.kind == CLASSIFICATION:
            for label in self._labels:
                groups.append([])
            for index in range(len(self._targets)):
                groups[self._targets[index]].append(index)
        else:
            groups.append(list(range(len(self._targets))))
        return split_groups(random, groups, self.options["validation_split"])

    def _epoch(self, epoch, parts, random, history, on_progress):
        batches = []
        order = random.shuffled(parts[0])
        size = self.options["batch_size"]
        start = 0
        while start < len(order):
            batches.append(order[start:start + size])
            start += size
        job = rt.head_fit_epoch(self._head, self._vectors, self._targets, batches)
        job = rt.when_all([job, rt.head_evaluate(self._head, self._vectors, self._targets, parts[1])])
        return rt.after(job, lambda measured: self._report(epoch + 1, measured, history, on_progress))

    def _report(self, epoch, measured, history, on_progress):
        logs = {"epoch": epoch, "loss": measured[0][0], "val_loss": measured[1][0],
                "accuracy": measured[0][1], "val_accuracy": measured[1][1]}
        history["epochs"] = epoch
        for name in ["loss", "val_loss", "accuracy", "val_accuracy"]:
            history[name].append(logs[name])
        if on_progress is not None:
            rt.call_back(on_progress, epoch, logs["loss"], logs["val_loss"], rt.record(logs))

    # ------------------------------------------------------------ using it

    def classify(self, image=None, callback=None):
        """The labels for ``image``, best first: ``[{"label", "confidence"}, ...]``.

        ``callback(results, error)`` gets them; they are also returned (a promise in the browser).
        ``classify(got_results)`` classifies the video given to ``classification(video)``.
        """
        image, callback = _own_picture(self.video, image, callback, "classify")
        check_callback(callback, "classify")
        return self._use(image, "classify", CLASSIFICATION, callback, self._ranked)

    def predict(self, image=None, callback=None):
        """The value the network predicts for ``image`` (regression): ``{"value": number}``."""
        image, callback = _own_picture(self.video, image, callback, "predict")
        check_callback(callback, "predict", "def got_result(result, error): ...")
        return self._use(image, "predict", REGRESSION, callback, self._valued)

    def classify_start(self, media, callback):
        """Classify every new frame of ``media`` (a video, canvas...) and call ``callback(results, error)``.

        As ``ImageClassifier.classify_start``: one frame at a time, while ``draw()`` goes
        on; ``classify_stop()`` ends it. (Calling ``classify`` again from its own callback
        may never let the page draw on a fast backend: use this instead.)
        """
        self._live.start(media, lambda frame: self._job(frame, "classify", CLASSIFICATION, self._ranked),
                         callback)

    def classify_stop(self):
        """Stop ``classify_start``: no callback comes after this returns."""
        self._live.stop()

    def predict_start(self, media, callback):
        """Predict on every new frame of ``media``, calling ``callback(result, error)`` (regression)."""
        self._live.start(media, lambda frame: self._job(frame, "predict", REGRESSION, self._valued),
                         callback)

    def predict_stop(self):
        """Stop ``predict_start``: no callback comes after this returns."""
        self._live.stop()

    def _ranked(self, scores):
        return top_k(scores, self._labels, len(self._labels))

    def _valued(self, values):
        return rt.record({"value": values[0]})

    def _use(self, image, method, kind, callback, shape):
        return rt.deliver(self._job(image, method, kind, shape), callback)

    def _job(self, image, method, kind, shape):
        job = rt.when_all([self._pending, self._embedding(image, method)])
        job = rt.after(job, lambda done: self._run(done[1], method, kind))
        return rt.after(job, shape)

    def _run(self, vector, method, kind):
        if self.kind != kind:
            other = "classify" if self.kind == CLASSIFICATION else "predict"
            raise ValueError("This is a " + self.kind + " model: use " + other + "(image), not " +
                             method + "(image).")
        if self._head is None:
            raise ValueError("This model is not trained yet. Call train() (or load a saved model) "
                             "before " + method + "(...).")
        size = rt.head_sizes(self._head)[0]
        if len(vector) != size:
            raise ValueError("The example to " + method + " has " + str(len(vector)) + " numbers, "
                             "but the model takes " + str(size) + ". Use embeddings from the same "
                             "feature extractor as the examples.")
        return rt.head_predict(self._head, vector)

    def dispose(self, callback=None):
        """Free the model's memory (in the browser: its TF.js tensors) once its work is done.

        Afterwards the model is empty, as if new: no examples, no labels, no network (add
        examples and ``train()`` to use it again). Stops ``classify_start`` / ``predict_start``.
        ``callback(model, error)`` is called when it is freed (a promise in the browser).
        """
        check_callback(callback, "dispose", "def freed(model, error): ...")
        self._live.stop()
        job = rt.after(self._pending, lambda ignored: self._forget())
        self._pending = rt.deliver(job, _ignore)
        return rt.deliver(job, callback)

    def _forget(self):
        if self._head is not None:
            rt.head_dispose(self._head)
        self._head = None
        self._labels = []
        self._vectors = []
        self._targets = []
        return self

    # ------------------------------------------------------------ save and load

    def save(self, folder=None, callback=None):
        """Save the trained model: ``model.json``, ``weights.bin`` and ``metadata.json``.

        This is the Teachable Machine layout: ``ImageClassifier(folder)`` loads it (the
        MobileNet part is saved too, so the model takes pictures). In CPython the folder
        (default ``model``) is replaced safely: a failure keeps the old one. In the browser
        the page downloads the three files. Returns the files ``{name: content}``.
        """
        check_callback(callback, "save", "def saved(files, error): ...")
        check_name(folder, "model.save", "my_model")
        job = rt.when_all([self._pending, self.feature_extractor._loading])
        job = rt.after(job, lambda ignored: self._save(folder or DEFAULT_FOLDER))
        return rt.deliver(job, callback)

    def _save(self, folder):
        if self._head is None:
            raise ValueError("There is nothing to save yet: train() the model first.")
        labels = self._labels[:] if self.kind == CLASSIFICATION else ["value"]
        metadata = {"labels": labels, "imageSize": rt.model_input_size(self.feature_extractor.model)[0],
                    "modelName": str(folder), "packageName": "ml5py",
                    "ml5py": {"task": self.kind, "feature_extractor": self.feature_extractor.model_name,
                              "feature_layer": self.feature_extractor.layer_name,
                              "hidden_units": rt.head_sizes(self._head)[1]}}
        return rt.save_trained_model(self.feature_extractor, self._head, metadata, folder)

    def load(self, location, callback=None):
        """Load a saved model (a folder, its ``model.json``, or a URL) to use or train further.

        Its labels come back from ``metadata.json``. Examples are not saved: add new ones
        with the same labels to train more. ``callback(model, error)`` is called when done.
        """
        check_callback(callback, "load", "def loaded(model, error): ...")
        job = rt.when_all([self._pending, rt.load_trained_model(location)])
        job = rt.after(job, lambda done: self._restore(done[1], str(location)))
        self._pending = rt.deliver(job, _ignore)
        rt.keep_sketch_waiting(self._pending)  # called in a p5 preload(): setup() waits for it
        return rt.deliver(job, callback)

    def _restore(self, loaded, where):
        metadata = loaded["metadata"]
        sizes = loaded["sizes"]
        task = CLASSIFICATION
        if rt.is_object(metadata) and "ml5py" in metadata and rt.is_object(metadata["ml5py"]) and \
                "task" in metadata["ml5py"]:
            task = metadata["ml5py"]["task"]
        if task != self.kind:
            raise ValueError("The model at " + where + " was saved by a " + str(task) + " model; load "
                             "it into features." + str(task) + "() instead of features." +
                             self.kind + "().")
        labels = []
        if self.kind == CLASSIFICATION:
            for label in metadata["labels"]:
                labels.append(str(label))
            check_label_count(labels, sizes[2], where)
        if self._head is not None:
            rt.head_dispose(self._head)
        self._head = rt.head_create(loaded["weights"], sizes, self.kind, self.options["learning_rate"])
        self.options["hidden_units"] = sizes[1]
        self._labels = labels
        self._vectors = []
        self._targets = []
        return self


ml5_names(TrainableModel)  # also answers to ml5.js's names (core/ml5_names.py)


def _own_picture(video, image, callback, method):
    """``(image, callback)``: ``method(got)`` / ``method()`` use the model's ``video`` (ml5.js 0.x)."""
    if callable(image) and callback is None:
        callback = image
        image = None
    return [picture_or_own(image, video, method), callback]
