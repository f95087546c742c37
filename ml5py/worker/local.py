"""CPython's side of the ``worker=`` option: every model runs in this process.

The browser can run a model's network in a web worker (``proxy.py``); a sketch that asks for
it (``StyleTransfer("wave", worker=False)``) must run unchanged with ``python sketch.py``, so
here each public class takes the option and ignores it, and ``where()`` answers "main thread".
"""
from __future__ import annotations

import functools


def _where(self) -> str:  # noqa: ANN001
    """Where the model's network runs: in CPython always "main thread" (this process)."""
    return "main thread"


def placed(cls: type) -> type:
    """``cls`` itself, now also taking ``worker=`` (ignored in CPython) and answering ``where()``."""
    if getattr(cls, "_takes_worker_option", False):
        return cls
    original = cls.__init__

    @functools.wraps(original)
    def __init__(self, *args, worker: bool | None = None, **kwargs) -> None:  # noqa: ANN001,ANN002,ANN003
        original(self, *args, **kwargs)

    cls.__init__ = __init__
    cls.where = _where
    cls._takes_worker_option = True
    return cls
