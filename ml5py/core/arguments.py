"""Sorting out a beginner's arguments, the same way for every model (like ml5's handleArguments).

Written once for CPython and the browser. Every public method that takes a callback or a
``k`` checks it here, so a wrong value gets the same clear message from every model:
the method, what the argument is for, and the value that came.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt


def shown(value):
    """A value as an error message shows it: text in quotes, so "3" is not mistaken for 3."""
    if isinstance(value, str):
        return "'" + value + "'"
    return str(value)


def check_callback(callback, method, example="def got_results(results, error): ...", what="callback"):
    """Refuse a ``callback`` that is neither None nor a function, naming ``method`` (and ``what``)."""
    if callback is None or callable(callback):
        return callback
    raise TypeError(method + "'s " + what + " must be a function such as " + example + "; got " +
                    shown(callback) + ".")


def whole_number(value, name, least, most=None):
    """``value`` as an int when it is a whole number from ``least`` (to ``most``), else a ValueError.

    Text, True/False, lists, NaN, infinity and fractions are all refused, in both runtimes.
    """
    ok = rt.is_number(value) and value - value == 0  # (NaN and infinity fail the second test)
    if ok:
        ok = int(value) == value and value >= least and (most is None or value <= most)
    if not ok:
        limits = "of at least " + str(least) if most is None else "from " + str(least) + " to " + str(most)
        raise ValueError(name + " should be a whole number " + limits + "; got " + shown(value) + ".")
    return int(value)


def check_k(k, method, meaning="how many results to return"):
    """``k`` as an int (a whole number of at least 1), or None to use the method's default."""
    if k is None:
        return None
    if callable(k):
        raise TypeError(method + " got two functions: give k (" + meaning + ", such as 3) before "
                        "the callback, as in " + method + "(image, 3, got_results).")
    return whole_number(k, method + "'s k (" + meaning + ")", 1)


def k_and_callback(k_or_callback, callback, k, method="classify", meaning="how many results to return"):
    """``(k, callback)`` from ``f(x, callback)``, ``f(x, 5, callback)`` or ``f(x, k=5)``, both checked.

    ``k`` is None when none was given (the method's default applies).
    """
    if callable(k_or_callback):
        if callback is not None:
            raise TypeError(method + " got a callback where k (" + meaning + ") goes: use " +
                            method + "(image, got_results) or " + method + "(image, 3, got_results).")
        callback = k_or_callback
    elif k_or_callback is not None:
        if k is not None:
            raise TypeError(method + " got k twice: " + shown(k_or_callback) + " and k=" + shown(k) + ".")
        k = k_or_callback
    return check_k(k, method, meaning), check_callback(callback, method)


def label_text(label):
    """A label as text: a word or a number; None, empty text, lists, True/False... are refused."""
    if label is None or (isinstance(label, str) and len(label) == 0):
        raise ValueError("A label is a word or number (such as 'cat'); got an empty label.")
    if not isinstance(label, str) and not rt.is_number(label):
        raise TypeError("A label is a word or number (such as 'cat'); got " + shown(label) + ".")
    return str(label)


def check_name(name, method, example):
    """A file or folder name for ``method`` (None: its default); empty text is refused."""
    if isinstance(name, str) and len(name.strip()) == 0:
        raise ValueError(method + " needs a name to save under, such as " + method + "(\"" + example +
                         "\"), or nothing for the default; got " + shown(name) + ".")
    return name


def check_label_count(labels, outputs, where):
    """Refuse labels that do not match a model's outputs (one label per output, in order)."""
    if len(labels) != outputs:
        raise ValueError("The model at " + str(where) + " has " + str(outputs) + " outputs but its "
                         "metadata.json lists " + str(len(labels)) + " labels. They must match, one "
                         "label per output in the model's order: export the model and its "
                         "metadata.json together again.")


def media_and_callback(media_or_callback, callback, method, example):
    """``(media, callback)`` from ml5.js 0.x's ``Model(name, video, ready)`` or ``Model(name, ready)``.

    The media (a video, an image) is what ``classify(got_results)`` then uses when it is
    given no picture, as in ml5.js 0.x.
    """
    if callback is None and callable(media_or_callback):
        return None, media_or_callback
    if media_or_callback is not None and (isinstance(media_or_callback, str) or not rt.is_image(media_or_callback)):
        check_callback(media_or_callback, method, example)  # neither a video nor a function: say so
    return media_or_callback, check_callback(callback, method, example)


def picture_or_own(picture, own, method):
    """``picture``, or the ``own`` media the model was made with when ``picture`` is a callback or missing."""
    if picture is None or callable(picture):
        if own is None:
            raise TypeError(method + " needs a picture, as in " + method + "(image, got_results); or give the "
                            "video when you make the model, as ml5.js 0.x did (ImageClassifier(\"MobileNet\", "
                            "video, model_ready), features.classification(video), StyleTransfer(\"wave\", video)), "
                            "then " + method + "(got_results).")
        return own
    return picture
