"""Running a TF.js layers model in the browser: as fused steps where its layers allow.

TF.js runs a layers model one layer at a time: a convolution, then its batch norm, then its
activation, each a pass over the whole picture. On wasm only the convolutions use every
thread; MobileNet's batch norms and ReLU6s (``Minimum``) took half of a classify. Here a
plain chain of layers (each fed by the one before, as MobileNet, Darknet and DoodleNet are)
runs as steps: a convolution with the batch norm after it folded into its weights and its
activation fused in (``tf.fused.conv2d`` / ``depthwiseConv2d``), as ``numpy_executor/layers.py``
does in CPython; every other layer as TF.js runs it (``layer.apply``). Any other model runs
as TF.js runs it (``model.predict``).

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``layer_steps_cpython.py``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a tensor or a layer is true):
# __pragma__ ('notconv')

from ml5py.core.pending_browser import type_of

CONVOLUTIONS = ["Conv2D", "DepthwiseConv2D"]
# activations (TF.js's class names, the same as tf.fused's) a step fuses; others run after it
FUSED_ACTIVATIONS = ["linear", "relu", "relu6", "sigmoid"]


def predict(model, tensor):
    """The model's output for ``tensor`` (call it inside ``rt.tidy``)."""
    steps = _steps_of(model)
    if steps is None:
        return model.predict(tensor)
    out = tensor
    for step in steps:
        out = step(out)
    return out


def feature_model(model, layer_name):
    """The model cut after ``layer_name``: ``predict`` gives that layer's output."""
    return tf.model({"inputs": model.inputs, "outputs": model.getLayer(layer_name).output})


def _steps_of(model):
    """The model's steps, planned once (None: not a plain chain of layers)."""
    if type_of(model.ml5py_steps) == "undefined":
        layers = _chain(model)
        model.ml5py_steps = None if layers is None else _plan(layers)
    return model.ml5py_steps


def _chain(model):
    """The model's layers after its input, in order, when each is fed by the one before and
    the last gives the model's only output; else None."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return None
    chain = []
    before = model.inputs[0].sourceLayer
    for layer in model.layers:
        if layer == before:
            continue  # the InputLayer
        nodes = layer.inboundNodes
        if len(nodes) != 1 or len(nodes[0].inboundLayers) != 1 or nodes[0].inboundLayers[0] != before:
            return None
        chain.append(layer)
        before = layer
    if len(chain) == 0 or model.outputs[0].sourceLayer != before:
        return None
    return chain


def _plan(layers):
    """Steps for a chain of layers: convolution + batch norm + activation as one step."""
    steps = []
    i = 0
    while i < len(layers):
        layer = layers[i]
        if layer.getClassName() in CONVOLUTIONS and layer.dataFormat == "channelsLast":
            norm = None
            if i + 1 < len(layers) and _foldable_norm(layer, layers[i + 1]):
                norm = layers[i + 1]
                i += 1
            activation = _activation_of(layer) if norm is None else ["linear", 0]
            following = _activation_layer(layers[i + 1]) if norm is not None and i + 1 < len(layers) else None
            if following is not None:
                activation = following
                i += 1
            steps.append(_convolution_step(layer, norm, activation))
        else:
            steps.append(_layer_step(layer))
        i += 1
    return steps


def _foldable_norm(convolution, layer):
    """True for an inference batch norm over the channels right after a linear convolution."""
    if layer.getClassName() != "BatchNormalization" or _activation_of(convolution)[0] != "linear":
        return False
    return layer.axis == -1 or layer.axis == 3


def _activation_of(layer):
    """[tf.fused's name, leaky alpha] for a convolution's own activation, or ["other", 0]."""
    name = layer.activation.getClassName() if layer.activation else "linear"
    return [name if name in FUSED_ACTIVATIONS else "other", 0]


def _activation_layer(layer):
    """[tf.fused's name, leaky alpha] for an activation layer that can be fused; else None."""
    kind = layer.getClassName()
    if kind == "Activation":
        name = layer.activation.getClassName()
        return [name, 0] if name in FUSED_ACTIVATIONS else None
    if kind == "ReLU":
        if layer.maxValue is None or type_of(layer.maxValue) == "undefined":
            return ["relu", 0]
        return ["relu6", 0] if layer.maxValue == 6 else None
    if kind == "LeakyReLU":
        return ["leakyrelu", layer.alpha]
    return None


def _layer_step(layer):
    return lambda tensor: layer.apply(tensor)


def _convolution_step(layer, norm, activation):
    """One step: the convolution, its batch norm folded in, its activation fused."""
    depthwise = layer.getClassName() == "DepthwiseConv2D"
    weights = _folded(layer, norm, depthwise)
    options = {"strides": layer.strides, "pad": layer.padding, "dataFormat": "NHWC",
               "dilations": layer.dilationRate, "filter": weights[0], "bias": weights[1],
               "activation": activation[0] if activation[0] != "other" else "linear"}
    if activation[0] == "leakyrelu":
        options["leakyreluAlpha"] = activation[1]
    run = tf.fused.depthwiseConv2d if depthwise else tf.fused.conv2d
    after = layer.activation if activation[0] == "other" else None

    def step(tensor):
        out = run(Object.assign({"x": tensor}, options))
        return after.apply(out) if after else out

    return step


def _folded(layer, norm, depthwise):
    """[filter, bias] with ``norm`` folded in: filter x scale, (bias - mean) x scale + beta,
    scale = gamma / sqrt(variance + epsilon); kept for the page's life."""
    kernel = layer.depthwiseKernel.read() if depthwise else layer.kernel.read()
    bias = layer.bias.read() if layer.useBias else None
    if norm is None:
        return [kernel, bias]
    if layer.ml5py_folded:
        return layer.ml5py_folded  # (a cut model shares the layer: folded once)

    def fold():
        scale = tf.div(norm.gamma.read() if norm.scale else tf.onesLike(norm.movingVariance.read()),
                       tf.sqrt(tf.add(norm.movingVariance.read(), tf.scalar(norm.epsilon))))
        shape = kernel.shape
        per_channel = tf.reshape(scale, [1, 1, shape[2], shape[3]]) if depthwise else scale
        start = bias if bias else tf.zerosLike(scale)
        shifted = tf.mul(tf.sub(start, norm.movingMean.read()), scale)
        if norm.center:
            shifted = tf.add(shifted, norm.beta.read())
        return [tf.mul(kernel, per_channel), shifted]

    folded = tf.tidy(fold)
    layer.ml5py_folded = [tf.keep(folded[0]), tf.keep(folded[1])]
    return layer.ml5py_folded
