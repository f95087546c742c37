"""Which models a page loads: only those its sketch uses, with the models they use.

``ml5py build`` reads the sketch's ml5py imports, looks the names up in
``ml5py/models/catalogue.py`` and writes two small modules beside the sketch, before
Transcrypt compiles it:

- ``ml5py_page_models``: the sketch's model classes, which ``ml5py/__init__.py`` offers
  in the browser (``from ml5py import ImageClassifier``);
- ``ml5py_page_runtime``: those models' browser twins, which ``ml5py/runtime_browser.py``
  gathers into ``rt``.

So a sketch that only classifies loads no BodyPix, StyleTransfer, KNN or training code.
What counts as using a model: ``from ml5py import BodyPix``, ``ml5py.BodyPix`` after
``import ml5py`` (or ``import ml5py as m``: ``m.BodyPix``), an import from its package
(``from ml5py.models.body_pix.body_pix import ...``). ``from ml5py import *``, or the
``ml5py`` module used in any other way (passed to a function), loads every model.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Set

from ml5py.models.catalogue import MODELS, Model, with_what_they_use

MODELS_MODULE = "ml5py_page_models"
RUNTIME_MODULE = "ml5py_page_runtime"
GENERATED = (MODELS_MODULE, RUNTIME_MODULE)
MODELS_PREFIX = "ml5py.models."


def _model_of_module(module: str) -> List[Model]:
    """The model whose package holds ``module`` (all of them for ``ml5py.models`` itself)."""
    if module == "ml5py.models":
        return list(MODELS)
    return [model for model in MODELS if module == model.package or module.startswith(model.package + ".")]


def models_used(source: str) -> List[Model]:
    """The models a sketch's source uses, with those they use, in the catalogue's order."""
    tree = ast.parse(source)
    by_name = {model.name: model for model in MODELS}
    chosen: List[Model] = []
    module_names: Set[str] = set()  # names bound to the ml5py module itself
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ml5py":
                for alias in node.names:
                    if alias.name == "*" or alias.name == "models":
                        return list(MODELS)
                    if alias.name in by_name:
                        chosen.append(by_name[alias.name])
            elif node.module.startswith(MODELS_PREFIX) or node.module == "ml5py.models":
                chosen.extend(_model_of_module(node.module))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "ml5py":
                    module_names.add(alias.asname or "ml5py")
                elif alias.name.startswith(MODELS_PREFIX) or alias.name == "ml5py.models":
                    chosen.extend(_model_of_module(alias.name))
                elif alias.name.startswith("ml5py.") and not alias.asname:
                    module_names.add("ml5py")  # ``import ml5py.x`` binds ``ml5py`` too
    if module_names:
        attribute_values = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in module_names:
                attribute_values.add(id(node.value))
                if node.attr in by_name:
                    chosen.append(by_name[node.attr])
                elif node.attr == "models":
                    return list(MODELS)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in module_names and id(node) not in attribute_values:
                return list(MODELS)  # the module itself goes somewhere: anything may be used
    return with_what_they_use(chosen)


def page_modules(models: List[Model]) -> dict:
    """The two modules' sources, by module name (the same for every sketch using these
    models, so their compiled form is shared: ``tooling/compile_cache.py``)."""
    note = '"""Written by ml5py build for a sketch: {} (see ml5py/tooling/page_models.py)."""\n'
    names = ", ".join(model.name for model in models) or "none"
    classes = note.format(f"the ml5py models it uses ({names})")
    # each class through ml5py/worker/proxy.py's ``placed``: its network may run in a web worker
    classes += "".join(f"from {model.module} import {model.name} as _{model.name}\n" for model in models)
    if models:
        classes += "from ml5py.worker.proxy import placed\n"
    classes += "".join(f"{model.name} = placed(_{model.name}, \"{model.name}\")\n" for model in models)
    twins = note.format(f"the browser twins of the models it uses ({names})")
    twins += "".join(f"from {model.twin('browser')} import *\n" for model in models if model.twins)
    return {MODELS_MODULE: classes, RUNTIME_MODULE: twins}


def write_page_modules(sketch: Path, folder: Path) -> dict:
    """Write the two modules for ``sketch`` into ``folder`` (beside the sketch Transcrypt
    compiles); returns their sources by module name."""
    sources = page_modules(models_used(sketch.read_text(encoding="utf-8")))
    for module, source in sources.items():
        (folder / f"{module}.py").write_text(source, encoding="utf-8")
    return sources
