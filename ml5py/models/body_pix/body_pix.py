"""BodyPix: which pixels are a person, and which body part. Written once for CPython and the browser.

The network is BodyPix 2 (MobileNetV1 backbone, from tfjs-models). The steps around it
follow tfjs-models body-pix: the picture is padded to the aspect ratio of the internal
resolution and resized to it (a size the output stride divides: ``(size - 1) % stride ==
0``), scaled to -1..1, run through the graph; the person logits are resized back (corners
aligned), passed through a sigmoid, cropped of the padding and resized to the picture's
size, then compared with ``segmentation_threshold``. Part ids are the most likely of the 24
part maps (handled the same way), kept only where the person mask is on, -1 elsewhere.
"""
# __pragma__ ('noopov')

import math

from ml5py.core.arguments import check_callback as checked_callback, media_and_callback, picture_or_own
from ml5py.core.live import LiveLoop
from ml5py.core.size_limits import check_bodypix_size
from ml5py.models.body_pix.parts import PART_NAMES, _is_number, check_palette
from ml5py.models.body_pix.posenet_decode import decode_poses, pose_records, scale_poses
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt

MULTIPLIERS = [0.5, 0.75]
QUANT_BYTES = [1, 2, 4]
OUTPUT_STRIDES = [8, 16]
RESOLUTION_NAMES = ["low", "medium", "high", "full"]
RESOLUTION_FRACTIONS = [0.25, 0.5, 0.75, 1.0]
MIN_RESOLUTION = 0.1
MAX_RESOLUTION = 2.0
MIN_SIZE = 16  # pixels: smaller pictures hold too little to find a person in
EDGE_BLUR = 3  # pixels: how soft the person's outline is in the effects (as body-pix's edgeBlurAmount)
DEFAULT_BLUR = 10

def _listed(values):
    """``[8, 16]`` as ``"8, 16"``, for error messages."""
    texts = []
    for value in values:
        texts.append(str(value))
    return ", ".join(texts)


def _shown(value):
    """A value as an error message shows it: text in quotes, so "0.75" is not mistaken for 0.75."""
    if isinstance(value, str):
        return "'" + value + "'"
    return str(value)


def variant_id(multiplier, quant_bytes):
    """The id (and mirror folder) of the weights for these options (``bodypix/mobilenet/quant2/075``)."""
    quant = "float" if quant_bytes == 4 else "quant" + str(quant_bytes)
    return "bodypix/mobilenet/" + quant + "/" + ("050" if multiplier == 0.5 else "075")


def check_options(architecture, multiplier, quant_bytes, output_stride, internal_resolution,
                  segmentation_threshold):
    """Raise a ValueError naming a bad option and listing the good ones."""
    if architecture != "MobileNetV1":
        raise ValueError("Unknown architecture '" + str(architecture) + "'. ml5py's BodyPix has: "
                         "MobileNetV1 (ResNet50 weights are not included).")
    if not _is_number(multiplier) or multiplier not in MULTIPLIERS:
        raise ValueError("Invalid multiplier " + _shown(multiplier) + ". Valid multipliers are: 0.50, "
                         "0.75 (smaller is faster, larger is more accurate).")
    if not _is_number(quant_bytes) or quant_bytes not in QUANT_BYTES:
        raise ValueError("Invalid quant_bytes " + _shown(quant_bytes) + ". Valid values are: 1, 2 "
                         "(quantised weights, 1 or 2 bytes each) and 4 (float32).")
    if quant_bytes == 4 and multiplier != 0.5:
        raise ValueError("quant_bytes=4 (float32 weights) exists only for multiplier 0.50. With "
                         "multiplier " + str(multiplier) + " use quant_bytes=2 or 1.")
    if not _is_number(output_stride) or output_stride not in OUTPUT_STRIDES:
        raise ValueError("Invalid output_stride " + _shown(output_stride) + ". Valid strides are: " +
                         _listed(OUTPUT_STRIDES) + " (8 is finer and slower).")
    resolution_fraction(internal_resolution)
    if not _is_number(segmentation_threshold) or segmentation_threshold < 0 or \
            segmentation_threshold > 1:
        raise ValueError("Invalid segmentation_threshold " + _shown(segmentation_threshold) +
                         ". It is a number from 0 to 1 (0.7 by default).")


def resolution_fraction(internal_resolution):
    """``"low"``... ``"full"`` or a number from 0.1 to 2, as a fraction of the picture's size."""
    if _is_number(internal_resolution):
        if MIN_RESOLUTION <= internal_resolution <= MAX_RESOLUTION:
            return internal_resolution
    else:
        for index in range(len(RESOLUTION_NAMES)):
            if internal_resolution == RESOLUTION_NAMES[index]:
                return RESOLUTION_FRACTIONS[index]
    raise ValueError("Invalid internal_resolution " + _shown(internal_resolution) + ". Use one of: " +
                     _listed(RESOLUTION_NAMES) + ", or a number from " + str(MIN_RESOLUTION) +
                     " to " + str(MAX_RESOLUTION) + " (a fraction of the picture's size).")


