"""The browser runtime's core: pending values, the page, images, live loops, tensor ops,
backends, fetching weights, models and embeddings.

A part of ``runtime_browser.py`` (read that first); only Transcrypt compiles it. Its twin
for CPython is ``runtime_cpython_core.py``. The other parts import what they need from
here, by name; this module imports none of them.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

# Tiny JavaScript helpers Python has no words for (``instanceof``, ``typeof``; a dict keyed
# by a variable; a field made when first read). Exported, so the other parts can import them.
__pragma__ ('js', '{}', """
export function is_instance (value, kind) { return !!kind && value instanceof kind; }
export function type_of (value) { return typeof value; }
export function named_inputs (name, tensor) { var feeds = {}; feeds [name] = tensor; return feeds; }
export function define_lazy (target, name, make) {
    var made = false, value;
    Object.defineProperty (target, name, {enumerable: true, configurable: true,
        get: function () { if (!made) { value = make (); made = true; } return value; },
        set: function (given) { value = given; made = true; }});
}
""")

config = window.ML5PY_CONFIG or {}
CACHE_NAME = "ml5py-models-v1"
BACKENDS = ["webgl", "wasm", "cpu"]
SOFTWARE_RENDERERS = ["swiftshader", "llvmpipe", "softpipe", "software", "basic render"]

# ---------------------------------------------------------------- pending values


def ready(value):
    """A promise of ``value`` (which may itself be a promise)."""
    return Promise.resolve(value)


def attempt(work):
    """A promise of ``work()``; an exception becomes a rejected promise."""
    return __new__(Promise(lambda resolve, reject: resolve(work())))


def after(pending, work):
    """When ``pending`` has its value, run ``work(value)``; errors skip ahead."""
    return Promise.resolve(pending).then(work)


def when_all(items):
    return Promise.all(items)


def call_back(callback, *args):
    """Call a user's callback (JavaScript ignores arguments it does not take)."""
    return callback(*args)


def deliver(pending, callback=None):
    """Hand the outcome to ``callback(value, error)`` and return a promise of the value.

    Without a callback an error rejects the promise (and the page shows it). The stack of
    the call that asked for the work is kept with a later error, so the page can point at
    the sketch's line even when the error comes long after (a model that failed to load).

    A callback that asks again (``classify`` from inside ``got_result``, the ml5.js habit)
    chains promise after promise on wasm, where nothing waits for a GPU, and the page would
    never get to draw. So when the page has not drawn a frame since the last callback, the
    callback runs in a task of its own (``_next_task``), which lets the browser draw first;
    otherwise at once (a live loop, which waits for the next video frame anyway, would
    lose classifications to the extra draws).
    """
    call_site = _call_site()

    def succeeded(value):
        if not callback:
            return value

        def hand_over():
            callback(value, None)
            return value
        return hand_over() if _page_drew_since_last_callback() else _next_task(hand_over)

    def failed(error):
        error = python_error(error)
        if call_site and not error.ml5py_call_site:
            error.ml5py_call_site = call_site
        if not callback:
            raise error
        return _next_task(lambda: callback(None, error))

    return Promise.resolve(pending).then(succeeded, failed)


_frames = [-1, -1]  # [animation frames drawn so far (-1: not counted yet), that count at the last callback]


def _page_drew_since_last_callback():
    """True if the page drew an animation frame since the last callback ``deliver`` made."""
    if _frames[0] < 0:
        def count(now):
            _frames[0] += 1
            window.requestAnimationFrame(count)
        _frames[0] = 0
        window.requestAnimationFrame(count)
    drew = _frames[0] != _frames[1]
    _frames[1] = _frames[0]
    return drew


_waiting_tasks = []
_task_channel = None


def _next_task(work):
    """A promise of ``work()``'s value, run in a new task: the page may draw before it.

    A ``MessageChannel`` message, not ``setTimeout(0)``, which browsers slow to 4 ms once
    timers nest. Tasks run in the order they were asked for.
    """
    global _task_channel
    if not _task_channel:
        _task_channel = __new__(MessageChannel())
        _task_channel.port1.onmessage = lambda event: _waiting_tasks.shift()()

    def start(resolve):
        _waiting_tasks.push(lambda: resolve(attempt(work)))  # an error in work() rejects
        _task_channel.port2.postMessage(0)

    return __new__(Promise(start))


