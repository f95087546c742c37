"""The browser runtime, BodyPix: graph models, masks and effects for ``body_pix.py``.

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``runtime_cpython.py`` beside it.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.images_browser import _drawable
from ml5py.core.loading_browser import _load_checked, _model_base, _page_source
from ml5py.core.pending_browser import define_lazy, is_instance, named_inputs


# ---------------------------------------------------------------- BodyPix: graph models, masks and effects for body_pix.py
#
# Graph models load with TF.js's own loader; every op runs inside the caller's tf.tidy.
# Masks and coloured parts are drawn on a 2D canvas (no tensors, no GPU read-back).

def lazy_field(fields, name, make):
    """``fields[name]`` is ``make()``, made the first time it is read, then kept."""
    define_lazy(fields, name, make)


def find_bodypix_model(model_id):
    """A promise of the page's facts about one BodyPix variant (written by ``ml5py build``)."""
    source = _page_source("body-segmentation", model_id)
    if not source:
        return Promise.reject(ValueError("This page does not know the BodyPix weights '" + model_id +
                                         "'. Build the sketch again with a current ml5py."))
    source["base"] = _model_base(source)
    return Promise.resolve(source)


def load_graph_model(source, filename, title):
    """A promise of a TF.js GraphModel (``filename`` of a registry model), progress shown on the page."""
    return _load_checked(tf.loadGraphModel, source, filename, title)


def bodypix_input(image, padding, size):
    """The batch of one BodyPix takes: padded with black, resized, ``x / 127.5 - 1`` (as body-pix)."""
    padded = tf.pad(image, [[padding[0], padding[1]], [padding[2], padding[3]], [0, 0]])
    resized = tf.image.resizeBilinear(padded, [size[0], size[1]], False)
    return tf.expandDims(tf.sub(tf.div(resized, tf.scalar(127.5)), tf.scalar(1.0)), 0)


def execute_graph(model, input_name, tensor, output_names):
    """Run a graph model on ``{input_name: tensor}``; the outputs named, in that order (a list)."""
    outputs = model.execute(named_inputs(input_name, tensor), output_names)
    if Array.isArray(outputs):
        return outputs
    return [outputs]


def scale_and_crop(logits, size, resized, padding):
    """body-pix's way back to the picture: resize (corners aligned), sigmoid, crop the padding."""
    height = size[0]
    width = size[1]
    scaled = tf.image.resizeBilinear(tf.squeeze(logits, [0]), [resized[0], resized[1]], True)
    probability = tf.sigmoid(scaled)
    full_h = height + padding[0] + padding[1] - 1.0
    full_w = width + padding[2] + padding[3] - 1.0
    box = [[padding[0] / full_h, padding[2] / full_w, (padding[0] + height - 1.0) / full_h,
            (padding[2] + width - 1.0) / full_w]]
    cropped = tf.image.cropAndResize(tf.expandDims(probability, 0), box, [0], [height, width])
    return tf.squeeze(cropped, [0])


def above(tensor, threshold):
    """1 where ``tensor > threshold``, else 0 (float32)."""
    return tf.cast(tf.greater(tensor, tf.scalar(threshold)), "float32")


def part_ids(part_probabilities, mask):
    """The most likely part (first on ties) where ``mask`` is on; -1 elsewhere (int32, H x W)."""
    ids = tf.argMax(part_probabilities, 2)
    on = tf.greater(tf.squeeze(mask, [2]), tf.scalar(0.0))
    return tf.where(on, ids, tf.fill(ids.shape, -1, "int32"))


def blur(tensor, kernel):
    """Blur along height then width with the 1-D ``kernel``; edges mirrored ("reflect")."""
    size = len(kernel)
    radius = Math.floor(size / 2)
    if radius == 0:
        return tf.mul(tensor, tf.scalar(kernel[0]))
    channels = tensor.shape[2]
    weights = tf.tensor1d(kernel)
    down = tf.tile(tf.reshape(weights, [size, 1, 1, 1]), [1, 1, channels, 1])
    across = tf.tile(tf.reshape(weights, [1, size, 1, 1]), [1, 1, channels, 1])
    padded = tf.mirrorPad(tensor, [[radius, radius], [0, 0], [0, 0]], "reflect")
    x = tf.depthwiseConv2d(padded, down, 1, "valid")
    padded = tf.mirrorPad(x, [[0, 0], [radius, radius], [0, 0]], "reflect")
    return tf.depthwiseConv2d(padded, across, 1, "valid")


