"""The browser runtime: TensorFlow.js tensors and loaders, HTML images, JS promises.

Only Transcrypt compiles this file (its twin for CPython is ``runtime_cpython.py``). Every
function here has the same name and meaning as there, so the model classes are written
once. Here "pending" values are JavaScript promises, so ``await`` works on what the
public methods return.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

# Two tiny JavaScript helpers Python has no words for (``instanceof`` and ``typeof``).
__pragma__ ('js', '{}', """
function is_instance (value, kind) { return !!kind && value instanceof kind; }
function type_of (value) { return typeof value; }
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

    The callback runs in a task of its own (``_next_task``), never straight after the work:
    a callback that asks again (``classify`` from inside ``got_result``, the ml5.js habit)
    would otherwise chain promise after promise on wasm, where nothing waits for a GPU,
    and the page would never get to draw.
    """
    call_site = _call_site()

    def succeeded(value):
        if not callback:
            return value

        def hand_over():
            callback(value, None)
            return value
        return _next_task(hand_over)

    def failed(error):
        error = python_error(error)
        if call_site and not error.ml5py_call_site:
            error.ml5py_call_site = call_site
        if not callback:
            raise error
        return _next_task(lambda: callback(None, error))

    return Promise.resolve(pending).then(succeeded, failed)


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
function parse_json_text (text) {
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


# ---------------------------------------------------------------- style transfer (issue 4): ops and images for ml5py/style_transfer.py
#
# Tensors are NHWC float32 TF.js tensors (a batch of one image).

# The most pixels one style transfer takes. wasm and cpu: about 1 kB a pixel at the widest
# layer (each layer is tidied on its own). WebGL: TF.js turns the last 9x9 convolution
# into an im2col matrix of 81 x 32 values per pixel (10 kB), which must fit in one texture
# (four values to a texel) and in GPU memory: a webcam's 640 x 480 at most.
STYLE_MAX_PIXELS = 1024 * 1024
STYLE_MAX_PIXELS_WEBGL = 640 * 480
STYLE_IM2COL_VALUES = 9 * 9 * 32


def _style_task():
    tasks = config["tasks"] or {}
    return tasks["style-transfer"] or {"sources": {}, "names": []}


def style_names():
    """The names of the pretrained styles."""
    return _style_task()["names"].slice()


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
    sources = _style_task()["sources"]
    key = style.toLowerCase()
    if Object.prototype.hasOwnProperty.call(sources, key):
        source = Object.assign({}, sources[key])
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

    def load(backend_name):
        show_status("Loading " + title + "...")
        return _fetch_checked(base + "manifest.json", "the checkpoint manifest").then(read).then(
            load_all).then(collected)

    return ensure_backend().then(load)


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


# (the functions of issue 4 go above this line)


# ---------------------------------------------------------------- bodypix (issue 5): graph models, masks and effects for ml5py/body_pix.py
#
# Graph models load with TF.js's own loader; every op runs inside the caller's tf.tidy.
# Masks and coloured parts are drawn on a 2D canvas (no tensors, no GPU read-back).

__pragma__ ('js', '{}', """
function named_inputs (name, tensor) { var feeds = {}; feeds [name] = tensor; return feeds; }
function define_lazy (target, name, make) {
    var made = false, value;
    Object.defineProperty (target, name, {enumerable: true, configurable: true,
        get: function () { if (!made) { value = make (); made = true; } return value; },
        set: function (given) { value = given; made = true; }});
}
""")


def lazy_field(fields, name, make):
    """``fields[name]`` is ``make()``, made the first time it is read, then kept."""
    define_lazy(fields, name, make)


def is_number(value):
    """True for a JavaScript number (not for true/false)."""
    return type_of(value) == "number"


def is_sequence(value):
    """True for a list (JS Array) or a typed array."""
    return Array.isArray(value) or (ArrayBuffer.isView(value) and not is_instance(value, DataView))


def find_bodypix_model(model_id):
    """A promise of the page's facts about one BodyPix variant (written by ``ml5py build``)."""
    tasks = config["tasks"] or {}
    task = tasks["body-segmentation"]
    if not task or not Object.prototype.hasOwnProperty.call(task["sources"], model_id):
        return Promise.reject(ValueError("This page does not know the BodyPix weights '" + model_id +
                                         "'. Build the sketch again with a current ml5py."))
    source = Object.assign({}, task["sources"][model_id])
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


# (the functions of issue 5 go above this line)


# ---------------------------------------------------------------- training (issue 6): trainable heads for ml5py/feature_extractor.py

def backend_ready():
    """A promise that resolves once TF.js's backend has started (tensors can be made)."""
    return ensure_backend()


def in_turn(count, step):
    """A promise that runs ``step(0)`` ... ``step(count - 1)``, each after the last one finished.

    Between steps the page gets a moment to draw (``setTimeout``), so a sketch stays live
    while it trains. An error (a rejected step) stops the steps and rejects the promise.
    """
    def pause(ignored):
        return __new__(Promise(lambda resolve: setTimeout(resolve, 0)))

    def go(number):
        if number >= count:
            return None
        return Promise.resolve(None).then(lambda ignored: step(number)).then(pause).then(
            lambda ignored: go(number + 1))

    return Promise.resolve(None).then(lambda ignored: go(0))


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
        step = 2 if classification else 1
        total = 0.0
        correct = 0.0
        count = 0
        for index in range(len(sizes)):
            total += values[index * step] * sizes[index]
            if classification:
                correct += values[index * step + 1]
            count += sizes[index]
        return [total / count, correct / count if classification else None]

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


def _download(name, content, kind):
    blob = __new__(Blob([content], {"type": kind}))
    link = document.createElement("a")
    link.href = URL.createObjectURL(blob)
    link.download = name
    document.body.appendChild(link)
    link.click()
    document.body.removeChild(link)
    url = link.href
    setTimeout(lambda: URL.revokeObjectURL(url), 10000)


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
        _download("model.json", model_json, "application/json")
        _download("weights.bin", data, "application/octet-stream")
        _download("metadata.json", result["metadata.json"], "application/json")
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

    return fetch(base + "metadata.json").then(fetched).then(with_metadata)

#
# (the functions of issue 6 go above this line)
