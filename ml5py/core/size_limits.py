"""How big a picture a model takes, and the smaller size to suggest. Written once for both runtimes.

A picture too big for a model's memory is refused at once with a size that fits, never a
MemoryError after a minute. StyleTransfer's limit depends on the runtime (``rt.max_pixels``);
BodyPix's are the same everywhere: the picture itself (``MAX_PIXELS``, ``MAX_PARTS_PIXELS``
with body parts: 24 maps at the picture's size) and what the network sees once scaled by
``internal_resolution`` (``MAX_NETWORK_PIXELS``).
"""
# __pragma__ ('noopov')

MAX_PIXELS = 4096 * 4096
MAX_PARTS_PIXELS = 2048 * 2048
MAX_NETWORK_PIXELS = 2048 * 2048


def smaller_size(width, height, limit):
    """``[width, height]`` scaled down (same shape) to at most ``limit`` pixels."""
    factor = (limit / (width * height)) ** 0.5
    return [int(width * factor), int(height * factor)]


def size_text(size):
    return str(size[0]) + " x " + str(size[1])


def check_bodypix_size(width, height, network_size, with_parts, internal_resolution):
    """A ValueError with a size that fits when BodyPix cannot take this picture at this resolution."""
    pixels = width * height
    limit = MAX_PARTS_PIXELS if with_parts else MAX_PIXELS
    if pixels > limit:
        what = "body parts (24 maps at the picture's size)" if with_parts else "a person mask"
        raise ValueError("This picture is " + size_text([width, height]) + " pixels, more than BodyPix can "
                         "find " + what + " in: " + str(limit) + " pixels at most. Make it smaller first, "
                         "for example " + size_text(smaller_size(width, height, limit)) + " pixels (the "
                         "same shape).")
    seen = network_size[0] * network_size[1]
    if seen > MAX_NETWORK_PIXELS:
        raise ValueError("With internal_resolution=" + str(internal_resolution) + " BodyPix would look at "
                         "this " + size_text([width, height]) + " picture at " +
                         size_text([network_size[1], network_size[0]]) + " pixels, more than it can take: " +
                         str(MAX_NETWORK_PIXELS) + " pixels at most. Use a smaller internal_resolution "
                         "(\"medium\" is the default) or make the picture smaller, for example " +
                         size_text(smaller_size(width, height, pixels * MAX_NETWORK_PIXELS / seen)) +
                         " pixels.")
