"""Run learner-Python cases in CPython and in the built page, and compare what they print.

A group is a file of ``cases/`` holding functions named ``case_<name>``. The harness appends
a runner that calls each case in turn, printing ``@@ <name>`` before it, and, for an
exception that escapes the case, ``!! <type name>`` (``!! not a Python exception`` when
the browser raised a raw JavaScript error). The same file runs with ``python`` and is built
once with ``ml5py build`` and opened once in headless Chromium (wasm backend), so a group
costs one build and one page load, whatever its number of cases.
"""
from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

CASES = Path(__file__).resolve().parent / "cases"
END = "@@ end"

RUNNER = '''

def _conformance_run(cases):
    for name, case in cases:
        print("@@ " + name)
        try:
            case()
        except Exception as error:
            print("!! " + type(error).__name__)
        except:
            print("!! not a Python exception")
    print("{end}")


_conformance_run([{calls}])
'''


def groups() -> List[Path]:
    return sorted(CASES.glob("*.py"))


def case_names(source: str) -> List[str]:
    tree = ast.parse(source)
    return [node.name[len("case_"):] for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("case_")]


def with_runner(source: str) -> str:
    """The group's source with the runner after its last line (no line moves)."""
    calls = ", ".join(f'("{name}", case_{name})' for name in case_names(source))
    return source.rstrip("\n") + "\n" + RUNNER.format(end=END, calls=calls)


def split_output(lines: List[str]) -> Dict[str, List[str]]:
    """{case name: its printed lines}; a case the run never reached is absent."""
    found: Dict[str, List[str]] = {}
    current = None
    for line in lines:
        if line.startswith("@@ "):
            current = line[3:]
            if line == END:
                break
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return found


def write_group(group: Path, folder: Path) -> Path:
    """``folder/<group>/sketch.py``: the group with its runner."""
    target = folder / group.stem
    target.mkdir(parents=True, exist_ok=True)
    sketch = target / "sketch.py"
    sketch.write_text(with_runner(group.read_text(encoding="utf-8")), encoding="utf-8")
    return sketch


def run_cpython(sketch: Path) -> Dict[str, List[str]]:
    finished = subprocess.run([sys.executable, sketch.name], cwd=sketch.parent, capture_output=True,
                              text=True, timeout=120, env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"})
    assert finished.returncode == 0, finished.stderr
    return split_output(finished.stdout.splitlines())


def run_browser(driver, url: str, timeout: float = 120.0) -> tuple:
    """(cases' lines, the page's error text or '') for the page at ``url``."""
    driver.get(url)
    deadline = time.monotonic() + timeout
    error = ""
    while time.monotonic() < deadline:
        state = driver.execute_script("""
            var box = document.getElementById('ml5py-error');
            return {lines: window.ml5py ? window.ml5py.lines.slice() : [],
                    error: box && !box.hidden ? box.textContent : ''};""")
        lines, error = state["lines"], state["error"]
        if END in lines or error:
            if error:
                time.sleep(0.5)  # the mapped line follows the message
                error = driver.execute_script(
                    "var b = document.getElementById('ml5py-error'); return b ? b.textContent : '';")
            return split_output([part for line in lines for part in line.split("\n")]), error
        time.sleep(0.1)
    return split_output(lines), f"timed out after {timeout:.0f} s"


def run_groups(folder: Path, driver, url_of):
    """Yield (group name, {case: (CPython's lines, the browser's lines)}) for every group.

    Each group is built once and opened once; a case the page never reached (it stopped on
    an uncaught error) gets the page's error text as its browser lines.
    """
    from ml5py.tooling.build import BuildError, build
    from ml5py.tooling.server import serve_in_background

    for group in groups():
        sketch = write_group(group, folder)
        python = run_cpython(sketch)
        try:
            site = build(sketch, sketch.parent / "site", note=None)
        except BuildError as error:
            yield group.stem, {name: (lines, [f"build failed: {error}"]) for name, lines in python.items()}
            continue
        server = serve_in_background(site)
        try:
            browser, error = run_browser(driver, url_of(server) + "?backend=wasm")
        finally:
            server.shutdown()
            server.server_close()
        yield group.stem, {name: (lines, browser.get(name, [f"page stopped: {error}"]))
                           for name, lines in python.items()}


def classify(key: str, python: List[str], browser: List[str], differences: Dict[str, str]) -> str:
    """"same", "expected" (a listed difference that still differs) or "unexpected"."""
    if key in differences:
        return "expected" if python != browser else "unexpected"
    return "same" if python == browser else "unexpected"
