"""The CPython runtime's pending values (``Settled`` boxes: CPython runs straight through, in
order), callbacks (called with as many arguments as they take) and result records.

A part of ``ml5py/runtime_cpython.py``. Its twin for the browser is ``pending_browser.py``.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

ERROR_FIRST_NAMES = ("err", "error", "e", "errors")  # what ml5.js 0.x callbacks called their first parameter


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
    An ml5.js 0.x callback, ``def got(error, results):``, is refused with what to write.
    """
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return callback(*args)
    _check_results_first(callback, [p.name for p in parameters])
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return callback(*args)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return callback(*args[: len(positional)])


def _check_results_first(callback: Callable, names: list) -> None:
    """Refuse an error-first callback (``def got(error, results)``, ml5.js 0.x's order)."""
    if len(names) >= 2 and names[0].lower() in ERROR_FIRST_NAMES:
        name = getattr(callback, "__name__", "got_results")
        raise TypeError(
            f"{name}({', '.join(names)}) takes the error first, as ml5.js 0.x did. ml5py (like ml5.js 1.x) "
            f"calls callbacks with the results first and the error second: write "
            f"def {name}({names[1]}, {names[0]}): ...")


def deliver(pending: Any, callback: Callable | None = None) -> Any:
    """Hand the outcome to the user: call ``callback(value, error)`` and return the value.

    Without a callback an error is raised, so it cannot pass unnoticed.
    """
    pending = ready(pending)
    if callback is None:
        return _awaitable(pending.result())
    if pending.error is not None:
        call_back(callback, None, pending.error)
        return None
    call_back(callback, pending.value, None)
    return _awaitable(pending.value)


def record(fields: dict) -> "Record":
    """A result item readable both as ``item["label"]`` and as ``item.label``."""
    return Record(fields)


class Record(dict):
    """A dict whose keys can also be read as attributes (``r.label == r["label"]``)."""

    def __await__(self):  # ``await`` on a result (as in the browser) gives the result
        return self
        yield

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


# ---------------------------------------------------------------- await, as in the browser


class Results(list):
    """A list of results that ``await`` also accepts (it gives the list itself)."""

    def __await__(self):
        return self
        yield


def _awaitable(value: Any) -> Any:
    """``value``, in a form ``await value`` accepts as the browser's promises are (lists, arrays, ml5py's objects).

    So ``results = await classifier.classify(image)`` in an ``async def`` run by
    ``ml5py.run`` gives the same results in both runtimes.
    """
    if type(value) is list:
        return Results(value)
    if type(value).__module__ == "numpy" and type(value).__name__ == "ndarray":
        from ml5py.core.awaitable_array import AwaitableArray

        return value.view(AwaitableArray)
    return value
