"""NeuralNetwork: teach a small network your own data (numbers, words, poses, pictures). Written once.

ml5.js 1.x's ``ml5.neuralNetwork`` in Python::

    nn = NeuralNetwork(task="classification")
    nn.add_data({"r": 255, "g": 0, "b": 0}, {"colour": "red"})   # one example at a time
    nn.normalize_data()                                           # every input to 0..1
    nn.train(epochs=32, while_training=lambda epoch, logs: print(epoch, logs["loss"]))
    nn.classify([250, 10, 5])          # [{"label": "red", "confidence": 0.97}, ...]

How training goes, the same in CPython (numpy) and in the browser (TensorFlow.js):

1. The examples' metadata is worked out (``nn_meta.py``): words become one-hot codes,
   and with ``normalize_data()`` every number is scaled to 0..1 by its range.
2. The layers (``nn_layers.py``: ml5.js's defaults, or the ``layers`` option) start from
   seeded weights; ``validation_split`` of the examples (per label, for classifiers) is
   set aside, the rest is shuffled into batches each epoch (seeded too), so both runtimes
   see the same numbers. As in ml5.js: classifiers learn by SGD, regression by Adam.
3. After each epoch ``while_training(epoch, logs)`` (from 0; TF.js's ``loss``, ``val_loss``, ``acc``, ``val_acc``).
"""
# __pragma__ ('noopov')

from ml5py.models.neural_network import nn_data_files as files
from ml5py.models.neural_network import nn_model_files as model_files
from ml5py.models.neural_network.nn_data import NetworkData
from ml5py.models.neural_network.nn_layers import describe, weight_count
from ml5py.models.neural_network.nn_meta import (IMAGES, REGRESSION, encode, labels, named_example, named_values,
                                                  output_values, refuse)
from ml5py.models.neural_network.nn_options import checked_options, sorted_train_arguments, train_settings
from ml5py.models.neural_network.nn_training import fit, inferred_task
from ml5py.core.arguments import check_callback
from ml5py.core.results import top_k
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt
from ml5py.core.seeded import SeededRandom

DEFAULT_FOLDER = "model"
DEFAULT_DATA = "data"


def _ignore(value, error):
    """A callback that swallows the outcome (the caller gets it through another promise)."""


