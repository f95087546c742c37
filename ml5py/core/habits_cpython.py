"""How the CPython runtime meets learners' habits: ml5.js's names on every model class, and ``ml5py.run``.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``habits_browser.py``;
``core/ml5_names.py`` (written once) uses both.
"""
from __future__ import annotations

import functools
import inspect
import re
from typing import Any, Callable


def run(main: Callable, *args: Any) -> Any:
    """Run the sketch's ``main(*args)``: a function, or an ``async def`` (run to its end, as the browser does).

    ``ml5py.run(main)`` works in both runtimes; inside ``main`` ``await`` is optional.
    """
    import asyncio

    if not callable(main):
        raise TypeError(f"ml5py.run needs the function to run, as in ml5py.run(main); got {main!r}.")
    result = main(*args)
    if not inspect.iscoroutine(result):
        return result
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(result)
    try:  # a notebook's running loop: go through by hand while nothing really waits
        result.send(None)
    except StopIteration as finished:
        return finished.value
    result.close()
    raise RuntimeError("ml5py.run cannot wait here (an event loop is already running, as in a notebook): "
                       "write await main() instead.")


def define_alias(cls: type, alias: str, name: str) -> None:
    """``cls.<alias>`` is ``cls.<name>`` (the same function, property or static method)."""
    setattr(cls, alias, inspect.getattr_static(cls, name))


def accept_ml5_keywords(cls: type, name: str, renames: dict) -> None:
    """Let ``cls.<name>`` take keyword options as ml5.js spells them (``modelType=`` for ``model_type=``)."""
    def snake_case(key: str) -> str:
        return renames[key] if key in renames else re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), key)

    found = inspect.getattr_static(cls, name)
    static = isinstance(found, staticmethod)
    method = found.__func__ if static else found
    if not inspect.isfunction(method) or getattr(method, "_ml5_keywords", False):
        return

    @functools.wraps(method)
    def with_ml5_keywords(*args: Any, **keywords: Any) -> Any:
        renamed = {}
        for key, value in keywords.items():
            new = snake_case(key) if key != key.lower() or key in renames else key
            if new in renamed or (new != key and new in keywords):
                raise TypeError(f"{method.__qualname__} got the option {new} twice (as {key} too).")
            renamed[new] = value
        return method(*args, **renamed)

    with_ml5_keywords._ml5_keywords = True  # type: ignore[attr-defined]
    setattr(cls, name, staticmethod(with_ml5_keywords) if static else with_ml5_keywords)


def awaitable_objects(cls: type) -> None:
    """``await`` on an instance of ``cls`` gives the instance (as ``await classifier.ready`` does in the browser)."""
    def itself(self: Any) -> Any:
        return self
        yield  # noqa: unreachable (makes this a generator, as __await__ must be)

    cls.__await__ = itself  # type: ignore[attr-defined]
