"""The browser runtime, NeuralNetwork (issue 12): TF.js variables and ops, pixels, model files.

A part of ``runtime_browser.py`` (star-imported there); only Transcrypt compiles it. Its
twin for CPython is ``runtime_cpython_network.py``. The network is plain TF.js: one
variable per weight, the layers as ``tf.matMul``, ``tf.conv2d``, ``tf.maxPool`` and
``tf.reshape``, trained with ``optimizer.minimize`` on batches gathered from the examples
uploaded once per ``train()`` (TF.js's ``model.fit`` gathers its batches the same way).
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.neural_network.nn_model_files import joined, model_places
from ml5py.runtime_browser_core import _drawable, describe_type, download, is_instance, media_ready, \
    python_error, type_of


# ---------------------------------------------------------------- values

def is_number(value):
    """True for a number (not for True/False)."""
    return type_of(value) == "number"


def is_list(value):
    """True for a list of values: an Array or a typed array (Float32Array...)."""
    return Array.isArray(value) or (ArrayBuffer.isView(value) and not is_instance(value, DataView))


def as_list(value):
    """``value`` as a plain Array (typed arrays are copied)."""
    return value if Array.isArray(value) else Array.prototype.slice.call(value)


def network_warning(message):
    """Tell the learner something is likely wrong, without stopping (the console's warnings)."""
    console.warn("NeuralNetwork: " + message)


# ---------------------------------------------------------------- pictures

def _size_of(drawable):
    if is_instance(drawable, window.HTMLVideoElement):
        return [drawable.videoWidth, drawable.videoHeight]
    if is_instance(drawable, window.HTMLImageElement):
        return [drawable.naturalWidth, drawable.naturalHeight]
    return [drawable.width, drawable.height]


def network_pixels_now(media, shape, method):
    """A picture's pixels as one list of numbers (0..255), rows of [r, g, b(, a)], read from a
    canvas as ml5.js does, checked against the network's ``[width, height, channels]``."""
    drawable = _drawable(media)
    if drawable is None:
        raise TypeError(method + ": cannot use a " + describe_type(media) + " as a picture.")
    size = _size_of(drawable)
    if size[0] != shape[0] or size[1] != shape[1]:
        raise ValueError(method + ": the picture is " + str(size[0]) + "x" + str(size[1]) + " pixels, but "
                         "the network takes " + str(shape[0]) + "x" + str(shape[1]) + " (inputs=[" +
                         str(shape[0]) + ", " + str(shape[1]) + ", " + str(shape[2]) + "]). Resize it first "
                         "(in p5: video.size(" + str(shape[0]) + ", " + str(shape[1]) + ")).")
    if is_instance(drawable, window.ImageData):
        data = drawable.data
    else:
        canvas = document.createElement("canvas")
        canvas.width = size[0]
        canvas.height = size[1]
        context = canvas.getContext("2d", {"willReadFrequently": True})
        context.drawImage(drawable, 0, 0, size[0], size[1])
        data = context.getImageData(0, 0, size[0], size[1]).data
    if shape[2] == 4:
        return Array.prototype.slice.call(data)
    values = []
    for position in range(0, data.length, 4):
        values.push(data[position], data[position + 1], data[position + 2])
    return values


def network_pixels(media, shape, method):
    """A promise of ``network_pixels_now`` once the picture is loaded."""
    return media_ready(media).then(lambda ready: network_pixels_now(ready, shape, method))


# ---------------------------------------------------------------- the network

def network_create(specs, weights, optimizer, learning_rate, classifying):
    """A trainable network: one TF.js variable per weight and an optimiser (SGD or Adam)."""
    variables = []
    position = 0
    for spec in specs:
        for shape in spec["weights"]:
            values = weights[position]
            variables.append(tf.tidy(lambda: tf.variable(tf.tensor(values, shape, "float32"))))
            position += 1
    if optimizer == "adam":
        trainer = tf.train.adam(learning_rate, 0.9, 0.999, 1e-7)
    else:
        trainer = tf.train.sgd(learning_rate)
    return {"specs": specs, "variables": variables, "optimizer": trainer, "classifying": classifying}


def _activate(z, name):
    if name == "relu":
        return tf.relu(z)
    if name == "sigmoid":
        return tf.sigmoid(z)
    if name == "tanh":
        return tf.tanh(z)
    if name == "softmax":
        return tf.softmax(z)
    return z


def _forward(net, x):
    """The last layer's output (logits for a classifier: softmax is in the loss and in predict)."""
    specs = net["specs"]
    variables = net["variables"]
    position = 0
    out = x
    for index in range(len(specs)):
        spec = specs[index]
        kind = spec["type"]
        count = len(spec["weights"])
        if kind == "flatten":
            out = tf.reshape(out, [out.shape[0], -1])
        elif kind == "max_pooling2d":
            out = tf.maxPool(out, spec["pool_size"], spec["strides"], spec["padding"])
        else:
            if kind == "dense":
                out = tf.matMul(out, variables[position])
            else:
                out = tf.conv2d(out, variables[position], spec["strides"], spec["padding"])
            if count > 1:
                out = tf.add(out, variables[position + 1])
            if not (index == len(specs) - 1 and net["classifying"]):
                out = _activate(out, spec["activation"])
        position += count
    return out


def _loss(net, out, y):
    if net["classifying"]:
        return tf.losses.softmaxCrossEntropy(y, out)
    return tf.losses.meanSquaredError(y, out)


def _correct(out, y):
    return tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(y, 1)), "float32"))


