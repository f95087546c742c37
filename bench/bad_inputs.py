"""The bad-input sweep: try bad inputs on every public entry point, count the outcomes.

    .venv/bin/python bench/bad_inputs.py                      # this checkout
    .venv/bin/python bench/bad_inputs.py --repo ../other      # another checkout (e.g. main, before)
    .venv/bin/python bench/bad_inputs.py --list               # every case and its outcome

CPython API (every model class, load_image, save/load), the ``ml5py`` command line and the
dev server. Each case runs in a child process forked from one that has the models loaded,
with a memory limit (3 GB above the parent) and a time limit (60 s). Outcomes:

- **clear**: an exception (or, on the command line, a message without a traceback) that
  reads as a sentence: not a raw Python error type, not a raw message (``[Errno 13]``,
  ``invalid literal for int()``, ``'NoneType' object ...``, ...);
- **works**: a good answer (for inputs that are fine, or that a case's check accepts);
- **unclear**: a raw error, or bad input accepted silently (a wrong answer, a NaN);
- **crash**: the process died, hung, ran out of memory, the command line printed a
  traceback, or harm was done (a learner's file deleted, a private file published).

The figures are for the issue's closing note; the list of cases (``bad_input_cases.py``, run
in the world that ``bad_input_world.py`` builds) is the documentation of what "every public
entry point" means here.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import sys
import time
from pathlib import Path

from bad_input_cases import RAW_PATTERNS, Verdict, cases, refused
from bad_input_world import World

HERE = Path(__file__).resolve().parent
RAW_TYPES = (IndexError, KeyError, AttributeError, ZeroDivisionError, RecursionError, UnboundLocalError,
             NameError, AssertionError, OverflowError, UnicodeError, StopIteration, NotImplementedError)
KINDS = ["clear", "works", "unclear", "crash"]


def judge_exception(error: BaseException) -> tuple:
    if isinstance(error, MemoryError):
        return "crash", "MemoryError"
    message = f"{type(error).__name__}: {error}"
    if isinstance(error, RAW_TYPES) or type(error).__module__.split(".")[0] in ("PIL", "json", "numpy"):
        return "unclear", message
    text = str(error)
    if len(text) < 30 or any(re.search(pattern, text) for pattern in RAW_PATTERNS):
        return "unclear", message
    return "clear", message


def run_case(call, check) -> tuple:
    """In the child: the outcome of one case."""
    try:
        value = call()
    except Verdict as verdict:
        return verdict.kind, verdict.why
    except BaseException as error:  # every outcome is counted
        return judge_exception(error)
    try:
        (check or refused)(value)
    except Verdict as verdict:
        return verdict.kind, verdict.why
    return "works", "returned"


def in_child(call, check, limit_bytes: int, seconds: int) -> tuple:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
            signal.alarm(seconds)
            outcome = run_case(call, check)
            os.write(writer, json.dumps(outcome).encode())
        finally:
            os._exit(0)
    os.close(writer)
    chunks = []
    while True:
        piece = os.read(reader, 65536)
        if not piece:
            break
        chunks.append(piece)
    os.close(reader)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        return "crash", f"died ({how}{', over the time limit' if os.WIFSIGNALED(status) and os.WTERMSIG(status) == 14 else ''})"
    return tuple(json.loads(b"".join(chunks)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=HERE.parent, help="the checkout to try (default: this one)")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--list", action="store_true", help="print every case and its outcome")
    parser.add_argument("--json", type=Path, help="write the outcomes here")
    options = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # (threads and fork do not mix)
    world = World(options.repo.resolve(), options.shared.resolve())
    with open("/proc/self/status") as status:
        size = int(re.search(r"VmSize:\s+(\d+) kB", status.read()).group(1)) * 1024
    counts = {kind: 0 for kind in KINDS}
    results = []
    started = time.monotonic()
    for where, what, call, check in cases(world):
        world.reset()
        kind, why = in_child(call, check, size + 3 * 1024 ** 3, 60)
        counts[kind] += 1
        results.append({"entry": where, "input": what, "outcome": kind, "detail": why})
        if options.list:
            print(f"{kind:8} {where}: {what}  -- {why[:150]}", flush=True)
    world.server.shutdown()
    shutil.rmtree(world.root, ignore_errors=True)
    total = sum(counts.values())
    print(f"\n{options.repo.resolve()}: {total} tried, " + ", ".join(f"{counts[k]} {k}" for k in KINDS) +
          f"  ({time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.2f})")
    if options.json:
        options.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
