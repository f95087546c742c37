"""Python that behaves like Python in the browser: what the build does to a sketch's own code.

Three steps, none of which moves a line of the sketch (messages and source maps stay right):

- ``check``: code the browser cannot run as Python does is refused at its line, with what
  to write instead (``time.sleep()`` would freeze the page; ``:=`` miscompiles).
- ``rewrite``: f-strings become calls joining their parts, so their format specs
  (``:.1f``, ``:,``, ``:>8``, ``!r``) work (Transcrypt drops them); ``import time``,
  ``datetime`` and ``random`` get ml5py's browser versions (``ml5py/browser_python/``); ``del
  xs[i]`` deletes; a lambda's defaults are evaluated where it is written; ``"{name}"
  .format(name=...)`` finds its keyword (Transcrypt renames ``name``).
- ``tail``: the sketch imports Python's semantics for its own operators and loops from
  ``ml5py/browser_python/operators.py`` (``1 / 0`` raises, ``"a" + 1`` raises, a missing
  key raises ``KeyError``, sets have ``|``, dicts compare by value, ``for`` walks dicts and
  generators), and the runtime additions of ``builtins_extra.py`` (``str.count``...).
  Only the sketch imports the operators: the library's hot paths keep Transcrypt's own.

``SWITCHES`` are the Transcrypt switches every build adds (``build.TRANSCRYPT_FLAGS``, so
they are part of the compile cache's key): ``-i`` makes each ``for`` loop convert what it
walks once (``__i__``, which the sketch's import makes Python's), ``-sf`` gives ``format``
and ``str.format`` the format mini-language, ``-da`` makes ``assert`` work (the library
compiled for the browser has none).  ``-kc`` (keycheck) is not used: under ``-o`` (every build's
operator overloading) a subscript is a ``__getitem__`` call, which keycheck never sees; the
sketch's ``__getitem__`` raises ``KeyError`` instead. In the library the switches cost one
``__i__`` call per loop (not per item) and nothing else: the webcam classifier's rate did
not move (``bench/learner_bench.py``), so they are not switched off there.
"""
from __future__ import annotations

import ast
import re
from typing import List, Tuple

SWITCHES = ["-i", "-sf", "-da"]
SHIMS = "ml5py.browser_python"
# the runtime's name -> ml5py's version in browser_python/operators.py
OPERATORS = {"__i__": "_py_iterable", "__add__": "_py_add", "__iadd__": "_py_iadd", "__sub__": "_py_sub",
             "__truediv__": "_py_truediv", "__floordiv__": "_py_floordiv", "__mod__": "_py_mod",
             "__getitem__": "_py_getitem", "__eq__": "_py_eq", "__ne__": "_py_ne", "__or__": "_py_or",
             "__and__": "_py_and", "__xor__": "_py_xor", "__in__": "_py_in"}
# builtins the sketch gets in Python's version, unless it defines the name itself
BUILTINS = {"getattr": "_py_getattr", "list": "_py_list", "tuple": "_py_tuple", "print": "_py_print"}
DELETE = "_ml5py_delitem"
JOIN, FORMAT = "_ml5py_fjoin", "_ml5py_format"  # f-strings (``_format_call``)  # ``del xs[0]`` / ``del d[key]`` (Transcrypt deletes nothing there)
EXCEPTIONS = ["ArithmeticError", "ZeroDivisionError", "LookupError", "RuntimeError", "NameError"]
REPLACED_MODULES = {"time": f"{SHIMS}.time", "datetime": f"{SHIMS}.datetime", "random": f"{SHIMS}.random"}

SLEEP = ("`time.sleep()` would freeze the page in the browser (nothing draws while it waits). "
         "In a p5 sketch, let draw() check the clock instead: `if millis() - start > 2000:`; "
         "elsewhere, ask for a call later: `window.setTimeout(my_function, 2000)`.")
WALRUS = ("`:=` (an assignment inside an expression) does not work in the browser. Assign on "
          "the line before instead: `n = len(data)` then `if n > 3:`.")


