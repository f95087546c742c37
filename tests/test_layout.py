"""The house stays in order: small modules, no import cycles, folders named for what they are."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ml5py"
MAX_LINES = 400
VAGUE_NAMES = {"utils", "util", "misc", "helpers", "common", "stuff", "lib"}
LIBRARY_NAMES = {"numpy", "tf", "tensorflow", "p5", "ml5", "PIL", "transcrypt"}


def modules() -> dict:
    """Every module of ml5py by dotted name -> its path."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE)): count for path in PACKAGE.rglob("*.py")
            if (count := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, f"split these (at most {MAX_LINES} lines each): {long}"


def imports_of(path: Path, known: dict) -> set:
    """The ml5py modules ``path`` imports anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # from package import module
    return {name for name in found if name in known}


def test_no_import_cycle():
    known = modules()
    graph = {name: imports_of(path, known) - {name} for name, path in known.items()}
    graph["ml5py"] = set()  # a package's __init__ runs before its submodules: not a cycle
    state = {}

    def visit(name, trail):
        state[name] = "open"
        for other in sorted(graph.get(name, ())):
            if state.get(other) == "open":
                raise AssertionError("import cycle: " + " -> ".join(trail + [name, other]))
            if other not in state:
                visit(other, trail + [name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_folders_are_named_for_what_they_are():
    folders = [path for path in PACKAGE.rglob("*") if path.is_dir() and path.name != "__pycache__"]
    assert {"core", "models", "numpy_executor", "weights", "tooling", "p5_support", "web"} <= \
        {path.name for path in folders}
    for folder in folders:
        assert folder.name not in VAGUE_NAMES | LIBRARY_NAMES, folder
        if (folder / "__init__.py").is_file() and folder.parent == PACKAGE:
            assert importlib.util.find_spec(folder.name) is None, f"{folder} shadows an installed module"
