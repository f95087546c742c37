"""Which TensorFlow.js files a page runs: only the parts its sketch's models need.

TF.js comes in parts (each its own npm package, all 4.22.0, the same code as the single
``tf.min.js``, which holds every part): the core with its cpu backend on every page, the
layers API for models loaded with ``tf.loadLayersModel`` or built with ``tf.sequential``, and
for training (``layers``: the only part that registers every op's gradient), the converter
for ``tf.loadGraphModel`` (``converter``), and one file per other backend. Each model in
``models/catalogue.py`` names the parts it needs (``Model.tfjs``).

The page runs the core, the parts and the backend it most likely starts (the one the build
was told, else wasm); every backend file is in ``lib/`` too, and the browser runtime loads
another one only when it is chosen (``core/tensors_browser.py``). A sketch that names ``tf``
itself gets every part, as a page with ``tf.min.js`` had.
"""
from __future__ import annotations

import ast
from typing import Iterable, List, Optional, Tuple

from ml5py.models.catalogue import Model

# (npm package folder, file); the es2017 builds: the same code, in the JavaScript browsers run
CORE = [("@tensorflow/tfjs-core/dist", "tf-core.es2017.min.js"),
        ("@tensorflow/tfjs-backend-cpu/dist", "tf-backend-cpu.es2017.min.js")]
PARTS = {"layers": ("@tensorflow/tfjs-layers/dist", "tf-layers.es2017.min.js"),
         "converter": ("@tensorflow/tfjs-converter/dist", "tf-converter.es2017.min.js")}
BACKENDS = {"wasm": ("@tensorflow/tfjs-backend-wasm/dist", "tf-backend-wasm.es2017.min.js"),
            "webgl": ("@tensorflow/tfjs-backend-webgl/dist", "tf-backend-webgl.es2017.min.js"),
            "webgpu": ("@tensorflow/tfjs-backend-webgpu/dist", "tf-backend-webgpu.es2017.min.js")}
WASM_BINARIES = [("@tensorflow/tfjs-backend-wasm/dist", name) for name in (
    "tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm")]
DEFAULT_BACKEND = "wasm"  # chosen wherever there is no real GPU (core/tensors_browser.py)


def parts_needed(models: Iterable[Model], source: str) -> List[str]:
    """The TF.js parts beside the core that ``models`` need (all of them when the sketch names
    ``tf`` itself), in ``PARTS``' order."""
    wanted = {part for model in models for part in model.tfjs}
    if _names_tf(source):
        wanted = set(PARTS)
    return [part for part in PARTS if part in wanted]


def _names_tf(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True  # (the build reports it; never fewer parts than the sketch might use)
    return any(isinstance(node, ast.Name) and node.id == "tf" for node in ast.walk(tree))


def page_scripts(parts: Iterable[str], backend: Optional[str]) -> List[Tuple[str, str]]:
    """The TF.js files the page runs in ``<head>``, in order: core, parts, the likely backend."""
    scripts = CORE + [PARTS[part] for part in parts]
    likely = backend or DEFAULT_BACKEND
    return scripts + ([BACKENDS[likely]] if likely in BACKENDS else [])


def site_libraries(scripts: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """Every TF.js file copied into ``lib/``: the page's scripts, every backend, wasm's binaries."""
    files = list(scripts)
    files += [entry for entry in BACKENDS.values() if entry not in files]
    return files + WASM_BINARIES


def config_facts(scripts: List[Tuple[str, str]]) -> dict:
    """What the page's config says of them: the files run at the start (the model worker runs
    the same) and each backend's file (loaded when that backend is chosen)."""
    return {"tf_scripts": [name for _, name in scripts],
            "tf_backends": {backend: name for backend, (_, name) in BACKENDS.items()}}
