"""Sorting out a beginner's arguments, the same way for every model (like ml5's handleArguments)."""
# __pragma__ ('noopov')


def k_and_callback(k_or_callback, callback, k):
    """``(k, callback)`` from ``f(x, callback)``, ``f(x, 5, callback)`` or ``f(x, k=5)``."""
    if callable(k_or_callback):
        return k, k_or_callback
    if k_or_callback is not None:
        return k_or_callback, callback
    return k, callback
