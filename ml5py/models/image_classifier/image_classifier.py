"""ImageClassifier: what is in this picture? Written once for CPython and the browser."""
# __pragma__ ('noopov')

from ml5py.core.arguments import check_label_count, k_and_callback, media_and_callback, picture_or_own
from ml5py.core.live import LiveLoop
from ml5py.core.ml5_names import ml5_names
from ml5py.runtime import rt
from ml5py.core.results import top_k

DEFAULT_TOP_K = 3


class ImageClassifier:
    """Recognise what a picture shows with a pretrained model.

    ``ImageClassifier("MobileNet")`` (also ``"Darknet"``, ``"Darknet-tiny"``,
    ``"DoodleNet"``, or the folder/URL of a Teachable Machine export). The model loads in
    the background; you can call ``classify`` straight away and it waits for the model.
    ``callback`` (optional) is called as ``callback(classifier, error)`` once it is ready.
    ml5.js 0.x's ``ImageClassifier("MobileNet", video, model_ready)`` works too: then
    ``classify(got_results)`` classifies that video.
    """

    def __init__(self, model="MobileNet", video=None, callback=None):
        self.video, callback = media_and_callback(video, callback, "ImageClassifier",
                                                  "def model_ready(classifier, error): ...")
        self.model_name = model
        self.source = None
        self.model = None
        self.labels = []
        self._loading = rt.after(rt.find_model(model), self._load)
        self.ready = rt.deliver(self._loading, callback)
        self._live = LiveLoop("classify")
        rt.keep_sketch_waiting(self._loading)  # made in a p5 preload(): setup() waits for it

    def _load(self, source):
        if "task" in source and source["task"] == "regression":
            raise ValueError("The model at '" + str(self.model_name) + "' predicts a number (it was "
                             "saved by features.regression()), so it has no labels to classify. "
                             "Load it with model = FeatureExtractor(\"MobileNet\").regression(), "
                             "then model.load(\"" + str(self.model_name) + "\") and model.predict(image).")
        self.source = source
        self.labels = source["labels"]
        return rt.after(rt.load_layers_model(source, source["title"]), self._keep_model)

    def _keep_model(self, model):
        if not self.source["id"]:  # a learner's own model: its labels come from metadata.json
            check_label_count(self.labels, rt.model_output_size(model), self.model_name)
        self.model = model
        return self

    def classify(self, image=None, k_or_callback=None, callback=None, k=None):
        """Classify ``image``; results are a list of ``{"label", "confidence"}``, best first.

        ``classify(image, callback)``, ``classify(image, 5, callback)`` or
        ``classify(image, k=5)``. The callback is called as ``callback(results, error)``.
        The results are also returned (in the browser: a promise you can ``await``).
        """
        if callable(image) and k_or_callback is None and callback is None:
            k_or_callback = image  # classify(got_results): the video given to ImageClassifier (ml5.js 0.x)
        image = picture_or_own(image, self.video, "classify")
        k, callback = k_and_callback(k_or_callback, callback, k, "classify")
        return rt.deliver(self._job(image, k), callback)

    def classify_start(self, media, k_or_callback=None, callback=None, k=None):
        """Classify every new frame of ``media`` and call ``callback(results, error)`` each time.

        In the browser ``media`` is a video (``createCapture(VIDEO)``), a canvas or p5
        graphics you draw on, or any image; the next frame is classified once the last
        results reached the callback, while ``draw()`` keeps running. In CPython it is an
        image or a list (or generator) of images, classified in order; ``classify_start``
        returns when they run out. ``classify_stop()`` ends it, also from the callback.
        ``classify_start(video, 5, got_results)`` or ``k=5`` asks for five results.
        """
        k, callback = k_and_callback(k_or_callback, callback, k, "classify_start")
        self._live.start(media, lambda frame: self._job(frame, k), callback)

    def classify_stop(self):
        """Stop ``classify_start``: no callback comes after this returns."""
        self._live.stop()

    def _job(self, image, k):
        """Pending results for ``image``: waits for the model and the image, then classifies."""
        if k is None:
            k = DEFAULT_TOP_K
        job = rt.after(rt.when_all([self._loading, rt.media_ready(image)]), self._scores)
        job = rt.after(job, rt.read)
        return rt.after(job, lambda scores: top_k(scores, self.labels, k))

    def _scores(self, loaded_and_media):
        media = loaded_and_media[1]
        return rt.tidy(lambda: self._forward(media))

    def _forward(self, media):
        """Pixels in, one score per label out."""
        scores = rt.predict(self.model, model_input(self.source, self.model, media))
        if self.source["softmax"]:
            scores = rt.softmax(scores)
        return scores


def model_input(source, model, media):
    """The image as the batch of one ``model`` takes: the preprocessing it was trained with.

    ``source`` is the model's description (``rt.find_model``); also used by FeatureExtractor.
    """
    prep = source["preprocessing"]
    size = prep["input_size"] or rt.model_input_size(model)
    # Resizing first is the same maths as scaling first (bilinear weights sum to 1),
    # and scales far fewer pixels.
    tensor = rt.resize_bilinear(rt.pixels(media), size, prep["align_corners"])
    tensor = rt.scale_offset(tensor, prep["scale"], prep["offset"])
    if prep["gray"] == "mean_round":
        tensor = rt.mean_round_channels(tensor)
    return rt.batch(tensor)


ml5_names(ImageClassifier)  # also answers to ml5.js's names (core/ml5_names.py)