def _call_site():
    """The JS stack of the current call (the page maps it to the sketch's Python line)."""
    return window.ml5py.callSite() if window.ml5py and window.ml5py.callSite else None


def python_error(error):
    """An error thrown by TF.js or the browser, as a Python exception for the sketch.

    Sketches are compiled with Python truthiness, where a JavaScript ``Error`` (it has no
    enumerable fields) counts as false: ``if error:`` in a callback would miss it, and
    ``except Exception`` would not catch it. Python exceptions pass through unchanged.
    """
    if type_of(error) == "object" and error is not None and error.__class__:
        return error
    if type_of(error) == "object" and error is not None and error.message:
        text = str(error.message)
        if error.js_name and error.js_name != "Error" and error.js_name != "TypeError":
            text = error.js_name + ": " + text  # IndexSizeError, NetworkError, ...
    else:
        text = str(error)
    if type_of(error) == "object" and error is not None and error.js_name == "TypeError":
        return TypeError(text, error=error)  # error=: keep the JavaScript stack
    return Exception(text, error=error)


def record(fields):
    """A result item: a JS object, so ``item["label"]`` and ``item.label`` both work."""
    return fields


# ---------------------------------------------------------------- the page

def _element(element_id):
    return document.getElementById(element_id)


def show_status(text):
    """Write a short line about loading progress on the page (if it has the status box)."""
    box = _element("ml5py-status")
    if box:
        box.textContent = text


def _query_parameter(name):
    return __new__(URL(window.location.href)).searchParams.js_get(name)


# ---------------------------------------------------------------- images

def describe_type(value):
    """A readable name for the type of a JS or Python value, for error messages."""
    if type_of(value) == "undefined" or value is None:
        return "None"
    if is_instance(value, window.Element):
        return "<" + value.tagName.toLowerCase() + "> element"  # not "object"
    if value.__class__ and value.__class__.__name__ and value.__class__.__name__ != "object":
        return value.__class__.__name__  # a Python class (dict, list, str, a user's class)
    if type_of(value) != "object":
        return type_of(value)  # number, boolean, function
    if is_instance(value, tf.Tensor):
        return "tf.Tensor"  # (TF.js's minified class name says nothing)
    if value.constructor and value.constructor.js_name:
        return value.constructor.js_name  # Object, CanvasRenderingContext2D, ...
    return type_of(value)


ACCEPTED_TYPES = ("a file name or URL, an <img>, <canvas> or <video> element, ImageData, a p5 "
                  "image/video/graphics, or what ml5py.load_image returns")


class BrowserImage:
    """A picture loaded by ``load_image``: an ``<img>`` element plus a ``ready`` promise."""

    def __init__(self, url=None, wait_for_user=False):
        self.elt = document.createElement("img")
        self.source = url
        self.width = 0
        self.height = 0
        self._wait_for_user = wait_for_user
        self._call_site = _call_site()  # the sketch line that asked for this image
        self.ready = __new__(Promise(self._watch))
        if url:
            self.elt.src = url

    def _watch(self, resolve, reject):
        def loaded(event):
            self.width = self.elt.naturalWidth
            self.height = self.elt.naturalHeight
            resolve(self)

        def failed(event):
            if self._wait_for_user:
                show_status("Choose a photo (or drop one on the page) to classify.")
                return
            error = ValueError(
                "Could not load the image '" + str(self.source) + "'. Check the file name, and "
                "that the file sits next to your sketch and is a JPEG, PNG, GIF or WebP picture.")
            error.ml5py_call_site = self._call_site
            reject(error)

        self.elt.addEventListener("load", loaded)
        self.elt.addEventListener("error", failed)

    def use_file(self, file):
        """Show a file the user picked or dropped."""
        self.source = file.name
        self.elt.src = URL.createObjectURL(file)


def load_image(path):
    """Load a picture from a file next to the sketch or a URL (``load_image("bird.jpg")``)."""
    if isinstance(path, BrowserImage):
        return path
    if not path or type_of(path) != "string":
        raise TypeError("load_image needs a file name or URL such as 'bird.jpg'; got a " +
                        describe_type(path) + ".")
    return BrowserImage(path)


