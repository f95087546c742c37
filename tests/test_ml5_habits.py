"""ml5.js habits work in ml5py, or say what to write, in both runtimes.

camelCase method names (``addExample``, ``classifyStart``) and options (``modelType=``),
ml5.js 0.x names (``segmentPerson``) and constructor forms (``ImageClassifier("MobileNet",
video, ready)``); error-first callbacks, ``import ml5`` and ml5.js's factory names
(``imageClassifier``) are refused at the learner's line with what to write instead.
"""
from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import ml5py
from conftest import open_page, page_state, run_cpython, write_sketch
from ml5py.core.ml5_names import camel_case, snake_case
from ml5py.models.catalogue import MODELS
from ml5py.models.feature_extractor.trainable import TrainableModel
from test_error_lines import ml5py_cli

MODEL_CLASSES = [getattr(ml5py, model.name) for model in MODELS] + [TrainableModel]


def public_methods(cls) -> list:
    return [name for name, value in vars(cls).items() if not name.startswith("_")
            and (inspect.isfunction(value) or isinstance(value, (staticmethod, property)))]


# ================================================================ names (CPython)

def test_every_public_method_of_every_model_class_answers_to_its_camel_case_name():
    assert len(MODEL_CLASSES) >= 8
    checked = 0
    for cls in MODEL_CLASSES:
        for name in public_methods(cls):
            alias = camel_case(name)
            assert inspect.getattr_static(cls, alias) is inspect.getattr_static(cls, name), (cls, name, alias)
            checked += "_" in name
    assert checked >= 30
    assert ml5py.KNNClassifier.addExample is ml5py.KNNClassifier.add_example
    assert ml5py.ImageClassifier.classifyStart is ml5py.ImageClassifier.classify_start
    assert ml5py.BodyPose.detectStart is ml5py.BodyPose.detect_start
    assert TrainableModel.addImage is TrainableModel.add_image
    assert ml5py.NeuralNetwork.normalizeData is ml5py.NeuralNetwork.normalize_data
    assert ml5py.StyleTransfer.transferStart is ml5py.StyleTransfer.transfer_start


def test_ml5_js_0x_names_answer_where_a_method_does_the_same_job():
    assert ml5py.BodyPix.segmentPerson is ml5py.BodyPix.segment
    assert ml5py.BodyPix.segmentPersonParts is ml5py.BodyPix.segment_with_parts
    assert ml5py.ImageClassifier.predict is ml5py.ImageClassifier.classify


def test_names_convert_both_ways():
    assert camel_case("segment_with_parts") == "segmentWithParts" and camel_case("train") == "train"
    assert snake_case("minPoseScore") == "min_pose_score" and snake_case("flipHorizontal") == "flipped"
    assert snake_case("topk") == "k"


def test_camel_case_options_work_as_keywords(mirror):
    pose = ml5py.BodyPose(modelType="SINGLEPOSE_LIGHTNING", minPoseScore=0.3, enableSmoothing=False,
                          flipHorizontal=True)
    assert pose.model_type == "SINGLEPOSE_LIGHTNING" and pose.flipped is True
    assert pose.options["min_pose_score"] == 0.3 and pose.options["enable_smoothing"] is False
    with pytest.raises(TypeError, match="twice"):
        ml5py.BodyPose(modelType="SINGLEPOSE_LIGHTNING", model_type="SINGLEPOSE_THUNDER")
    net = ml5py.NeuralNetwork(task="classification", hiddenUnits=4, learningRate=0.1)
    assert net.options["hidden_units"] == 4 and net.options["learning_rate"] == 0.1


def test_ml5_js_0x_constructor_forms(mirror, images):
    picture = ml5py.load_image(images / "bird.jpg")
    ready, got = [], []
    classifier = ml5py.ImageClassifier("MobileNet", picture, lambda model, error: ready.append(model))
    assert ready == [classifier]
    classifier.classify(lambda results, error: got.append(results[0].label))
    assert got == ["robin, American robin, Turdus migratorius"]
    assert len(classifier.classify(topk=2)) == 2  # ml5.js 0.x's option name; the video given above
    with pytest.raises(TypeError, match="needs a picture"):
        ml5py.ImageClassifier("MobileNet").classify(lambda results, error: None)
    features = ml5py.FeatureExtractor("MobileNet", lambda model, error: ready.append(model))
    assert ready[-1] is features


def test_an_error_first_callback_is_refused_when_it_is_called(mirror, images):
    classifier = ml5py.ImageClassifier("MobileNet")

    def got(err, results):
        print(results)

    with pytest.raises(TypeError) as caught:
        classifier.classify(ml5py.load_image(images / "bird.jpg"), got)
    message = str(caught.value)
    assert "got(err, results) takes the error first" in message and "def got(results, err)" in message


# ================================================================ "did you mean" (CPython)

def test_ml5_js_names_from_ml5py_say_what_was_meant(tmp_path):
    sketch = write_sketch(tmp_path, "# a translated sketch\nfrom ml5py import imageClassifier\n")
    finished = subprocess.run([sys.executable, sketch.name], cwd=tmp_path, capture_output=True, text=True)
    assert finished.returncode == 1
    assert 'sketch.py", line 2' in finished.stderr, finished.stderr
    assert "did you mean ImageClassifier?" in finished.stderr
    with pytest.raises(ImportError, match="did you mean BodyPose"):
        ml5py.bodyPose
    with pytest.raises(ImportError, match="did you mean load_image"):
        ml5py.loadImage
    assert not hasattr(ml5py, "no_such_thing") and not hasattr(ml5py, "__wrapped__")


