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
