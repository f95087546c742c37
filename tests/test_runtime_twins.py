"""The two runtimes are twins: every public function of one exists in the other."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ml5py"


def public_functions(filename: str) -> set:
    tree = ast.parse((PACKAGE / filename).read_text())
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")}


def test_cpython_and_browser_runtimes_offer_the_same_functions():
    browser_only = {"show_status", "describe_type", "ensure_backend", "cached_fetch", "python_error"}
    cpython = public_functions("runtime_cpython.py")
    browser = public_functions("runtime_browser.py") - browser_only
    assert cpython == browser, f"only CPython: {cpython - browser}; only browser: {browser - cpython}"


def test_shared_modules_never_import_cpython_only_code():
    shared_modules = [path.name for path in PACKAGE.glob("*.py")
                      if path.name not in ("runtime_browser.py", "p5.py", "p5_python.py")
                      and "# __pragma__ ('noopov')" in path.read_text()]
    assert "image_classifier.py" in shared_modules  # the marker still finds the shared modules
    for shared in shared_modules + ["__init__.py", "runtime.py"]:
        source = (PACKAGE / shared).read_text()
        for forbidden in ("import numpy", "from PIL", "import os", "import sys", "registry"):
            assert forbidden not in source.split("# __pragma__ ('noskip')")[-1], (shared, forbidden)
