"""Downloads are checked against Content-Length and model.json, bounded, and give up on a stalled
transfer; a cache that cannot be written is explained."""
from __future__ import annotations

import errno
import functools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from conftest import MIRROR
from ml5py import ImageClassifier
from ml5py.tooling import cli
from ml5py.weights import registry, transfer
from ml5py.weights.fetch import fetch
from ml5py.weights.user_models import COMPLETE
from test_image_classifier import write_teachable_machine_model


class Misbehaving(BaseHTTPRequestHandler):
    """Serves ``files`` ({path: bytes}) and misbehaves as ``mode[path]`` says."""

    files: dict = {}
    mode: dict = {}
    requests: list = []

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        how = self.mode.get(self.path, "whole")
        self.send_response(200)
        if how != "no length":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if how == "cut":
            self.wfile.write(body[: len(body) // 2])  # then the connection closes
        elif how == "trickle":
            for index in range(0, len(body), 10):
                self.wfile.write(body[index:index + 10])
                time.sleep(0.25)
        else:
            self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A server that keeps its own noise (a client that hung up early: a broken pipe, also one
    that comes after its test, from a trickling answer still being written) off stderr, where
    the tests read ml5py's messages."""

    def handle_error(self, request, client_address) -> None:
        pass


@pytest.fixture
def upstream(tmp_path, monkeypatch):
    Misbehaving.files, Misbehaving.mode, Misbehaving.requests = {}, {}, []
    server = _QuietServer(("127.0.0.1", 0), Misbehaving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def publish_model(folder: Path, url_path: str, weights: bytes | None = None) -> dict:
    write_teachable_machine_model(folder)
    if weights is not None:
        (folder / "weights.bin").write_bytes(weights)
    for name in ("model.json", "metadata.json", "weights.bin"):
        Misbehaving.files[f"{url_path}/{name}"] = (folder / name).read_bytes()
    return Misbehaving.files


RED = np.zeros((8, 8, 3), np.uint8)
RED[..., 0] = 255


def test_a_cut_short_weights_download_is_not_cached_and_is_fetched_again(upstream, tmp_path):
    publish_model(tmp_path / "model", "/tm")
    Misbehaving.mode["/tm/weights.bin"] = "cut"
    with pytest.raises(registry.DownloadError, match=r"weights.bin.*: the connection dropped after 16 of the 32 "
                                                     r"bytes the server announced; nothing was saved"):
        ImageClassifier(f"{upstream}/tm/").classify(RED)
    cache_folders = list((tmp_path / "cache" / "user").iterdir())
    assert not (cache_folders[0] / COMPLETE).exists() and not (cache_folders[0] / "weights.bin").exists()
    Misbehaving.mode.clear()  # the server is fixed: the next run asks again and works
    Misbehaving.requests.clear()
    assert ImageClassifier(f"{upstream}/tm/").classify(RED)[0]["label"] == "red"
    assert "/tm/weights.bin" in Misbehaving.requests and (cache_folders[0] / COMPLETE).is_file()
    Misbehaving.requests.clear()
    assert ImageClassifier(f"{upstream}/tm/").classify(RED)[0]["label"] == "red"
    assert Misbehaving.requests == []  # complete: the cache is used


@pytest.mark.parametrize("mode", ["whole", "no length"])
def test_weights_longer_than_model_json_declares_are_refused(upstream, tmp_path, mode):
    publish_model(tmp_path / "model", "/big", weights=b"\0" * 5_000_000)  # 32 bytes declared
    Misbehaving.mode["/big/weights.bin"] = mode
    with pytest.raises(registry.DownloadError, match="at most 32 were expected|longer than the 32 bytes expected"):
        ImageClassifier(f"{upstream}/big/").classify(RED)
    assert not list((tmp_path / "cache").rglob("weights.bin"))


def test_weights_shorter_than_declared_without_a_length_are_refused(upstream, tmp_path):
    publish_model(tmp_path / "model", "/short", weights=b"\0" * 20)
    Misbehaving.mode["/short/weights.bin"] = "no length"
    with pytest.raises(registry.ModelFileError, match=r"hold 20 bytes, but model.json declares 32"):
        ImageClassifier(f"{upstream}/short/").classify(RED)


def test_a_local_model_with_short_weights_names_the_file(tmp_path):
    write_teachable_machine_model(tmp_path / "mine")
    (tmp_path / "mine" / "weights.bin").write_bytes(b"\0" * 10)
    with pytest.raises(registry.ModelFileError, match=r"mine/weights.bin holds 10 bytes, but .*model.json "
                                                      r"declares 32 bytes of weights: the file is incomplete"):
        ImageClassifier(str(tmp_path / "mine")).classify(RED)


def mirror_of_doodlenet(mode: str) -> None:
    for name in ("model.json", "group1-shard1of1.bin"):
        Misbehaving.files[f"/doodlenet/{name}"] = (MIRROR / "doodlenet" / name).read_bytes()
    Misbehaving.mode["/doodlenet/group1-shard1of1.bin"] = mode


def test_a_dropped_registry_download_is_called_a_dropped_connection(upstream, monkeypatch):
    mirror_of_doodlenet("cut")
    monkeypatch.setenv("ML5PY_MODELS", upstream)
    with pytest.raises(registry.DownloadError) as info:
        fetch("DoodleNet", progress=False)
    assert "the connection dropped after 1088402 of the 2176804 bytes" in str(info.value)
    assert "sent something else" not in str(info.value)


def test_fetch_gives_up_on_a_stalled_transfer_saying_rate_and_time(upstream, monkeypatch, capsys):
    mirror_of_doodlenet("trickle")  # 10 bytes every quarter of a second
    monkeypatch.setenv("ML5PY_MODELS", upstream)
    monkeypatch.setattr(transfer, "STALL_WINDOW_S", 1.0)
    monkeypatch.setattr(transfer, "STALL_MIN_RATE", 1000.0)
    outcome = []
    fetching = threading.Thread(target=lambda: outcome.append(cli.main(["fetch", "DoodleNet"])), daemon=True)
    fetching.start()
    fetching.join(timeout=60)  # (a bound on the test, not a measurement: a stalled fetch never ends)
    assert not fetching.is_alive(), "ml5py fetch is still waiting on a stalled transfer"
    assert outcome == [1]
    message = capsys.readouterr().err
    assert "the transfer stalled:" in message and "bytes in the last 1 s (" in message
    assert "bytes/s, below 1.0 kB/s)" in message and "Traceback" not in message


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def plain_mirror(monkeypatch, tmp_path):
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietFiles, directory=str(MIRROR)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ML5PY_MODELS", f"http://127.0.0.1:{server.server_address[1]}/")
    yield
    server.shutdown()
    server.server_close()


def test_a_cache_that_is_a_file_is_explained(plain_mirror, tmp_path, monkeypatch, capsys):
    (tmp_path / "cache").write_text("not a folder")
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))
    assert cli.main(["fetch", "DoodleNet"]) == 1
    message = capsys.readouterr().err
    assert f"Cannot save downloaded models in {tmp_path / 'cache' / 'doodlenet'}: a file (not a folder) is in the way" in message
    assert f"ML5PY_CACHE is {tmp_path / 'cache'}" in message and "set ML5PY_CACHE to a folder you can write" in message
    assert "Errno" not in message


@pytest.mark.parametrize("code, reason", [(errno.EACCES, "you may not write there (permission denied)"),
                                          (errno.EROFS, "it is on a read-only disk"),
                                          (errno.ENOSPC, "the disk is full")])
def test_an_unwritable_read_only_or_full_cache_is_explained(plain_mirror, tmp_path, monkeypatch, code, reason):
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))
    real_fdopen = registry.os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(code, "pretend")

    if code == errno.ENOSPC:  # (as root, permissions cannot be taken away: the OS's answers are faked)
        monkeypatch.setattr(registry.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    else:
        def refused(*args, **kwargs):
            raise OSError(code, "pretend", str(tmp_path / "cache"))
        monkeypatch.setattr(registry.tempfile, "mkstemp", refused)
    with pytest.raises(registry.ModelFileError) as info:
        fetch("DoodleNet", progress=False)
    message = str(info.value)
    assert message.startswith(f"Cannot save downloaded models in {tmp_path / 'cache' / 'doodlenet'}: {reason}.")
    assert "ML5PY_CACHE" in message and ("free some space" if code == errno.ENOSPC else "a folder you can write") in message
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()], "a partial file was left"


def test_deeply_nested_model_json_is_explained(tmp_path):
    write_teachable_machine_model(tmp_path / "deep")
    (tmp_path / "deep" / "metadata.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(registry.ModelFileError, match="metadata.json is not a model file: its JSON nests lists"):
        ImageClassifier(str(tmp_path / "deep")).classify(RED)