def ask_for_image(default=None):
    """A photo from the user: a file picker and drag-and-drop on the page.

    If ``default`` (say ``"bird.jpg"``) sits next to the sketch, it is used until the user
    picks another photo.
    """
    image = BrowserImage(default, True)
    box = _element("ml5py-picker")
    if box:
        box.hidden = False
        picker = box.querySelector("input")

        def picked(event):
            if picker.files.length:
                image.use_file(picker.files[0])

        picker.addEventListener("change", picked)

    def dragged(event):
        event.preventDefault()

    def dropped(event):
        event.preventDefault()
        if event.dataTransfer.files.length:
            image.use_file(event.dataTransfer.files[0])

    document.addEventListener("dragover", dragged)
    document.addEventListener("drop", dropped)
    return image


def _drawable(media):
    """The thing TF.js can read pixels from, or None if ``media`` is no image."""
    if isinstance(media, BrowserImage):
        return media.elt
    for kind in [window.HTMLImageElement, window.HTMLCanvasElement, window.HTMLVideoElement,
                 window.ImageData, window.ImageBitmap]:
        if is_instance(media, kind):
            return media
    if media and type_of(media) == "object":
        if media._ensureCanvas and is_instance(media.elt, window.HTMLVideoElement):
            # a p5 video (createCapture): p5 copies its frames onto its own canvas (at the
            # size video.size() gave) only when the sketch draws it; copy the current one now
            if not media.loadedmetadata:
                return media.elt  # no frame yet: media_ready waits for the video
            media._ensureCanvas()
            return media.canvas
        if media.canvas and is_instance(media.canvas, window.HTMLCanvasElement):
            return media.canvas  # p5.Image and p5.Graphics
        if media.elt:
            return _drawable(media.elt)  # p5.Element (createCapture, createImg, createCanvas)
    return None


def media_ready(media):
    """A promise that resolves when ``media`` has pixels to read (rejects for non-images).

    A file name or URL is loaded first (``load_image``), as CPython reads a path.
    """
    if type_of(media) == "string" and media != "":
        media = BrowserImage(media)
    if isinstance(media, BrowserImage):
        return media.ready.then(lambda image: image)
    drawable = _drawable(media)
    if drawable is None:
        return Promise.reject(TypeError("Cannot use a " + describe_type(media) +
                                        " as an image. ml5py accepts " + ACCEPTED_TYPES + "."))

    def wait(resolve, reject):
        if is_instance(drawable, window.HTMLImageElement) and not drawable.complete:
            drawable.addEventListener("load", lambda event: resolve(media))
            drawable.addEventListener("error", lambda event: reject(ValueError(
                "Could not load the image '" + str(drawable.src) + "'.")))
        elif is_instance(drawable, window.HTMLVideoElement) and drawable.readyState < 2:
            drawable.addEventListener("loadeddata", lambda event: resolve(media))
        else:
            resolve(media)

    return __new__(Promise(wait))


def pixels(media):
    """The image's RGB pixels as a float32 height x width x 3 tensor, values 0..255."""
    return tf.cast(tf.browser.fromPixels(_drawable(media)), "float32")


def image_from_pixels(tensor):
    """A promise of a picture made from a height x width x 3 tensor of values 0..255.

    Height x width x 4 (RGBA, alpha 0 = transparent) keeps its alpha, for masks.
    In a p5 sketch it is a p5 image (``image(result, 0, 0)`` draws it); without p5, a
    ``<canvas>``. Either can be classified again. The tensor is freed.
    """
    height = tensor.shape[0]
    width = tensor.shape[1]
    clipped = tf.tidy(lambda: tf.cast(tf.clipByValue(tf.round(tensor), 0, 255), "int32"))
    tensor.dispose()
    if window.p5 and window.p5.instance:
        picture = window.p5.instance.createImage(width, height)
        canvas = picture.canvas
    else:
        picture = document.createElement("canvas")
        canvas = picture

    def drawn(ignored):
        clipped.dispose()
        if picture.setModified:
            picture.setModified(True)  # p5 re-uploads it when drawn with WEBGL
        return picture

    return tf.browser.toPixels(clipped, canvas).then(drawn)


