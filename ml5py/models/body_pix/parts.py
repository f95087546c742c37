"""BodyPix's 24 body parts: their names, one colour each, and the palette checks.

Written once for CPython and the browser, for ``body_pix.py``.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt


def _is_number(value):
    return rt.is_number(value)


# BodyPix 2's 24 body parts, in the order of its part ids (the weights' part_names.json, which
# a test checks against this list): a palette dict is checked against them before loading.
PART_NAMES = [
    "left_face", "right_face", "left_upper_arm_front", "left_upper_arm_back",
    "right_upper_arm_front", "right_upper_arm_back", "left_lower_arm_front", "left_lower_arm_back",
    "right_lower_arm_front", "right_lower_arm_back", "left_hand", "right_hand",
    "torso_front", "torso_back", "left_upper_leg_front", "left_upper_leg_back",
    "right_upper_leg_front", "right_upper_leg_back", "left_lower_leg_front", "left_lower_leg_back",
    "right_lower_leg_front", "right_lower_leg_back", "left_feet", "right_feet",
]

# One clear colour per body part (r, g, b), in the order of BodyPix's part ids: left parts
# light, right parts dark, each limb its own hue; the face red, the torso blue.
DEFAULT_PALETTE = [
    [255, 120, 120], [200, 30, 30],                    # left_face, right_face
    [255, 200, 120], [255, 170, 60],                   # left_upper_arm front/back
    [200, 120, 0], [150, 85, 0],                       # right_upper_arm front/back
    [255, 255, 120], [230, 230, 40],                   # left_lower_arm front/back
    [170, 170, 0], [120, 120, 0],                      # right_lower_arm front/back
    [180, 255, 150], [40, 150, 40],                    # left_hand, right_hand
    [110, 160, 255], [40, 70, 200],                    # torso front/back
    [150, 255, 255], [60, 220, 220],                   # left_upper_leg front/back
    [0, 150, 160], [0, 100, 110],                      # right_upper_leg front/back
    [230, 160, 255], [200, 100, 255],                  # left_lower_leg front/back
    [140, 40, 200], [100, 20, 150],                    # right_lower_leg front/back
    [255, 150, 220], [200, 40, 140],                   # left_feet, right_feet
]


def _position(names, name):
    """Where ``name`` is in ``names`` (-1 when it is not there)."""
    for index in range(len(names)):
        if names[index] == name:
            return index
    return -1


def check_palette(palette, part_names):
    """A list of 24 ``[r, g, b]`` colours, from a list of 24 or a dict ``{part name: colour}``."""
    if palette is None:
        return DEFAULT_PALETTE
    if rt.is_object(palette):
        colours = []
        for colour in DEFAULT_PALETTE:
            colours.append(colour)
        for name in rt.object_keys(palette):
            index = _position(part_names, name)
            if index < 0:
                raise ValueError("The palette names an unknown body part '" + str(name) + "'. The parts "
                                 "are: " + ", ".join(part_names) + ".")
            colours[index] = _colour(palette[name], name)
        return colours
    if not rt.is_sequence(palette) or len(palette) != len(part_names):
        raise ValueError("A palette is a list of " + str(len(part_names)) + " colours [r, g, b] (one per "
                         "body part, in the order of part_names), or a dict {part name: [r, g, b]}.")
    colours = []
    for index in range(len(part_names)):
        colours.append(_colour(palette[index], part_names[index]))
    return colours


def _colour(value, part):
    """``value`` as ``[r, g, b]`` (numbers 0..255), or a ValueError naming the part."""
    if rt.is_sequence(value) and len(value) == 3:
        good = True
        for channel in value:
            if not _is_number(channel) or channel < 0 or channel > 255:
                good = False
        if good:
            return [value[0], value[1], value[2]]
    raise ValueError("The colour for " + str(part) + " must be [r, g, b] with numbers from 0 to 255; got " +
                     str(value) + ".")
