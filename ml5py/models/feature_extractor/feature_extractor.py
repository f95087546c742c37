"""FeatureExtractor: an image's embedding (what a pretrained model "sees"). Written once.

The embedding is the output of a model's last layer before its classifier: for MobileNet
(v1, alpha 0.75) the 768 globally averaged features. Images of similar things get similar
embeddings, which is what KNNClassifier (and, later, a trainable head) builds on.
"""
# __pragma__ ('noopov')

from ml5py.core.arguments import check_callback
from ml5py.models.image_classifier.image_classifier import model_input
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt
from ml5py.models.feature_extractor.trainable import CLASSIFICATION, REGRESSION, TrainableModel

# The layer whose output is the embedding, by lower-case model name; and the names to list.
FEATURE_LAYERS = {"mobilenet": "global_average_pooling2d_1"}
NAMES = ["MobileNet"]


class FeatureExtractor:
    """Turn a picture into an embedding: ``FeatureExtractor("MobileNet").infer(image)``.

    The model loads in the background; ``infer`` waits for it. ``callback`` (optional) is
    called as ``callback(extractor, error)`` once it is ready.
    """

    # the methods that make another model (a worker's stand-in makes a stand-in for it at once)
    _made_by_methods = {"classification": TrainableModel, "regression": TrainableModel}

    def __init__(self, model="MobileNet", callback=None):
        check_callback(callback, "FeatureExtractor", "def model_ready(extractor, error): ...")
        self.model_name = model
        self.layer_name = None
        self.source = None
        self.model = None
        self._loading = rt.after(rt.attempt(lambda: _feature_layer(model)), self._find)
        self.ready = rt.deliver(self._loading, callback)
        rt.keep_sketch_waiting(self._loading)  # made in a p5 preload(): setup() waits for it

    def _find(self, layer_name):
        self.layer_name = layer_name
        return rt.after(rt.find_model(self.model_name), self._load)

    def _load(self, source):
        self.source = source
        return rt.after(rt.load_layers_model(source, source["title"]), self._keep_model)

    def _keep_model(self, model):
        self.model = rt.feature_model(model, self.layer_name)
        return self

    def infer(self, image, callback=None):
        """The embedding of ``image``: 768 numbers for MobileNet.

        In CPython a numpy float32 vector (``len``, indexing, ``.tolist()``, numpy maths);
        in the browser a promise of a list of numbers (``await`` it; ``.tolist()`` works
        too). Either goes straight into ``KNNClassifier``. ``callback(embedding, error)``
        is called when it is ready.
        """
        check_callback(callback, "infer", "def got_embedding(embedding, error): ...")
        job = rt.after(rt.when_all([self._loading, rt.media_ready(image)]), self._features)
        return rt.deliver(rt.after(job, rt.embedding), callback)

    def classification(self, options=None, callback=None):
        """A network to train on this extractor's embeddings that tells labels apart.

        ``options`` (a dict, all optional): ``epochs`` (20), ``learning_rate`` (0.001),
        ``hidden_units`` (100), ``batch_size`` (16), ``validation_split`` (0.3), ``seed`` (42).
        See ``ml5py.models.feature_extractor.trainable.TrainableModel``. ml5.js 0.x's
        ``classification(video, ready)`` works too: then ``add_image("cat")`` and
        ``classify(got_results)`` use that video.
        """
        return TrainableModel(self, CLASSIFICATION, *_video_options_callback(options, callback))

    def regression(self, options=None, callback=None):
        """A network to train on this extractor's embeddings that predicts a number.

        Same ``options`` (or ``video, ready``) as ``classification``.
        """
        return TrainableModel(self, REGRESSION, *_video_options_callback(options, callback))

    def _features(self, loaded_and_media):
        media = loaded_and_media[1]
        return rt.tidy(lambda: rt.predict(self.model, model_input(self.source, self.model, media)))


def _video_options_callback(options, callback):
    """``[options, video, callback]`` from ``(options)``, ``(video, ready)`` or ``(ready)`` (ml5.js 0.x).

    A file name for the video is a still picture, loaded now: a wrong name is told at once."""
    if callback is None and callable(options):
        return [None, None, options]
    if isinstance(options, str):
        return [None, rt.load_image(options), callback]
    if options is not None and rt.is_image(options):
        return [None, options, callback]
    return [options, None, callback]


def _feature_layer(model):
    """The layer whose output is the embedding, for the model named ``model``."""
    if not isinstance(model, str) or model.lower() not in FEATURE_LAYERS:
        raise ValueError("Unknown feature extractor model '" + str(model) + "'. Valid names are: " +
                         ", ".join(NAMES) + ".")
    return FEATURE_LAYERS[model.lower()]


ml5_names(FeatureExtractor)  # also answers to ml5.js's names (core/ml5_names.py)