# ---------------------------------------------------------------- live loops

def _video_element(media):
    drawable = _drawable(media)
    if is_instance(drawable, window.HTMLVideoElement):
        return drawable
    return None


def loop(media, step, running):
    """Call ``step(media)`` once per new frame while ``running()``; one step at a time.

    A new frame is the next frame a ``<video>`` (or p5 capture) shows, where the browser
    says so (``requestVideoFrameCallback``), else the next animation frame, so a canvas
    or p5 graphics being drawn on is read again each frame. The next step starts only
    once the previous one has finished: no pile-up, and p5's draw() runs in between.
    Returns a promise that resolves when ``running()`` turns false, or rejects with the
    error a step raised.
    """
    video = _video_element(media)

    def go(resolve, reject):
        def tick(now=None, metadata=None):
            if not running():
                resolve(None)
                return
            # (inside then(), an error thrown by step() becomes a rejection)
            Promise.resolve(None).then(lambda ignored: step(media)).then(wait_for_frame, reject)

        def wait_for_frame(ignored=None):
            if not running():
                resolve(None)
            elif video and video.requestVideoFrameCallback:
                video.requestVideoFrameCallback(tick)
            else:
                window.requestAnimationFrame(tick)

        wait_for_frame()

    return __new__(Promise(go))


def keep_sketch_waiting(pending):
    """Inside a p5 sketch's ``preload()``, p5 waits for ``pending`` before ``setup()``."""
    sketch = window.p5 and window.p5.instance
    if not sketch:
        return
    sketch._incrementPreload()  # p5 ignores both calls outside preload()
    done = lambda ignored: sketch._decrementPreload()
    Promise.resolve(pending).then(done, done)


# ---------------------------------------------------------------- tensor ops

def tidy(work):
    return tf.tidy(work)


def dispose(tensor):
    tensor.dispose()


def read(tensor):
    """A promise of the tensor's values as a flat list of numbers (frees the tensor)."""
    def copied(data):
        tensor.dispose()
        return Array.prototype.slice.call(data)

    return tensor.data().then(copied)


def resize_bilinear(tensor, size, align_corners):
    if tensor.shape[0] == size[0] and tensor.shape[1] == size[1]:
        return tensor
    return tf.image.resizeBilinear(tensor, [size[0], size[1]], align_corners)


def scale_offset(tensor, scale, offset):
    return tf.add(tf.mul(tensor, tf.scalar(scale)), tf.scalar(offset))


def mean_round_channels(tensor):
    red = tf.slice(tensor, [0, 0, 0], [-1, -1, 1])
    green = tf.slice(tensor, [0, 0, 1], [-1, -1, 1])
    blue = tf.slice(tensor, [0, 0, 2], [-1, -1, 1])
    return tf.round(tf.div(tf.add(tf.add(red, green), blue), tf.scalar(3)))


def batch(tensor):
    return tf.expandDims(tensor, 0)


def softmax(tensor):
    return tf.softmax(tensor)


# ---------------------------------------------------------------- backends

_chosen_backend = None
_backend_ready = None


def _has_real_gpu():
    """True when WebGL exists and is not a software renderer (SwiftShader, llvmpipe)."""
    canvas = document.createElement("canvas")
    gl = canvas.getContext("webgl2") or canvas.getContext("webgl")
    if not gl:
        return False
    renderer = ""
    info = gl.getExtension("WEBGL_debug_renderer_info")
    if info:
        renderer = str(gl.getParameter(info.UNMASKED_RENDERER_WEBGL))
    else:
        renderer = str(gl.getParameter(gl.RENDERER))
    renderer = renderer.toLowerCase()
    for word in SOFTWARE_RENDERERS:
        if renderer.indexOf(word) >= 0:
            return False
    return True


def _try_backends(names):
    """Switch TF.js to the first of ``names`` that starts; a promise of its name."""
    if len(names) == 0:
        return Promise.reject(Exception("No TensorFlow.js backend could start in this browser."))
    name = names[0]
    if name == "wasm" and tf.wasm and config["lib_url"]:
        tf.wasm.setWasmPaths(config["lib_url"])

    def started(ok):
        if ok:
            return name
        return _try_backends(names[1:])

    def failed(error):
        console.warn("ml5py: the " + name + " backend did not start (" + str(error) + ")")
        return _try_backends(names[1:])

    return tf.setBackend(name).then(started, failed)