def valid_size(size, stride):
    """The nearest size at or below ``size`` that the network's stride fits: (size - 1) % stride == 0."""
    whole = math.floor(size)
    if size == whole and (whole - 1) % stride == 0:
        return whole
    return math.floor(size / stride) * stride + 1


def _js_round(value):
    """Round half up, as JavaScript's Math.round (body-pix's padding uses it)."""
    return math.floor(value + 0.5)


def resize_plan(height, width, internal_resolution, stride):
    """Where the picture goes: the network's input size and the padding that keeps its shape.

    Returns ``{"size": [h, w], "padding": [top, bottom, left, right]}``: the picture is
    padded (with black) to the aspect ratio of ``size``, then resized to ``size``.
    """
    fraction = resolution_fraction(internal_resolution)
    target_h = valid_size(height * fraction, stride)
    target_w = valid_size(width * fraction, stride)
    target_aspect = target_w / target_h
    aspect = width / height
    if aspect < target_aspect:
        side = _js_round(0.5 * (target_aspect * height - width))
        padding = [0, 0, side, side]
    else:
        side = _js_round(0.5 * ((1.0 / target_aspect) * width - height))
        padding = [side, side, 0, 0]
    return {"size": [target_h, target_w], "padding": padding}


def _blur_kernel(sigma, limit):
    """Gaussian weights (a list that sums to 1) for a blur of ``sigma`` pixels, at most ``limit`` wide each side."""
    radius = min(math.ceil(3 * sigma), limit)
    weights = []
    total = 0.0
    for offset in range(-radius, radius + 1):
        weight = math.exp(-(offset * offset) / (2.0 * sigma * sigma))
        weights.append(weight)
        total += weight
    kernel = []
    for weight in weights:
        kernel.append(weight / total)
    return kernel


def check_callback(callback, where):
    """Refuse a ``callback`` that cannot be called, saying what was meant (ml5.js passes options as a dict)."""
    if where == "BodyPix" and rt.is_object(callback):
        raise TypeError("BodyPix takes its options as keywords, e.g. BodyPix(multiplier=0.5, "
                        "output_stride=8), not as a dict. Its first argument is a callback function.")
    checked_callback(callback, where, "def got(result, error): ...")


