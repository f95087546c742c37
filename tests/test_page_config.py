"""A page carries only the registry facts its sketch's models read, each model's once."""
from __future__ import annotations

import json

from ml5py.models.catalogue import MODELS
from ml5py.tooling.page_config import page_config, tasks_read_by
from ml5py.tooling.page_models import models_used
from ml5py.weights import registry
from ml5py.weights.sources import SOURCE_MAKERS


def test_every_task_the_page_can_describe_is_read_by_a_model():
    assert set(tasks_read_by(MODELS)) == set(SOURCE_MAKERS)


def test_a_classify_only_page_carries_the_classifiers_once():
    config = page_config("models/", models_used("from ml5py import ImageClassifier\n"))
    assert list(config["tasks"]) == ["image-classifier"]
    task = config["tasks"]["image-classifier"]
    ids = [entry["id"] for entry in registry.all_entries() if entry.get("task") == "image-classifier"]
    assert sorted(task["sources"]) == sorted(ids)
    assert task["aliases"]["mobilenet"] == task["aliases"]["mobilenet_v1_0.75_224"] == "mobilenet_v1_0.75_224"
    text = json.dumps(config)
    mobilenet = task["sources"]["mobilenet_v1_0.75_224"]
    assert text.count(json.dumps(mobilenet["labels"])) == 1  # labels once, not once per name
    assert "style" not in text and "bodypix" not in text


def test_a_page_gets_the_tasks_of_the_models_its_models_use():
    features = page_config(None, models_used("from ml5py import FeatureExtractor\n"))
    assert list(features["tasks"]) == ["image-classifier"]
    assert page_config(None, models_used("from ml5py import KNNClassifier\n"))["tasks"] == {}
    everything = page_config(None, models_used("from ml5py import *\n"))
    assert set(everything["tasks"]) == {"image-classifier", "style-transfer", "body-segmentation", "body-pose"}


def test_the_built_page_config_is_the_small_one(example_site):
    text = (example_site.out / "ml5py-config.js").read_text(encoding="utf-8")
    config = json.loads(text[text.index("=") + 1:].strip().rstrip(";"))
    assert list(config["tasks"]) == ["image-classifier"] and config["sketch"] == "sketch.py"
    assert len(text) < 120_000, len(text)  # all classifiers' labels once (402 KB before)


def test_the_page_preloads_every_module_the_sketch_imports_and_no_other(example_site):
    import re

    html = (example_site.out / "index.html").read_text(encoding="utf-8")
    preloaded = re.findall(r'<link rel="modulepreload" href="app/([^"]+)">', html)
    assert "sketch.js" in preloaded and "org.transcrypt.__runtime__.js" in preloaded
    imported = {"sketch.js"}
    for name in preloaded:
        imported |= set(re.findall(r"from '\./([^']+\.js)'", (example_site.out / "app" / name).read_text()))
    assert sorted(preloaded) == sorted(imported)
    assert html.index("modulepreload") < html.index('src="lib/tf-core.es2017.min.js"')  # fetched while TF.js starts
