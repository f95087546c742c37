"""A page loads only what its sketch uses (``ml5py/tooling/page_models.py``), and the model
catalogue (``ml5py/models/catalogue.py``) tells the truth about the model folders."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import ml5py
from conftest import open_page
from ml5py.models.catalogue import MODELS, model_named, with_what_they_use
from ml5py.tooling.build import repair_star_imports
from ml5py.tooling.page_models import models_used, page_modules

PACKAGE = Path(ml5py.__file__).resolve().parent
MODEL_FOLDERS = ("body_pix", "body_pose", "feature_extractor", "image_classifier", "knn_classifier",
                 "neural_network", "style_transfer")


def names(source: str) -> list:
    return [model.name for model in models_used(source)]


# ---------------------------------------------------------------- the catalogue

def test_every_model_folder_is_in_the_catalogue_and_its_class_is_public():
    folders = sorted(path.name for path in (PACKAGE / "models").iterdir() if (path / "__init__.py").is_file())
    assert folders == sorted(MODEL_FOLDERS) == sorted(model.folder for model in MODELS)
    for model in MODELS:
        cls = getattr(importlib.import_module(model.module), model.name)
        assert getattr(ml5py, model.name) is cls  # what `from ml5py import X` gives in CPython
        has_twins = [(PACKAGE / "models" / model.folder / f"runtime_{kind}.py").is_file()
                     for kind in ("cpython", "browser")]
        assert has_twins == [model.twins, model.twins], model.name


def test_ml5py_offers_exactly_the_catalogue_s_classes():
    classes = {name for name, value in vars(ml5py).items() if isinstance(value, type)}
    assert classes == {model.name for model in MODELS}


def _imported_models(folder: str) -> set:
    """The other model folders that the modules in ``folder`` import."""
    found = set()
    for path in (PACKAGE / "models" / folder).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for module in modules:
                parts = module.split(".")
                if parts[:2] == ["ml5py", "models"] and len(parts) > 2 and parts[2] != folder:
                    found.add(parts[2])
    return found


def test_a_model_s_uses_name_every_other_model_its_code_imports():
    for model in MODELS:
        assert _imported_models(model.folder) == {model_named(name).folder for name in model.uses}, model.name
    assert [m.name for m in with_what_they_use([model_named("FeatureExtractor")])] == \
        ["ImageClassifier", "FeatureExtractor"]


# ---------------------------------------------------------------- what a sketch uses

@pytest.mark.parametrize("source, expected", [
    ("from ml5py import ImageClassifier, ask_for_image\n", ["ImageClassifier"]),
    ("from ml5py import FeatureExtractor, KNNClassifier\n", ["ImageClassifier", "FeatureExtractor", "KNNClassifier"]),
    ("from ml5py import load_image\nprint(load_image('a.jpg'))\n", []),
    ("print('no ml5py at all')\n", []),
    ("import ml5py as m\nsegmenter = m.BodyPix()\n", ["BodyPix"]),
    ("import ml5py\nstyle = ml5py.StyleTransfer('wave')\nml5py.set_backend('wasm')\n", ["StyleTransfer"]),
    ("def setup():\n    from ml5py import KNNClassifier\n", ["KNNClassifier"]),
    ("from ml5py.models.body_pix.body_pix import BodyPix\n", ["BodyPix"]),
    ("from ml5py import *\n", [model.name for model in MODELS]),
    ("import ml5py\nhelper(ml5py)\n", [model.name for model in MODELS]),  # the module goes elsewhere
    ("from ml5py import models\n", [model.name for model in MODELS]),
])
def test_the_models_a_sketch_uses(source, expected):
    assert names(source) == expected


def test_the_page_modules_import_only_the_chosen_models():
    modules = page_modules(models_used("from ml5py import FeatureExtractor\n"))
    classes, twins = modules["ml5py_page_models"], modules["ml5py_page_runtime"]
    assert "import FeatureExtractor" in classes and "import ImageClassifier" in classes
    assert "body_pix" not in classes + twins and "knn" not in classes + twins
    assert "from ml5py.models.feature_extractor.runtime_browser import *" in twins
    assert "image_classifier.runtime_browser" not in twins  # it has no twins


def test_a_star_import_that_begins_with_a_name_already_imported_is_repaired(tmp_path):
    (tmp_path / "a.js").write_text("import {, b, c} from './m.js';\nimport {d} from './n.js';\n")
    repair_star_imports(tmp_path)
    assert (tmp_path / "a.js").read_text() == "import {b, c} from './m.js';\nimport {d} from './n.js';\n"


# ---------------------------------------------------------------- in the browser

OTHER_MODELS = ("ml5py.models.body_pix", "ml5py.models.style_transfer", "ml5py.models.knn_classifier",
                "ml5py.models.feature_extractor")


def loaded_modules(driver) -> list:
    """The JavaScript modules of the app the page fetched (its network log), by file name."""
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);")
    return sorted(name.rsplit("/", 1)[1].split("?")[0] for name in entries if "/app/" in name and ".js" in name)


@pytest.mark.browser
def test_a_classify_only_page_loads_no_other_model(driver, example_site):
    lines = open_page(driver, example_site.page("wasm"), lines=3)
    assert lines[0].startswith("robin"), lines  # it still classifies bird.jpg
    modules = loaded_modules(driver)
    assert "ml5py.models.image_classifier.image_classifier.js" in modules and "sketch.js" in modules
    assert [name for name in modules if name.startswith(OTHER_MODELS)] == [], modules
    built = sorted(path.name for path in (example_site.out / "app").glob("*.js"))
    assert not [name for name in built if name.startswith(OTHER_MODELS)], built


STAR_SKETCH = """
from ml5py import *
import ml5py

knn = KNNClassifier()
knn.add_example([1, 0], "right")
knn.add_example([0, 1], "up")
print(ml5py.BodyPix is BodyPix, callable(StyleTransfer), callable(FeatureExtractor), callable(ImageClassifier))
knn.classify([0.9, 0.2], 1, lambda result, error: print(result["label"]))  # KNN's own twin at work
"""


@pytest.mark.browser
def test_a_star_import_page_loads_every_model(driver, sites):
    site = sites(STAR_SKETCH, name="star")
    lines = open_page(driver, site.page("wasm"), lines=2)
    assert lines == ["True True True True", "right"], lines
    modules = loaded_modules(driver)
    for prefix in OTHER_MODELS:
        assert any(name.startswith(prefix) and "runtime_browser" in name for name in modules), (prefix, modules)
