"""Waiting for a timing harness injected into a benchmark page (``window.benchState``)."""
from __future__ import annotations

import sys
import time


def poll_bench_state(driver, timeout: float) -> dict:
    """The harness's ``result`` once it is done, echoing its log lines to stderr as they come."""
    seen = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script("var s = window.benchState; return s && {done: s.done, error: s.error, log: s.log};")
        if state:
            for line in state["log"][seen:]:
                print("  " + line, file=sys.stderr)
            seen = len(state["log"])
            if state["done"]:
                if state["error"]:
                    raise RuntimeError(f"The benchmark page failed: {state['error']}")
                return driver.execute_script("return window.benchState.result;")
        time.sleep(0.5)
    raise RuntimeError(f"The benchmark page did not finish within {timeout:.0f} s")
