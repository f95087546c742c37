"""The CPython runtime's pending values (``Settled`` boxes: CPython runs straight through, in
order), callbacks (called with as many arguments as they take) and result records.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``pending_browser.py``.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable


# ---------------------------------------------------------------- pending values


class Settled:
    """A finished piece of work: either a ``value`` or the ``error`` that stopped it."""

    def __init__(self, value: Any = None, error: BaseException | None = None):
        self.value = value
        self.error = error

    def result(self) -> Any:
        """The value, or raise the error."""
        if self.error is not None:
            raise self.error
        return self.value


def ready(value: Any) -> Settled:
    """A pending value that is already there."""
    return value if isinstance(value, Settled) else Settled(value)


def attempt(work: Callable[[], Any]) -> Settled:
    """Run ``work()`` now and keep its value, or the error it raised."""
    try:
        return ready(work())
    except Exception as error:  # kept, to be handed to the callback or raised later
        return Settled(error=error)


def after(pending: Any, work: Callable[[Any], Any]) -> Settled:
    """When ``pending`` has its value, run ``work(value)``; errors skip ahead."""
    pending = ready(pending)
    if pending.error is not None:
        return pending
    return attempt(lambda: work(pending.value))


def when_all(items: list) -> Settled:
    """One pending list from a list of pending values (the first error wins)."""
    values = []
    for item in items:
        item = ready(item)
        if item.error is not None:
            return item
        values.append(item.value)
    return Settled(values)


def call_back(callback: Callable, *args: Any) -> Any:
    """Call a user's callback with as many of ``args`` as it accepts.

    So ``def got_results(results):`` works as well as ``def got_results(results, error):``.
    """
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return callback(*args)
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return callback(*args)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return callback(*args[: len(positional)])


def deliver(pending: Any, callback: Callable | None = None) -> Any:
    """Hand the outcome to the user: call ``callback(value, error)`` and return the value.

    Without a callback an error is raised, so it cannot pass unnoticed.
    """
    pending = ready(pending)
    if callback is None:
        return pending.result()
    if pending.error is not None:
        call_back(callback, None, pending.error)
        return None
    call_back(callback, pending.value, None)
    return pending.value


def record(fields: dict) -> "Record":
    """A result item readable both as ``item["label"]`` and as ``item.label``."""
    return Record(fields)


class Record(dict):
    """A dict whose keys can also be read as attributes (``r.label == r["label"]``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"This result has no '{name}'. It has: {', '.join(self)}.") from None


def in_turn(count: int, step: Callable[[int], Any]) -> Settled:
    """Run ``step(0)``, ``step(1)``, ... ``step(count - 1)``, each after the last one finished.

    (In the browser each step starts after the previous one's promise, with a pause for the
    page to draw in between.) An error stops the steps and is kept.
    """
    def run() -> None:
        for number in range(count):
            ready(step(number)).result()

    return attempt(run)
