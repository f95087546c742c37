"""The registry facts a page carries (``ml5py-config.js``): only what its sketch's models read, once.

Each model in ``models/catalogue.py`` names the registry tasks it reads (``ImageClassifier``:
``image-classifier``; ``StyleTransfer``: ``style-transfer``...). A page gets, per task its
models read::

    {"names": ["MobileNet", "Darknet", ...],          # for error messages, as the registry lists them
     "aliases": {"mobilenet": "mobilenet_v1_0.75_224", "darknet": "darknet-tiny", ...},
     "sources": {"mobilenet_v1_0.75_224": {...}, ...}}  # each model's facts once, by id

The browser looks a name up in ``aliases`` (lower case; ids are aliases too) and then in
``sources`` (``core/loading_browser.py``: ``page_source``). A classify-only page carries no
style or BodyPix facts, and each model's labels appear once.
"""
from __future__ import annotations

from typing import Iterable, Optional

from ml5py.models.catalogue import MODELS, Model


def tasks_read_by(models: Iterable[Model]) -> list:
    """The registry tasks ``models`` read, in the catalogue's order, each once."""
    tasks: list = []
    for model in models:
        tasks.extend(task for task in model.tasks if task not in tasks)
    return tasks


def page_config(models_url: Optional[str], models: Optional[Iterable[Model]] = None) -> dict:
    """The page's configuration for ``models`` (every model when None)."""
    from ml5py.weights import registry
    from ml5py.weights.sources import SOURCE_MAKERS

    wanted = tasks_read_by(MODELS if models is None else models)
    tasks: dict = {}
    for entry in registry.all_entries():
        task_name = entry.get("task")
        if task_name not in wanted or task_name not in SOURCE_MAKERS:
            continue
        task = tasks.setdefault(task_name, {"names": [], "aliases": {}, "sources": {}})
        task["sources"][entry["id"]] = SOURCE_MAKERS[task_name](entry)
        for name in [entry["id"], *entry.get("names", [])]:
            task["aliases"][name.lower()] = entry["id"]
        task["names"].extend(entry.get("names", []))
    return {"models_url": models_url, "tasks": {name: tasks[name] for name in wanted if name in tasks}}


# The classes whose weights a page can start downloading at once, with the registry task they
# look a name up in and their default model (the classes' own default, tests/test_page_config.py).
EARLY_LOADERS = {"ImageClassifier": ("image-classifier", "MobileNet"),
                 "FeatureExtractor": ("image-classifier", "MobileNet")}
WEIGHTS_CACHE = "ml5py-models-v1"  # the Cache API's name for weights (core/loading_browser.py's CACHE_NAME)


def early_weights(source: str, config: dict) -> dict:
    """The weight files the page starts fetching before TF.js has started (``ml5py-page.js``):
    every file of each registry model the sketch makes with a literal name (or none: the
    default), ``ImageClassifier("Darknet")``, on the main thread (no ``worker=``). The browser
    runtime takes them over, checks and caches them as any download (``core/loading_browser.py``)."""
    import ast

    files: list = []
    for task, name in _literal_models(ast.parse(source)):
        facts = config["tasks"].get(task, {})
        model_id = facts.get("aliases", {}).get(name.lower())
        if model_id is None:
            continue  # a folder or URL of the learner's: found at run time
        model = facts["sources"][model_id]
        base = config["models_url"] + model_id + "/" if config["models_url"] else model["upstream"]
        files.extend(base + file for file in model["files"] if base + file not in files)
    return {"cache": WEIGHTS_CACHE, "files": files}


def _literal_models(tree) -> list:
    """(task, name) for each ``Class("name")`` / ``ml5py.Class()`` of ``EARLY_LOADERS`` made on the page."""
    import ast

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else None
        if called not in EARLY_LOADERS:
            continue
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        worker = keywords.get("worker")
        if worker is not None and not (isinstance(worker, ast.Constant) and worker.value is False):
            continue  # made in a model worker, which fetches its own
        task, default = EARLY_LOADERS[called]
        named = node.args[0] if node.args else keywords.get("model")
        if named is None:
            found.append((task, default))
        elif isinstance(named, ast.Constant) and isinstance(named.value, str):
            found.append((task, named.value))
    return found
