"""The two runtimes are twins: every public function of one exists in the other."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ml5py"


def public_functions(pattern: str) -> set:
    """The public functions defined in the files matching ``pattern`` (a runtime and its parts)."""
    names = set()
    for path in sorted(PACKAGE.glob(pattern)):
        tree = ast.parse(path.read_text())
        names |= {node.name for node in tree.body
                  if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")}
    return names


def test_cpython_and_browser_runtimes_offer_the_same_functions():
    browser_only = {"show_status", "ensure_backend", "cached_fetch", "python_error", "download"}
    assert len(list(PACKAGE.glob("**/runtime_browser*.py"))) == len(list(PACKAGE.glob("**/runtime_cpython*.py"))) + 1
    cpython = public_functions("**/runtime_cpython*.py")
    browser = public_functions("**/runtime_browser*.py") - browser_only
    assert "head_create" in cpython and "relu" in browser  # the parts are read, not just the facades
    assert cpython == browser, f"only CPython: {cpython - browser}; only browser: {browser - cpython}"


def test_each_runtime_part_has_a_twin():
    browser = {path.name.replace("runtime_browser", "") for path in PACKAGE.glob("**/runtime_browser*.py")}
    cpython = {path.name.replace("runtime_cpython", "") for path in PACKAGE.glob("**/runtime_cpython*.py")}
    assert browser - {"_network_files.py"} == cpython  # (CPython's network twin holds its files too)


def test_shared_modules_never_import_cpython_only_code():
    shared_modules = [str(path.relative_to(PACKAGE)) for path in PACKAGE.glob("**/*.py")
                      if not path.name.startswith(("runtime_browser", "runtime_cpython"))
                      and path.name not in ("p5.py", "p5_python.py")
                      and "# __pragma__ ('noopov')" in path.read_text()]
    assert "image_classifier.py" in shared_modules  # the marker still finds the shared modules
    assert "neural_network/nn_meta.py" in shared_modules
    for shared in shared_modules + ["__init__.py", "runtime.py"]:
        source = (PACKAGE / shared).read_text()
        for forbidden in ("import numpy", "from PIL", "import os", "import sys", "registry"):
            assert forbidden not in source.split("# __pragma__ ('noskip')")[-1], (shared, forbidden)