class NeuralNetwork:
    """A network that learns from the examples you give it: ml5.js's ``neuralNetwork``.

    Options (keywords, or ml5.js's options dict): ``task`` ("classification",
    "regression" or "imageClassification"), ``inputs`` and ``outputs`` (how many, or
    their names), ``layers``, ``hidden_units`` (16), ``learning_rate`` (0.2; 0.02 for
    pictures), ``debug``, ``data_url`` / ``model_url`` (load at once), ``seed`` (42:
    the same seed trains the same network). ``callback(nn, error)`` once ready.
    """

    def __init__(self, options=None, callback=None, task=None, inputs=None, outputs=None, layers=None,
                 hidden_units=None, learning_rate=None, debug=None, input_shape=None, data_url=None,
                 model_url=None, seed=None):
        if options is not None and not rt.is_object(options):  # ml5.js: neuralNetwork(inputs, outputs)
            inputs = options
            options = None
            if callback is not None and not callable(callback):
                outputs = callback
                callback = None
        if callback is not None and not callable(callback):
            raise TypeError("NeuralNetwork's callback is a function; options are keywords "
                            "(NeuralNetwork(task=\"classification\")) or a dict.")
        self.options = checked_options(options, {
            "task": task, "inputs": inputs, "outputs": outputs, "layers": layers, "hidden_units": hidden_units,
            "learning_rate": learning_rate, "debug": debug, "input_shape": input_shape, "data_url": data_url,
            "model_url": model_url, "seed": seed})
        given_inputs = self.options["inputs"]
        given_outputs = self.options["outputs"]
        self._data = NetworkData(given_inputs if rt.is_sequence(given_inputs) else None,
                                 given_outputs if rt.is_sequence(given_outputs) else None,
                                 given_inputs if rt.is_number(given_inputs) else None,
                                 given_outputs if rt.is_number(given_outputs) else None)
        self._task = self.options["task"]
        self._net = None
        self._layers = None
        self._shuffles = None
        self._encoded = None  # the examples as numbers, kept between train() calls
        self._pending = rt.ready(None)  # the last add, load, train: later work waits for it
        job = rt.ready(None)
        if self.options["data_url"] is not None:
            job = self._data_job(self.options["data_url"], None, None)
        elif self.options["model_url"] is not None:
            job = self._load_job(self.options["model_url"])
        self.ready = rt.deliver(rt.after(job, lambda ignored: self), callback)

    # ------------------------------------------------------------ data

    def add_data(self, inputs, outputs, callback=None):
        """Add one example: ``inputs`` (a dict of named values, a list, or a number) and its ``outputs``.

        Values are numbers, words (one-hot encoded) or, for imageClassification, pictures
        (a video, canvas, image...: its pixels). Every example has the same inputs.
        """
        check_callback(callback, "add_data", "def added(nn, error): ...")
        if self._task != IMAGES:
            self._data.add(inputs, outputs)
            return rt.deliver(rt.ready(self), callback)
        job = rt.when_all([self._pending, self._pixels(inputs, "add_data")])
        job = rt.after(job, lambda done: self._added(done[1], outputs))
        self._pending = rt.deliver(job, _ignore)
        return rt.deliver(job, callback)

    def _added(self, inputs, outputs):
        self._data.add(inputs, outputs)
        return self

    def _pixels(self, inputs, method, now=False):
        """Pictures among ``inputs`` read as lists of pixel values (a pending value; ``now``: the values).

        A picture (or its list of pixel values) on its own is the input named "image".
        """
        shape = self.options["input_shape"]
        read = rt.network_pixels_now if now else rt.network_pixels
        done = (lambda value: value) if now else rt.ready
        if rt.is_image(inputs):
            pixels = read(inputs, shape, method)
            return {"image": pixels} if now else rt.after(pixels, lambda values: {"image": values})
        if rt.is_sequence(inputs):
            return done({"image": inputs})
        if rt.is_object(inputs):
            names = rt.object_keys(inputs)
            values = []
            for name in names:
                value = inputs[name]
                values.append(read(value, shape, method) if rt.is_image(value) else value)
            if now:
                return named_values(names, values)
            return rt.after(rt.when_all(values), lambda got: named_values(names, got))
        return done(inputs)

    def normalize_data(self):
        """Scale every number to 0..1 by its range in the data (predictions are scaled back).

        (In the browser, after pictures still being read by ``add_data``: a promise.)
        """
        job = rt.after(self._pending, lambda ignored: self._normalize())
        self._pending = rt.deliver(job, _ignore)
        return rt.deliver(job)

    def _normalize(self):
        if len(self._data.rows) == 0 and not self._data.meta_loaded:
            raise ValueError("There is no data to normalize yet: call add_data(inputs, outputs) for each "
                             "example (or load_data(file)) first, then normalize_data().")
        if not self._data.meta_loaded:
            self._data.normalize = True
            self._data.changed = True
            self._data.make_meta(self._training_task(), self.options["input_shape"])
        return self

    def save_data(self, name=None, callback=None):
        """Save the examples: ml5.js's data JSON (``name.json``), or CSV when ``name`` ends in ``.csv``.

        In CPython the file is written whole or not at all; the browser downloads it.
        """
        check_callback(callback, "save_data", "def saved(name, error): ...")
        if callable(name):
            callback = name
            name = None
        job = rt.after(self._pending, lambda ignored: self._save_data(str(name or DEFAULT_DATA)))
        return rt.deliver(job, callback)

    def _save_data(self, name):
        if len(self._data.rows) == 0:
            raise ValueError("There is no data to save yet: call add_data(inputs, outputs) first.")
        if name.lower().endswith(".csv"):
            text = files.csv_text(self._data.rows, self._data.input_names, self._data.output_names)
        else:
            if not name.lower().endswith(".json"):
                name = name + ".json"
            text = rt.to_json(files.data_json(self._data.rows))
        rt.save_text(name, text, "save_data")
        return name

    def load_data(self, source, callback=None, inputs=None, outputs=None):
        """Use the examples in a data file (ml5.js's JSON, rows of JSON, or CSV; a path or a URL).

        For a table, ``inputs`` and ``outputs`` (or the NeuralNetwork's options) name the
        columns; one of them is enough (the other columns are the rest). Replaces the
        examples added before, as ml5.js does.
        """
        check_callback(callback, "load_data", "def loaded(nn, error): ...")
        return rt.deliver(self._data_job(source, inputs, outputs), callback)

    def _data_job(self, source, inputs, outputs):
        inputs = inputs if inputs is not None else self.options["inputs"]
        outputs = outputs if outputs is not None else self.options["outputs"]
        where = str(source) if not rt.is_object(source) else "the data you gave"
        if rt.is_object(source) or rt.is_sequence(source):
            text = rt.ready(source)
        else:
            text = rt.load_text(source)
        job = rt.when_all([self._pending, text])
        job = rt.after(job, lambda done: self._use_data(done[1], where, inputs, outputs))
        self._pending = rt.deliver(job, _ignore)
        rt.keep_sketch_waiting(self._pending)  # in a p5 preload(): setup() waits for it
        return job

    def _use_data(self, loaded, where, inputs, outputs):
        self._data.replace(files.rows_from_loaded(loaded, where, inputs, outputs))
        return self

    # ------------------------------------------------------------ training

    def train(self, *arguments, epochs=None, batch_size=None, validation_split=None, shuffle=None,
              while_training=None, callback=None):
        """Train on the examples: ``train()``, ``train(epochs=50, while_training=show)``.

        ml5.js's forms work too: ``train(options, done)``, ``train(options, while_training,
        done)``, ``train(while_training, done)``, ``train(done)``. ``while_training(epoch,
        logs)`` comes after each epoch; ``callback(history, error)`` (``done``) once finished
        (``history``: each epoch's ``loss``, ``val_loss``, ``acc``, ``val_acc``). Defaults
        as ml5.js: 10 epochs, batches of 32, validation_split 0.1. Training again goes on
        from the weights learned so far (a new label starts a new network).
        """
        given = sorted_train_arguments(arguments)
        while_training = while_training if while_training is not None else given[1]
        callback = callback if callback is not None else given[2]
        settings = rt.attempt(lambda: train_settings(given[0], {
            "epochs": epochs, "batch_size": batch_size, "validation_split": validation_split,
            "shuffle": shuffle}))
        job = rt.when_all([self._pending, rt.backend_ready(), settings])
        job = rt.after(job, lambda done: self._fit(done[2], while_training))
        self._pending = rt.deliver(job, _ignore)
        return rt.deliver(job, callback)

    def _training_task(self):
        return self._task if self._task is not None else inferred_task(self._data.kinds)

    def _fit(self, settings, while_training):
        return fit(self, settings, while_training)

    def _start_network(self, specs, weights):
        optimizer = "adam" if self._task == REGRESSION else "sgd"  # as ml5.js compiles its models
        self._net = rt.network_create(specs, weights, optimizer, self.options["learning_rate"],
                                      self._task != REGRESSION)
        self._layers = specs
        self._shuffles = SeededRandom(self.options["seed"] + 2)  # the batches' order, on across train()s
        if self.options["debug"]:
            print("NeuralNetwork (" + self._task + ", " + optimizer + ", learning rate " +
                  str(self.options["learning_rate"]) + "), " + str(weight_count(specs)) + " weights:")
            for spec in specs:
                print("  " + spec["name"] + ": " + describe(spec))

    def _free_network(self):
        if self._net is not None:
            rt.network_dispose(self._net)
        self._net = None
        self._layers = None

    # ------------------------------------------------------------ using it

    def classify(self, inputs, callback=None):
        """The labels for one example, best first: ``[{"label", "confidence"}, ...]``."""
        return self._use([inputs], "classify", callback, False)

    def classify_multiple(self, inputs, callback=None):
        """``classify`` for a list of examples: one list of results per example."""
        return self._use(inputs, "classify_multiple", callback, True)

    def predict(self, inputs, callback=None):
        """Regression: the network's numbers for one example, ``[{"label", "value"}, ...]``."""
        return self._use([inputs], "predict", callback, False)

    def predict_multiple(self, inputs, callback=None):
        """``predict`` for a list of examples: one list of results per example."""
        return self._use(inputs, "predict_multiple", callback, True)

    def classify_sync(self, inputs):
        """``classify`` that answers at once, also in the browser (no callback, no promise)."""
        return self._answers(self._run_sync([inputs], "classify_sync"), "classify_sync", False)

    def predict_sync(self, inputs):
        """``predict`` that answers at once, also in the browser (no callback, no promise)."""
        return self._answers(self._run_sync([inputs], "predict_sync"), "predict_sync", False)

    def _use(self, examples, method, callback, many):
        check_callback(callback, method)
        if many and not rt.is_sequence(examples):
            examples = rt.attempt(lambda: refuse(method + " takes a list of examples; got " +
                                                  str(examples) + ". Use " + method.split("_")[0] + "(...) "
                                                  "for one example."))
        else:
            pending = []
            for example in rt.as_list(examples):
                pending.append(self._pixels(example, method) if self._task == IMAGES else example)
            examples = rt.when_all(pending)
        job = rt.when_all([self._pending, examples])
        job = rt.after(job, lambda done: rt.network_predict(self._net, self._rows(done[1], method)))
        return rt.deliver(rt.after(job, lambda outputs: self._answers(outputs, method, many)), callback)

    def _rows(self, examples, method):
        classifying = method.startswith("classify")
        if self._net is None:
            raise ValueError("This NeuralNetwork is not trained yet. Call train() (or load(folder)) before " +
                             method + "(...), and wait for it to finish (its callback).")
        if classifying and self._task == REGRESSION:
            raise ValueError("This network does regression: use predict(...), not " + method + "(...).")
        if not classifying and self._task != REGRESSION:
            raise ValueError("This network is a classifier: use classify(...), not " + method + "(...).")
        rows = []
        for example in examples:
            rows.append(encode(self._data.meta, named_example(self._data.meta, example, method), method))
        return rows

    def _run_sync(self, examples, method):
        if self._task == IMAGES:
            examples = [self._pixels(examples[0], method, True)]
        return rt.network_predict_sync(self._net, self._rows(examples, method))

    def _answers(self, outputs, method, many):
        answers = []
        for values in outputs:
            if method.startswith("classify"):
                names = labels(self._data.meta)
                answers.append(top_k(values, names, len(names)))
            else:
                answers.append(output_values(self._data.meta, values))
        return answers if many else answers[0]

    # ------------------------------------------------------------ files

    def save(self, folder=None, callback=None):
        """Save the trained network: ``model.json``, ``model_meta.json`` and ``model.weights.bin``.

        ml5.js's files, in the folder ``folder`` (default ``model``); ml5.js 1.x loads them
        (``load("folder/model.json")``). In CPython the folder is replaced all at once (a
        failed save keeps the old files); the browser downloads the three files.
        """
        check_callback(callback, "save", "def saved(files, error): ...")
        if callable(folder):
            callback = folder
            folder = None
        job = rt.after(self._pending, lambda ignored: self._save(str(folder or DEFAULT_FOLDER)))
        return rt.deliver(job, callback)

    def _save(self, folder):
        if self._net is None:
            raise ValueError("There is nothing to save yet: train() the network (or load one) first.")
        meta = {}
        for key in rt.object_keys(self._data.meta):
            meta[key] = self._data.meta[key]
        meta["ml5py"] = {"task": self._task}
        texts = {"model.json": rt.to_json(model_files.model_json(self._layers)), "model_meta.json": rt.to_json(meta)}
        return rt.after(rt.network_weights(self._net),
                        lambda weights: rt.network_save(folder, texts, model_files.WEIGHTS_FILE, weights))

    def load(self, location, callback=None):
        """Load a saved network (ml5py's or ml5.js's): its folder, its ``model.json``, or a URL.

        Also ml5.js's ``{"model": url, "metadata": url, "weights": url}``. The metadata
        comes back too (labels, ranges), so ``classify``/``predict`` work at once.
        """
        check_callback(callback, "load", "def loaded(nn, error): ...")
        return rt.deliver(self._load_job(location), callback)

    def _load_job(self, location):
        job = rt.when_all([self._pending, rt.network_load(location)])
        job = rt.after(job, lambda done: self._restore(done[1]))
        self._pending = rt.deliver(job, _ignore)
        rt.keep_sketch_waiting(self._pending)  # in a p5 preload(): setup() waits for it
        return job

    def _restore(self, loaded):
        where = loaded["where"]
        specs = model_files.specs_from_model(loaded["model"], loaded["model_name"])
        weights = model_files.weights_in_order(specs, loaded["weights"], loaded["model_name"])
        model_files.check_meta(loaded["meta"], specs, loaded["meta_name"])
        task = model_files.task_of(loaded["meta"], specs)
        if self._task is not None and task != self._task and not (task == "classification" and self._task == IMAGES):
            raise ValueError("The model at " + where + " was saved for " + task + ", but this NeuralNetwork "
                             "is for " + self._task + ". Make it with task=\"" + task + "\" (or no task).")
        if self._task is None:
            self._task = task
        self._free_network()
        self._start_network(specs, weights)
        self._data.meta = loaded["meta"]
        self._data.meta_loaded = True
        self._data.changed = False
        return self

    def dispose(self, callback=None):
        """Free the network's memory (in the browser, its TF.js tensors), after work in progress.

        The examples stay: ``train()`` again makes a new network.
        """
        check_callback(callback, "dispose", "def freed(nn, error): ...")
        job = rt.after(self._pending, lambda ignored: self._disposed())
        self._pending = rt.deliver(job, _ignore)
        return rt.deliver(job, callback)

    def _disposed(self):
        self._free_network()
        return self


ml5_names(NeuralNetwork)  # also answers to ml5.js's names (core/ml5_names.py)
