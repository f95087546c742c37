"""The dev server tags each file it sends, so a browser may ask "changed?" and keep its copy
(and the code it compiled from it): unchanged files get 304 and no body, changed ones the new
file and a new tag."""
from __future__ import annotations

import http.client
import os
import threading

import pytest

from ml5py.tooling.server import make_server


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    (folder / "lib").mkdir(parents=True)
    (folder / "lib" / "tf.js").write_text("var tf = 1;")
    server = make_server(folder, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, folder
    server.shutdown()
    server.server_close()


def get(server, path: str, tag: str | None = None):
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        if tag is not None:
            connection.putheader("If-None-Match", tag)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_an_unchanged_file_is_not_sent_again(site):
    server, _ = site
    status, headers, body = get(server, "/lib/tf.js")
    assert status == 200 and body == b"var tf = 1;"
    tag = headers["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert headers["Cache-Control"] == "no-cache"  # (always asked again: a rebuild shows at once)

    status, headers, body = get(server, "/lib/tf.js", tag)
    assert status == 304 and body == b""
    assert headers["ETag"] == tag
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"  # (still isolated)
    assert get(server, "/lib/tf.js", f'"other", {tag}')[0] == 304  # one of several tags


def test_a_changed_file_is_sent_with_a_new_tag(site):
    server, folder = site
    _, headers, _ = get(server, "/lib/tf.js")
    old = headers["ETag"]
    file = folder / "lib" / "tf.js"
    file.write_text("var tf = 22;")
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    status, headers, body = get(server, "/lib/tf.js", old)
    assert status == 200 and body == b"var tf = 22;"
    assert headers["ETag"] != old
    assert get(server, "/lib/tf.js", '"not-a-tag"')[0] == 200