def network_data(net, inputs, targets):
    """The examples uploaded once: an input tensor shaped for the network and a target tensor."""
    shape = [len(inputs)]
    for size in net["specs"][0]["input_shape"]:
        shape.append(size)
    width = len(inputs[0]) if len(inputs) > 0 else 0
    flat = __new__(Float32Array(len(inputs) * width))
    for row in range(len(inputs)):
        flat.set(inputs[row], row * width)
    outputs = len(targets[0]) if len(targets) > 0 else 0
    flat_targets = __new__(Float32Array(len(targets) * outputs))
    for row in range(len(targets)):
        flat_targets.set(targets[row], row * outputs)
    return {"x": tf.tensor(flat, shape, "float32"), "y": tf.tensor2d(flat_targets, [len(targets), outputs])}


def network_data_dispose(data):
    data["x"].dispose()
    data["y"].dispose()


def network_fit_epoch(net, data, batches):
    """One epoch: an optimiser step per batch (lists of example numbers); a promise of [loss, accuracy].

    The batches' losses stay on the backend until the epoch ends, then are read at once.
    """
    classifying = net["classifying"]
    sizes = []
    measured = []
    for batch in batches:
        picks = tf.tensor1d(batch, "int32")
        x = tf.gather(data["x"], picks)
        y = tf.gather(data["y"], picks)
        kept = []

        def loss_of():
            out = _forward(net, x)
            if classifying:
                kept.append(tf.keep(_correct(out, y)))
            return _loss(net, out, y)

        measured.append(net["optimizer"].minimize(loss_of, True, net["variables"]))
        if classifying:
            measured.append(kept[0])
        sizes.append(len(batch))
        picks.dispose()
        x.dispose()
        y.dispose()
    if len(sizes) == 0:
        return Promise.resolve([None, None])
    stacked = tf.stack(measured)
    for tensor in measured:
        tensor.dispose()

    def summed(values):
        step = 2 if classifying else 1
        total = 0.0
        correct = 0.0
        count = 0
        for index in range(len(sizes)):
            total += values[index * step] * sizes[index]
            if classifying:
                correct += values[index * step + 1]
            count += sizes[index]
        return [total / count, correct / count if classifying else None]

    def read(values):
        stacked.dispose()
        return summed(values)

    return stacked.data().then(read)


