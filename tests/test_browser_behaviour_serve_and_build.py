"""The dev server and the build command, checked from outside as a learner meets them: no
paths outside the site, the right content types, ``ml5py serve`` on loopback, and
``ml5py build``'s errors (no browser needed).
"""
from __future__ import annotations

import http.client
import re
import subprocess
import sys
from pathlib import Path

from browser_behaviour_helpers import raw_get
from conftest import write_sketch


# ================================================================ the dev server

TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/app/../../../../etc/passwd",
    "/app/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/models/../../../../etc/passwd",
    "/models/mobilenet_v1_0.75_224/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/models/mobilenet_v1_0.75_224/../../../../../../etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "/%00index.html",
]


def test_dev_server_refuses_paths_outside_the_site(example_site):
    server = example_site.server
    assert server.server_address[0] == "127.0.0.1"
    secret = Path("/etc/passwd").read_bytes()[:20] if Path("/etc/passwd").exists() else b"root:"
    for path in TRAVERSALS:
        status, _, body = raw_get(server, path)
        assert status in (400, 403, 404), (path, status, body[:200])
        assert secret not in body and b"root:" not in body, path
    # the folder the site sits in is outside it too
    sibling = example_site.out.parent / "outside.txt"
    sibling.write_text("not for the web")
    status, _, body = raw_get(server, f"/../{sibling.name}")
    assert status in (403, 404) and b"not for the web" not in body


def test_dev_server_serves_the_site_and_models_with_the_right_types(example_site):
    server = example_site.server
    expected = {
        "/": "text/html",
        "/index.html": "text/html",
        "/app/sketch.js": "text/javascript",
        "/lib/tf-core.es2017.min.js": "text/javascript",
        "/lib/tfjs-backend-wasm-simd.wasm": "application/wasm",
        "/models/mobilenet_v1_0.75_224/model.json": "application/json",
        "/bird.jpg": "image/jpeg",
    }
    for path, content_type in expected.items():
        status, headers, body = raw_get(server, path)
        assert status == 200, (path, status)
        assert headers["Content-Type"].split(";")[0] == content_type, (path, headers)
        assert int(headers["Content-Length"]) == len(body) > 0
    for path in ["/models/mobilenet_v1_0.75_224/nothing.bin", "/models/no-such-model/model.json",
                 "/models/", "/models/model.json", "/models/mobilenet_v1_0.75_224/",
                 "/no-such-file.js"]:
        status, _, _ = raw_get(server, path)
        assert status == 404, (path, status)


def test_ml5py_serve_binds_loopback_and_prints_the_url(tmp_path, images):
    sketch = write_sketch(tmp_path / "sketch", "print('hello')\n", {"bird.jpg": images / "bird.jpg"})
    process = subprocess.Popen([sys.executable, "-m", "ml5py.tooling.cli", "serve", str(sketch), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = process.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)/", first_line)
        assert match, (first_line, process.poll())
        assert match.group(1) == "127.0.0.1", first_line
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(2)), timeout=30)
        connection.request("GET", "/bird.jpg")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == (images / "bird.jpg").read_bytes()
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


# ================================================================ ml5py build

def ml5py_cli(*args: str, cwd: Path):
    return subprocess.run([sys.executable, "-m", "ml5py.tooling.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_build_reports_a_syntax_error_with_file_and_line(tmp_path):
    write_sketch(tmp_path, "from ml5py import ImageClassifier\n\nclassifier = ImageClassifier('MobileNet'\nprint('hi')\n")
    finished = ml5py_cli("build", "sketch.py", "-o", "site", cwd=tmp_path)
    assert finished.returncode != 0
    assert "sketch.py" in finished.stderr and re.search(r"line [34]\b", finished.stderr), finished.stderr
    assert "Traceback" not in finished.stderr, finished.stderr
    assert not (tmp_path / "site").exists()


def test_build_refuses_a_folder_it_did_not_make(tmp_path):
    write_sketch(tmp_path, "print('hi')\n")
    out = tmp_path / "homework"
    out.mkdir()
    (out / "essay.txt").write_text("my essay")
    finished = ml5py_cli("build", "sketch.py", "-o", "homework", cwd=tmp_path)
    assert finished.returncode != 0
    assert "homework" in finished.stderr and "did not build" in finished.stderr, finished.stderr
    assert (out / "essay.txt").read_text() == "my essay"
    # a folder from an earlier build is replaced without fuss, and an empty one is fine
    (tmp_path / "empty").mkdir()
    for folder in ["site", "site", "empty"]:
        finished = ml5py_cli("build", "sketch.py", "-o", folder, cwd=tmp_path)
        assert finished.returncode == 0, finished.stderr
        assert (tmp_path / folder / "index.html").is_file()
