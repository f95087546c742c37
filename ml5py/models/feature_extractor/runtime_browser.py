"""The browser runtime, training: trainable heads for ``feature_extractor.py`` and ``trainable.py``.

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``runtime_cpython.py`` beside it.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.data_browser import download
from ml5py.core.images_browser import describe_type
from ml5py.core.loading_browser import _explained_fetch
from ml5py.core.pending_browser import type_of
from ml5py.core.tensors_browser import ensure_backend, read
from ml5py.core.epoch_means import epoch_means


# ---------------------------------------------------------------- training: trainable heads for feature_extractor.py

def _head_shapes(sizes):
    return [[sizes[0], sizes[1]], [sizes[1]], [sizes[1], sizes[2]], [sizes[2]]]


def head_create(weights, sizes, kind, learning_rate):
    """A trainable ``Dense(relu) -> Dense`` network: four TF.js variables and an Adam optimiser."""
    shapes = _head_shapes(sizes)
    variables = []
    for index in range(4):
        values = weights[index]
        shape = shapes[index]
        variables.append(tf.tidy(lambda: tf.variable(tf.tensor(values, shape, "float32"))))
    return {"variables": variables, "sizes": sizes, "kind": kind,
            "optimizer": tf.train.adam(learning_rate, 0.9, 0.999, 1e-7)}


def head_sizes(head):
    """[inputs, hidden units, outputs] of a head."""
    return head["sizes"]


def _head_logits(head, x):
    weights = head["variables"]
    hidden = tf.relu(tf.add(tf.matMul(x, weights[0]), weights[1]))
    return tf.add(tf.matMul(hidden, weights[2]), weights[3])


def _head_rows(rows, indices):
    values = []
    for index in indices:
        values.append(rows[index])
    return tf.tensor2d(values, None, "float32")


def _head_targets(head, targets, indices):
    values = []
    for index in indices:
        values.append(targets[index])
    if head["kind"] == "classification":
        return tf.cast(tf.oneHot(tf.tensor1d(values, "int32"), head["sizes"][2]), "float32")
    return tf.tensor2d(values, [len(values), 1], "float32")


def _head_loss(head, logits, y):
    if head["kind"] == "classification":
        return tf.losses.softmaxCrossEntropy(y, logits)
    return tf.losses.meanSquaredError(y, logits)


def _head_correct(logits, y):
    return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), "float32"))


def _number_of(tensor):
    values = tensor.dataSync()
    tensor.dispose()
    return values[0]


def head_fit_epoch(head, rows, targets, batches):
    """One epoch: an Adam step per batch (lists of example numbers); a promise of [loss, accuracy].

    The batches' losses stay on the backend until the epoch ends, then are read at once
    (no pipeline stall per batch on WebGL).
    """
    classification = head["kind"] == "classification"
    sizes = []
    measured = []  # per batch: its mean loss (and its number of right answers), as tensors
    for batch in batches:
        x = _head_rows(rows, batch)
        y = tf.tidy(lambda: _head_targets(head, targets, batch))
        kept = []

        def loss_of():
            logits = _head_logits(head, x)
            if classification:
                kept.append(tf.keep(_head_correct(logits, y)))
            return _head_loss(head, logits, y)

        measured.append(head["optimizer"].minimize(loss_of, True, head["variables"]))
        if classification:
            measured.append(kept[0])
        sizes.append(len(batch))
        x.dispose()
        y.dispose()
    if len(sizes) == 0:
        return Promise.resolve([None, None])
    stacked = tf.stack(measured)
    for tensor in measured:
        tensor.dispose()

    def summed(values):
        return epoch_means(values, sizes, classification)

    return read(stacked).then(summed)


def head_evaluate(head, rows, targets, indices):
    """A promise of [loss, accuracy] on the examples numbered ``indices`` ([None, None] if none)."""
    if len(indices) == 0:
        return Promise.resolve([None, None])
    classification = head["kind"] == "classification"

    def measure():
        y = _head_targets(head, targets, indices)
        logits = _head_logits(head, _head_rows(rows, indices))
        return [_head_loss(head, logits, y), _head_correct(logits, y)]

    measured = tf.tidy(measure)
    loss = _number_of(measured[0])
    correct = _number_of(measured[1])
    return Promise.resolve([loss, correct / len(indices) if classification else None])


def head_predict(head, row):
    """A promise of the head's outputs for one embedding (probabilities, or the value)."""
    def outputs():
        logits = _head_logits(head, tf.tensor2d(row, [1, len(row)], "float32"))
        return tf.softmax(logits) if head["kind"] == "classification" else logits

    return read(tf.tidy(outputs))


