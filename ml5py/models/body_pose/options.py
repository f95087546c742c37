"""Checks for BodyPose's options: a bad value raises a ValueError that names it and lists the good ones.

Written once for CPython and the browser.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt


def shown(value):
    """A value as an error message shows it: text in quotes, so "0.5" is not mistaken for 0.5."""
    if isinstance(value, str):
        return "'" + value + "'"
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    return str(value)


def listed(values):
    """``["a", "b"]`` as ``"a, b"``."""
    texts = []
    for value in values:
        texts.append(str(value))
    return ", ".join(texts)


def check_choice(name, value, choices):
    """The entry of ``choices`` that ``value`` names (upper/lower case ignored)."""
    if isinstance(value, str):
        for choice in choices:
            if choice.lower() == value.lower():
                return choice
    raise ValueError("Invalid " + name + " " + shown(value) + ". Valid values are: " + listed(choices) + ".")


def check_flag(name, value):
    """``value`` if it is True or False."""
    if value is True or value is False:
        return value
    raise ValueError("Invalid " + name + " " + shown(value) + ". It is True or False.")


def check_number(name, value, low, high, hint=""):
    """``value`` if it is a number from ``low`` to ``high``."""
    if value is True or value is False or not rt.is_number(value) or value < low or value > high:
        raise ValueError("Invalid " + name + " " + shown(value) + ". It is a number from " + str(low) +
                         " to " + str(high) + hint + ".")
    return value


def given(options, name):
    """The option's value, or None when it was not given."""
    if name in options:
        return options[name]
    return None


def refuse_others(options, names, model, owner):
    """A ValueError for an option of another model (``enable_segmentation`` given to MoveNet)."""
    for name in names:
        if given(options, name) is not None:
            raise ValueError(name + " is a " + owner + " option; " + model + " does not use it. Use "
                             "BodyPose(\"" + owner + "\", " + name + "=...) for it.")


MIN_SIZE = 16  # pixels: smaller pictures hold too little to find a body in


def check_picture_size(width, height):
    """Refuse a picture too small to find a body in (a 1x1 canvas, an empty video frame)."""
    if width < MIN_SIZE or height < MIN_SIZE:
        raise ValueError("The picture is " + str(width) + "x" + str(height) + " pixels: too small to find a "
                         "body in. BodyPose needs at least " + str(MIN_SIZE) + "x" + str(MIN_SIZE) + ".")