def network_evaluate(net, data, indices):
    """A promise of [loss, accuracy] on the examples numbered ``indices`` ([None, None] for none)."""
    if len(indices) == 0:
        return Promise.resolve([None, None])

    def measure():
        picks = tf.tensor1d(indices, "int32")
        y = tf.gather(data["y"], picks)
        out = _forward(net, tf.gather(data["x"], picks))
        if net["classifying"]:
            return tf.stack([_loss(net, out, y), _correct(out, y)])
        return tf.stack([_loss(net, out, y), tf.scalar(0)])

    measured = tf.tidy(measure)

    def read(values):
        measured.dispose()
        return [values[0], values[1] / len(indices) if net["classifying"] else None]

    return measured.data().then(read)


def _outputs(net, rows):
    shape = [len(rows)]
    for size in net["specs"][0]["input_shape"]:
        shape.append(size)
    width = len(rows[0])
    flat = __new__(Float32Array(len(rows) * width))
    for row in range(len(rows)):
        flat.set(rows[row], row * width)
    out = _forward(net, tf.tensor(flat, shape, "float32"))
    return tf.softmax(out) if net["classifying"] else out


def network_predict(net, rows):
    """A promise of the network's outputs for each row (lists of numbers)."""
    result = tf.tidy(lambda: _outputs(net, rows))

    def read(values):
        result.dispose()
        return values

    return result.array().then(read)


def network_predict_sync(net, rows):
    """The network's outputs for each row, read at once (``dataSync``: no promise)."""
    result = tf.tidy(lambda: _outputs(net, rows))
    values = result.arraySync()
    result.dispose()
    return values


def network_weights(net):
    """A promise of the weights, one Float32Array per weight, in the specs' order."""
    reads = []
    for variable in net["variables"]:
        reads.append(variable.data())
    return Promise.all(reads)


def network_dispose(net):
    """Free a network's TF.js variables and its optimiser's state."""
    for variable in net["variables"]:
        variable.dispose()
    net["variables"] = []
    net["optimizer"].dispose()


# ---------------------------------------------------------------- files

def network_save(folder, texts, weights_file, weights):
    """Download the model files (put them in one folder: ``load(folder)`` reads it back).

    The page downloads ``model.json``, ``model_meta.json`` and ``model.weights.bin``, as
    ml5.js does. A promise of ``{file name: content}``.
    """
    total = 0
    for values in weights:
        total += values.length
    data = __new__(Float32Array(total))
    offset = 0
    for values in weights:
        data.set(values, offset)
        offset += values.length
    result = {}
    for name in Object.js_keys(texts):
        result[name] = texts[name]
        download(name, texts[name], "application/json")
    result[weights_file] = data.buffer
    download(weights_file, data.buffer, "application/octet-stream")
    return Promise.resolve(result)


def _fetched(place, what, kind):
    def checked(response):
        if not response.ok:
            raise ValueError("Could not load " + what + " from '" + place + "' (HTTP " + str(response.status) +
                             "). A saved network is a folder with model.json, model_meta.json and "
                             "model.weights.bin.")
        return response.arrayBuffer() if kind == "bytes" else response.text()

    def failed(error):
        raise ValueError("Could not load " + what + " from '" + place + "': " + str(python_error(error)) + ".")

    return fetch(place).then(checked, failed)


def _json(text, place):
    try:
        return JSON.parse(text)
    except:  # noqa: E722 (a JavaScript SyntaxError)
        raise ValueError("'" + place + "' is not valid JSON; the file is damaged. Save the network again.")


def _first_meta(places):
    """The first of the metadata places that loads (ml5.js's name_meta.json, then model_meta.json)."""
    def attempt_from(index):
        place = places[index]
        job = _fetched(place, "model_meta.json (ml5.js saves it beside model.json)", "text")
        if index + 1 < len(places):
            return job.then(lambda text: [text, place], lambda error: attempt_from(index + 1))
        return job.then(lambda text: [text, place])

    return attempt_from(0)