def head_dispose(head):
    """Free a head's TF.js variables and its Adam optimiser's state."""
    for variable in head["variables"]:
        variable.dispose()
    head["optimizer"].dispose()


def save_trained_model(extractor, head, metadata, folder):
    """Download the extractor's model (cut at its embedding) + the head as a TF.js model.

    The page downloads ``model.json``, ``weights.bin`` and ``metadata.json`` (put them in
    one folder: ``ImageClassifier(folder)`` loads it). A promise of ``{file name: content}``.
    """
    sizes = head["sizes"]
    hidden = tf.layers.dense({"name": "head_hidden", "units": sizes[1], "activation": "relu",
                              "inputShape": [sizes[0]]})
    output = tf.layers.dense({"name": "head_output", "units": sizes[2],
                              "activation": "softmax" if head["kind"] == "classification" else "linear"})
    head_model = tf.sequential({"name": "head", "layers": [hidden, output]})
    head_model.setWeights(head["variables"])
    whole = tf.sequential({"layers": [extractor.model, head_model]})
    saved = {}

    def grab(artifacts):
        saved["artifacts"] = artifacts
        return {"modelArtifactsInfo": {"dateSaved": __new__(Date()), "modelTopologyType": "JSON"}}

    def files(ignored):
        for layer in [hidden, output]:
            for weight in layer.weights:
                weight.dispose()
        artifacts = saved["artifacts"]
        data = artifacts.weightData
        if Array.isArray(data):
            data = tf.io.CompositeArrayBuffer.join(data)
        model_json = JSON.stringify({"modelTopology": artifacts.modelTopology, "format": artifacts.format,
                                     "generatedBy": artifacts.generatedBy, "convertedBy": None,
                                     "weightsManifest": [{"paths": ["weights.bin"],
                                                          "weights": artifacts.weightSpecs}]})
        result = {"model.json": model_json, "weights.bin": data,
                  "metadata.json": JSON.stringify(metadata, None, 1)}
        download("model.json", model_json, "application/json")
        download("weights.bin", data, "application/octet-stream")
        download("metadata.json", result["metadata.json"], "application/json")
        return result

    return whole.save(tf.io.withSaveHandler(grab)).then(files)


def _model_url(location):
    """[folder URL ending in /, model file name] for a folder, model.json path or URL."""
    if location.endsWith(".json"):
        cut = location.lastIndexOf("/") + 1
        return [location.slice(0, cut), location.slice(cut)]
    if location.endsWith("/"):
        return [location, "model.json"]
    return [location + "/", "model.json"]


def load_trained_model(location):
    """A promise of a saved model's head and metadata: ``{"weights", "sizes", "metadata"}``."""
    if type_of(location) != "string":
        return Promise.reject(TypeError("Give the folder, model.json or URL of a saved model; got a " +
                                        describe_type(location) + "."))
    place = _model_url(location)
    base = place[0]
    found = {}

    def fetched(response):
        if not response.ok:
            raise ValueError("Could not read " + base + "metadata.json (HTTP " + str(response.status) +
                             "). A saved model keeps it beside model.json.")
        return response.json()

    def head_of(model):
        found["model"] = model
        layers = model.layers
        head = layers[len(layers) - 1]
        inner = head.layers if head.layers else []
        if len(inner) != 2 or inner[0].getClassName() != "Dense" or inner[1].getClassName() != "Dense" or \
                inner[0].getConfig().activation != "relu":
            model.dispose()
            raise ValueError("The model at " + location + " does not end in a head ml5py can train "
                             "further (a nested Sequential of Dense(relu) then Dense). Save models "
                             "with features.classification().save(...).")
        weights = []
        for layer in inner:
            tensors = layer.getWeights()
            kernel = tensors[0]
            weights.append(kernel.dataSync().slice())
            if len(tensors) > 1:
                weights.append(tensors[1].dataSync().slice())
            else:
                weights.append(__new__(Float32Array(kernel.shape[1])))
        sizes = [inner[0].getWeights()[0].shape[0], inner[0].getWeights()[0].shape[1],
                 inner[1].getWeights()[0].shape[1]]
        model.dispose()
        return {"weights": weights, "sizes": sizes, "metadata": found["metadata"]}

    def with_metadata(metadata):
        found["metadata"] = metadata
        return ensure_backend().then(lambda name: tf.loadLayersModel(base + place[1])).then(head_of)

    return _explained_fetch(base + "metadata.json").then(fetched).then(with_metadata)
