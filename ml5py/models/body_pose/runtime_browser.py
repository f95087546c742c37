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
