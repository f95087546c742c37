"""ml5.js habits a build refuses, at the learner's line, saying what to write (CPython only).

- ``import ml5`` (ml5.js's name): ml5py is the Python library;
- ``from ml5py import imageClassifier`` or ``ml5py.imageClassifier(...)``: "did you mean
  ImageClassifier?" (``core/name_hints.py``, also behind ``ml5py``'s ``__getattr__`` in CPython);
- an error-first callback (``def got(error, results)``, ml5.js 0.x's order) given to a call:
  ml5py calls ``callback(results, error)`` (CPython refuses it when it is called,
  ``pending_cpython.call_back``).
"""
from __future__ import annotations

import ast

from ml5py.core.name_hints import IMPORT_ML5, PUBLIC_NAMES, unknown_name_message

ERROR_FIRST_NAMES = ("err", "error", "e", "errors")
KNOWN = frozenset(PUBLIC_NAMES) | {"rt", "__version__"}


def _error_first(arguments: ast.arguments) -> list | None:
    names = [a.arg for a in arguments.posonlyargs + arguments.args]
    if len(names) >= 2 and names[0].lower() in ERROR_FIRST_NAMES:
        return names
    return None


def _callback_problem(name: str, names: list) -> str:
    return (f"{name}({', '.join(names)}) takes the error first, as ml5.js 0.x callbacks did. ml5py (like "
            f"ml5.js 1.x) calls callbacks with the results first and the error second: write "
            f"def {name}({names[1]}, {names[0]}): ...")


def problems(source: str, filename: str = "sketch.py") -> list:
    """``[(line, message)]`` for each habit the browser cannot follow, in line order."""
    tree = ast.parse(source, filename)
    found = []
    ml5py_names = set()  # what the sketch calls the ml5py module (import ml5py as m)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "ml5" or alias.name.startswith("ml5."):
                    found.append((node.lineno, IMPORT_ML5))
                elif alias.name == "ml5py":
                    ml5py_names.add(alias.asname or "ml5py")
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module == "ml5" or (node.module or "").startswith("ml5."):
                found.append((node.lineno, IMPORT_ML5))
            elif node.module == "ml5py":
                found.extend((node.lineno, unknown_name_message(alias.name))
                             for alias in node.names if alias.name != "*" and alias.name not in KNOWN)
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ml5py_names
                and isinstance(node.ctx, ast.Load) and node.attr not in KNOWN and not node.attr.startswith("_")):
            found.append((node.lineno, unknown_name_message(node.attr)))
        if not isinstance(node, ast.Call):
            continue
        for argument in list(node.args) + [k.value for k in node.keywords]:
            if isinstance(argument, ast.Name) and argument.id in functions:
                names = _error_first(functions[argument.id].args)
                if names:
                    found.append((functions[argument.id].lineno, _callback_problem(argument.id, names)))
            elif isinstance(argument, ast.Lambda) and _error_first(argument.args):
                found.append((argument.lineno, _callback_problem("lambda", _error_first(argument.args))))
    return sorted(set(found))


class HabitError(Exception):
    """A habit the browser cannot follow; the message names the file and line (the build shows it)."""


def check(source: str, filename: str = "sketch.py") -> None:
    """Stop the build at the first habit found: its file, line, and what to write instead."""
    found = problems(source, filename)
    if found:
        line, message = found[0]
        text = source.splitlines()[line - 1].strip()
        raise HabitError(f'File "{filename}", line {line}: {message}\n    {text}\nFix this line and build again.')