def test_import_ml5_points_to_ml5py(tmp_path):
    sketch = write_sketch(tmp_path, "import ml5\n")
    finished = subprocess.run([sys.executable, sketch.name], cwd=tmp_path, capture_output=True, text=True)
    assert finished.returncode == 1 and 'sketch.py", line 1' in finished.stderr, finished.stderr
    assert "import ml5py" in finished.stderr and "from ml5py import ImageClassifier" in finished.stderr


# ================================================================ the build refuses them at their line

@pytest.mark.parametrize("source, line, words", [
    ("import ml5\nc = ml5.imageClassifier('MobileNet')\n", 1, "import ml5py"),
    ("x = 1\nfrom ml5py import imageClassifier, load_image\n", 2, "did you mean ImageClassifier?"),
    ("import ml5py as m\n\nc = m.featureExtractor('MobileNet')\n", 3, "did you mean FeatureExtractor?"),
    ("from ml5py import ImageClassifier\nc = ImageClassifier('MobileNet')\n\ndef got(error, results):\n"
     "    print(results)\n\nc.classify('bird.jpg', got)\n", 4, "def got(results, error)"),
    ("from ml5py import KNNClassifier\nk = KNNClassifier()\nk.classify([1], lambda err, r: print(r))\n", 3,
     "takes the error first"),
])
def test_ml5_js_habits_stop_the_build_at_their_line(tmp_path, source, line, words):
    write_sketch(tmp_path, source)
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode == 1, finished.stdout
    assert f'File "sketch.py", line {line}:' in finished.stderr, finished.stderr
    assert words in finished.stderr and "Traceback" not in finished.stderr, finished.stderr
    assert not (tmp_path / "site").exists()


def test_callbacks_in_the_right_order_and_other_functions_build(tmp_path):
    write_sketch(tmp_path, "def log(error, where):\n    print(error, where)\n\n"
                           "def got(results, error):\n    print(results)\n\nlog('x', 1)\n")
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr


# ================================================================ both runtimes

HABITS_SKETCH = """\
from ml5py import ImageClassifier, KNNClassifier, NeuralNetwork, load_image


def ready(model, error):
    pass


picture = load_image("bird.jpg")
classifier = ImageClassifier("MobileNet", picture, ready)


def got(results, error):
    print("0.x form:", results[0].label)


done = classifier.classify(got)  # (kept: the page waits for it, as CPython does)
print("topk:", len(classifier.classify("bird.jpg", topk=2)))
print("predict:", classifier.predict("bird.jpg", 1)[0].label)
knn = KNNClassifier()
knn.addExample([1, 0], "left")
knn.addExample([0, 1], "right")
print("knn:", knn.classify([1, 0.2]).label, knn.getCount(), knn.getCountByLabel()["left"])
knn.clearLabel("right")
print("labels:", knn.getLabels())
net = NeuralNetwork(task="regression", hiddenUnits=4, learningRate=0.5)
print("options:", net.options["hidden_units"], net.options["learning_rate"])
"""


def test_ml5_js_names_and_forms_print_the_same_in_both_runtimes(tmp_path, images, driver, sites):
    expected = run_cpython(write_sketch(tmp_path, HABITS_SKETCH, {"bird.jpg": images / "bird.jpg"}))
    assert expected[0] == "0.x form: robin, American robin, Turdus migratorius", expected
    assert expected[3].startswith("knn: left 2 1") and expected[-1] == "options: 4 0.5", expected
    site = sites(HABITS_SKETCH, {"bird.jpg": images / "bird.jpg"}, name="ml5-habits")
    lines = open_page(driver, site.page("wasm"), lines=len(expected))
    assert lines == expected, page_state(driver)


def test_ml5_js_0x_video_forms_of_feature_extractor_and_style_transfer(mirror, images):
    picture = ml5py.load_image(images / "bird.jpg")
    ready = []
    features = ml5py.FeatureExtractor("MobileNet")
    model = features.classification(picture, lambda made, error: ready.append(made))
    assert ready == [model]
    model.add_image("bird")  # the video's (here: the picture's) frame
    model.addImage(ml5py.load_image(images / "kitten.jpg"), "other")
    assert model.get_count_by_label() == {"bird": 1, "other": 1}
    with pytest.raises(TypeError, match="needs a picture"):
        features.classification().classify(lambda results, error: None)
    small = ml5py.load_image(images / "harriet_128x128.jpg")
    style = ml5py.StyleTransfer("wave", small, lambda made, error: ready.append(made))
    assert ready[-1] is style
    got = []
    style.transfer(lambda result, error: got.append(result))
    assert got and got[0].width == 128


def test_camel_case_names_in_option_dicts(mirror):
    head = ml5py.FeatureExtractor("MobileNet").classification({"learningRate": 0.01, "hiddenUnits": 8,
                                                               "batchSize": 4})
    assert head.options["learning_rate"] == 0.01 and head.options["hidden_units"] == 8
    with pytest.raises(ValueError, match="Unknown option 'numLabels'"):
        ml5py.FeatureExtractor("MobileNet").classification({"numLabels": 3})


def test_ml5_js_0x_video_form_of_body_pix(mirror, images):
    small = ml5py.load_image(images / "harriet_128x128.jpg")
    ready, got = [], []
    bodypix = ml5py.BodyPix(small, lambda made, error: ready.append(made))
    assert ready == [bodypix]
    bodypix.segment(lambda result, error: got.append(result))
    bodypix.segmentPerson(lambda result, error: got.append(result))
    assert len(got) == 2 and got[0].width == 128 and (got[0].data == got[1].data).all()
    with pytest.raises(TypeError, match="as keywords"):
        ml5py.BodyPix({"multiplier": 0.5})
