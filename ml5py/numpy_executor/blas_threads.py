"""Run numpy's matrix products on one thread for a while (CPython only).

numpy multiplies matrices with OpenBLAS, which starts a thread per CPU core. For the
small, thin matrix products of a convolutional network (e.g. 77,000 pixels x 24 channels)
the threads cost more than they save, and on a busy machine they wait for each other:
BodyPix on a 640x480 frame measured 47 ms on one thread against 99 to 360 ms on two
(bench/bodypix_bench.py, 2 cores shared with other work). bench/threads_bench.py measured
every model the same way (one process, 1 and 2 threads in turns, nothing else started /
one busy process beside it): StyleTransfer (0.63x the time on one thread, quiet), the
trainable heads (0.03-0.5x) and NeuralNetwork (0.96-1.02x quiet, 0.72-0.80x beside a busy
process) are no slower on one thread and faster under load, so their work asks for one
thread while it runs, then gives numpy back what it had, as the graph executor (BodyPix)
does::

    with one_blas_thread():
        outputs = model.execute(...)

    @on_one_blas_thread
    def conv2d(x, kernel, stride, padding): ...

The layers classifiers (ImageClassifier, FeatureExtractor: MobileNet, Darknet, DoodleNet)
keep numpy's threads: on a quiet machine two threads ran Darknet 1.3-1.4x and MobileNet up
to 1.08x faster, though beside other work they ran 4-10x slower than one thread.
A learner's own numpy code, outside ml5py's calls, keeps numpy's threads.

Nothing changes when the learner chose a thread count themselves (``OPENBLAS_NUM_THREADS``
or ``OMP_NUM_THREADS`` set), or when numpy does not use OpenBLAS (then this does nothing).
"""
from __future__ import annotations

import ctypes
import functools
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Tuple, TypeVar

T = TypeVar("T")

# (get, set) function names, as the OpenBLAS builds of numpy's wheels spell them.
_NAMES = [("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
          ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
          ("openblas_get_num_threads", "openblas_set_num_threads")]
_CHOSEN_BY_USER = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")

_found: Optional[Tuple[object, object]] = None
_searched = False
_lock = threading.Lock()
_users = [0, 1]  # how many are inside one_blas_thread now; the thread count before the first


def _openblas() -> Optional[Tuple[object, object]]:
    """OpenBLAS's (get, set) thread-count functions in the library numpy loaded, or None."""
    global _found, _searched
    if _searched:
        return _found
    _searched = True
    import numpy as np

    package = Path(np.__file__).parent
    for folder in (package.parent / "numpy.libs", package / ".dylibs"):  # Linux/Windows, macOS wheels
        for path in sorted(folder.glob("*openblas*")) if folder.is_dir() else []:
            try:
                library = ctypes.CDLL(str(path))  # already loaded by numpy: the same copy
            except OSError:
                continue
            for get_name, set_name in _NAMES:
                if hasattr(library, get_name) and hasattr(library, set_name):
                    _found = (getattr(library, get_name), getattr(library, set_name))
                    return _found
    return None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Within the ``with`` block numpy's matrix products use one thread (see the module docstring)."""
    functions = None if any(os.environ.get(name) for name in _CHOSEN_BY_USER) else _openblas()
    if functions is None:
        yield
        return
    get_threads, set_threads = functions
    with _lock:  # the first one in saves the count and sets 1; the last one out restores it
        if _users[0] == 0:
            _users[1] = int(get_threads())
            set_threads(1)
        _users[0] += 1
    try:
        yield
    finally:
        with _lock:
            _users[0] -= 1
            if _users[0] == 0:
                set_threads(_users[1])


def on_one_blas_thread(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run inside ``one_blas_thread()`` (a decorator, for the runtime's model work)."""
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> T:
        with one_blas_thread():
            return function(*args, **kwargs)

    return run


def blas_threads() -> Optional[int]:
    """How many threads numpy's OpenBLAS uses now (None when it is not OpenBLAS)."""
    functions = _openblas()
    return None if functions is None else int(functions[0]())