class SketchPythonError(Exception):
    """A line the browser cannot run as Python does; ``line`` is the sketch's line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _sleep_names(tree: ast.AST) -> Tuple[set, set]:
    """(names bound to the time module, names bound to time.sleep itself)."""
    modules, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.asname or alias.name for alias in node.names if alias.name == "time")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            functions.update(alias.asname or alias.name for alias in node.names if alias.name == "sleep")
    return modules, functions


def check(source: str) -> None:
    """Raise ``SketchPythonError`` at the first line the browser cannot run as Python does."""
    tree = ast.parse(source)
    modules, functions = _sleep_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.NamedExpr):
            raise SketchPythonError(node.lineno, WALRUS)
        if isinstance(node, ast.Call):
            called = node.func
            if ((isinstance(called, ast.Attribute) and called.attr == "sleep" and isinstance(called.value, ast.Name)
                 and called.value.id in modules) or (isinstance(called, ast.Name) and called.id in functions)):
                raise SketchPythonError(node.lineno, SLEEP)


# ---------------------------------------------------------------- rewriting, line for line

def _offsets(source: bytes) -> List[int]:
    starts, position = [0], 0
    for line in source.split(b"\n")[:-1]:
        position += len(line) + 1
        starts.append(position)
    return starts


def _span(node: ast.AST, starts: List[int]) -> Tuple[int, int]:
    return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset


def _text(node: ast.AST, data: bytes, starts: List[int]) -> str:
    begin, end = _span(node, starts)
    return data[begin:end].decode("utf-8")


def _format_call(node: ast.JoinedStr, data: bytes, starts: List[int]) -> str:
    """The ``_ml5py_fjoin([...])`` text for one f-string (as many newlines as the f-string had).

    Its parts: the literal text, ``_ml5py_format(value, spec)`` for a value with a format
    spec (Python's mini-language; ``.2f`` on a fast path), ``repr(value)`` for ``!r``, the
    value itself otherwise (``str`` of it, joined in ``operators.py``).
    """
    parts = []
    for part in node.values:
        if isinstance(part, ast.Constant):
            parts.append(repr(str(part.value)))
            continue
        expression = "(" + _text(part.value, data, starts) + ")"
        if part.conversion == ord("r"):
            expression = f"repr{expression}"
        elif part.conversion == ord("a"):
            expression = f"ascii{expression}"
        if part.format_spec is not None:
            spec = part.format_spec
            spec_text = (repr("".join(str(value.value) for value in spec.values))
                         if all(isinstance(value, ast.Constant) for value in spec.values)
                         else _format_call(spec, data, starts))
            expression = f"{FORMAT}({expression}, {spec_text})"
        parts.append(expression)
    text = f"{JOIN}([" + ", ".join(parts)
    missing = (node.end_lineno - node.lineno) - text.count("\n")
    return text + "\n" * max(missing, 0) + "])"


def _outermost_fstrings(tree: ast.AST) -> List[ast.JoinedStr]:
    found: List[ast.JoinedStr] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.JoinedStr):
            found.append(node)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)
    visit(tree)
    return found


def _import_edits(tree: ast.AST, data: bytes, starts: List[int]) -> List[Tuple[int, int, str]]:
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in REPLACED_MODULES:
                    begin, end = _span(alias, starts)
                    edits.append((begin, end, f"{REPLACED_MODULES[alias.name]} as {alias.asname or alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.module in REPLACED_MODULES and not node.level:
            begin, _ = _span(node, starts)
            match = re.compile(rb"from\s+(" + node.module.encode() + rb")\b").match(data, begin)
            if match:
                edits.append((match.start(1), match.end(1), REPLACED_MODULES[node.module]))
    return edits


def _delete_edits(tree: ast.AST, data: bytes, starts: List[int]) -> List[Tuple[int, int, str]]:
    """``del xs[i]`` -> ``_ml5py_delitem(xs, i)`` (same lines); slices and names stay."""
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Delete) or not all(
                isinstance(target, ast.Subscript) and not isinstance(target.slice, ast.Slice)
                for target in node.targets):
            continue
        calls = [f"{DELETE}(({_text(target.value, data, starts)}), ({_text(target.slice, data, starts)}))"
                 for target in node.targets]
        text = "; ".join(calls)
        missing = (node.end_lineno - node.lineno) - text.count("\n")
        if missing > 0:
            text = text[:-1] + "\n" * missing + ")"
        edits.append((*_span(node, starts), text))
    return edits


def _lambda_edits(tree: ast.AST, data: bytes, starts: List[int]) -> List[Tuple[int, int, str]]:
    """``lambda r, e, name=name: ...`` -> ``(lambda _ml5py_d0: lambda r, e, name=_ml5py_d0: ...)(name)``.

    Transcrypt evaluates defaults at each call, inside the function, where ``name=name``
    reads the parameter itself (undefined); Python evaluates them once, where the lambda is
    written. The wrapper does what Python does (same lines).
    """
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Lambda):
            continue
        defaults = [value for value in node.args.defaults + node.args.kw_defaults
                    if value is not None and not isinstance(value, ast.Constant)]
        if not defaults or any(isinstance(part, (ast.JoinedStr, ast.Lambda)) for value in defaults
                               for part in ast.walk(value)):
            continue
        names = [f"_ml5py_d{index}" for index in range(len(defaults))]
        begin, end = _span(node, starts)
        edits.append((begin, begin, f"(lambda {', '.join(names)}: "))
        for name, value in zip(names, defaults):
            edits.append((*_span(value, starts), name))
        values = ", ".join(f"({_text(value, data, starts)})" for value in defaults).replace("\n", " ")
        edits.append((end, end, f")({values})"))
    return edits


# keywords Transcrypt renames (``name=`` arrives as ``py_name``); a literal template's
# ``{name}`` is renamed with them, so ``"{name}".format(name=...)`` finds its value
RENAMED_KEYWORDS = {"name": "py_name", "type": "py_metatype", "keys": "py_keys", "values": "py_values",
                    "items": "py_items", "get": "py_get", "copy": "py_copy", "update": "py_update",
                    "pop": "py_pop", "sort": "py_sort", "split": "py_split", "replace": "py_replace",
                    "clear": "py_clear", "next": "py_next", "iter": "py_iter", "default": "py_default"}


def _format_keyword_edits(tree: ast.AST, data: bytes, starts: List[int]) -> List[Tuple[int, int, str]]:
    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
            continue
        renamed = [keyword.arg for keyword in node.keywords if keyword.arg in RENAMED_KEYWORDS]
        if not renamed:
            continue
        text = _text(node.func.value, data, starts)
        for word in renamed:
            text = re.sub(r"(?<!\{)\{" + word + r"(?=[}:!.\[])", "{" + RENAMED_KEYWORDS[word], text)
        edits.append((*_span(node.func.value, starts), text))
    return edits


def rewrite(source: str) -> str:
    """The sketch's text with its f-strings and time/datetime imports rewritten (same lines)."""
    tree = ast.parse(source)
    data = source.encode("utf-8")
    starts = _offsets(data)
    edits = [(*_span(node, starts), _format_call(node, data, starts)) for node in _outermost_fstrings(tree)]
    edits += _import_edits(tree, data, starts)
    edits += _delete_edits(tree, data, starts)
    edits += _lambda_edits(tree, data, starts)
    edits += _format_keyword_edits(tree, data, starts)
    for begin, end, text in sorted(edits, reverse=True):
        data = data[:begin] + text.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def tail(source: str) -> str:
    """The imports appended to the sketch: its operators' Python semantics and the shims.

    A name the sketch defines itself (its own ``print``) is left to it.
    """
    tree = ast.parse(source)
    bound = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    bound |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    names = [f"{ours} as {name}" for name, ours in OPERATORS.items()]
    names += [name for name in EXCEPTIONS if name not in bound]
    names += [f"{ours} as {name}" for name, ours in BUILTINS.items() if name not in bound]
    names += [f"_py_delitem as {DELETE}", f"_py_fjoin as {JOIN}", f"_py_format as {FORMAT}"]
    return (f"import {SHIMS}.builtins_extra\n"
            f"from {SHIMS}.operators import {', '.join(names)}\n")

