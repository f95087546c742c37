"""The two runtimes are twins: every public function of one exists in the other.

A twin is a pair of files in one folder, ``<job>_cpython.py`` and ``<job>_browser.py``
(``core/`` holds the core's, each model package its own ``runtime_cpython.py`` /
``runtime_browser.py``). The facades ``ml5py/runtime_cpython.py`` and
``ml5py/runtime_browser.py`` gather them into ``rt``.
"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ml5py"

# Helpers the browser twins export for one another (CPython needs no such thing).
BROWSER_ONLY = {"show_status", "describe_type", "ensure_backend", "cached_fetch", "python_error", "download"}


def twin_files(kind: str) -> list:
    """Every twin file of one runtime (``kind`` is "cpython" or "browser"), facades excluded."""
    return sorted(path for path in PACKAGE.rglob(f"*_{kind}.py") if path.parent != PACKAGE)


def public_functions(paths) -> set:
    """The public functions defined at the top level of ``paths``."""
    names = set()
    for path in paths:
        tree = ast.parse(path.read_text())
        names |= {node.name for node in tree.body
                  if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")}
    return names


def test_cpython_and_browser_runtimes_offer_the_same_functions():
    cpython = public_functions(twin_files("cpython"))
    browser = public_functions(twin_files("browser")) - BROWSER_ONLY
    # the core and every model's twins are read, not just the facades
    assert {"head_create", "deliver", "cosine_similarities", "bodypix_input"} <= cpython
    assert {"relu", "load_image", "find_model", "in_turn"} <= browser
    assert cpython == browser, f"only CPython: {cpython - browser}; only browser: {browser - cpython}"


def test_each_folder_s_twins_offer_the_same_functions():
    folders = {path.parent for path in twin_files("cpython") + twin_files("browser")}
    assert PACKAGE / "core" in folders and PACKAGE / "models" / "body_pix" in folders
    for folder in sorted(folders):
        cpython = public_functions(path for path in twin_files("cpython") if path.parent == folder)
        browser = public_functions(path for path in twin_files("browser") if path.parent == folder) - BROWSER_ONLY
        assert cpython == browser, (folder.name, f"only CPython: {cpython - browser}; "
                                                 f"only browser: {browser - cpython}")


def test_each_twin_file_has_its_twin():
    for path in twin_files("cpython"):
        assert path.with_name(path.name.replace("_cpython.py", "_browser.py")).is_file(), path
    for path in twin_files("browser"):
        assert path.with_name(path.name.replace("_browser.py", "_cpython.py")).is_file(), path


def test_no_two_twins_offer_the_same_function():
    """The facades gather every twin into one ``rt``: a name in two twins would shadow one."""
    for kind in ("cpython", "browser"):
        seen = {}
        for path in twin_files(kind):
            for name in public_functions([path]):
                assert name not in seen, f"{name} is in both {seen[name]} and {path}"
                seen[name] = path


def test_the_cpython_facade_gathers_every_twin():
    from ml5py import runtime_cpython

    missing = public_functions(twin_files("cpython")) - set(dir(runtime_cpython))
    assert not missing, f"rt lacks {missing}"


def test_the_facades_gather_the_core_twins_and_every_model_s_twins():
    from ml5py.models.catalogue import MODELS
    from ml5py.tooling.page_models import RUNTIME_MODULE, page_modules

    for kind in ("cpython", "browser"):
        tree = ast.parse((PACKAGE / f"runtime_{kind}.py").read_text())
        imported = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
        for path in twin_files(kind):
            if path.parent == PACKAGE / "core":
                assert f"ml5py.core.{path.stem}" in imported, (kind, path)
    # model twins: CPython's facade reads the catalogue, the browser's the page's module
    assert RUNTIME_MODULE in {node.module for node in ast.parse(
        (PACKAGE / "runtime_browser.py").read_text()).body if isinstance(node, ast.ImportFrom)}
    every_page_twin = page_modules(list(MODELS))[RUNTIME_MODULE]
    model_twins = [path for path in twin_files("browser") if path.parent.parent == PACKAGE / "models"]
    assert {path.parent.name for path in model_twins} == {model.folder for model in MODELS if model.twins}
    for path in model_twins:
        assert f"from ml5py.models.{path.parent.name}.runtime_browser import *" in every_page_twin, path


def shared_modules() -> list:
    """The modules both runtimes run: everything Transcrypt compiles but the browser twins."""
    modules = []
    browser_twins = set(twin_files("browser"))
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        if path in browser_twins or path.parent.name == "p5_support":
            continue
        if "# __pragma__ ('noopov')" in text or path in (PACKAGE / "__init__.py", PACKAGE / "runtime.py"):
            modules.append(path)
    return modules


def test_shared_modules_never_import_cpython_only_code():
    shared = shared_modules()
    assert PACKAGE / "models" / "image_classifier" / "image_classifier.py" in shared  # the marker finds them
    for path in shared:
        source = path.read_text()
        for forbidden in ("import numpy", "from PIL", "import os", "import sys", "registry"):
            assert forbidden not in source.split("# __pragma__ ('noskip')")[-1], (path, forbidden)
