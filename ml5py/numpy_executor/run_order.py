"""The order to run a graph in: every node after the nodes it reads (CPython only).

Both numpy executors need it: ``graph.py`` (TF.js graph models: nodes) and
``layers.py`` (layers models: layer calls). Depth-first, without recursion, so a deep
network (hundreds of nodes in a chain) stays within Python's recursion limit.
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, List, Sequence, TypeVar

Key = TypeVar("Key", bound=Hashable)


def depth_first_order(outputs: Sequence[Key], inputs_of: Callable[[Key], Sequence[Key]],
                      loop_error: Callable[[Key], Exception], known: Iterable[Key] = ()) -> List[Key]:
    """The keys ``outputs`` depend on (themselves included), each after the keys it reads.

    ``inputs_of(key)`` lists what ``key`` reads; keys in ``known`` are taken as computed
    already (left out of the order, not looked into). A loop raises ``loop_error(key)``.
    """
    order: List[Key] = []
    done, started = set(known), set()
    stack = [(key, False) for key in reversed(outputs)]
    while stack:
        key, inputs_ready = stack.pop()
        if key in done:
            continue
        if inputs_ready:
            done.add(key)
            order.append(key)
            continue
        if key in started:
            raise loop_error(key)
        started.add(key)
        stack.append((key, True))
        stack.extend((source, False) for source in reversed(inputs_of(key)) if source not in done)
    return order