def _backend_order():
    wanted = _chosen_backend or _query_parameter("backend") or config["backend"]
    if wanted:
        order = [wanted]
        for name in BACKENDS:
            if name != wanted:
                order.append(name)
        return order
    if _has_real_gpu():
        return ["webgl", "wasm", "cpu"]
    return ["wasm", "webgl", "cpu"]


def ensure_backend():
    """Start the best backend once: WebGL on a real GPU, else wasm, else cpu."""
    global _backend_ready
    if _backend_ready is None:
        _backend_ready = _try_backends(_backend_order())
    return _backend_ready


def set_backend(name):
    """Choose the maths engine: 'webgl', 'wasm' or 'cpu' (returns a promise)."""
    global _chosen_backend, _backend_ready
    if name not in BACKENDS:
        raise ValueError("Unknown backend '" + str(name) + "'. Valid backends are: " +
                         ", ".join(BACKENDS) + ".")
    _chosen_backend = name
    _backend_ready = _try_backends([name])
    return _backend_ready


def get_backend():
    """The maths engine in use ('webgl', 'wasm' or 'cpu'; None before the first model)."""
    return tf.getBackend() or None


# ---------------------------------------------------------------- fetching weights

_expected_sha256 = {}


def _hex(buffer):
    return "".join([("0" + byte.toString(16)).slice(-2) for byte in Array.prototype.slice.call(
        __new__(Uint8Array(buffer)))])


def _verify(url, response):
    """Check a downloaded file's sha256 against the registry (when the registry knows it)."""
    expected = _expected_sha256[url]
    if not expected or not (window.crypto and window.crypto.subtle):
        return Promise.resolve(response)

    def compare(digest):
        actual = _hex(digest)
        if actual != expected:
            raise ValueError("The downloaded file " + url + " is corrupt: its sha256 is " +
                             actual + " but should be " + expected + ". Reload the page to try again.")
        return response

    return response.clone().arrayBuffer().then(
        lambda buffer: window.crypto.subtle.digest("SHA-256", buffer)).then(compare)


def cached_fetch(url, init=None):
    """``fetch`` through the Cache API: the second visit loads the weights with no network."""
    url = str(url)
    if not window.caches:
        return fetch(url, init).then(lambda response: _verify(url, response))

    def with_cache(cache):
        def found(hit):
            if hit:
                return hit

            def store(response):
                if not response.ok:
                    return response
                return _verify(url, response).then(
                    lambda checked: cache.put(url, checked.clone()).then(lambda done: checked))

            return fetch(url, init).then(store)

        return cache.match(url).then(found)

    def no_cache(error):
        return fetch(url, init).then(lambda response: _verify(url, response))

    return window.caches.open(CACHE_NAME).then(with_cache, no_cache)


# ---------------------------------------------------------------- models

def _looks_like_location(text):
    return text.indexOf("/") >= 0 or text.endsWith(".json") or text.startswith(".")


def _model_base(source):
    if config["models_url"]:
        return config["models_url"] + source["id"] + "/"
    return source["upstream"]


def _user_model(location):
    """Describe a user's TF.js layers model folder/URL (a Teachable Machine export)."""
    entry = "model.json"
    base = location
    if location.endsWith(".json"):
        cut = location.lastIndexOf("/") + 1
        entry = location.slice(cut)
        base = location.slice(0, cut)
    elif not location.endsWith("/"):
        base = location + "/"

    def labelled(metadata):
        if not metadata or not metadata.labels:
            raise ValueError("The model at '" + location + "' has no labels: its folder needs a "
                             "metadata.json with a 'labels' list (Teachable Machine exports have one).")
        task = "classification"
        if metadata.ml5py and metadata.ml5py.task:
            task = metadata.ml5py.task
        return {"id": None, "title": location, "base": base, "entry": entry,
                "labels": metadata.labels, "task": task, "softmax": False, "files": {},
                "preprocessing": {"input_size": None, "scale": 1 / 127.5, "offset": -1,
                                  "align_corners": True, "gray": None}}

    def fetched(response):
        if not response.ok:
            raise ValueError("Could not read " + base + "metadata.json (HTTP " + str(response.status) +
                             "). A Teachable Machine export keeps it beside model.json.")
        return response.json()

    return fetch(base + "metadata.json").then(fetched).then(labelled)


