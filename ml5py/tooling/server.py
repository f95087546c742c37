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
static site from ``ml5py build`` has neither. Every file is sent with the cross-origin
isolation headers (``isolation.py``), so the page may run TF.js's wasm on every core.
"""
from __future__ import annotations

import json
import mimetypes
import os
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ml5py.tooling.isolation import ISOLATION_HEADERS
from ml5py.tooling.server_hosts import HostCheck

IDLE_TIMEOUT_S = 20.0  # a connection that sends nothing for this long is closed
LISTEN_BACKLOG = 256  # connections waiting to be accepted (http.server's default is 5)
CHUNK = 256 * 1024
QUIET_ERRORS = (ConnectionError, socket.timeout, TimeoutError)  # a browser that went away

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
    # HTTP/1.1: a browser keeps its connections for the next file and revalidates what it has
    # (Chromium ignores an ETag on an HTTP/1.0 answer); every answer says its length (send_error
    # closes the connection). No Nagle: a kept connection sends the headers and the body at
    # once, where Nagle and the browser's delayed ACK held small files up to 40 ms each.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_S  # (socketserver: the socket's timeout, so idle connections close)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        hosts = getattr(self.server, "hosts", None)
        if hosts is not None and not hosts.allows(self.headers.get("Host")):
            return self._refuse_host(hosts, send_body)
        path = unquote(urlsplit(self.path).path)
        if "\x00" in path or "/../" in path + "/" or "\\" in path:
            return self.send_error(HTTPStatus.FORBIDDEN, "Paths outside the site are refused")
        if any(part.startswith(".") for part in path.split("/")):  # dotfiles: private, never served
            return self.send_error(HTTPStatus.NOT_FOUND, "No such file in this sketch's site")
        live = getattr(self.server, "live", None)
        if live is not None and path == LIVE_PATH:
            after = parse_qs(urlsplit(self.path).query).get("after", [""])[0]
            state = live.state_after(int(after)) if after.isdigit() else live.state()
            return self._send(json.dumps(state).encode(), "application/json", send_body)
        try:
            file = model_file_for(path) if path.startswith("/models/") else self._site_file(path)
            found = file is not None and file.is_file()
        except PermissionError:
            return self.send_error(HTTPStatus.FORBIDDEN, "Paths outside the site are refused")
        except OSError as error:
            if not path.startswith("/models/"):  # a name too long for this system, say
                return self.send_error(HTTPStatus.NOT_FOUND, "No such file in this sketch's site")
            return self._model_error(error)
        except Exception as error:  # a model file that could not be fetched or verified
            return self._model_error(error)
        if not found:
            return self.send_error(HTTPStatus.NOT_FOUND, "No such file in this sketch's site")
        content_type = (CONTENT_TYPES.get(file.suffix, None) or mimetypes.guess_type(file.name)[0]
                        or "application/octet-stream")
        if live is not None and file.suffix == ".html":
            return self._send(self._with_reload(file.read_bytes(), live), content_type, send_body)
        self._send_file(file, content_type, send_body)

    def _model_error(self, error: Exception) -> None:
        """Say in the terminal what went wrong; the page gets a 502 that names no local path."""
        print(f"ml5py serve: {self.path}: {str(error).splitlines()[0] if str(error) else type(error).__name__}",
              file=sys.stderr, flush=True)
        self.send_error(HTTPStatus.BAD_GATEWAY, "This model file could not be fetched or verified; "
                        "the terminal running ml5py serve says why")

    def _refuse_host(self, hosts: HostCheck, send_body: bool) -> None:
        body = hosts.refusal(self.headers.get("Host")).encode()
        self.send_response(HTTPStatus.FORBIDDEN, "Host not served")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _send(self, body: bytes, content_type: str, send_body: bool) -> None:
        self._headers(len(body), content_type)
        if send_body:
            self.wfile.write(body)

    def _headers(self, length: int | None, content_type: str, tag: str | None = None,
                 status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-cache")  # (asked again each time: a rebuild shows at once)
        if tag is not None:
            self.send_header("ETag", tag)
        for name, value in ISOLATION_HEADERS:  # cross-origin isolated: threaded wasm (isolation.py)
            self.send_header(name, value)
        self.end_headers()

    def _send_file(self, file: Path, content_type: str, send_body: bool) -> None:
        """Stream a file in pieces (never whole in memory). Its tag (size and time) lets the
        browser ask "changed?" and keep what it has: with the file, it keeps the compiled code
        of a script or of wasm, so a reload need not compile TF.js again."""
        try:
            handle = open(file, "rb")
        except OSError:
            return self.send_error(HTTPStatus.NOT_FOUND, "No such file in this sketch's site")
        with handle:
            stat = os.fstat(handle.fileno())
            tag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
            if tag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
                return self._headers(None, content_type, tag, HTTPStatus.NOT_MODIFIED)
            self._headers(stat.st_size, content_type, tag)
            if send_body:
                while True:
                    piece = handle.read(CHUNK)
                    if not piece:
                        break
                    self.wfile.write(piece)

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
        if getattr(self.server, "verbose", False) and not getattr(self, "path", "").startswith(LIVE_PATH):
            super().log_message(format, *args)


class SiteServer(ThreadingHTTPServer):
    """http.server's threading server, made for a classroom: a long listen backlog, one
    thread per connection that gives up on idle clients, and no traceback when a browser
    drops a connection."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 (socketserver's signature)
        error = sys.exc_info()[1]
        if isinstance(error, QUIET_ERRORS):
            return  # the browser closed the tab, reloaded, or stopped sending
        print(f"ml5py serve: error answering {client_address[0]}: {type(error).__name__}: {error}",
              file=sys.stderr, flush=True)


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000,
                verbose: bool = False, live: LiveSite | None = None,
                idle_timeout: float = IDLE_TIMEOUT_S) -> SiteServer:
    """A server for ``site`` (not started yet); port 0 picks a free port.

    ``live``: serve whatever folder ``live.root`` names at each request, plus the reload
    check (the dev server's rebuild-on-save); ``site`` is then only its starting folder.
    Only requests whose Host header names this server are answered (``server_hosts``).
    """
    handler = type("BoundSiteHandler", (SiteHandler,), {"site": Path(site), "timeout": idle_timeout})
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("SiteServerOnFamily", (SiteServer,), {"address_family": family})
    server = server_class((host.strip("[]"), port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.live = live  # type: ignore[attr-defined]
    server.hosts = HostCheck(host, server.server_address[1])  # type: ignore[attr-defined]
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve_in_background(site: Path, host: str = "127.0.0.1", port: int = 0) -> SiteServer:
    """Start a server in a background thread (used by tests and benchmarks)."""
    server = make_server(site, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
