"""ml5py: friendly machine learning for Python sketches.

The same classes run in CPython (on numpy) and in the browser (on TensorFlow.js)::

    from ml5py import ImageClassifier, load_image
    classifier = ImageClassifier("MobileNet")
    print(classifier.classify(load_image("bird.jpg")))
"""

# __pragma__ ('skip')
from ml5py.settings import resolve_folder_settings

resolve_folder_settings()  # before anything can change the current folder (CPython only)
# __pragma__ ('noskip')

from ml5py.body_pix import BodyPix
from ml5py.feature_extractor import FeatureExtractor
from ml5py.image_classifier import ImageClassifier
from ml5py.knn import KNNClassifier
from ml5py.runtime import rt
from ml5py.style_transfer import StyleTransfer

__version__ = "0.1.0"

load_image = rt.load_image
ask_for_image = rt.ask_for_image
set_backend = rt.set_backend
get_backend = rt.get_backend
