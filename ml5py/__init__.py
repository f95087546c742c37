"""ml5py: friendly machine learning for Python sketches.

The same classes run in CPython (on numpy) and in the browser (on TensorFlow.js)::

    from ml5py import ImageClassifier, load_image
    classifier = ImageClassifier("MobileNet")
    print(classifier.classify(load_image("bird.jpg")))

CPython imports every model here (``ml5py/models/catalogue.py`` lists them). In the browser
a page gets only the models its sketch uses: ``ml5py build`` writes ``ml5py_page_models``
beside the sketch, importing just those classes, and this module offers what it holds.
"""

# __pragma__ ('skip')
from ml5py.weights.settings import resolve_folder_settings

resolve_folder_settings()  # before anything can change the current folder (CPython only)

from ml5py.models.body_pix.body_pix import BodyPix  # noqa: F401,E402
from ml5py.models.body_pose.body_pose import BodyPose  # noqa: F401,E402
from ml5py.models.feature_extractor.feature_extractor import FeatureExtractor  # noqa: F401,E402
from ml5py.models.image_classifier.image_classifier import ImageClassifier  # noqa: F401,E402
from ml5py.models.knn_classifier.knn_classifier import KNNClassifier  # noqa: F401,E402
from ml5py.models.neural_network.neural_network import NeuralNetwork  # noqa: F401,E402
from ml5py.models.style_transfer.style_transfer import StyleTransfer  # noqa: F401,E402
from ml5py.worker.local import placed  # noqa: E402 (worker=: the browser's option, taken here too)

BodyPix, BodyPose, FeatureExtractor, ImageClassifier, KNNClassifier, NeuralNetwork, StyleTransfer = (
    placed(cls) for cls in (BodyPix, BodyPose, FeatureExtractor, ImageClassifier, KNNClassifier,
                            NeuralNetwork, StyleTransfer))


def __getattr__(name: str):
    """``from ml5py import imageClassifier`` (an ml5.js name): say which name was meant."""
    from ml5py.core.name_hints import NotInMl5py, suggestion, unknown_name_message

    if name.startswith("_") or suggestion(name) is None:
        raise AttributeError(f"module 'ml5py' has no attribute '{name}'")
    raise NotInMl5py(unknown_name_message(name), name="ml5py")
# __pragma__ ('noskip')

# __pragma__ ('ecom')
#?from ml5py_page_models import *
# __pragma__ ('noecom')

from ml5py.runtime import rt

__version__ = "0.1.0"

load_image = rt.load_image
ask_for_image = rt.ask_for_image
set_backend = rt.set_backend
get_backend = rt.get_backend
run = rt.run