def blend(front, back, mask):
    """``mask * front + (1 - mask) * back``: the person from ``front``, the rest from ``back``."""
    return tf.add(back, tf.mul(tf.sub(front, back), mask))


def _rows(values, width, height):
    rows = []
    for y in range(height):
        rows.append(Array.prototype.slice.call(values.subarray(y * width, (y + 1) * width)))
    return rows


def _listable(values, width, height):
    """A typed array, one number per pixel, row by row; ``.tolist()`` gives its rows, as numpy's."""
    values.tolist = lambda: _rows(values, width, height)
    values.width = width
    values.height = height
    return values


def mask_values(tensor, dtype):
    """A promise of a H x W (x 1) tensor's values, one per pixel, row by row (a typed array).

    Float32Array for "float32", Int32Array for "int32". The tensor is freed.
    """
    height = tensor.shape[0]
    width = tensor.shape[1]

    def got(values):
        tensor.dispose()
        return _listable(values, width, height)

    return tensor.data().then(got)


def threshold_values(raw, threshold, width, height):
    """1 where ``raw > threshold`` (compared as float32, like tf.greater), else 0: a Uint8Array."""
    limit = Math.fround(threshold)
    count = raw.length
    data = __new__(Uint8Array(count))
    for index in range(count):
        if raw[index] > limit:
            data[index] = 1
    return _listable(data, width, height)


def _new_picture(width, height):
    """A p5 image in a p5 sketch, else a <canvas>; and the canvas to draw it on."""
    if window.p5 and window.p5.instance:
        picture = window.p5.instance.createImage(width, height)
        return [picture, picture.canvas]
    canvas = document.createElement("canvas")
    canvas.width = width
    canvas.height = height
    return [canvas, canvas]


def _finished(picture):
    if picture.setModified:
        picture.setModified(True)  # p5 re-uploads it when drawn with WEBGL
    return picture


def _draw_media(context, media, width, height):
    drawable = _drawable(media)
    if is_instance(drawable, window.ImageData):
        canvas = document.createElement("canvas")
        canvas.width = drawable.width
        canvas.height = drawable.height
        canvas.getContext("2d").putImageData(drawable, 0, 0)
        drawable = canvas
    context.drawImage(drawable, 0, 0, width, height)


def masked_image(media, data, width, height, keep_person):
    """The picture with the person kept (or the background), the rest transparent."""
    made = _new_picture(width, height)
    context = made[1].getContext("2d")
    shape = context.createImageData(width, height)
    rgba = shape.data
    keep = 1 if keep_person else 0
    for index in range(width * height):
        if data[index] == keep:
            rgba[4 * index + 3] = 255
    context.putImageData(shape, 0, 0)
    context.globalCompositeOperation = "source-in"
    _draw_media(context, media, width, height)
    context.globalCompositeOperation = "source-over"
    return _finished(made[0])


def coloured_parts(parts, width, height, palette):
    """Each body part in its palette colour, opaque; the background transparent."""
    made = _new_picture(width, height)
    context = made[1].getContext("2d")
    shape = context.createImageData(width, height)
    rgba = shape.data
    for index in range(width * height):
        part = parts[index]
        if part >= 0:
            colour = palette[part]
            rgba[4 * index] = colour[0]
            rgba[4 * index + 1] = colour[1]
            rgba[4 * index + 2] = colour[2]
            rgba[4 * index + 3] = 255
    context.putImageData(shape, 0, 0)
    return _finished(made[0])


def posenet_maps(outputs):
    """PoseNet's maps from the graph's outputs (batch axis dropped): heatmap scores (sigmoid),
    offsets, forward and backward displacements, as body-pix decodes them."""
    maps = [tf.squeeze(output, [0]) for output in outputs]
    maps[0] = tf.sigmoid(maps[0])
    return maps
