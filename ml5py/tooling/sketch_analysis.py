"""What a sketch uses of p5.js, read from its Python source (CPython only, for ``ml5py build``).

A sketch is a p5.js sketch when it defines ``setup``, ``draw``, ``preload`` or a p5 event
function (``mousePressed``, ``keyPressed``, ...) at the top level, or uses a p5 name it
does not define itself (``createCanvas``, ``mouseX``, ``PI``). Python's builtins never
count (``print``, ``min``, ``round`` mean Python's own unless p5 is in use).

For a p5 sketch the build appends, after the last line, so that no line number moves::

    from ml5py.p5_support.global_mode import *
    from ml5py.p5_support.global_mode import start_sketch as _ml5py_start_sketch; _ml5py_start_sketch([...])

Transcrypt hoists imports to the top of the JavaScript module, so the names p5 shares
with Python or that Transcrypt renames (``clear``, ``get``, ``map``, ``filter``, ...) are
the dispatching versions in ``ml5py/p5_support/global_mode.py`` everywhere in the sketch; a name the sketch
defines itself is never imported over it. The last call hands p5 the sketch's functions
once the whole module has run.
"""
from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from pathlib import Path

from ml5py.p5_support import p5_names
from ml5py.tooling import sketch_python
from ml5py.p5_support.sound import SOUND_CLASSES, SOUND_FUNCTIONS

P5_SOUND_NAMES = frozenset(SOUND_CLASSES + SOUND_FUNCTIONS)  # p5.sound: the add-on joins the page
P5_NAMES = p5_names.FUNCTIONS | p5_names.CONSTANTS | p5_names.VARIABLES | P5_SOUND_NAMES
PYTHON_BUILTINS = frozenset(dir(builtins))


@dataclass
class SketchInfo:
    """What ``analyse`` found: the p5 functions the sketch defines and the p5 names it uses."""

    handlers: list = field(default_factory=list)   # setup, draw, mousePressed... in source order
    p5_names_used: list = field(default_factory=list)
    undeclared_globals: list = field(default_factory=list)  # `global x` with no module-level x

    @property
    def uses_p5(self) -> bool:
        return bool(self.handlers or self.p5_names_used)

    @property
    def uses_p5_sound(self) -> bool:
        return any(name in P5_SOUND_NAMES for name in self.p5_names_used)


def _bound_names(tree: ast.AST) -> set:
    """Every name the sketch binds anywhere: assignments, defs, parameters, imports."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


def _module_level_names(body: list) -> set:
    """Names bound by the module's own statements (not inside functions or classes)."""
    names = set()
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def analyse_source(source: str, filename: str = "sketch.py") -> SketchInfo:
    """Read a sketch's source (valid Python; ``check_syntax`` ran first)."""
    tree = ast.parse(source, filename)
    handlers = [node.name for node in tree.body
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.name in p5_names.EVENTS]
    bound = _bound_names(tree)
    used = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in P5_NAMES
                and node.id not in PYTHON_BUILTINS and node.id not in bound and node.id not in used):
            used.append(node.id)
    declared = [name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names]
    module_level = _module_level_names(tree.body)
    undeclared = [name for name in dict.fromkeys(declared)
                  if name not in module_level and name not in P5_NAMES]
    return SketchInfo(list(dict.fromkeys(handlers)), used, undeclared)


def analyse(sketch: Path) -> SketchInfo:
    return analyse_source(Path(sketch).read_text(encoding="utf-8"), str(sketch))


def tail(info: SketchInfo) -> str:
    """The lines appended to the sketch's compiled copy (see the module's docstring).

    A name a function makes ``global`` but the module never assigns (``global classifier``
    in ``setup``, as p5 sketches do) is fine in Python; in a JavaScript module it must be
    declared, and a ``var`` at the end counts from the start.
    """
    lines = ""
    if info.undeclared_globals:
        lines += f"__pragma__ ('js', '{{}}', 'var {', '.join(info.undeclared_globals)};')\n"
    if info.uses_p5:
        pairs = ", ".join(f'"{name}", {name}' for name in info.handlers)
        if info.uses_p5_sound:
            lines += "from ml5py.p5_support.sound import *\n"
        lines += ("from ml5py.p5_support.global_mode import *\n"
                  "from ml5py.p5_support.global_mode import start_sketch as _ml5py_start_sketch; "
                  f"_ml5py_start_sketch([{pairs}])\n")
    return "\n" + lines if lines else ""


def prepare(sketch: Path, folder: Path) -> tuple[Path, SketchInfo]:
    """The file to compile: a copy of ``sketch``, rewritten by ``sketch_python.rewrite``, with
    ``tail`` and ``sketch_python.tail`` appended.

    The copy has the sketch's name, in ``folder``, so messages and source maps name the
    sketch's file, and every line of it keeps its number.
    """
    info = analyse(sketch)
    source = sketch.read_text(encoding="utf-8")
    if not source.endswith("\n"):
        source += "\n"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / sketch.name
    # Python's own semantics for the sketch's code (f-strings, operators, time): sketch_python.py
    copy.write_text(sketch_python.rewrite(source) + tail(info) + sketch_python.tail(source), encoding="utf-8")
    return copy, info
