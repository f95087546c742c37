"""Shared by the registry tests: the model mirror, file sums, and the fixtures that give each
test a fresh cache (``isolated``, autouse: import it into every registry test module) and a
tiny fake model on a local http.server (``site``).

No test touches the internet: "upstream" is a local http.server on 127.0.0.1, and an
"unreachable" host is a loopback port nobody listens on.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import socket
import threading
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
_SETTING = os.environ.get("ML5PY_MODELS", "")
MIRROR = (Path(_SETTING) if _SETTING and not _SETTING.startswith(("http://", "https://"))
          else REPO.parent / "shared" / "pretrained")
needs_mirror = pytest.mark.skipif(not MIRROR.is_dir(), reason=f"no model mirror at {MIRROR}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_in(folder: Path) -> list:
    """Every file (temporary ones included) under a folder."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache, and no ML5PY_MODELS unless a test sets it."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ML5PY_CACHE", str(cache))
    monkeypatch.delenv("ML5PY_MODELS", raising=False)
    return cache


class Server:
    """A static http server on 127.0.0.1 serving one folder, in a thread."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Dict[str, Any]]:
    """A tiny fake model on a local server: ``site["entry"]`` is its registry entry."""
    root = tmp_path / "site"
    folder = root / "fake"
    folder.mkdir(parents=True)
    contents = {
        "model.json": json.dumps({"modelTopology": {}, "weightsManifest": [{"paths": ["group1-shard1of1.bin"]}]}).encode(),
        "group1-shard1of1.bin": bytes(range(256)) * 20,
    }
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    server = Server(root)
    entry = {
        "id": "fake",
        "names": ["Fake"],
        "entry": "model.json",
        "upstream": server.url + "fake/",
        "files": {name: {"size": len(data), "sha256": sha256(data)} for name, data in contents.items()},
    }
    yield {"root": root, "folder": folder, "server": server, "entry": entry, "contents": contents}
    server.stop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
