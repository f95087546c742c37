"""``ml5py serve``: a small web server for a built sketch, on 127.0.0.1 by default.

It serves two things and nothing else: the built site folder, and pretrained weights
under ``/models/<model id>/<file>`` (taken from ``$ML5PY_MODELS``, the user cache, or
downloaded once from upstream and verified). Any other path is refused.
"""
from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
    from ml5py import registry

    rest = url_path[len("/models/"):]
    if "/" not in rest:
        return None
    model_id, filename = rest.rsplit("/", 1)
    for entry in registry.all_entries():
        if entry["id"] == model_id and filename in entry.get("files", {}):
            return registry.model_file(entry, filename)
    return None


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
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPES.get(file.suffix, None)
                         or mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _site_file(self, path: str) -> Path | None:
        root = self.site.resolve()
        file = (root / path.lstrip("/")).resolve()
        if file != root and root not in file.parents:
            raise PermissionError(path)
        if file.is_dir():
            file = file / "index.html"
        return file

    def log_message(self, format: str, *args) -> None:  # quieter than the default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000,
                verbose: bool = False) -> ThreadingHTTPServer:
    """A server for ``site`` (not started yet); port 0 picks a free port."""
    handler = type("BoundSiteHandler", (SiteHandler,), {"site": Path(site)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def serve_in_background(site: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start a server in a background thread (used by tests and benchmarks)."""
    server = make_server(site, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
