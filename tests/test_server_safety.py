"""The dev server answers only its own host names, says when it is open to the network, and
explains bad options."""
from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import write_sketch
from ml5py.tooling.server import make_server


@pytest.fixture
def server(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>the sketch</p>")
    server = make_server(tmp_path / "site", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def ask(server, path: str = "/", host: str | None = "default", address: str = "127.0.0.1"):
    port = server.server_address[1]
    connection = http.client.HTTPConnection(address, port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host == "default":
            host = f"127.0.0.1:{port}"
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.reason, response.read()
    finally:
        connection.close()


def test_only_this_computers_host_names_are_answered(server):
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert ask(server, host=host)[0] == 200, host
    for host in (f"evil.example:{port}", f"attacker.com:{port}", f"127.0.0.1.nip.io:{port}",
                 "localhost", f"localhost:{port + 1}", f"localhost:{port}x", f"192.168.1.20:{port}", "", None):
        status, reason, body = ask(server, host=host)
        assert status == 403 and b"the sketch" not in body, host
        assert b"ml5py serve answers only requests for this computer" in body


def test_listening_on_every_address_also_answers_ip_addresses_and_this_machines_name(tmp_path):
    (tmp_path / "index.html").write_text("hi")
    server = make_server(tmp_path, host="0.0.0.0", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        for host in (f"192.168.1.20:{port}", f"{socket.gethostname()}:{port}", f"localhost:{port}"):
            assert ask(server, host=host)[0] == 200, host
        assert ask(server, host=f"evil.example:{port}")[0] == 403
    finally:
        server.shutdown()
        server.server_close()


def test_a_very_long_url_is_a_plain_404_naming_no_local_path(server, tmp_path):
    for path in ("/" + "a" * 5000, "/models/" + "b" * 5000 + "/model.json", "/app/" + "c/" * 3000):
        status, reason, body = ask(server, path)
        assert status in (404, 414), (path[:20], status)
        assert str(tmp_path).encode() not in body and str(tmp_path) not in reason


def serve_command(*args: str, cwd: Path):
    return subprocess.Popen([sys.executable, "-m", "ml5py.tooling.cli", "serve", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serving_beyond_loopback_warns_loudly(tmp_path):
    write_sketch(tmp_path, "print('hi')\n")
    process = serve_command("sketch.py", "--host", "0.0.0.0", "--port", "0", "--no-reload", cwd=tmp_path)
    try:
        first = process.stdout.readline()
        assert "Serving sketch.py at http://0.0.0.0:" in first, (first, process.poll())
        warning = process.stderr.readline()
        assert warning.startswith("WARNING: ml5py serve is listening on 0.0.0.0: every machine on your "
                                  "network can now open this sketch"), warning
        assert "Press Ctrl+C to stop" in warning and "--host 127.0.0.1" in warning
    finally:
        process.terminate()
        process.wait(timeout=30)


def finished(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ml5py.tooling.cli", "serve", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_bad_ports_and_hosts_are_explained_without_a_traceback(tmp_path):
    write_sketch(tmp_path, "print('hi')\n")
    for port in ("99999", "-1", "eighty"):
        done = finished("sketch.py", "--port", port, cwd=tmp_path)
        assert done.returncode == 2 and f"argument --port: '{port}' is not a port" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        done = finished("sketch.py", "--port", str(port), cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert f"Port {port} is already in use" in done.stderr and f"--port {port + 1}" in done.stderr
    finally:
        busy.close()
    for host in ("no-such-host.invalid", "8.8.8.8"):
        done = finished("sketch.py", "--host", host, "--port", "0", cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert re.search(rf"--host {re.escape(host)} is not an address", done.stderr), done.stderr
