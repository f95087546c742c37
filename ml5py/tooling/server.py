"""``ml5py serve``: a small web server for a built sketch, on 127.0.0.1 by default.

It serves two things and nothing else: the built site folder, and pretrained weights
under ``/models/<model id>/<file>`` (taken from ``$ML5PY_MODELS``, the user cache, or
downloaded once from upstream and verified). Any other path is refused.

With a :class:`LiveSite` (``ml5py serve`` makes one) the server also answers
``/__ml5py__/version`` with the current build number and build error, and adds one line to
the HTML pages it sends that starts the page's reload check (``ml5py.live`` in
ml5py-page.js). The check is a long poll: ``/__ml5py__/version?after=N`` answers as soon as
the build number is no longer ``N`` (or after ``LONG_POLL_SECONDS`` with the same state), so
a page hears of a new build the moment it is published. Rebuilds switch the site folder
atomically (:meth:`LiveSite.publish`), so the server never serves a half-built site. A
static site from ``ml5py build`` has neither.
"""
from __future__ import annotations

import json
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".map": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".py": "text/plain; charset=utf-8",
}


def model_file_for(url_path: str) -> Path | None:
    """The local file for ``/models/<id>/<file>`` (fetched into the cache if needed)."""
    from ml5py.weights import registry

    rest = url_path[len("/models/"):]
    if "/" not in rest:
        return None
    model_id, filename = rest.rsplit("/", 1)
    try:  # one entry, not a copy of the whole registry for each of a model's many files
        entry = registry.find_entry(model_id)
    except registry.UnknownModelError:
        return None
    if entry["id"] != model_id or filename not in entry.get("files", {}):
        return None
    return registry.model_file(entry, filename)


LIVE_PATH = "/__ml5py__/version"
LONG_POLL_SECONDS = 15.0  # a waiting page asks again after this (well under idle-connection timeouts)


class LiveSite:
    """The folder the dev server shows now, its build number, and the last build error."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.version = 0
        self.error: str | None = None
        self._lock = threading.Condition()

    def publish(self, root: Path | None = None, error: str | None = None) -> int:
        """A build finished: show ``root`` from now on (or keep the old site and report
        ``error``). Returns the new build number the pages compare against."""
        with self._lock:
            if root is not None:
                self.root = Path(root)
            self.error = error
            self.version += 1
            self._lock.notify_all()
            return self.version

    def state(self) -> dict:
        with self._lock:
            return {"version": self.version, "error": self.error}

    def state_after(self, version: int, timeout: float = LONG_POLL_SECONDS) -> dict:
        """The state once the build number is no longer ``version`` (or after ``timeout`` seconds)."""
        with self._lock:
            self._lock.wait_for(lambda: self.version != version, timeout)
            return {"version": self.version, "error": self.error}

    def reload_script(self) -> bytes:
        """The line added to served HTML pages: start polling for new builds."""
        options = json.dumps({"version": self.state()["version"], "url": LIVE_PATH})
        return (f"<script>window.ml5py && window.ml5py.live && window.ml5py.live({options});"
                "</script>\n").encode()


class SiteHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for files of the site folder and registry model files."""

    site: Path  # set on the subclass made by make_server
    server_version = "ml5py"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if "\x00" in path or "/../" in path + "/" or "\\" in path:
            return self.send_error(HTTPStatus.FORBIDDEN, "Paths outside the site are refused")
        live = getattr(self.server, "live", None)
        if live is not None and path == LIVE_PATH:
            after = parse_qs(urlsplit(self.path).query).get("after", [""])[0]
            state = live.state_after(int(after)) if after.isdigit() else live.state()
            return self._send(json.dumps(state).encode(), "application/json", send_body)
        try:
            file = model_file_for(path) if path.startswith("/models/") else self._site_file(path)
        except PermissionError:
            return self.send_error(HTTPStatus.FORBIDDEN, "Paths outside the site are refused")
        except Exception as error:  # a model file that could not be fetched or verified
            self.log_error("%s", error)
            return self.send_error(HTTPStatus.BAD_GATEWAY, str(error).splitlines()[0][:200])
        if file is None or not file.is_file():
            return self.send_error(HTTPStatus.NOT_FOUND, "No such file in this sketch's site")
        body = file.read_bytes()
        if live is not None and file.suffix == ".html":
            body = self._with_reload(body, live)
        self._send(body, CONTENT_TYPES.get(file.suffix, None)
                   or mimetypes.guess_type(file.name)[0] or "application/octet-stream", send_body)

    def _send(self, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    @staticmethod
    def _with_reload(body: bytes, live: LiveSite) -> bytes:
        script = live.reload_script()
        at = body.rfind(b"</body>")
        return body[:at] + script + body[at:] if at >= 0 else body + script

    def _root(self) -> Path:
        live = getattr(self.server, "live", None)
        return live.root if live is not None else self.site

    def _site_file(self, path: str) -> Path | None:
        root = self._root().resolve()
        file = (root / path.lstrip("/")).resolve()
        if file != root and root not in file.parents:
            raise PermissionError(path)
        if file.is_dir():
            file = file / "index.html"
        return file

    def log_message(self, format: str, *args) -> None:  # quieter than the default
        if getattr(self.server, "verbose", False) and not self.path.startswith(LIVE_PATH):
            super().log_message(format, *args)


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000,
                verbose: bool = False, live: LiveSite | None = None) -> ThreadingHTTPServer:
    """A server for ``site`` (not started yet); port 0 picks a free port.

    ``live``: serve whatever folder ``live.root`` names at each request, plus the reload
    check (the dev server's rebuild-on-save); ``site`` is then only its starting folder.
    """
    handler = type("BoundSiteHandler", (SiteHandler,), {"site": Path(site)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    server.live = live  # type: ignore[attr-defined]
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def serve_in_background(site: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start a server in a background thread (used by tests and benchmarks)."""
    server = make_server(site, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