class BodyPix:
    """Find the person in a picture: a mask of their pixels, and of their 24 body parts.

    ``BodyPix()`` loads MobileNetV1 0.75 with 2-byte weights and output stride 16. Options
    (names and defaults as in tfjs-models body-pix): ``multiplier`` 0.50 or 0.75,
    ``quant_bytes`` 1, 2 or 4 (float32, only for 0.50), ``output_stride`` 16 or 8 (finer,
    slower), ``internal_resolution`` "low", "medium", "high", "full" or a number from 0.1
    to 2 (the size the network sees, as a fraction of the picture's), and
    ``segmentation_threshold`` (0..1: how sure a pixel must be to count as person).
    ``palette`` colours ``parts_mask``. The model loads in the background; ``callback``
    (optional) is called as ``callback(bodypix, error)`` once it is ready. ml5.js 0.x's
    ``BodyPix(video, ready)`` works too: then ``segment(got_result)`` segments that video.
    """

    def __init__(self, video=None, callback=None, multiplier=0.75, quant_bytes=2, output_stride=16,
                 internal_resolution="medium", segmentation_threshold=0.7, palette=None,
                 architecture="MobileNetV1"):
        if rt.is_object(video):
            check_callback(video, "BodyPix")  # options as a dict: say they are keywords
        self.video, callback = media_and_callback(video, callback, "BodyPix", "def got(result, error): ...")
        check_callback(callback, "BodyPix")
        check_options(architecture, multiplier, quant_bytes, output_stride, internal_resolution,
                      segmentation_threshold)
        check_palette(palette, PART_NAMES)  # now, not after the model has loaded
        self.multiplier = multiplier
        self.quant_bytes = quant_bytes
        self.output_stride = output_stride
        self.internal_resolution = internal_resolution
        self.segmentation_threshold = segmentation_threshold
        self.source = None
        self.model = None
        self.part_names = []
        self._palette = palette
        self.palette = None
        self._loading = rt.after(rt.find_bodypix_model(variant_id(multiplier, quant_bytes)), self._load)
        self.ready = rt.deliver(self._loading, callback)
        self._live = LiveLoop("segment")
        rt.keep_sketch_waiting(self._loading)  # made in a p5 preload(): setup() waits for it

    def _load(self, source):
        """With the variant's facts: check the palette against its part names, load the stride's graph."""
        self.source = source
        self.part_names = source["part_names"]
        self.palette = check_palette(self._palette, self.part_names)
        filename = source["models"][str(self.output_stride)]
        return rt.after(rt.load_graph_model(source, filename, source["title"]), self._keep_model)

    def _keep_model(self, model):
        self.model = model
        return self

    # ------------------------------------------------------------ segmentation

    def segment(self, image=None, callback=None):
        """Which pixels of ``image`` are a person.

        The result (also handed to ``callback(result, error)``; in the browser a promise)
        has ``data`` (1 = person, 0 = not), ``raw`` (the probability of person, 0..1), both
        one number per pixel, ``person_mask`` (the picture with only the person kept, the
        rest transparent), ``background_mask`` (the rest kept, the person transparent),
        ``width`` and ``height``. In CPython ``data`` and ``raw`` are height x width numpy
        arrays (``data[y, x]``); in the browser, typed arrays of the same numbers row after
        row (``data[y * width + x]``), whose ``.tolist()`` gives the rows, as numpy's does.
        ``poses``: PoseNet's poses of the people (as body-pix's ``allPoses`` and ml5.js 0.x's
        PoseNet: ``score``, ``keypoints`` of ``{score, part, position: {x, y}}``, and each
        keypoint by name, ``pose.leftWrist``: ``{x, y, confidence}``), best first.
        """
        if callable(image) and callback is None:  # segment(got): the video given to BodyPix (ml5.js 0.x)
            callback = image
            image = None
        check_callback(callback, "segment")
        return rt.deliver(self._job(picture_or_own(image, self.video, "segment"), False), callback)

    def segment_with_parts(self, image=None, callback=None):
        """``segment`` plus ``parts``: the body part of each pixel (0..23, -1 = not a person).

        ``part_names[i]`` names part ``i``; ``parts_mask`` shows the parts coloured with the
        palette (``BodyPix(palette=...)``), the background transparent.
        """
        if callable(image) and callback is None:  # segment_with_parts(got): the video given to BodyPix (ml5.js 0.x)
            callback = image
            image = None
        check_callback(callback, "segment_with_parts")
        return rt.deliver(self._job(picture_or_own(image, self.video, "segment_with_parts"), True), callback)

    def segment_start(self, media, callback, parts=False):
        """Segment every new frame of ``media`` and call ``callback(result, error)`` each time.

        ``parts=True`` segments with parts. ``segment_stop()`` ends it, also from the callback.
        In CPython ``media`` is a list (or generator) of pictures, done in order.
        """
        self._live.start(media, lambda frame: self._job(frame, parts), callback)

    def segment_stop(self):
        """Stop ``segment_start``: no callback comes after this returns."""
        self._live.stop()

    def _job(self, image, with_parts):
        """Segment ``image`` once the model is loaded and the picture has pixels."""
        both = rt.when_all([self._loading, rt.media_ready(image)])
        return rt.after(both, lambda loaded_and_media: self._segment(loaded_and_media[1], with_parts))

    def _segment(self, media, with_parts):
        """Run the network (tensors freed by ``rt.tidy``), then read the masks' values and poses."""
        plan = [None]
        tensors = rt.tidy(lambda: self._masks(media, with_parts, plan))
        height = tensors[0].shape[0]
        width = tensors[0].shape[1]
        maps = tensors[len(tensors) - 4:]  # PoseNet's heatmaps, offsets, displacements
        shapes = [[m.shape[0], m.shape[1], m.shape[2]] for m in maps]
        pending = [rt.mask_values(tensors[0], "float32")]
        if with_parts:
            pending.append(rt.mask_values(tensors[1], "int32"))
        pending.append(rt.when_all([rt.read(m) for m in maps]))
        return rt.after(rt.when_all(pending), lambda values: self._result(
            media, values, width, height, self._poses(values[len(values) - 1], shapes, height, width, plan[0])))

    def _poses(self, values, shapes, height, width, plan):
        """The people's poses, decoded as body-pix 2.2.1's ``allPoses`` (PoseNet's multi-person decoding)."""
        maps = []
        for index in range(4):
            shape = shapes[index]
            maps.append([values[index], shape[0], shape[1], shape[2]])
        poses = decode_poses(maps, self.output_stride)
        return pose_records(scale_poses(poses, height, width, plan["size"], plan["padding"]), rt.record)

    def _result(self, media, values, width, height, poses):
        """The result record: the per-pixel numbers, the poses, and the mask pictures made from them."""
        raw = values[0]
        data = rt.threshold_values(raw, self.segmentation_threshold, width, height)
        fields = {"data": data, "raw": raw, "width": width, "height": height, "poses": poses}
        if len(values) > 2:
            fields["parts"] = values[1]
            fields["part_names"] = self.part_names
        result = rt.record(fields)
        # The pictures: made now in CPython; in the browser when first read (a frame whose
        # masks nobody draws costs nothing more).
        rt.lazy_field(result, "person_mask", lambda: rt.masked_image(media, data, width, height, True))
        rt.lazy_field(result, "background_mask", lambda: rt.masked_image(media, data, width, height, False))
        if len(values) > 2:
            parts = values[1]
            rt.lazy_field(result, "parts_mask", lambda: rt.coloured_parts(parts, width, height, self.palette))
        return result

    def _masks(self, media, with_parts, plan):
        """Person probability (H x W x 1), with parts part ids (H x W), at the picture's size;
        then PoseNet's four maps (on the network's output grid)."""
        image = rt.pixels(media)
        outputs = self._network(image, with_parts, plan)
        found = [outputs[0]]
        if with_parts:
            found.append(rt.part_ids(outputs[1], rt.above(outputs[0], self.segmentation_threshold)))
        found.extend(outputs[len(outputs) - 4:])  # (no + on lists: this file is compiled without opov)
        return found

    def _network(self, image, with_parts, plan=None):
        """The tensors of one pass: person probability (H x W x 1) and, with parts, part
        probabilities; with ``plan`` (a list to keep the resize plan in) PoseNet's maps too."""
        height = image.shape[0]
        width = image.shape[1]
        if height < MIN_SIZE or width < MIN_SIZE:
            raise ValueError("The picture is " + str(width) + "x" + str(height) + " pixels: too small to "
                             "find a person in. BodyPix needs at least " + str(MIN_SIZE) + "x" +
                             str(MIN_SIZE) + ".")
        resized = resize_plan(height, width, self.internal_resolution, self.output_stride)
        check_bodypix_size(width, height, resized["size"], with_parts, self.internal_resolution)
        batch = rt.bodypix_input(image, resized["padding"], resized["size"])
        names = [self.source["segments"]]
        if with_parts:
            names.append(self.source["part_heatmaps"])
        if plan is not None:
            plan[0] = resized
            names.extend(self.source["pose_outputs"])
        outputs = rt.execute_graph(self.model, self.source["input"], batch, names)
        size = [height, width]
        found = [rt.scale_and_crop(outputs[0], size, resized["size"], resized["padding"])]
        if with_parts:
            found.append(rt.scale_and_crop(outputs[1], size, resized["size"], resized["padding"]))
        if plan is not None:
            found.extend(rt.posenet_maps(outputs[len(outputs) - 4:]))
        return found

    # ------------------------------------------------------------ effects

    def blur_background(self, image, amount=DEFAULT_BLUR, callback=None):
        """The picture with everything but the person blurred (a phone's portrait mode).

        ``amount``: how strong the blur is, in pixels (the spread of a Gaussian blur, as
        CSS ``blur()``). Returns an image (CPython: ``.save("out.png")``, ``.to_numpy()``;
        browser: draw it with p5's ``image()``); also handed to ``callback(image, error)``.
        """
        check_callback(callback, "blur_background")
        if not _is_number(amount) or amount < 0:
            raise ValueError("blur_background's amount is a number of pixels, 0 or more; got " +
                             str(amount) + ".")
        return rt.deliver(self._effect(image, None, amount), callback)

    def replace_background(self, image, background, callback=None):
        """The person from ``image`` in front of ``background`` (any picture; it is stretched to fit)."""
        check_callback(callback, "replace_background")
        job = rt.after(rt.media_ready(background), lambda ready_background: self._effect(
            image, ready_background, 0))
        return rt.deliver(job, callback)

    def _effect(self, image, background, amount):
        """Blur (``background`` None) or replace the background of ``image``, once both are ready."""
        both = rt.when_all([self._loading, rt.media_ready(image)])
        return rt.after(both, lambda loaded_and_media: rt.image_from_pixels(rt.tidy(
            lambda: self._composite(loaded_and_media[1], background, amount))))

    def _composite(self, media, background, amount):
        """The picture's pixels: the person (edge softened) over the blurred or the new background."""
        image = rt.pixels(media)
        height = image.shape[0]
        width = image.shape[1]
        if background is None and amount == 0:
            return image  # nothing to blur
        mask = rt.above(self._network(image, False)[0], self.segmentation_threshold)
        limit = min(height, width) - 1
        soft_mask = rt.blur(mask, _blur_kernel(EDGE_BLUR, limit))
        if background is None:
            behind = rt.blur(image, _blur_kernel(amount, limit))
        else:
            behind = rt.resize_bilinear(rt.pixels(background), [height, width], False)
        return rt.blend(image, behind, soft_mask)


ml5_names(BodyPix)  # also answers to ml5.js's names (core/ml5_names.py)
