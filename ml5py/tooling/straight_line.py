"""Straight-line sketches in the browser: the build waits where CPython would (CPython only).

In CPython ``results = classifier.classify("bird.jpg")`` gives the results at once; in the
browser the same call gives a promise. Before Transcrypt compiles a sketch, this module
writes ``(await ...)`` (or ``[await ...][0]``) around the calls the sketch makes where it can wait:

- at the top level (a JavaScript module may wait there: its page starts when it is done);
- inside the sketch's own functions that only the top level (or another such function)
  calls: they become ``async def``, and the calls to them are awaited too.

A p5 function (``draw``, ``setup``, ``mousePressed``...), a function passed somewhere as a
callback, a lambda, a comprehension, a class body or the object and arguments of a method
call (``items.append(f(x))``: Transcrypt makes the call a function of its own) cannot wait: there a pending result
is an error saying what to write instead (``pending_browser.pending_result``).
Calls to Python's builtins, to p5 and to a few methods that never wait (``append``,
``format``...) are left as they are. Only text is inserted, on the lines where it goes, so
no line moves: source maps and the error lines stay right.
"""
from __future__ import annotations

import ast
import builtins
from pathlib import Path

from ml5py.p5_support import p5_names
from ml5py.tooling import ml5_habits
from ml5py.tooling.ml5_habits import HabitError  # noqa: F401 (what prepare raises)

NEVER_PENDING_METHODS = frozenset(
    "append extend insert pop remove sort reverse keys values items get update setdefault copy clear "
    "join split strip lstrip rstrip lower upper replace format startswith endswith find count index "
    "add discard union intersection difference".split())
NEVER_PENDING_MODULES = frozenset({"math", "random", "time", "datetime", "json", "string"})
SYNC_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.ClassDef,
               ast.JoinedStr)
# ask_for_image waits for the learner to pick a photo: the page must finish loading first to show
# its picker; classify and the other methods take the pending picture as it is
NOT_WAITED = frozenset(dir(builtins)) | p5_names.FUNCTIONS | {"super", "__pragma__", "__new__", "ask_for_image"}


def _own_nodes(node: ast.AST):
    """The nodes of ``node``'s body that run in its own frame (not in nested functions, lambdas...)."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef) + SYNC_SCOPES):
            continue
        stack.extend(ast.iter_child_nodes(child))


def trapped_nodes(tree: ast.AST) -> set:
    """The ids of nodes inside a method call's object or arguments (``a.f(b())``: ``a``, ``b()``).

    Transcrypt compiles a method call into a little function of its own (to offer
    ``__call__``), so an ``await`` there would be inside a function that cannot wait.
    """
    trapped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            for part in [node.func.value] + node.args + [k.value for k in node.keywords]:
                trapped.update(id(inner) for inner in ast.walk(part))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__new__":
            trapped.update(id(inner) for inner in ast.walk(node) if inner is not node)  # new X(...)
    return trapped


def _runs_on_by_itself(tree: ast.Module) -> set:
    """The ids of calls given a callback whose value the sketch drops (``classify(img, got_results)``).

    Those run on by themselves, as in ml5.js: the callback gets the results later, and the
    lines after the call (an event listener, p5's start) do not wait for it. To wait for
    one, keep its value: ``done = classifier.classify(img, got_results)``.
    """
    functions = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def callback_like(argument):
        return (isinstance(argument, ast.Lambda) or (isinstance(argument, ast.Name) and argument.id in functions)
                or (isinstance(argument, ast.Call) and isinstance(argument.func, ast.Name)
                    and argument.func.id in functions))

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name == "run":  # ml5py.run(main): the page waits for main, as CPython does
                continue
            if any(callback_like(a) for a in call.args + [k.value for k in call.keywords]):
                found.add(id(call))
    return found


def _waits_for(call: ast.Call, async_functions: set, sketch_sync_names: set) -> bool:
    """Whether the build should wait for ``call``'s value (it may be a pending result)."""
    func = call.func
    if isinstance(func, ast.Name):
        if func.id.startswith(("_py_", "_ml5py_")):  # the build's own helpers (sketch_python.py): never pending
            return False
        if func.id in async_functions:
            return True
        return func.id not in NOT_WAITED and func.id not in sketch_sync_names
    if isinstance(func, ast.Attribute):
        if func.attr in NEVER_PENDING_METHODS:
            return False
        return not (isinstance(func.value, ast.Name) and func.value.id in NEVER_PENDING_MODULES)
    return True


def async_functions(tree: ast.Module) -> set:
    """The sketch's top-level functions that become ``async def`` (see the module's docstring)."""
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    candidates = {name for name, node in defs.items()
                  if name not in p5_names.EVENTS and not node.decorator_list
                  and not any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(node))}
    # where each name is read: (the frame it is read in, whether it is the function called)
    uses = {name: [] for name in candidates}

    callees = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    trapped = trapped_nodes(tree)

    def visit(frame, frame_node):
        for node in _own_nodes(frame_node):
            if isinstance(node, ast.Name) and node.id in uses and isinstance(node.ctx, ast.Load):
                uses[node.id].append((frame if id(node) not in trapped else "<sync>", id(node) in callees))

    # a use anywhere else (nested defs, lambdas, comprehensions, classes, p5 functions) cannot wait
    visit("<top>", tree)
    for name, node in defs.items():
        visit(name, node)
    own = {id(n) for frame_node in [tree] + list(defs.values()) for n in _own_nodes(frame_node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in uses and id(node) not in own:  # (called or not)
            uses[node.id].append(("<sync>", False))
    chosen = set(candidates)
    changed = True
    while changed:
        changed = False
        for name in sorted(chosen):
            if any(not called or (frame != "<top>" and frame not in chosen) for frame, called in uses[name]):
                chosen.discard(name)
                changed = True
    # only functions that wait for something need to be async
    needed, changed = set(), True
    while changed:
        changed = False
        for name in sorted(chosen - needed):
            calls = [n for n in _own_nodes(defs[name]) if isinstance(n, ast.Call)]
            sync_names = set(defs) - needed
            if any(_waits_for(call, needed, sync_names) for call in calls):
                needed.add(name)
                changed = True
    return needed


def _awaited_calls(tree: ast.Module, waiting: set) -> list:
    """The calls to wrap in ``(await ...)``: in the top level's frame and in the ``waiting`` functions' frames."""
    # the sketch's classes, and its functions that call nothing: their values are never pending
    # (a plain function that calls a model may return a pending result: the top level waits for it)
    # (and the sketch's own ``async def``s: ``main()`` written by hand runs on by itself, as before)
    sync_names = {node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.AsyncFunctionDef))} | {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef)
        and not any(isinstance(n, ast.Call) for n in _own_nodes(node))}
    already = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Await)}
    trapped = trapped_nodes(tree) | _runs_on_by_itself(tree)
    frames = [tree] + [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in waiting]
    calls = []
    for frame in frames:
        for node in _own_nodes(frame):
            if (isinstance(node, ast.Call) and id(node) not in already and id(node) not in trapped
                    and _waits_for(node, waiting, sync_names)):
                calls.append(node)
    return calls


