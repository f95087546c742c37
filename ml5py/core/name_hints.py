""""Did you mean ...?" for ml5.js's names used with ml5py (CPython only: ``ml5py``'s module
``__getattr__``, ``import ml5`` and the build's checks, ``tooling/ml5_habits.py``).
"""
from __future__ import annotations

import difflib

PUBLIC_NAMES = ("ImageClassifier", "FeatureExtractor", "KNNClassifier", "StyleTransfer", "BodyPix",
                "NeuralNetwork", "BodyPose", "load_image", "ask_for_image", "set_backend", "get_backend", "run")
# ml5.js names (1.x and 0.x) with a different ml5py spelling
ML5_JS_NAMES = {"poseNet": "BodyPose", "posenet": "BodyPose", "uNet": "BodyPix", "bodySegmentation": "BodyPix",
                "knnClassifier": "KNNClassifier", "loadImage": "load_image", "setBackend": "set_backend"}
NOT_YET = ("handPose", "faceMesh", "objectDetector", "soundClassifier", "sentiment", "charRNN", "pix2pix",
           "sketchRNN", "cvae", "dcgan", "yolo", "cocoSsd", "pitchDetection", "word2vec", "faceApi")

IMPORT_ML5 = ("ml5 is ml5.js, for JavaScript; in Python it is ml5py, with the same models: write "
              "`import ml5py` (then `ml5py.ImageClassifier(\"MobileNet\")`) or "
              "`from ml5py import ImageClassifier`.")


def _folded(name: str) -> str:
    return name.replace("_", "").lower()


def suggestion(name: str) -> str | None:
    """The ml5py name meant by ``name`` (``imageClassifier`` -> ``ImageClassifier``), or None."""
    if name in ML5_JS_NAMES:
        return ML5_JS_NAMES[name]
    for public in PUBLIC_NAMES:
        if _folded(public) == _folded(name):
            return public
    close = difflib.get_close_matches(_folded(name), [_folded(p) for p in PUBLIC_NAMES], n=1, cutoff=0.8)
    return next((p for p in PUBLIC_NAMES if close and _folded(p) == close[0]), None)


def unknown_name_message(name: str) -> str:
    """What to say about ``from ml5py import <name>`` / ``ml5py.<name>`` when ml5py has no such name."""
    meant = suggestion(name)
    if meant:
        return (f"ml5py has no '{name}': did you mean {meant}? (ml5.js's ml5.{name}(...) is "
                f"{meant}(...) in ml5py: classes are CapitalisedNames, functions snake_case.)")
    if _folded(name) in {_folded(n) for n in NOT_YET}:
        return f"ml5py has no '{name}' yet. It has: {', '.join(PUBLIC_NAMES)}."
    return f"ml5py has no '{name}'. It has: {', '.join(PUBLIC_NAMES)}."


class NotInMl5py(ImportError):
    """A name ml5py does not have, with the one that was meant (an ImportError: ``from ml5py import X``)."""
