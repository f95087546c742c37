"""The pretrained registry's files: a mirror folder used in place (missing or tampered files),
and downloads (atomic, checked against their sums, clear errors, progress).

No test touches the internet: "upstream" is a local http.server on 127.0.0.1, and an
"unreachable" host is a loopback port nobody listens on.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict

import pytest
from registry_helpers import MIRROR, files_in, free_port, needs_mirror, sha256
from registry_helpers import isolated, site  # noqa: F401 (fixtures; isolated is autouse)

from ml5py.weights import registry
from ml5py.weights.fetch import fetch


# ------------------------------------------------------------- a mirror folder

@needs_mirror
def test_models_folder_is_used_in_place(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    monkeypatch.setenv("ML5PY_MODELS", str(MIRROR))
    entry = registry.find_entry("DoodleNet")
    assert registry.model_file(entry, "model.json") == MIRROR / "doodlenet" / "model.json"
    assert registry.model_dir("doodlenet") == MIRROR / "doodlenet"
    assert files_in(isolated) == []


def test_models_folder_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: Dict[str, Any]) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "fake").mkdir(parents=True)
    (mirror / "fake" / "model.json").write_bytes(site["contents"]["model.json"])
    monkeypatch.setenv("ML5PY_MODELS", str(mirror))
    assert registry.model_file(site["entry"], "model.json") == mirror / "fake" / "model.json"
    with pytest.raises(registry.ModelFileError) as info:
        registry.model_dir(site["entry"])
    message = str(info.value)
    assert str(mirror / "fake" / "group1-shard1of1.bin") in message and "ML5PY_MODELS" in message


def test_models_folder_tampered_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: Dict[str, Any]) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "fake").mkdir(parents=True)
    bad = bytearray(site["contents"]["group1-shard1of1.bin"])
    bad[100] ^= 0xFF
    (mirror / "fake" / "group1-shard1of1.bin").write_bytes(bytes(bad))
    monkeypatch.setenv("ML5PY_MODELS", str(mirror))
    with pytest.raises(registry.ChecksumError) as info:
        registry.model_file(site["entry"], "group1-shard1of1.bin")
    message = str(info.value)
    assert str(mirror / "fake" / "group1-shard1of1.bin") in message
    assert site["entry"]["files"]["group1-shard1of1.bin"]["sha256"] in message and sha256(bytes(bad)) in message


def test_ids_with_slashes_map_to_sub_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: Dict[str, Any]) -> None:
    entry = dict(site["entry"], id="style-transfer/fake")
    (tmp_path / "mirror" / "style-transfer").mkdir(parents=True)
    os.symlink(site["folder"], tmp_path / "mirror" / "style-transfer" / "fake")
    monkeypatch.setenv("ML5PY_MODELS", str(tmp_path / "mirror"))
    assert registry.model_dir(entry) == tmp_path / "mirror" / "style-transfer" / "fake"
    for bad_id in ("../fake", "/etc", "a/../../b"):
        with pytest.raises(ValueError):
            registry.model_file(dict(entry, id=bad_id), "model.json")
    with pytest.raises(ValueError, match="not a plain relative name"):
        registry.model_file(entry, "../secret.json")
    with pytest.raises(ValueError, match="has no file 'other.json'"):
        registry.model_file(entry, "other.json")


# ------------------------------------------------------------------- downloads

def test_download_lands_atomically_then_cache_is_used(site: Dict[str, Any], isolated: Path) -> None:
    entry = site["entry"]
    seen = []
    folder = registry.model_dir(entry, progress=lambda name, done, total: seen.append((name, done, total)))
    assert folder == isolated / "fake"
    assert files_in(isolated) == [folder / "group1-shard1of1.bin", folder / "model.json"]
    for name, data in site["contents"].items():
        assert (folder / name).read_bytes() == data
    assert ("group1-shard1of1.bin", 5120, 5120) in seen

    site["server"].stop()  # no network from here on
    assert registry.model_dir(entry) == folder
    assert registry.model_file(entry, "model.json") == folder / "model.json"


def test_models_url_is_a_mirror(site: Dict[str, Any], monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    entry = dict(site["entry"], upstream="http://127.0.0.1:%d/nowhere/" % free_port())
    monkeypatch.setenv("ML5PY_MODELS", site["server"].url.rstrip("/"))
    assert registry.mirror_url_for(entry, "model.json") == site["server"].url + "fake/model.json"
    assert registry.model_dir(entry) == isolated / "fake"
    assert (isolated / "fake" / "group1-shard1of1.bin").read_bytes() == site["contents"]["group1-shard1of1.bin"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "extend"])
def test_checksum_mismatch_leaves_nothing(site: Dict[str, Any], isolated: Path, damage: str) -> None:
    shard = site["folder"] / "group1-shard1of1.bin"
    data = bytearray(shard.read_bytes())
    if damage == "flip":
        data[7] ^= 0x01
    elif damage == "truncate":
        data = data[:-10]
    else:
        data += b"extra"
    shard.write_bytes(bytes(data))
    expected = site["entry"]["files"]["group1-shard1of1.bin"]
    with pytest.raises(registry.ChecksumError) as info:
        registry.model_file(site["entry"], "group1-shard1of1.bin")
    message = str(info.value)
    assert "group1-shard1of1.bin" in message and site["entry"]["upstream"] + "group1-shard1of1.bin" in message
    assert expected["sha256"] in message and sha256(bytes(data)) in message
    assert str(expected["size"]) in message and str(len(data)) in message
    assert info.value.actual_sha256 == sha256(bytes(data))
    assert files_in(isolated) == []


def test_unreachable_host(site: Dict[str, Any], isolated: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/fake/"
    entry = dict(site["entry"], upstream=url)
    with pytest.raises(registry.DownloadError) as info:
        registry.model_file(entry, "model.json")
    message = str(info.value)
    assert url + "model.json" in message and "ml5py fetch Fake" in message and "ML5PY_MODELS" in message
    assert files_in(isolated) == []


def test_http_error(site: Dict[str, Any], isolated: Path) -> None:
    (site["folder"] / "model.json").unlink()
    with pytest.raises(registry.DownloadError) as info:
        registry.model_file(site["entry"], "model.json")
    assert info.value.status == 404 and "404" in str(info.value) and "model.json" in str(info.value)
    assert files_in(isolated) == []


def test_corrupt_cached_file_is_replaced(site: Dict[str, Any], isolated: Path) -> None:
    cached = isolated / "fake" / "group1-shard1of1.bin"
    cached.parent.mkdir(parents=True)
    good = site["contents"]["group1-shard1of1.bin"]
    cached.write_bytes(b"\0" * len(good))  # right size, wrong bytes
    assert registry.model_file(site["entry"], "group1-shard1of1.bin") == cached
    assert cached.read_bytes() == good
    cached.write_bytes(b"short")  # wrong size
    assert registry.model_file(site["entry"], "group1-shard1of1.bin") == cached
    assert cached.read_bytes() == good


def test_fetch_shows_progress(site: Dict[str, Any], isolated: Path, capsys: pytest.CaptureFixture) -> None:
    assert fetch(site["entry"]) == isolated / "fake"
    out, err = capsys.readouterr()
    assert "\r" in err and "100%" in err and "5.2 kB / 5.2 kB" in err
    assert str(isolated / "fake") in out


def test_urls() -> None:
    entry = registry.find_entry("DoodleNet")
    assert registry.upstream_url(entry, "model.json") == entry["upstream"] + "model.json"
    assert registry.mirror_url_for(entry, "model.json") is None
