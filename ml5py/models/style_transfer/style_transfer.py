"""StyleTransfer: repaint a picture in the style of a painting. Written once for both runtimes.

The network is the fast feed-forward one of Johnson et al. (2016), trained once per
painting; ml5's checkpoints hold its 48 variables. Its layers, from the checkpoint's
shapes: three convolutions (9x9 stride 1, 3x3 stride 2, 3x3 stride 2), five residual
blocks, two transposed convolutions back up to the full size, a last 9x9 convolution, and
``tanh(x) * 150 + 127.5`` clipped to 0..255. Every convolution is followed by instance
normalisation (the checkpoint keeps its ``shift`` then its ``scale``) and, except in the
last layer and the second half of each residual block, by relu.
"""
# __pragma__ ('noopov')

from ml5py.core.arguments import check_callback, media_and_callback, picture_or_own
from ml5py.core.live import LiveLoop
from ml5py.core.size_limits import size_text, smaller_size
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt


def variable_name(index):
    """The checkpoint's name for variable ``index``: ``Variable``, ``Variable_1``, ..."""
    if index == 0:
        return "Variable"
    return "Variable_" + str(index)


def expected_shapes():
    """The shape of each of the 48 variables, in order (kernel, shift, scale per layer)."""
    shapes = []

    def layer(kernel, channels):
        shapes.append(kernel)
        shapes.append([channels])
        shapes.append([channels])

    layer([9, 9, 3, 32], 32)
    layer([3, 3, 32, 64], 64)
    layer([3, 3, 64, 128], 128)
    for block in range(10):  # five residual blocks of two convolutions
        layer([3, 3, 128, 128], 128)
    layer([3, 3, 64, 128], 64)  # transposed: [kh, kw, out, in]
    layer([3, 3, 32, 64], 32)
    layer([9, 9, 32, 3], 3)
    return shapes


def _shape_text(shape):
    return "[" + ", ".join([str(size) for size in shape]) + "]"


def check_variables(variables, title):
    """The 48 variables in order, or a ValueError naming the first that does not fit."""
    shapes = expected_shapes()
    weights = []
    for index in range(len(shapes)):
        name = variable_name(index)
        if name not in variables:
            raise ValueError("The checkpoint '" + title + "' is not a style-transfer network: it has "
                             "no variable " + name + " (it needs Variable to Variable_47).")
        weight = variables[name]
        actual = [size for size in weight.shape]
        same = len(actual) == len(shapes[index])
        for axis in range(len(actual)):
            same = same and actual[axis] == shapes[index][axis]
        if not same:
            raise ValueError("The checkpoint '" + title + "' is not a style-transfer network: " + name +
                             " has shape " + _shape_text(actual) + " where the network needs " +
                             _shape_text(shapes[index]) + ".")
        weights.append(weight)
    return weights


