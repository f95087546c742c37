"""The browser runtime, BodyPose: pose graph models and MoveNet's image ops, on TF.js.

Gathered into ``rt`` (``ml5py/runtime_browser.py``) on pages that use BodyPose; only
Transcrypt compiles it. Its twin for CPython is ``runtime_cpython.py`` beside it. Every op
runs inside the caller's ``tf.tidy``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

# A keypoint record's ``name`` is also its ``py_name``: Transcrypt compiles a sketch's
# ``point.name`` to ``point.py_name`` (``name`` is one of the names it renames).
__pragma__ ('js', '{}', """
export function _alias_py_name (fields) {
    Object.defineProperty (fields, 'py_name', {enumerable: false, configurable: true,
        get: function () { return fields.name; }, set: function (value) { fields.name = value; }});
    return fields;
}
""")

from ml5py.core.images_browser import _video_element
from ml5py.core.loading_browser import _load_checked, _model_base
from ml5py.core.pending_browser import config, named_inputs


def named_record(fields):
    """A result item with a ``name`` (a keypoint): ``item.name`` works in a sketch too."""
    return _alias_py_name(fields)


def find_pose_model(model_id):
    """A promise of the page's facts about one body-pose graph model (written by ``ml5py build``)."""
    tasks = config["tasks"] or {}
    task = tasks["body-pose"]
    if not task or not Object.prototype.hasOwnProperty.call(task["sources"], model_id):
        return Promise.reject(ValueError("This page does not know the pose model '" + model_id +
                                         "'. Build the sketch again with a current ml5py."))
    source = Object.assign({}, task["sources"][model_id])
    source["base"] = _model_base(source)
    return Promise.resolve(source)


def load_pose_graph(source, location=None):
    """A promise of the TF.js GraphModel of ``source``, or of the model.json at ``location``
    (the learner's ``model_url``, relative to the page or a full URL)."""
    if location is None:
        return _load_checked(tf.loadGraphModel, source, source["entry"], source["title"])
    return tf.loadGraphModel(location)


def dispose_pose_graph(model):
    """Free a TF.js graph model's weights (WebGL textures, wasm memory)."""
    model.dispose()


def run_pose_graph(model, tensor, input_name, output_name):
    """The one output of a pose graph (``output_name``; None: the model's first output)."""
    if not input_name:
        input_name = model.inputs[0].js_name
    if not output_name:
        return model.execute(named_inputs(input_name, tensor))
    return model.execute(named_inputs(input_name, tensor), output_name)


def run_pose_graph_outputs(model, tensor, input_name, output_names):
    """Several outputs of a pose graph, by node or signature name (BlazePose's landmark model)."""
    if not input_name:
        input_name = model.inputs[0].js_name
    return model.execute(named_inputs(input_name, tensor), output_names)


def blazepose_input(image, transform, side, scale, offset):
    """A [1, side, side, 3] float32 batch: the picture warped by ``transform`` (black outside),
    then ``value * scale + offset``, as pose-detection's convertImageToTensor."""
    warped = tf.image.transform(tf.expandDims(image, 0), tf.tensor2d(transform, [1, 8]), "bilinear", "constant", 0,
                                [side, side])
    return tf.add(tf.mul(warped, scale), offset)


def blazepose_mask(segmentation, transform, width, height, previous, ratio):
    """The landmark model's mask put back into the picture (a height x width tensor), blended
    with the ``previous`` one where it is unsure (pose-detection's segmentation smoothing)."""
    mask = tf.squeeze(tf.image.transform(segmentation, tf.tensor2d(transform, [1, 8]), "bilinear", "constant", 0,
                                         [height, width]), [0, 3])
    if not previous:
        return mask
    x = tf.square(tf.sub(mask, 0.5))
    polynomial = tf.mul(x, tf.add(5.68842, tf.mul(x, tf.add(-0.748699, tf.mul(x, tf.add(
        -57.8051, tf.mul(x, tf.add(291.309, tf.mul(x, -624.717)))))))))
    uncertainty = tf.sub(1, tf.minimum(1, polynomial))
    return tf.add(mask, tf.mul(tf.sub(previous, mask), tf.mul(uncertainty, ratio)))


def pose_mask_picture(mask, width, height, free, flipped):
    """A promise of the person mask as a picture (a p5 image in a p5 sketch, else a canvas): red
    and opaque where the person is, transparent elsewhere, as pose-detection draws its masks;
    ``flipped``: mirrored left to right."""
    def draw(values):
        if free:
            mask.dispose()
        if window.p5 and window.p5.instance:
            picture = window.p5.instance.createImage(width, height)
            canvas = picture.canvas
        else:
            canvas = document.createElement("canvas")
            canvas.width = width
            canvas.height = height
            picture = canvas
        context = canvas.getContext("2d")
        shape = context.createImageData(width, height)
        rgba = shape.data
        for y in range(height):
            for x in range(width):
                level = Math.round(Math.min(1, Math.max(0, values[y * width + x])) * 255)
                at = 4 * (y * width + (width - 1 - x if flipped else x))
                rgba[at] = level
                rgba[at + 3] = level
        context.putImageData(shape, 0, 0)
        if picture.setModified:
            picture.setModified(True)
        return picture

    return mask.data().then(draw)


def movenet_crop(image, box, size):
    """A [1, h, w, 3] int32 batch: ``box`` ([y1, x1, y2, x2], 0..1, black outside the picture)
    cut out and resized bilinearly to ``size``, as pose-detection does."""
    cropped = tf.image.cropAndResize(tf.expandDims(image, 0), tf.tensor2d([box]), tf.zeros([1], "int32"),
                                     [size[0], size[1]], "bilinear", 0)
    return tf.cast(cropped, "int32")


def movenet_resize_pad(image, resized, padded):
    """A [1, H, W, 3] int32 batch: resized (bilinear, corners not aligned), padded with black
    at the bottom / right, cast to int32 (as pose-detection's multi-pose input)."""
    small = tf.image.resizeBilinear(tf.expandDims(image, 0), [resized[0], resized[1]])
    grown = tf.pad(small, [[0, 0], [0, padded[0] - resized[0]], [0, padded[1] - resized[1]], [0, 0]])
    return tf.cast(grown, "int32")


def frame_time_us(media, frame, index, fps):
    """When a live loop's frame was seen, in microseconds: a video's own clock (as pose-detection
    reads it), frame ``index`` of a list at ``index / fps`` seconds, else the page's clock."""
    video = _video_element(frame)
    if video:
        return video.currentTime * 1e6
    if Array.isArray(media):
        return index * 1e6 / fps
    return window.performance.now() * 1000
