"""ml5.js's names for ml5py's methods and options, written once for every model class.

Every public snake_case method also answers to its ml5.js 1.x camelCase name
(``add_example`` -> ``addExample``, ``classify_start`` -> ``classifyStart``), a few ml5.js
0.x names answer where a method does the same job (``segmentPerson`` -> ``segment``), and
keyword options may be spelt as ml5.js spells them (``modelType=``, ``minPoseScore=``,
``flipHorizontal=`` -> ``flipped=``). Each model module ends with::

    ml5_names(BodyPose)

The aliases are real attributes (Transcrypt has no ``__getattr__``), made by the runtime's
``define_alias`` and ``accept_ml5_keywords``. Written once for CPython and the browser.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt

# ml5.js 0.x (and tfjs-models) method names with a direct ml5py equivalent, by class: [(old, ml5py's)].
# (Pairs in lists, not dicts: the browser's Python iterates lists the same way.)
OLD_METHOD_NAMES = {
    "BodyPix": [["segmentPerson", "segment"], ["segmentPersonParts", "segment_with_parts"],
                ["segmentWithParts", "segment_with_parts"]],
    "ImageClassifier": [["predict", "classify"]],
    "BodyPose": [["estimatePoses", "detect"]],
}

# ml5.js option names that are not just the camelCase of ml5py's keyword.
OPTION_NAMES = {"flipHorizontal": "flipped", "flipped": "flipped", "topk": "k", "topK": "k"}


def camel_case(name):
    """``"classify_start"`` -> ``"classifyStart"`` (ml5.js's spelling of a snake_case name)."""
    parts = name.split("_")
    text = parts[0]
    for part in parts[1:]:
        if len(part) > 0:
            text = text + part[0].upper() + part[1:]
    return text


def snake_case(name):
    """``"minPoseScore"`` -> ``"min_pose_score"``; ml5.js's own option names first (``OPTION_NAMES``)."""
    if name in OPTION_NAMES:
        return OPTION_NAMES[name]
    text = ""
    for letter in name:
        if letter != letter.lower():
            text = text + "_" + letter.lower()
        else:
            text = text + letter
    return text


def ml5_aliases(cls):
    """``[[alias, method], ...]`` for ``cls``: the camelCase of each public snake_case name, and its 0.x names."""
    names = dir(cls)
    aliases = []
    for name in names:
        if not name.startswith("_") and camel_case(name) != name:
            aliases.append([camel_case(name), name])
    old = OLD_METHOD_NAMES[cls.__name__] if cls.__name__ in OLD_METHOD_NAMES else []
    for pair in old:
        if pair[1] in names and pair[0] not in names:
            aliases.append(pair)
    return aliases


def ml5_names(cls):
    """Give ``cls`` ml5.js's names: method aliases, and camelCase keyword options everywhere."""
    methods = ["__init__"]
    for name in dir(cls):
        if not name.startswith("_") and callable(getattr(cls, name)):
            methods.append(name)
    for name in methods:
        rt.accept_ml5_keywords(cls, name, OPTION_NAMES)
    rt.awaitable_objects(cls)
    for pair in ml5_aliases(cls):
        rt.define_alias(cls, pair[0], pair[1])
    return cls
