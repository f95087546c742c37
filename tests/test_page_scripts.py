"""A page runs only the TF.js parts its models need, and starts their weights at once.

``tooling/page_scripts.py`` picks the files (the catalogue's ``tfjs`` parts, checked here
against what each model's code calls); ``tooling/page_config.py``'s ``early_weights`` lists
the weights of the models a sketch names. The browser side (lazy backends, the weights taken
over by the library) is proven by the browser tests that build pages (``test_browser_behaviour_*``,
``test_webgpu_browser``, ``test_worker_browser``...) and ``test_early_weights_browser``.
"""
from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from ml5py.models.catalogue import MODELS, model_named
from ml5py.tooling import page_config, page_scripts
from ml5py.tooling.page_models import models_used

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "ml5py"

GRAPH = re.compile(r"loadGraphModel")
LAYERS = re.compile(r"tf\.(sequential|layers|model)\b|loadLayersModel|rt\.(load_layers_model|feature_model)\b")
# training needs every op's gradient, which only the layers part registers (the core has none)
TRAINS = re.compile(r"\.minimize\(|tf\.(grads?|valueAndGrads?|variableGrads)\(")


def _browser_text(model) -> str:
    """What runs in the browser for ``model``: its folder's Python, but its CPython-only files."""
    folder = PACKAGE / "models" / model.folder
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py"))
                     if not path.name.endswith("_cpython.py") and "import numpy" not in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.name)
def test_each_model_names_the_tfjs_parts_its_code_calls(model):
    text = _browser_text(model)
    assert ("converter" in model.tfjs) == bool(GRAPH.search(text)), model
    assert ("layers" in model.tfjs) == bool(LAYERS.search(text) or TRAINS.search(text)), model


def _names(scripts) -> list:
    return [name for _, name in scripts]


def test_a_classify_page_runs_core_layers_and_wasm_only():
    source = "from ml5py import ImageClassifier\nImageClassifier('Darknet')\n"
    parts = page_scripts.parts_needed(models_used(source), source)
    assert parts == ["layers"]
    assert _names(page_scripts.page_scripts(parts, None)) == [
        "tf-core.es2017.min.js", "tf-backend-cpu.es2017.min.js", "tf-layers.es2017.min.js",
        "tf-backend-wasm.es2017.min.js"]


@pytest.mark.parametrize("source, parts", [
    ("from ml5py import KNNClassifier\n", []),
    ("from ml5py import StyleTransfer\n", []),
    ("from ml5py import NeuralNetwork\n", ["layers"]),
    ("from ml5py import BodyPix\n", ["converter"]),
    ("import ml5py\nml5py.BodyPose()\n", ["converter"]),
    ("from ml5py import FeatureExtractor, KNNClassifier\n", ["layers"]),
    ("from ml5py import *\n", ["layers", "converter"]),
    ("from ml5py import KNNClassifier\nx = tf.tensor([1, 2])\n", ["layers", "converter"]),  # tf itself
    ("print('no ml5py')\n", []),
])
def test_parts_follow_the_models(source, parts):
    assert page_scripts.parts_needed(models_used(source), source) == parts


def test_the_backend_the_build_was_told_is_the_one_the_page_runs():
    assert _names(page_scripts.page_scripts([], "webgl"))[-1] == "tf-backend-webgl.es2017.min.js"
    assert _names(page_scripts.page_scripts([], "webgpu"))[-1] == "tf-backend-webgpu.es2017.min.js"
    assert _names(page_scripts.page_scripts([], "cpu")) == ["tf-core.es2017.min.js", "tf-backend-cpu.es2017.min.js"]


def test_every_backend_file_is_copied_and_named_in_the_config():
    scripts = page_scripts.page_scripts(["layers"], None)
    copied = _names(page_scripts.site_libraries(scripts))
    for backend, (_, name) in page_scripts.BACKENDS.items():
        assert name in copied and page_scripts.config_facts(scripts)["tf_backends"][backend] == name
    assert "tfjs-backend-wasm-threaded-simd.wasm" in copied
    assert page_scripts.config_facts(scripts)["tf_scripts"] == _names(scripts)


