"""The pretrained registry: entries match the mirror, and files are fetched safely.

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

from ml5py.weights import registry, user_models
from ml5py.weights.fetch import fetch

REPO = Path(__file__).resolve().parent.parent
_SETTING = os.environ.get("ML5PY_MODELS", "")
MIRROR = (Path(_SETTING) if _SETTING and not _SETTING.startswith(("http://", "https://"))
          else REPO.parent / "shared" / "pretrained")
needs_mirror = pytest.mark.skipif(not MIRROR.is_dir(), reason=f"no model mirror at {MIRROR}")

IDS = ["mobilenet_v1_0.75_224", "darknet-tiny", "doodlenet"]
STYLES = ["la_muse", "mathura", "matilde_perez", "matta", "rain_princess", "scream", "udnie", "wave", "wreck"]
STYLE_IDS = [f"style-transfer/{style}" for style in STYLES]
CLASSIFIER_NAMES = ["MobileNet", "Darknet", "Darknet-tiny", "DoodleNet"]
BODYPIX_IDS = [f"bodypix/mobilenet/{variant}" for variant in
               ["float/050", "quant1/050", "quant2/050", "quant1/075", "quant2/075"]]  # (tests/test_bodypix_registry.py)
POSE_IDS = ["movenet-lightning", "movenet-thunder", "movenet-multipose", "blazepose-detector", "blazepose-lite",
            "blazepose-full"]  # (tests/test_body_pose.py)


def classifier_entries() -> list:
    return [e for e in registry.all_entries() if e["task"] == "image-classifier"]


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


# ------------------------------------------------------------------ the entries

def test_names_and_lookup() -> None:
    assert registry.model_names("image-classifier") == CLASSIFIER_NAMES
    assert registry.model_names()[:len(CLASSIFIER_NAMES + STYLES)] == CLASSIFIER_NAMES + STYLES
    assert registry.find_entry("mobilenet")["id"] == "mobilenet_v1_0.75_224"
    assert registry.find_entry("DARKNET")["id"] == "darknet-tiny"
    assert registry.find_entry("darknet-tiny")["id"] == "darknet-tiny"
    assert registry.find_entry("  DoodleNet ")["id"] == "doodlenet"
    assert registry.find_entry("MOBILENET_V1_0.75_224")["names"] == ["MobileNet"]
    assert [e["id"] for e in classifier_entries()] == IDS
    assert [e["id"] for e in registry.all_entries()] == IDS + STYLE_IDS + BODYPIX_IDS + POSE_IDS


def test_unknown_name_lists_valid_names() -> None:
    with pytest.raises(registry.UnknownModelError) as info:
        registry.find_entry("MobileNett", task="image-classifier")
    assert isinstance(info.value, ValueError)
    assert str(info.value) == (
        "Unknown model 'MobileNett'. Valid names are: MobileNet, Darknet, Darknet-tiny, DoodleNet. "
        "You can also give the folder or URL of a TF.js layers model with a metadata.json."
    )


def test_task_filter() -> None:
    assert registry.model_names("image-classifier") == CLASSIFIER_NAMES
    assert registry.model_names("style-transfer") == STYLES
    assert registry.find_entry("darknet", task="image-classifier")["id"] == "darknet-tiny"
    with pytest.raises(registry.UnknownModelError, match="'MobileNet' is a model for the task image-classifier, not pose"):
        registry.find_entry("MobileNet", task="pose")


def test_entries_are_copies() -> None:
    registry.find_entry("MobileNet")["labels"].clear()
    registry.all_entries()[0]["files"].clear()
    assert len(registry.find_entry("MobileNet")["labels"]) == 1000
    assert registry.all_entries()[0]["files"]


def test_entry_format() -> None:
    for entry in classifier_entries():
        assert entry["task"] == "image-classifier" and entry["format"] == "tfjs-layers"
        assert entry["entry"] == "model.json" and entry["entry"] in entry["files"]
        assert entry["upstream"].startswith("https://") and entry["upstream"].endswith("/")
        assert entry["licence"]
        prep = entry["preprocessing"]
        assert prep["resize"] == "bilinear" and len(prep["input_size"]) == 2
        for info in entry["files"].values():
            assert isinstance(info["size"], int) and len(info["sha256"]) == 64
    mobilenet, darknet, doodle = (registry.find_entry(i) for i in IDS)
    assert mobilenet["preprocessing"]["scale"] == pytest.approx(1 / 127.5)
    assert mobilenet["preprocessing"]["offset"] == -1 and mobilenet["output"]["softmax"] is False
    assert darknet["preprocessing"]["scale"] == pytest.approx(1 / 255) and darknet["output"]["softmax"] is True
    d = doodle["preprocessing"]
    assert (d["input_size"], d["channels"], d["align_corners"], d["gray"]) == ([28, 28], 1, False, "mean_round")
    assert d["scale"] == pytest.approx(-1 / 255) and d["offset"] == 1


@needs_mirror
@pytest.mark.parametrize("model_id", IDS)
def test_files_match_mirror(model_id: str) -> None:
    entry = registry.find_entry(model_id)
    folder = MIRROR / model_id
    model = json.loads((folder / "model.json").read_text())
    listed = ["model.json"] + [p for group in model["weightsManifest"] for p in group["paths"]]
    assert sorted(entry["files"]) == sorted(listed)
    for name, info in entry["files"].items():
        data = (folder / name).read_bytes()
        assert (len(data), sha256(data)) == (info["size"], info["sha256"]), name


@needs_mirror
def test_labels_match_mirror() -> None:
    mobilenet, darknet, doodle = (registry.find_entry(i) for i in IDS)
    assert mobilenet["labels"] == json.loads((MIRROR / IDS[0] / "metadata.json").read_text())["labels"]
    assert darknet["labels"] == json.loads((MIRROR / IDS[1] / "classes.json").read_text())
    assert doodle["labels"] == (MIRROR / IDS[2] / "class_names.txt").read_text().split()
    assert [len(e["labels"]) for e in (mobilenet, darknet, doodle)] == [1000, 1000, 345]
    assert "robin" in mobilenet["labels"][15]
    for entry in (mobilenet, darknet, doodle):
        source = MIRROR / entry["id"] / entry["labels_source"]["file"]
        assert sha256(source.read_bytes()) == entry["labels_source"]["sha256"]


def test_unknown_name_without_a_task_lists_every_name() -> None:
    with pytest.raises(registry.UnknownModelError) as info:
        registry.find_entry("screem")
    assert str(info.value).startswith(
        "Unknown model 'screem'. Valid names are: MobileNet, Darknet, Darknet-tiny, DoodleNet, "
        "la_muse, mathura, matilde_perez, matta, rain_princess, scream, udnie, wave, wreck, "
        "BodyPix MobileNetV1 0.50 float32,"
    )
    with pytest.raises(registry.UnknownModelError) as info:
        registry.find_entry("screem", task="style-transfer")
    assert str(info.value) == ("Unknown model 'screem'. Valid names are: la_muse, mathura, matilde_perez, "
                               "matta, rain_princess, scream, udnie, wave, wreck.")
    with pytest.raises(registry.UnknownModelError, match="'scream' is a model for the task style-transfer, not image-classifier"):
        registry.find_entry("scream", task="image-classifier")


def test_style_entries() -> None:
    for style, model_id in zip(STYLES, STYLE_IDS):
        for name in (style, style.upper(), model_id):
            assert registry.find_entry(name, task="style-transfer")["id"] == model_id
        entry = registry.find_entry(model_id)
        assert entry["names"] == [style] and entry["task"] == "style-transfer"
        assert entry["format"] == "dl-checkpoint" and entry["entry"] == "manifest.json"
        assert entry["licence"] == "MIT (ml5)"
        assert entry["upstream"] == (
            "https://cdn.jsdelivr.net/gh/ml5js/ml5-data-and-models@0612a3e7c51cbffdc5db701dff49d16d1ac26fa8"
            f"/models/style-transfer/{style}/")
        assert sorted(entry["files"]) == sorted(["manifest.json", "Variable"] + [f"Variable_{i}" for i in range(1, 48)])
        for info in entry["files"].values():
            assert isinstance(info["size"], int) and len(info["sha256"]) == 64
        assert registry.upstream_url(entry, "Variable_47") == entry["upstream"] + "Variable_47"


def test_build_config_keeps_classifiers_only() -> None:
    from ml5py.tooling.build import models_config

    task = models_config(None)["tasks"]["image-classifier"]
    assert task["names"] == CLASSIFIER_NAMES
    assert not any("style" in key or key in STYLES for key in list(task["aliases"]) + list(task["sources"]))


@needs_mirror
@pytest.mark.parametrize("model_id", STYLE_IDS)
def test_style_files_match_mirror(model_id: str) -> None:
    entry = registry.find_entry(model_id)
    folder = MIRROR / model_id
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest) == 48
    assert sorted(entry["files"]) == sorted(["manifest.json"] + [v["filename"] for v in manifest.values()])
    for name, info in entry["files"].items():
        data = (folder / name).read_bytes()
        assert (len(data), sha256(data)) == (info["size"], info["sha256"]), name


@needs_mirror
def test_style_files_match_the_mirror_sums() -> None:
    sums = {}
    for line in (MIRROR / "SHA256SUMS").read_text().splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            sums[name.strip().lstrip("*").removeprefix("./")] = digest
    for model_id in STYLE_IDS:
        for name, info in registry.find_entry(model_id)["files"].items():
            assert sums[f"{model_id}/{name}"] == info["sha256"], (model_id, name)


@needs_mirror
def test_style_checkpoint_used_in_place(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    monkeypatch.setenv("ML5PY_MODELS", str(MIRROR))
    assert registry.model_dir("scream") == MIRROR / "style-transfer" / "scream"
    assert files_in(isolated) == []


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


# ---------------------------------------------------------------- user models

def _teachable_machine_folder(folder: Path, with_metadata: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    model = {"modelTopology": {"class_name": "Sequential"}, "format": "layers-model",
             "weightsManifest": [{"paths": ["weights.bin"],
                                  "weights": [{"name": "w", "shape": [1], "dtype": "float32"}]}]}  # 4 bytes
    (folder / "model.json").write_text(json.dumps(model))
    (folder / "weights.bin").write_bytes(b"\1\2\3\4")
    if with_metadata:
        (folder / "metadata.json").write_text(json.dumps({"labels": ["cat", "dog"], "imageSize": 224}))


def test_user_model_folder(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    _teachable_machine_folder(folder)
    for given in (folder, folder / "model.json"):
        described = user_models.resolve_user_model(str(given))
        assert described["id"] is None and described["files"] is None
        assert described["labels"] == ["cat", "dog"] and described["entry"] == "model.json"
        assert described["base"] == str(given) and Path(described["dir"]) == folder
        prep = described["preprocessing"]
        assert prep["input_size"] is None and prep["align_corners"] is True
        assert (prep["scale"], prep["offset"]) == (pytest.approx(1 / 127.5), -1.0)
        assert registry.model_dir(described) == folder


def test_user_model_without_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    _teachable_machine_folder(folder, with_metadata=False)
    with pytest.raises(registry.ModelFileError) as info:
        user_models.resolve_user_model(str(folder))
    assert str(folder / "metadata.json") in str(info.value) and "Teachable Machine" in str(info.value)
    with pytest.raises(registry.ModelFileError, match="no model"):
        user_models.resolve_user_model(str(tmp_path / "nothing-here"))


def test_user_model_url(tmp_path: Path, isolated: Path) -> None:
    _teachable_machine_folder(tmp_path / "web" / "tm")
    server = Server(tmp_path / "web")
    try:
        described = user_models.resolve_user_model(server.url + "tm/")
        again = user_models.resolve_user_model(server.url + "tm/model.json")
    finally:
        server.stop()
    folder = Path(described["dir"])
    assert folder.parent == isolated / "user" and len(folder.name) == 16
    assert described["base"] == server.url + "tm/" and described["labels"] == ["cat", "dog"]
    assert sorted(p.name for p in files_in(folder)) == [".ml5py-complete", "metadata.json", "model.json", "weights.bin"]
    assert again["dir"] == described["dir"]
    # the server is gone: the cached copy is used
    assert user_models.resolve_user_model(server.url + "tm")["dir"] == described["dir"]


def test_user_model_url_without_metadata(tmp_path: Path, isolated: Path) -> None:
    _teachable_machine_folder(tmp_path / "web" / "tm", with_metadata=False)
    server = Server(tmp_path / "web")
    try:
        with pytest.raises(registry.ModelFileError) as info:
            user_models.resolve_user_model(server.url + "tm/")
    finally:
        server.stop()
    assert server.url + "tm/metadata.json" in str(info.value) and "Teachable Machine" in str(info.value)
    assert files_in(isolated) == []


def test_fetch_failure_ends_the_progress_line(site: Dict[str, Any], capsys: pytest.CaptureFixture) -> None:
    site["server"].stop()
    with pytest.raises(registry.DownloadError):
        fetch(site["entry"])
    assert capsys.readouterr().err.endswith("\n")