def _from_files(files):
    """``{name: File}`` of a FileList (``<input type="file" multiple>``), as ml5.js accepts."""
    found = {}
    for index in range(files.length):
        file = files[index]
        if file.js_name.endsWith(".bin"):
            found["weights"] = file
        elif file.js_name.endsWith("_meta.json"):
            found["meta"] = file
        elif file.js_name.endsWith(".json"):
            found["model"] = file
    for key in ["model", "meta", "weights"]:
        if key not in found:
            raise ValueError("load() was given files without a " + {"model": "model.json", "meta":
                             "model_meta.json", "weights": "model.weights.bin"}[key] + "; choose all three.")
    return found


def network_load(location):
    """A promise of a saved network's files: ``{"model", "meta", "weights": {name: numbers}, "where",
    "model_name", "meta_name"}`` (from a folder or model.json URL, ml5.js's dict, or a FileList)."""
    if is_instance(location, window.FileList):
        try:
            files = _from_files(location)
        except Exception as error:
            return Promise.reject(error)
        texts = [files["model"].text(), files["meta"].text(), files["weights"].arrayBuffer()]
        return Promise.all(texts).then(lambda got: _decoded(got[0], got[1], [got[2]], files["model"].js_name,
                                                            files["meta"].js_name, ""))
    if type_of(location) == "string":
        places = model_places(location, None, None)
    elif location and type_of(location) == "object" and location.model:
        places = model_places(location.model, location.metadata or None, location.weights or None)
    else:
        return Promise.reject(TypeError("load() takes the folder (or model.json, or URL) of a saved network; "
                                        "got a " + describe_type(location) + "."))
    found = {}

    def with_model(text):
        found["model"] = text
        return _first_meta(places["meta"])

    def with_meta(text_and_place):
        found["meta"] = text_and_place
        model = _json(found["model"], places["model"])
        manifest = model.weightsManifest
        if not Array.isArray(manifest):
            raise ValueError("'" + places["model"] + "' has no weightsManifest: it is not a TF.js model.json.")
        reads = []
        for group in manifest:
            for path in group.paths:
                place = places["weights"] if places["weights"] else joined(places["base"], path)
                reads.append(_fetched(place, "the weights file", "bytes"))
        return Promise.all(reads)

    def with_weights(buffers):
        return _decoded(found["model"], found["meta"][0], buffers, places["model"], found["meta"][1],
                        places["base"])

    return _fetched(places["model"], "model.json", "text").then(with_model).then(with_meta).then(with_weights)


def _decoded(model_text, meta_text, buffers, model_name, meta_name, base):
    model = _json(model_text, model_name)
    meta = _json(meta_text, meta_name)
    if not Array.isArray(model.weightsManifest):
        raise ValueError("'" + model_name + "' has no weightsManifest: it is not a TF.js model.json.")
    total = 0
    for buffer in buffers:
        total += buffer.byteLength
    joined_bytes = __new__(Uint8Array(total))
    offset = 0
    for buffer in buffers:
        joined_bytes.set(__new__(Uint8Array(buffer)), offset)
        offset += buffer.byteLength
    specs = []
    for group in model.weightsManifest:
        for spec in group.weights:
            specs.append(spec)
    needed = 0
    for spec in specs:
        count = 1
        for size in spec.shape:
            count *= size
        stored = spec.quantization.dtype if spec.quantization else spec.dtype
        needed += count * (1 if stored == "uint8" or stored == "bool" else (
            2 if stored == "uint16" or stored == "float16" else 4))
    if needed != total:
        raise ValueError("The weights beside '" + model_name + "' hold " + str(total) + " bytes where the model "
                         "needs " + str(needed) + ": they are damaged or belong to another model. Save the "
                         "network again.")
    tensors = tf.io.decodeWeights(joined_bytes.buffer, specs)
    weights = {}
    for name in Object.js_keys(tensors):
        weights[name] = Array.prototype.slice.call(tensors[name].dataSync())
        tensors[name].dispose()
    return {"model": model, "meta": meta, "weights": weights, "where": base, "model_name": model_name,
            "meta_name": meta_name}
