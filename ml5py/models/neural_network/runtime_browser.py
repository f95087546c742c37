"""The browser runtime, NeuralNetwork: TF.js variables and ops, pixels.

NeuralNetwork's browser twin (``ml5py/runtime_browser.py`` gathers it for the pages that use
NeuralNetwork), with its model files in ``network_files_browser.py``; only Transcrypt
compiles it. Its twin for CPython is ``runtime_cpython.py`` beside it. The network is plain TF.js: one
variable per weight, the layers as ``tf.matMul``, ``tf.conv2d``, ``tf.maxPool`` and
``tf.reshape``, trained with ``optimizer.minimize`` on batches gathered from the examples
uploaded once per ``train()`` (TF.js's ``model.fit`` gathers its batches the same way).
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.images_browser import _drawable, describe_type, media_ready
from ml5py.core.pending_browser import is_instance
from ml5py.models.neural_network.network_files_browser import *  # noqa: F401,F403 (its model files)
from ml5py.core.epoch_means import epoch_means


# ---------------------------------------------------------------- values

def as_list(value):
    """``value`` as a plain Array (typed arrays are copied)."""
    return value if Array.isArray(value) else Array.prototype.slice.call(value)


def network_type_name(value):
    """The name of a value's type, for messages."""
    return describe_type(value)


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


def _conv2d(x, kernel, strides, padding):
    """``tf.conv2d``; on a backend that cannot train it (wasm has no Conv2DBackpropFilter), the
    same convolution as a ``tf.conv3d`` one picture deep, whose gradients wasm has."""
    if tf.getKernel("Conv2DBackpropFilter", tf.getBackend()):
        return tf.conv2d(x, kernel, strides, padding)
    deep = tf.conv3d(tf.expandDims(x, 1), tf.expandDims(kernel, 0), [1, strides[0], strides[1]], padding)
    return tf.squeeze(deep, [1])


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
                out = _conv2d(out, variables[position], spec["strides"], spec["padding"])
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


def _unpacked_updates(work):
    """Run ``work()`` with WebGL's packed binary ops off, then put the setting back.

    TF.js 4.22's WebGL backend, with packed binary ops, gives wrong gradients for the layers
    below a weight that an optimiser has updated once (the update leaves a packed texture
    that the transposed matMul of backprop misreads when a side is odd, such as 3 labels):
    losses then drift from wasm's, numpy's and the maths. Unpacked, WebGL agrees.
    """
    if tf.getBackend() != "webgl":
        return work()
    before = tf.env().getBool("WEBGL_PACK_BINARY_OPERATIONS")
    tf.env().set("WEBGL_PACK_BINARY_OPERATIONS", False)
    try:
        return work()
    finally:
        tf.env().set("WEBGL_PACK_BINARY_OPERATIONS", before)


def network_fit_epoch(net, data, batches):
    """One epoch: an optimiser step per batch (lists of example numbers); a promise of [loss, accuracy].

    The batches' losses stay on the backend until the epoch ends, then are read at once.
    """
    classifying = net["classifying"]
    sizes = []
    measured = []

    def steps():
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

    _unpacked_updates(steps)
    if len(sizes) == 0:
        return Promise.resolve([None, None])
    stacked = tf.stack(measured)
    for tensor in measured:
        tensor.dispose()

    def summed(values):
        return epoch_means(values, sizes, classifying)

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
