"""Reading a download's body safely, and saying plainly what went wrong (CPython only).

``registry._download`` and ``whole_files.read_url`` read every body through :func:`read_body`, which

- stops at ``limit`` bytes (what the registry or ``model.json`` declares): a server sending
  a far bigger file is refused, not written to disk;
- checks the bytes received against the ``Content-Length`` the server declared: a dropped
  connection is "the connection dropped after N of M bytes", never a "wrong file";
- gives up when the transfer rate stays below ``STALL_MIN_RATE`` bytes per second for
  ``STALL_WINDOW_S`` seconds (a server sending a byte every ten seconds never trips a
  socket timeout), saying the rate and for how long.

:func:`cache_problem` turns an OS error while writing the cache (no permission, read-only
disk, disk full, a file where the folder should be) into a sentence naming the folder,
``ML5PY_CACHE`` and what to do.
"""
from __future__ import annotations

import errno
import hashlib
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Optional, Tuple

CHUNK = 64 * 1024
STALL_WINDOW_S = 30.0
STALL_MIN_RATE = 1024.0  # bytes per second


class TransferError(Exception):
    """A body could not be read whole; ``str(error)`` says why, in a few words."""


def declared_length(response: Any) -> Optional[int]:
    """The ``Content-Length`` a server declared, or None."""
    try:
        value = int(response.headers.get("Content-Length") or -1)
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


def _rate(count: float) -> str:
    return f"{count:.0f} bytes/s" if count < 1000 else f"{count / 1000:.1f} kB/s"


def read_body(response: Any, sink: Optional[Callable[[bytes], None]], limit: Optional[int] = None,
              on_bytes: Optional[Callable[[int], None]] = None) -> Tuple[int, str]:
    """Read ``response`` to its end, handing each piece to ``sink``; returns (bytes, sha256)."""
    declared = declared_length(response)
    if limit is not None and declared is not None and declared > limit:
        raise TransferError(f"the server says it is {declared} bytes, but at most {limit} were expected, "
                            "so it is not the right file; nothing was saved")
    digest = hashlib.sha256()
    done = 0
    window_start, window_done = time.monotonic(), 0
    read = getattr(response, "read1", response.read)  # (read() waits for a whole chunk; read1 takes what came)
    while True:
        block = read(CHUNK)
        if not block:
            break
        done += len(block)
        if limit is not None and done > limit:
            raise TransferError(f"it is longer than the {limit} bytes expected, so it is not the right "
                                "file; ml5py stopped reading it and saved nothing")
        digest.update(block)
        if sink is not None:
            sink(block)
        if on_bytes is not None:
            on_bytes(done)
        now = time.monotonic()
        if now - window_start >= STALL_WINDOW_S:
            rate = (done - window_done) / (now - window_start)
            if rate < STALL_MIN_RATE:
                raise TransferError(
                    f"the transfer stalled: {done - window_done} bytes in the last {now - window_start:.0f} s "
                    f"({_rate(rate)}, below {_rate(STALL_MIN_RATE)}) after {done} bytes; ml5py gave up. "
                    "Check the internet connection (or the server) and try again")
            window_start, window_done = now, done
    if declared is not None and done < declared:
        raise TransferError(f"the connection dropped after {done} of the {declared} bytes the server "
                            "announced; nothing was saved. Try again: ml5py downloads it whole next time")
    return done, digest.hexdigest()


CACHE_REASONS = {
    errno.EACCES: "you may not write there (permission denied)",
    errno.EPERM: "you may not write there (permission denied)",
    errno.EROFS: "it is on a read-only disk",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.ENOTDIR: "a file (not a folder) is in the way",
    errno.EEXIST: "a file (not a folder) is in the way",
}


def cache_problem(error: OSError, folder: Path) -> Optional[str]:
    """A sentence for an OS error while writing downloads into ``folder``, or None for other errors."""
    reason = CACHE_REASONS.get(error.errno or 0)
    if reason is None:
        return None
    setting = os.environ.get("ML5PY_CACHE", "")
    where = f"ML5PY_CACHE is {setting}" if setting else "the default, ~/.cache/ml5py, since ML5PY_CACHE is not set"
    fix = "free some space" if error.errno in (errno.ENOSPC, errno.EDQUOT) else \
        "set ML5PY_CACHE to a folder you can write, e.g. export ML5PY_CACHE=$HOME/ml5py-cache"
    blocked = f" ({error.filename})" if error.errno in (errno.ENOTDIR, errno.EEXIST) and error.filename else ""
    return (f"Cannot save downloaded models in {folder}: {reason}{blocked}. ml5py keeps downloads in the "
            f"cache folder ({where}): {fix}, or set ML5PY_MODELS to a folder that already holds the "
            "models (then nothing is written).")


@contextmanager
def cache_writing(folder: Path, error_class: type) -> Any:
    """Within it, an OS error writing into ``folder`` becomes ``error_class(sentence, path=folder)``."""
    try:
        yield
    except OSError as error:
        if isinstance(error, error_class):
            raise
        problem = cache_problem(error, folder)
        if problem is None:
            raise
        raise error_class(problem, path=folder) from None
