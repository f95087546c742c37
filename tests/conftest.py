"""Shared fixtures: where the model mirror and test photos are, built sites, one Chromium.

Starting Chromium takes seconds on a small machine, so the browser tests share one
headless Chromium (one profile) for the whole session, and the example sketch is built
once. Each sketch a test writes is built into its own temporary site and served on
127.0.0.1 by ``ml5py.tooling.server``, which also serves ``/models/`` from the mirror.

Browser tests never skip silently: without chromium they fail with the message that says
how to install it. ``ML5PY_SKIP_BROWSER=1`` skips them on purpose, saying so.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import pytest

import ml5py  # noqa: F401 (as in any program: a relative ML5PY_MODELS is made absolute once, here)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "classify_image" / "sketch.py"

_SETTING = os.environ.get("ML5PY_MODELS", "")
MIRROR = (Path(_SETTING) if _SETTING and not _SETTING.startswith(("http://", "https://"))
          else SHARED / "pretrained")
IMAGES = SHARED / "images"
if not _SETTING:
    # The CPython runs, the dev server's /models/ route and subprocesses read the mirror.
    os.environ["ML5PY_MODELS"] = str(MIRROR)

# A fake webcam (a moving test pattern) that sketches may use without asking; precise
# JS heap figures and window.gc() for the long-run memory checks.
SESSION_FLAGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 "--enable-precise-memory-info", "--js-flags=--expose-gc"]

PAGE_TIMEOUT = 180.0  # seconds for a page to load a model and print (SwiftShader WebGL is slow)


# ---------------------------------------------------------------- plain paths

@pytest.fixture(scope="session")
def mirror() -> Path:
    """The local weights mirror (laid out like ../shared/pretrained)."""
    if not (MIRROR / "mobilenet_v1_0.75_224").is_dir():
        pytest.fail(f"No model mirror at {MIRROR}: set ML5PY_MODELS to a folder laid out "
                    "like ../shared/pretrained.", pytrace=False)
    return MIRROR


@pytest.fixture(scope="session")
def images() -> Path:
    """The shared test photos (never copied into the repository, only into tmp dirs)."""
    if not (IMAGES / "bird.jpg").is_file():
        pytest.fail(f"No test photos at {IMAGES} (expected bird.jpg there).", pytrace=False)
    return IMAGES


# ---------------------------------------------------------------- sketches and sites

def write_sketch(folder: Path, source: str, assets: Dict[str, object] = None) -> Path:
    """Write ``sketch.py`` (dedented) into ``folder`` with its assets beside it.

    ``assets`` maps a file name (may include folders) to a source Path (copied) or bytes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    sketch = folder / "sketch.py"
    sketch.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    for name, content in (assets or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)  # "my_model/model.json"
        if isinstance(content, Path):
            shutil.copyfile(content, folder / name)
        else:
            (folder / name).write_bytes(content)  # type: ignore[arg-type]
    return sketch


def run_cpython(sketch: Path, *args: str, timeout: float = 300) -> List[str]:
    """Run a sketch with this Python in its own folder; its printed lines."""
    finished = subprocess.run([sys.executable, sketch.name, *args], cwd=sketch.parent,
                              capture_output=True, text=True, timeout=timeout)
    assert finished.returncode == 0, (
        f"CPython run of {sketch} failed (exit {finished.returncode}):\n"
        f"{finished.stdout}\n{finished.stderr}")
    return finished.stdout.splitlines()


@dataclass
class Site:
    """A built sketch, served on 127.0.0.1."""

    folder: Path        # the sketch's folder (sketch.py and its assets)
    sketch: Path
    out: Path           # the built static site
    server: object      # ml5py.tooling.server's ThreadingHTTPServer
    url: str            # http://127.0.0.1:PORT/

    def page(self, backend: Optional[str] = "wasm", **query: str) -> str:
        """The page URL, with ``?backend=`` (None: let ml5py choose) and other parameters."""
        if backend:
            query = {"backend": backend, **query}
        return self.url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def build_and_serve(folder: Path) -> Site:
    from ml5py.tooling.build import build
    from ml5py.tooling.server import serve_in_background, url_of

    sketch = folder / "sketch.py"
    out = build(sketch, folder.parent / (folder.name + "-site"), models_url="models/")
    server = serve_in_background(out)
    return Site(folder, sketch, out, server, url_of(server))


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Iterator[Callable[..., Site]]:
    """A factory: ``sites(source, assets)`` writes a sketch, builds it and serves it."""
    servers = []

    def make(source: str, assets: Dict[str, object] = None, name: str = "sketch") -> Site:
        folder = tmp_path_factory.mktemp(name)
        write_sketch(folder, source, assets)
        site = build_and_serve(folder)
        servers.append(site.server)
        return site

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory, mirror: Path, images: Path,
                 sites: Callable[..., Site]) -> Site:
    """examples/classify_image/sketch.py, copied with bird.jpg beside it, built and served once."""
    return sites(EXAMPLE.read_text(encoding="utf-8"), {"bird.jpg": images / "bird.jpg"},
                 name="example")


# ---------------------------------------------------------------- the browser

def _browser_allowed() -> None:
    if os.environ.get("ML5PY_SKIP_BROWSER") == "1":
        pytest.skip("ML5PY_SKIP_BROWSER=1: browser tests skipped on purpose")


@pytest.fixture(scope="session")
def _session_driver() -> Iterator[object]:
    _browser_allowed()
    from browser import chromium, chromium_binaries

    try:
        chromium_binaries()
    except RuntimeError as error:  # fail, never skip: CI must prove the browser half works
        pytest.fail(str(error), pytrace=False)
    with chromium(SESSION_FLAGS) as driver:
        yield driver


@pytest.fixture
def driver(_session_driver) -> object:
    """The session's headless Chromium, on a blank page (one profile for all tests)."""
    _session_driver.get("about:blank")
    return _session_driver


def open_page(driver, url: str, lines: int = 0, until: Optional[str] = None,
              timeout: float = PAGE_TIMEOUT, error_fails: bool = True) -> List[str]:
    """Open ``url`` and wait until the sketch printed ``lines`` lines (or JS ``until`` holds).

    Fails with the page's error box text if the page shows an error first (unless
    ``error_fails`` is False: the page may show one the sketch's callback is given too).
    """
    from browser import printed_lines, wait_for

    driver.get(url)
    wait_for(driver, "return window.ml5pySketchLoaded === true", timeout=timeout)
    if lines:
        wait_for(driver, f"return window.ml5py.lines.length >= {int(lines)}", timeout=timeout,
                 error_fails=error_fails)
    if until:
        wait_for(driver, until, timeout=timeout, error_fails=error_fails)
    return printed_lines(driver)


def page_state(driver) -> dict:
    """What the page shows: printed lines, status, error box, and the TF.js backend."""
    return driver.execute_script("""
        var error = document.getElementById('ml5py-error');
        return {lines: window.ml5py ? window.ml5py.lines.slice() : [],
                status: (document.getElementById('ml5py-status') || {}).textContent,
                error: error && !error.hidden ? error.textContent : '',
                backend: window.tf ? tf.getBackend() : null};""")


def parse_results(lines: List[str]) -> List[tuple]:
    """``label confidence`` lines -> [(label, float)]; JS prints ``1`` where Python prints ``1.0``."""
    parsed = []
    for line in lines:
        label, _, number = line.rpartition(" ")
        assert label, f"not a 'label confidence' line: {line!r}"
        parsed.append((label, float(number)))
    return parsed