def _byte_column(line: str, column: int) -> int:
    """``ast``'s column (UTF-8 bytes) as a character index into ``line``."""
    return len(line.encode("utf-8")[:column].decode("utf-8", errors="ignore"))


def rewrite(source: str, filename: str = "sketch.py") -> str:
    """The sketch's source with ``async def`` and ``(await ...)`` inserted; every line stays where it was."""
    tree = ast.parse(source, filename)
    waiting = async_functions(tree)
    lines = source.splitlines(keepends=True)
    inserts: dict = {}  # line number -> [(column, order, text)]

    def insert(line_number, column, order, text):
        inserts.setdefault(line_number, []).append((column, order, text))

    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in waiting:
            insert(node.lineno, node.col_offset, (1, 0), "async ")
    # Transcrypt writes ``(await x).label`` as ``await x.label``: where the value is read
    # further (an attribute, an item, a call), ``[await x][0]`` keeps the order
    read_further = {id(node.value) for node in ast.walk(tree) if isinstance(node, (ast.Attribute, ast.Subscript))}
    read_further |= {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for call in _awaited_calls(tree, waiting):
        opening, closing = ("[await ", "][0]") if id(call) in read_further else ("(await ", ")")
        # at one column: closing brackets first, then the widest call's opening one
        insert(call.lineno, call.col_offset, (1, -(call.end_lineno * 100000 + call.end_col_offset)), opening)
        insert(call.end_lineno, call.end_col_offset, (0, 0), closing)
    for number, edits in inserts.items():
        line = lines[number - 1]
        encoded = line.encode("utf-8")
        for column, order, text in sorted(edits, key=lambda edit: (-edit[0], tuple(-x for x in edit[1]))):
            encoded = encoded[:column] + text.encode("utf-8") + encoded[column:]
        lines[number - 1] = encoded.decode("utf-8")
    rewritten = "".join(lines)
    ast.parse(rewritten, filename)  # still Python (with top-level await, as modules allow)
    return rewritten


def prepare(source_file: Path, folder: Path) -> Path:
    """After ``ml5_habits.check``, the file to compile: ``source_file``, or a copy in ``folder`` (same name) with the waits written in."""
    source = source_file.read_text(encoding="utf-8")
    ml5_habits.check(source, source_file.name)  # ml5.js habits that would fail far from their line
    rewritten = rewrite(source, source_file.name)
    if rewritten == source:
        return source_file
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / source_file.name
    copy.write_text(rewritten, encoding="utf-8")
    return copy


def show_original(published: Path, sketch: Path) -> None:
    """Put the learner's own text where the page reads the sketch's lines (it quotes them in errors)."""
    if published.is_file():
        published.write_text(sketch.read_text(encoding="utf-8"), encoding="utf-8")