def find_model(name_or_path):
    """A promise of the model's description: registry facts, or a user's model folder/URL."""
    if type_of(name_or_path) != "string":
        return Promise.reject(TypeError("A model is named by a string such as 'MobileNet', or the "
                                        "folder/URL of a TF.js model; got a " +
                                        describe_type(name_or_path) + "."))
    key = name_or_path.toLowerCase()  # a registry id may contain a slash
    known = Object.prototype.hasOwnProperty.call(config["sources"], key)
    source = config["sources"][key] if known else None
    if not source and _looks_like_location(name_or_path):
        return _user_model(name_or_path)
    if not source:
        return _folder_or_unknown(name_or_path)
    source = Object.assign({}, source)
    source["base"] = _model_base(source)
    return Promise.resolve(source)


def _folder_or_unknown(name):
    """A promise of the model in the folder ``name/`` (say a saved ``"pets"``) if the page has
    one; else it rejects with the unknown-model error listing the valid names."""
    def unknown(ignored):
        raise ValueError("Unknown model '" + name + "'. Valid names are: " + ", ".join(config["names"]) +
                         ". There is no folder '" + name + "/' with a model.json beside the page "
                         "either. You can also give the folder or URL of a TF.js model with a "
                         "metadata.json.")

    def checked(response):
        if not response.ok:
            unknown(None)
        return _user_model(name)

    return fetch(name + "/model.json").then(checked, unknown)


def load_layers_model(source, title):
    """A promise of a TF.js LayersModel, with loading progress shown on the page."""
    return _load_checked(tf.loadLayersModel, source, source["entry"], title)


def _load_checked(loader, source, filename, title):
    """A promise of ``loader(url)`` (tf.loadLayersModel / tf.loadGraphModel) for ``filename``
    of ``source``: every file's sha256 checked, cached, progress shown on the page."""
    url = source["base"] + filename
    for name in Object.js_keys(source["files"]):
        _expected_sha256[source["base"] + name] = source["files"][name]["sha256"]

    def progress(fraction):
        show_status("Loading " + title + ": " + str(Math.round(fraction * 100)) + "%")

    def loaded(model):
        show_status(title + " is ready (TensorFlow.js " + tf.getBackend() + ")")
        return model

    def load(backend_name):
        show_status("Loading " + title + "...")
        return loader(url, {"onProgress": progress, "fetchFunc": cached_fetch}).then(loaded)

    return ensure_backend().then(load)


def model_input_size(model):
    shape = model.inputs[0].shape
    return [shape[1], shape[2]]


def model_output_size(model):
    """How many numbers the model gives per picture (its output's last axis)."""
    shape = model.outputs[0].shape
    return shape[len(shape) - 1]


def predict(model, tensor):
    return model.predict(tensor)


def feature_model(model, layer_name):
    """The model cut after ``layer_name``: its ``predict`` gives that layer's output."""
    return tf.model({"inputs": model.inputs, "outputs": model.getLayer(layer_name).output})


def embedding(tensor):
    """A promise of the embedding in a 1 x n tensor: a list (JS Array) of n numbers.

    The tensor is freed. ``embedding.tolist()`` gives a copy, as numpy's does in CPython.
    """
    def listed(values):
        values.tolist = lambda: values.slice()
        return values

    return read(tensor).then(listed)


# ---------------------------------------------------------------- embeddings (KNNClassifier)

__pragma__ ('js', '{}', """
export function parse_json_text (text) {
    try { return {value: JSON.parse (text), problem: null}; }
    catch (error) { return {value: null, problem: String (error.message)}; }
}
""")

SIMILARITY_DECIMALS = 1e9  # similarities are rounded to 9 decimals, in both runtimes


def is_pending(value):
    """True for a promise (or any then-able): an embedding still being computed."""
    return value is not None and type_of(value) == "object" and type_of(value.then) == "function"


