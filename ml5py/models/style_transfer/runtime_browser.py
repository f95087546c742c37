"""The browser runtime, style transfer: checkpoints and ops for ``style_transfer.py``.

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``runtime_cpython.py`` beside it.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.data_browser import is_object, parse_json_text
from ml5py.core.images_browser import describe_type
from ml5py.core.loading_browser import _expected_sha256, _looks_like_location, _model_base, _page_source, _page_task, cached_fetch
from ml5py.core.pending_browser import show_status, type_of
from ml5py.core.tensors_browser import ensure_backend


# ---------------------------------------------------------------- StyleTransfer: ops and images for style_transfer.py
#
# Tensors are NHWC float32 TF.js tensors (a batch of one image).

# The most pixels one style transfer takes. wasm and cpu: about 1 kB a pixel at the widest
# layer (each layer is tidied on its own). WebGL: TF.js turns the last 9x9 convolution
# into an im2col matrix of 81 x 32 values per pixel (10 kB), which must fit in one texture
# (four values to a texel) and in GPU memory: a webcam's 640 x 480 at most.
STYLE_MAX_PIXELS = 1024 * 1024
STYLE_MAX_PIXELS_WEBGL = 640 * 480
STYLE_IM2COL_VALUES = 9 * 9 * 32


def style_names():
    """The names of the pretrained styles."""
    return _page_task("style-transfer")["names"].slice()


def _unknown_style(name):
    return ValueError("Unknown style '" + str(name) + "'. Valid styles are: " +
                      ", ".join(style_names()) + ". You can also give the folder (ending in /, as in "
                      "'my_style/') or URL of a style-transfer checkpoint (manifest.json plus its "
                      "variable files).")


def find_checkpoint(style):
    """A promise of a style's description: a pretrained style, or a checkpoint folder/URL."""
    if type_of(style) != "string":
        return Promise.reject(TypeError("A style is named by a string such as 'scream', or the "
                                        "folder/URL of a checkpoint; got a " + describe_type(style) + "."))
    style = style.trim()  # as in CPython: " Scream " is scream
    source = _page_source("style-transfer", style)
    if source:
        source["base"] = _model_base(source)
        return Promise.resolve(source)
    if not _looks_like_location(style):
        return Promise.reject(_unknown_style(style))
    base = style
    if base.endsWith("manifest.json"):
        base = base.slice(0, base.length - len("manifest.json"))
    elif not base.endsWith("/"):
        base = base + "/"
    return Promise.resolve({"id": None, "title": style, "names": [], "upstream": None,
                            "entry": "manifest.json", "files": {}, "base": base})


def _fetch_checked(url, what):
    def fetched(response):
        if not response.ok:
            raise ValueError("Could not load " + what + " " + url + " (HTTP " + str(response.status) +
                             "): the checkpoint file is missing or the address is wrong.")
        return response.arrayBuffer()

    return cached_fetch(url).then(fetched)


def load_checkpoint(source, title):
    """A promise of the checkpoint's variables: a dict from name to TF.js tensor."""
    base = source["base"]
    for filename in Object.js_keys(source["files"]):
        _expected_sha256[base + filename] = source["files"][filename]["sha256"]
    done = [0]

    def variable(name, info):
        url = base + info["filename"]
        shape = info["shape"]
        count = 1
        for size in shape:
            count = count * size

        def made(buffer):
            if buffer.byteLength != 4 * count:
                raise ValueError("corrupt checkpoint: " + url + " holds " + str(buffer.byteLength) +
                                 " bytes, but variable '" + name + "' with shape [" + ", ".join(
                                     [str(size) for size in shape]) + "] needs " + str(4 * count) +
                                 " bytes (float32). The file is damaged or cut short: copy or "
                                 "download the checkpoint's files again.")
            done[0] = done[0] + 1
            show_status("Loading " + title + ": " + str(done[0]) + " of " + str(len(names)) + " files")
            return buffer  # tensors are made once every file arrived: a failed file leaks none

        return _fetch_checked(url, "the variable " + name + " from").then(made)

    def read(buffer):
        parsed = parse_json_text(__new__(TextDecoder()).decode(buffer))
        if parsed.problem is not None or not is_object(parsed.value):
            raise ValueError("corrupt checkpoint: " + base + "manifest.json is not a checkpoint "
                             "manifest (it should map variable names to {filename, shape}).")
        return parsed.value

    names = []
    manifest_shapes = []

    def load_all(manifest):
        for name in Object.js_keys(manifest):
            names.append(name)
            manifest_shapes.append(manifest[name]["shape"])
        return Promise.all([variable(name, manifest[name]) for name in names])

    def collected(buffers):
        variables = {}
        for index in range(len(names)):
            variables[names[index]] = tf.tensor(__new__(Float32Array(buffers[index])), manifest_shapes[index],
                                                "float32")
        show_status(title + " is ready (TensorFlow.js " + tf.getBackend() + ")")
        return variables

    # The files download while TF.js starts its backend; the tensors are made once both are done.
    show_status("Loading " + title + "...")
    files = _fetch_checked(base + "manifest.json", "the checkpoint manifest").then(read).then(load_all)
    return Promise.all([ensure_backend(), files]).then(lambda both: collected(both[1]))


def max_pixels():
    """[the most pixels style transfer takes, where]: by backend, see STYLE_MAX_PIXELS."""
    backend = tf.getBackend()
    if backend == "webgl":
        side = tf.env().getNumber("WEBGL_MAX_TEXTURE_SIZE")
        by_texture = Math.floor(side * side * 4 / STYLE_IM2COL_VALUES)
        return [Math.min(STYLE_MAX_PIXELS_WEBGL, by_texture), "this browser's WebGL (largest "
                "texture " + str(side) + " pixels)"]
    return [STYLE_MAX_PIXELS, "the browser's TensorFlow.js " + str(backend) + " backend"]


def conv2d(x, kernel, stride, padding="same"):
    return tf.conv2d(x, kernel, [stride, stride], padding)


def conv2d_transpose(x, kernel, stride):
    shape = [x.shape[0], x.shape[1] * stride, x.shape[2] * stride, kernel.shape[2]]
    return tf.conv2dTranspose(x, kernel, shape, [stride, stride], "same")


def instance_norm(x, shift, scale):
    """``scale * (x - mean) / sqrt(variance + 0.001) + shift``, per image and channel."""
    moments = tf.moments(x, [1, 2], True)
    normalized = tf.div(tf.sub(x, moments.mean), tf.sqrt(tf.add(moments.variance, 1e-3)))
    return tf.add(tf.mul(scale, normalized), shift)


def relu(x):
    return tf.relu(x)


def tanh(x):
    return tf.tanh(x)


def add(a, b):
    return tf.add(a, b)


def clip(x, low, high):
    return tf.clipByValue(x, low, high)


def crop(x, height, width):
    """The top-left ``height`` x ``width`` pixels of the first image of a batch (H x W x C)."""
    return tf.reshape(tf.slice(x, [0, 0, 0, 0], [1, height, width, -1]), [height, width, x.shape[3]])


def dispose_variables(variables):
    """Free every tensor of a checkpoint's variables (a checkpoint that is not usable)."""
    for name in Object.js_keys(variables):
        variables[name].dispose()
