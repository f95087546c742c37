"""Turn Transcrypt's compile errors into messages a learner can act on.

Transcrypt reports a failure like this (the module and line; the message is often empty)::

    Error while compiling (offending file last):
        File '/scratch/ml5py-build-x/sketch.py', line 2, at import of:
        File 'numpy', line 944, namely:

        Can't import module 'numpy'

We find the sketch's own line in that trail (the temporary copy's path or module name is
mapped back to the learner's file), say in plain English what the browser cannot do, and
suggest what to write instead. Transcrypt's raw text stays available (``ml5py build -v``).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

HEADER = "Error while compiling (offending file last):"
TRAIL_LINE = re.compile(r"^\s*File '(?P<file>[^']*)', line (?P<line>-?\d+), (?P<kind>at import of|namely):")
CANT_IMPORT = re.compile(r"Can't import (?:from )?module '(?P<name>[^']+)'|Import error, can't find any of")

GENERIC = ("The browser version of Python (Transcrypt) cannot compile this line, although "
           "CPython can. Try writing it in a simpler way.")


@dataclass
class CompileProblem:
    """Where the sketch went wrong, and what to tell the learner."""

    line: Optional[int]   # line in the learner's sketch, None when not known
    message: str          # plain English
    raw: str              # Transcrypt's own text


def parse_trail(output: str) -> Tuple[List[Tuple[str, int, str]], str]:
    """[(file, line, kind)] from the first error report, and Transcrypt's message text."""
    if HEADER not in output:
        return [], ""
    report = output.split(HEADER, 1)[1]
    trail: List[Tuple[str, int, str]] = []
    message_lines: List[str] = []
    for text in report.splitlines():
        match = TRAIL_LINE.match(text)
        if match:
            if message_lines or (trail and trail[-1][2] == "namely"):
                break  # a nested copy of the same report follows: the first one is enough
            trail.append((match["file"], int(match["line"]), match["kind"]))
            continue
        stripped = text.strip()
        if not stripped:
            continue
        if stripped == "Aborted" or stripped.startswith(HEADER):
            if stripped == "Aborted":
                break
            continue
        if trail:
            message_lines.append(stripped)
    return trail, "\n".join(message_lines)


def _is_sketch(name: str, copy: Path, module: str) -> bool:
    return name in (str(copy), module, copy.name) or Path(name).name == copy.name


def _nodes_on_line(tree: ast.AST, line: int) -> List[ast.AST]:
    return [node for node in ast.walk(tree) if getattr(node, "lineno", None) == line]


def explain_construct(source: str, line: int) -> Optional[str]:
    """A plain-English explanation for constructs on ``line`` that Transcrypt rejects."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in _nodes_on_line(tree, line):
        targets: List[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            targets = [node.target]
        for target in targets:
            if any(isinstance(part, ast.Starred) for part in ast.walk(target)):
                return ("Unpacking with a star (like `first, *rest = items`) does not work in "
                        "the browser. Use indexes and slices instead: "
                        "`first = items[0]` and `rest = items[1:]`.")
        if isinstance(node, ast.Dict) and any(key is None for key in node.keys):
            return ("Merging dictionaries with `**` inside `{...}` does not work in the browser. "
                    "Make a copy and update it instead: `merged = dict(a)` then `merged.update(b)`.")
        if isinstance(node, ast.Global) and node in getattr(tree, "body", []):
            return ("`global` is only needed inside a function. At the top of the sketch the "
                    "name is already global: delete this line.")
        if isinstance(node, ast.Lambda) and any(isinstance(part, (ast.Yield, ast.YieldFrom))
                                                for part in ast.walk(node.body)):
            return "A `lambda` cannot contain `yield` in the browser. Write a `def` function instead."
        if type(node).__name__ == "Match":
            return ("`match` statements (Python 3.10 and later) do not work in the browser. "
                    "Use `if` / `elif` / `else` instead.")
    return None


def explain(output: str, sketch: Path, copy: Path, module: str) -> CompileProblem:
    """What went wrong in ``sketch`` (compiled as its temporary ``copy``, named ``module``)."""
    trail, raw_message = parse_trail(output)
    raw = output.strip()
    source = sketch.read_text(encoding="utf-8")
    # the sketch's own frame: where it imported the failing module, or the failing line itself
    line = next((number for name, number, _ in trail if _is_sketch(name, copy, module)), None)
    if line is None:
        detail = raw_message or "Transcrypt stopped without saying why."
        where = f" (in {trail[-1][0]}, line {trail[-1][1]})" if trail else ""
        return CompileProblem(None, f"Transcrypt could not compile the sketch{where}: {detail}", raw)

    imported = CANT_IMPORT.search(raw_message)
    failed_in_sketch = trail[-1][2] == "namely" and _is_sketch(trail[-1][0], copy, module)
    imported_by_sketch = _imported_names(source, line)
    if not failed_in_sketch and not imported and not imported_by_sketch:
        # the sketch imported ml5py, and ml5py itself did not compile: not the learner's fault
        return CompileProblem(line, "ml5py itself could not be compiled for the browser (a bug in "
                              f"ml5py, not in your sketch): {raw_message or 'no details'} "
                              f"(in {trail[-1][0]}, line {trail[-1][1]})", raw)
    if imported or not failed_in_sketch:
        name = (imported["name"] if imported and imported["name"] else
                (trail[1][0] if len(trail) > 1 else "this module"))
        name = Path(name).stem if name.endswith(".py") else name
        shown = next(iter(imported_by_sketch), name)
        message = (f"`{shown}` cannot be imported in a browser sketch. In the browser you can use "
                   "ml5py, Python's built-ins and a few standard modules such as `math` and "
                   "`random` (plus JavaScript objects such as `window`); "
                   f"modules like `{shown}` work only when you run `python {sketch.name}`.")
        return CompileProblem(line, message, raw)

    hint = explain_construct(source, line)
    if hint:
        return CompileProblem(line, hint, raw)
    if raw_message and not raw_message.startswith(HEADER):
        return CompileProblem(line, f"{GENERIC} (Transcrypt says: {raw_message})", raw)
    return CompileProblem(line, GENERIC, raw)


def _imported_names(source: str, line: int) -> List[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: List[str] = []
    for node in _nodes_on_line(tree, line):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names if not alias.name.startswith("ml5py"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def source_line(sketch: Path, line: Optional[int]) -> str:
    """The text of ``line`` in ``sketch`` (stripped), or '' when out of range."""
    if not line or line < 1:
        return ""
    lines = sketch.read_text(encoding="utf-8").splitlines()
    return lines[line - 1].strip() if line <= len(lines) else ""