def is_image(value):
    """True for what ml5py reads as a picture (an element, ImageData, a p5 image, a file name)."""
    return type_of(value) == "string" or isinstance(value, BrowserImage) or _drawable(value) is not None


def _embedding_values(value):
    if is_instance(value, tf.Tensor):
        return value.dataSync()
    if value and type_of(value) == "object" and not Array.isArray(value) and value.tolist:
        return value.tolist()  # an embedding object that can list its numbers
    return value


def vector(value):
    """An embedding as a plain Array of numbers: from an Array, a typed array or a TF.js tensor.

    A 1 x n nested list counts as n numbers. Anything else is a TypeError saying what came.
    """
    data = _embedding_values(value)
    if Array.isArray(data) and data.length == 1 and Array.isArray(data[0]):
        data = data[0]
    if not (Array.isArray(data) or (ArrayBuffer.isView(data) and not is_instance(data, DataView))):
        raise TypeError("An embedding is a list of numbers; got a " + describe_type(value) +
                        " that is not one.")
    if data.length == 0:
        raise TypeError("An embedding is a list of numbers; got numbers shaped [0].")
    values = []
    for position in range(data.length):
        number = data[position]
        if type_of(number) != "number":
            if Array.isArray(number):
                raise TypeError("An embedding is a list of numbers; got a list of lists.")
            raise TypeError("An embedding is a list of numbers; got a list holding a " +
                            describe_type(number) + ".")
        if not isFinite(number):
            raise TypeError("An embedding holds numbers only; number " + str(position) + " is " +
                            str(number) + ".")
        values.append(number)
    return values


def _length(values):
    total = 0.0
    for position in range(values.length):
        total += values[position] * values[position]
    return Math.sqrt(total)


def similarity_index(vectors):
    """What ``cosine_similarities`` needs about the stored embeddings: rows and their lengths."""
    norms = []
    for row in range(vectors.length):
        norms.append(_length(vectors[row]))
    return {"rows": vectors, "norms": norms}


def cosine_similarities(index, query):
    """Cosine similarity of ``query`` with each stored row (0 for all-zero rows), rounded to 9 decimals."""
    rows = index["rows"]
    norms = index["norms"]
    query_length = _length(query)
    size = query.length
    similarities = []
    for row in range(rows.length):
        values = rows[row]
        dot = 0.0
        for position in range(size):
            dot += values[position] * query[position]
        scale = norms[row] * query_length
        similarity = dot / scale if scale > 0 else 0.0
        similarities.append(Math.floor(similarity * SIMILARITY_DECIMALS + 0.5) / SIMILARITY_DECIMALS)
    return similarities


def is_object(value):
    """True for a JSON object: a plain JS object or a Python dict (not a list, not null)."""
    return value is not None and type_of(value) == "object" and not Array.isArray(value) and not \
        ArrayBuffer.isView(value)


def object_keys(value):
    return Object.js_keys(value)


def parse_json(text):
    """Data from JSON text; a ValueError naming the problem if it is not JSON."""
    parsed = parse_json_text(text)
    if parsed.problem is not None:
        raise ValueError("it is not valid JSON (" + parsed.problem + ").")
    return parsed.value


def to_json(data):
    return JSON.stringify(data)


def save_text(path, text):
    """Download ``text`` as a file named ``path`` (in CPython: write the file safely)."""
    name = str(path)
    cut = name.lastIndexOf("/") + 1
    blob = __new__(Blob([text], {"type": "application/json"}))
    link = document.createElement("a")
    link.href = URL.createObjectURL(blob)
    link.download = name.slice(cut)
    document.body.appendChild(link)
    link.click()
    document.body.removeChild(link)
    url = link.href
    setTimeout(lambda: URL.revokeObjectURL(url), 10000)


def load_text(location):
    """A promise of the text at a URL (relative to the page, or absolute)."""
    location = str(location)

    def fetched(response):
        if not response.ok:
            raise ValueError("Could not load '" + location + "' (HTTP " + str(response.status) +
                             "). Check the name, and that the file sits next to your sketch.")
        return response.text()

    def failed(error):
        raise ValueError("Could not load '" + location + "': " + str(python_error(error)) + ".")

    return fetch(location).then(fetched, failed)