def test_the_parts_are_pinned_exactly_like_tfjs_and_installed():
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    version = package["@tensorflow/tfjs"]
    everything = page_scripts.site_libraries(page_scripts.page_scripts(page_scripts.PARTS, None))
    for folder, name in everything:
        npm_name = "/".join(folder.split("/")[:2])
        assert package[npm_name] == version, npm_name  # exact: no ^ or ~
        assert lock[f"node_modules/{npm_name}"]["version"] == version
        assert (REPO / "node_modules" / folder / name).is_file(), (folder, name)
        installed = json.loads((REPO / "node_modules" / npm_name / "package.json").read_text(encoding="utf-8"))
        assert installed["version"] == version, npm_name


# ---------------------------------------------------------------- weights from the start

def _early(source: str, models_url="models/") -> list:
    config = page_config.page_config(models_url, models_used(source))
    return page_config.early_weights(source, config)["files"]


def test_a_named_model_s_files_start_at_once():
    files = _early("from ml5py import ImageClassifier\nc = ImageClassifier('Darknet-tiny')\n")
    assert files[0] == "models/darknet-tiny/model.json" and len(files) > 2
    assert all(name.startswith("models/darknet-tiny/") for name in files)
    upstream = _early("import ml5py\nc = ml5py.ImageClassifier(model='darknet')\n", models_url=None)
    assert upstream[0].startswith("https://") and upstream[0].endswith("/model.json")


def test_the_default_model_starts_too_and_matches_the_classes_default():
    from ml5py import FeatureExtractor, ImageClassifier

    for cls in (ImageClassifier, FeatureExtractor):
        default = inspect.signature(cls).parameters["model"].default
        assert page_config.EARLY_LOADERS[cls.__name__][1] == default
    files = _early("from ml5py import FeatureExtractor\nf = FeatureExtractor()\n")
    assert files and all(name.startswith("models/mobilenet_v1_0.75_224/") for name in files)


@pytest.mark.parametrize("source", [
    "from ml5py import ImageClassifier\nc = ImageClassifier('pets')\n",        # a folder of the learner's
    "from ml5py import ImageClassifier\nc = ImageClassifier(name)\n",          # not known when building
    "from ml5py import ImageClassifier\nc = ImageClassifier('Darknet', worker=True)\n",  # the worker fetches
    "from ml5py import BodyPix\nb = BodyPix()\n",
])
def test_nothing_starts_early_when_the_build_cannot_know(source):
    assert _early(source) == []


def test_a_model_named_twice_is_fetched_once():
    files = _early("from ml5py import ImageClassifier\na = ImageClassifier('Darknet')\n"
                   "b = ImageClassifier('darknet-tiny')\n")
    assert len(files) == len(set(files))


def test_the_page_and_the_library_use_one_cache():
    text = (PACKAGE / "core" / "loading_browser.py").read_text(encoding="utf-8")
    assert f'CACHE_NAME = "{page_config.WEIGHTS_CACHE}"' in text


def test_the_built_page_runs_only_its_parts(example_site):
    html = (example_site.out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script src="lib/([^"]+)"', html) == [
        "tf-core.es2017.min.js", "tf-backend-cpu.es2017.min.js", "tf-layers.es2017.min.js",
        "tf-backend-wasm.es2017.min.js"]
    assert html.index('src="ml5py-page.js"') < html.index('src="lib/')  # the weights start first
    for name in ("tf-backend-webgl.es2017.min.js", "tf-backend-webgpu.es2017.min.js", "tfjs-backend-wasm-simd.wasm"):
        assert (example_site.out / "lib" / name).is_file(), name
    assert not (example_site.out / "lib" / "tf.min.js").exists()
    text = (example_site.out / "ml5py-config.js").read_text(encoding="utf-8")
    config = json.loads(text[text.index("=") + 1:].strip().rstrip(";"))
    assert config["early_weights"]["files"][0].endswith("/model.json")
    assert config["tf_scripts"] == re.findall(r'<script src="lib/([^"]+)"', html)
