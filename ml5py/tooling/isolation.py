"""Cross-origin isolation for ml5py's pages, so TensorFlow.js's wasm backend can use every core.

Threaded WebAssembly needs ``SharedArrayBuffer``, which a browser gives only to a page that is
*cross-origin isolated*: its document is sent with ``Cross-Origin-Opener-Policy: same-origin``
and ``Cross-Origin-Embedder-Policy: require-corp``. ``ml5py serve`` sends both on every answer
(``ISOLATION_HEADERS``). A built site on a static host that sends neither (GitHub Pages, a
plain ``python -m http.server``) installs ``ml5py-isolation-sw.js``, a small service worker of
ours that adds the same headers to the site's own files; ``ml5py-page.js`` registers it and
reloads the page once when it takes over. On hosts that send the headers themselves the page
is isolated at once and the worker is never registered.

What isolation changes for a sketch: every file of the site is same-origin, so nothing of it
needs ``Cross-Origin-Resource-Policy``. A file from another site (a learner's model URL, a
photo URL) loads only when its server allows other pages to read it (CORS,
``Access-Control-Allow-Origin``), which reading its pixels or weights needed anyway; the
error then names the URL and says what to do (``loading_browser.py``, ``images_browser.py``).
"""
from __future__ import annotations

from pathlib import Path

SERVICE_WORKER = "ml5py-isolation-sw.js"  # at the site's root: its scope is the whole site
WEB_DIR = Path(__file__).resolve().parents[1] / "web"

ISOLATION_HEADERS = (
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Embedder-Policy", "require-corp"),
    # the site's files are only for this site's pages (same-origin pages need no CORP to load them)
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


def service_worker_source() -> Path:
    """The service worker file a built site carries beside its index.html."""
    return WEB_DIR / SERVICE_WORKER