class StyleTransfer:
    """Repaint pictures in the style of a painting.

    ``StyleTransfer("scream")`` (see ``StyleTransfer.styles()`` for the nine names), or the
    folder/URL of a checkpoint (``manifest.json`` plus one raw float32 file per variable).
    The style loads in the background; ``transfer`` waits for it. ``callback`` (optional)
    is called as ``callback(style, error)`` once it is ready. ml5.js 0.x's
    ``StyleTransfer("wave", video, ready)`` works too: then ``transfer(got_result)`` uses the video.
    """

    def __init__(self, style="scream", video=None, callback=None):
        self.video, callback = media_and_callback(video, callback, "StyleTransfer",
                                                  "def style_ready(style, error): ...")
        self.style = style
        self.source = None
        self.weights = None
        self._loading = rt.after(rt.find_checkpoint(style), self._load)
        self.ready = rt.deliver(self._loading, callback)
        self._live = LiveLoop("transfer")
        rt.keep_sketch_waiting(self._loading)  # made in a p5 preload(): setup() waits for it

    @staticmethod
    def styles():
        """The names of the pretrained styles: ``["la_muse", "mathura", ...]``."""
        return rt.style_names()

    def _load(self, source):
        self.source = source
        return rt.after(rt.load_checkpoint(source, source["title"]), self._keep_weights)

    def _keep_weights(self, variables):
        try:
            self.weights = check_variables(variables, self.source["title"])
        except ValueError as error:
            rt.dispose_variables(variables)  # another network's checkpoint: free what it loaded
            raise error
        return self

    def transfer(self, image=None, callback=None):
        """Repaint ``image`` in this style; ``callback(result, error)`` gets the new picture.

        The result has the size of ``image``. In CPython it is an ``Image``
        (``result.save("out.png")``, ``result.to_numpy()``); in the browser a p5 image in
        a p5 sketch (``image(result, 0, 0)``), else a ``<canvas>`` you can add to the page
        (``document.body.append(result)``). It is also returned (in the browser: a promise
        you can ``await``).
        """
        if callable(image) and callback is None:  # transfer(got_result): the video (ml5.js 0.x)
            callback = image
            image = None
        image = picture_or_own(image, self.video, "transfer")
        check_callback(callback, "transfer", "def got_result(result, error): ...")
        return rt.deliver(self._job(image), callback)

    def transfer_start(self, media, callback):
        """Repaint every new frame of ``media`` and call ``callback(result, error)`` each time.

        In the browser ``media`` is a video (``createCapture(VIDEO)``), a canvas, or any
        image; the next frame is taken once the last result reached the callback. In
        CPython it is an image or a list (or generator) of images, done in order.
        ``transfer_stop()`` ends it, also from inside the callback.
        """
        self._live.start(media, self._job, callback)

    def transfer_stop(self):
        """Stop ``transfer_start``: no callback comes after this returns."""
        self._live.stop()

    def _job(self, image):
        """A pending picture: waits for the weights and the image, then runs the network."""
        job = rt.after(rt.when_all([self._loading, rt.media_ready(image)]), self._stylise)
        return rt.after(job, rt.image_from_pixels)

    def _stylise(self, loaded_and_media):
        media = loaded_and_media[1]
        return rt.tidy(lambda: self._forward(rt.pixels(media)))

    def _forward(self, pixels):
        """An H x W x 3 tensor of values 0..255 in, the repainted one (same size) out."""
        height = pixels.shape[0]
        width = pixels.shape[1]
        check_size(height, width)
        w = self.weights
        # Each layer runs in its own tidy, so its scratch tensors (and the layer before)
        # are freed at once: memory holds about two layers, not all 16 (big pictures).
        x = _step(rt.batch(pixels), lambda t: _layer(rt.conv2d(t, w[0], 1), w, 1, True))
        x = _step(x, lambda t: _layer(rt.conv2d(t, w[3], 2), w, 4, True))
        x = _step(x, lambda t: _layer(rt.conv2d(t, w[6], 2), w, 7, True))
        for first in [9, 15, 21, 27, 33]:
            x = _step(x, lambda t: _residual(t, w, first))
        x = _step(x, lambda t: _layer(rt.conv2d_transpose(t, w[39], 2), w, 40, True))
        x = _step(x, lambda t: _layer(rt.conv2d_transpose(t, w[42], 2), w, 43, True))
        x = _step(x, lambda t: _output(_layer(rt.conv2d(t, w[45], 1), w, 46, False)))
        # stride 2 twice rounds odd sizes up: the network's output can be up to 3 pixels larger
        return rt.crop(x, height, width)


def _step(x, work):
    """``work(x)``, freeing its scratch tensors and ``x`` as soon as it is done."""
    y = rt.tidy(lambda: work(x))
    rt.dispose(x)
    return y


def _residual(x, w, first):
    """A residual block: two convolutions (variables from ``first`` on), added to ``x``."""
    inner = _layer(rt.conv2d(x, w[first], 1), w, first + 1, True)
    return rt.add(x, _layer(rt.conv2d(inner, w[first + 3], 1), w, first + 4, False))


def _output(x):
    """``tanh(x) * 150 + 127.5``, clipped to the colour values 0..255."""
    return rt.clip(rt.scale_offset(rt.tanh(x), 150, 255 / 2), 0, 255)


def _layer(x, w, norm, relu):
    """Instance normalisation with the variables at ``norm`` (shift) and ``norm + 1`` (scale)."""
    x = rt.instance_norm(x, w[norm], w[norm + 1])
    if relu:
        return rt.relu(x)
    return x


def check_size(height, width):
    """A ValueError suggesting a smaller size when the picture is too big for this runtime."""
    limit_and_where = rt.max_pixels()
    limit = limit_and_where[0]
    if height * width <= limit:
        return
    raise ValueError("This picture is " + str(width) + " x " + str(height) + " pixels, more than style "
                     "transfer can take in " + limit_and_where[1] + ": " + str(limit) + " pixels at "
                     "most. Make it smaller first, for example " +
                     size_text(smaller_size(width, height, limit)) + " pixels (the same shape).")


ml5_names(StyleTransfer)  # also answers to ml5.js's names (core/ml5_names.py)
