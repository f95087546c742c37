"""CPython's side of the ``worker=`` option: every model runs in this process.

The browser can run a model's network in a web worker (``proxy.py``); a sketch that asks for
it (``StyleTransfer("wave", worker=False)``) must run unchanged with ``python sketch.py``, so
here each public class takes the option and ignores it, and ``where()`` answers "main thread".
``keep_draw=`` (how much of draw()'s frame rate a worker's live loop leaves the page,
``pacing.py``) is checked as in the browser, then ignored too.
"""
from __future__ import annotations

import functools

KEEP_DRAW = 0.0  # the browser's default (proxy.py): no pacing


def check_keep_draw(value: object) -> None:
    """Raise the browser's error for a ``keep_draw=`` that is not a number from 0 to 0.99."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"keep_draw={value!r} cannot be used: give the share of draw()'s frame rate to keep "
                         "while a model works in a web worker, a number from 0 (the default: no pacing, the model "
                         "takes all the time it can) to 0.99, as keep_draw=0.9.")


def _where(self) -> str:  # noqa: ANN001
    """Where the model's network runs: in CPython always "main thread" (this process)."""
    return "main thread"


def placed(cls: type) -> type:
    """``cls`` itself, now also taking ``worker=`` (ignored in CPython) and answering ``where()``."""
    if getattr(cls, "_takes_worker_option", False):
        return cls
    original = cls.__init__

    @functools.wraps(original)
    def __init__(self, *args, worker: bool | None = None, keep_draw: float = KEEP_DRAW,  # noqa: ANN001,ANN002,ANN003
                 **kwargs) -> None:
        check_keep_draw(keep_draw)
        original(self, *args, **kwargs)

    cls.__init__ = __init__
    cls.where = _where
    cls._takes_worker_option = True
    return cls
