"""The browser runtime's images (``<img>``, canvas, video, p5 images; ``load_image``, the file
picker) and live loops (the next video or animation frame, one step at a time).

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``images_cpython.py``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.pending_browser import _call_site, _element, is_instance, show_status, type_of

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


def _other_site(url):
    """True when ``url`` (a string) is on another origin than the page."""
    if type_of(url) != "string" or url.startswith("blob:") or url.startswith("data:"):
        return False
    return __new__(URL(url, self.location.href)).origin != self.location.origin


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
            if _other_site(url):
                self.elt.crossOrigin = "anonymous"  # its pixels are read: it must allow it (CORS)
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
            if _other_site(self.source):
                error = ValueError(
                    "Could not load the image '" + str(self.source) + "': it is on another site, "
                    "whose server must allow other pages to read its pictures (the header "
                    "'Access-Control-Allow-Origin: *', CORS). Save the picture beside your sketch "
                    "and give its file name instead.")
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
    """The image's RGB pixels as a float32 height x width x 3 tensor, values 0..255.

    A still picture (a loaded ``<img>``) is read once: on the wasm and cpu backends, where
    reading means drawing it on a canvas and reading that back (9-14 ms for 800 x 800), it is
    read straight into float32 values (``_read_still``), which are kept (``_still_pixels``)
    and the next call makes the tensor from them. Video frames, canvases and p5 images are
    read every time: they change.
    """
    drawable = _drawable(media)
    key = _still_key(drawable)
    if key is None:
        return tf.cast(tf.browser.fromPixels(drawable), "float32")
    for kept in _still_pixels:
        if kept[0] is drawable and kept[1] == key:
            _still_pixels.remove(kept)
            _still_pixels.insert(0, kept)  # the most recently used first
            return _still_tensor(kept[2], kept[3])
    values = _read_still(drawable)
    shape = [drawable.height, drawable.width, 3]
    _keep_still(drawable, key, values, shape)
    return _still_tensor(values, shape)


def _still_tensor(values, shape):
    """A tensor of a still's kept values (the cpu backend keeps the array it is given: a copy)."""
    return tf.tensor3d(values.slice() if tf.getBackend() == "cpu" else values, shape, "float32")


# A still is read as tf.browser.fromPixels reads an <img> (drawn at its width x height on a
# 2D canvas kept for reading), but straight into the float32 values the models take: no
# int32 copy, no cast, no read back. On a first classify of an 800 x 800 photo those three
# 7.7 MB arrays cost more than the network itself (fresh memory is slow to touch).
__pragma__ ('js', '{}', """
var _still_canvas = null;
function _read_still (image) {
    var width = image.width, height = image.height;
    if (!_still_canvas) _still_canvas = document.createElement ('canvas').getContext ('2d', {willReadFrequently: true});
    _still_canvas.canvas.width = width;
    _still_canvas.canvas.height = height;
    _still_canvas.drawImage (image, 0, 0, width, height);
    var rgba = _still_canvas.getImageData (0, 0, width, height).data;
    var values = new Float32Array (width * height * 3);
    for (var i = 0, j = 0, n = rgba.length; i < n; i += 4, j += 3) {
        values [j] = rgba [i];
        values [j + 1] = rgba [i + 1];
        values [j + 2] = rgba [i + 2];
    }
    return values;
}
""")


# The last still pictures read: [element, key, values (Float32Array), shape], most recent
# first, at most STILL_VALUES numbers in all (800 x 800 x 3 is 1.9 million: 7.7 MB).
_still_pixels = []
STILL_VALUES = 8 * 1024 * 1024


def _still_key(drawable):
    """What says a picture's pixels are those read last time (its address, size, the
    backend), or None when it is no still picture, or on WebGL (which reads on the GPU)."""
    backend = tf.getBackend()
    if backend != "wasm" and backend != "cpu":
        return None
    if not is_instance(drawable, window.HTMLImageElement) or not drawable.complete or not drawable.naturalWidth:
        return None
    if not drawable.width or not drawable.height:
        return None  # (read by fromPixels, which says what is wrong)
    return backend + " " + str(drawable.naturalWidth) + "x" + str(drawable.naturalHeight) + " at " + \
        str(drawable.width) + "x" + str(drawable.height) + " " + str(drawable.currentSrc or drawable.src)


def _keep_still(drawable, key, values, shape):
    if values.length > STILL_VALUES:
        return
    _still_pixels.insert(0, [drawable, key, values, shape])
    total = 0
    for index, kept in enumerate(_still_pixels):
        total = total + kept[2].length
        if total > STILL_VALUES:
            _still_pixels.splice(index, _still_pixels.length - index)
            return


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


def loop(media, step, running, eager=False):
    """Call ``step(media)`` once per new frame while ``running()``; one step at a time.

    A new frame is the next frame a ``<video>`` (or p5 capture) shows, where the browser
    says so (``requestVideoFrameCallback``), else the next animation frame, so a canvas
    or p5 graphics being drawn on is read again each frame. The next step starts only
    once the previous one has finished: no pile-up, and p5's draw() runs in between.
    ``eager`` (a step that does not hold up the page: the model is in a worker): when a
    new frame came while the last step ran, the next step starts at once instead of
    waiting for the frame after it.
    Returns a promise that resolves when ``running()`` turns false, or rejects with the
    error a step raised. A list of pictures is done in turn, one per animation frame, as
    CPython's loop does it.
    """
    if Array.isArray(media):
        return _loop_over_list(media, step, running)
    video = _video_element(media)

    def on_next_frame(callback):
        if video and video.requestVideoFrameCallback:
            video.requestVideoFrameCallback(callback)
        else:
            window.requestAnimationFrame(callback)

    def go(resolve, reject):
        seen = {"new_frame": False, "waiting": False}

        def tick(now=None, metadata=None):
            if not running():
                resolve(None)
                return
            if eager:
                seen["new_frame"] = False
                on_next_frame(noted)
            # (inside then(), an error thrown by step() becomes a rejection)
            Promise.resolve(None).then(lambda ignored: step(media)).then(after_step, reject)

        def noted(now=None, metadata=None):
            # eager: a frame came while the step ran (or after it, while the loop waits)
            if seen["waiting"]:
                seen["waiting"] = False
                tick()
            else:
                seen["new_frame"] = True

        def after_step(ignored=None):
            if not running():
                resolve(None)
            elif not eager:
                on_next_frame(tick)
            elif seen["new_frame"]:
                tick()
            else:
                seen["waiting"] = True

        on_next_frame(tick)

    return __new__(Promise(go))


def _loop_over_list(frames, step, running):
    """``step`` on each picture of a list in turn, one per animation frame."""
    def go(resolve, reject):
        def next_frame(index):
            if index >= len(frames) or not running():
                resolve(None)
                return
            Promise.resolve(None).then(lambda ignored: step(frames[index])).then(
                lambda ignored: window.requestAnimationFrame(lambda now: next_frame(index + 1)), reject)

        next_frame(0)

    return __new__(Promise(go))


def keep_sketch_waiting(pending):
    """Inside a p5 sketch's ``preload()``, p5 waits for ``pending`` before ``setup()``."""
    sketch = window.p5 and window.p5.instance
    if not sketch:
        return
    sketch._incrementPreload()  # p5 ignores both calls outside preload()
    done = lambda ignored: sketch._decrementPreload()
    Promise.resolve(pending).then(done, done)
