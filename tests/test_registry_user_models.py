"""User models (a Teachable Machine folder or URL) in the registry: described, fetched and
cached, with or without metadata.json; and a failed fetch ends its progress line.

No test touches the internet: the "web" is a local http.server on 127.0.0.1.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest
from registry_helpers import Server, files_in
from registry_helpers import isolated, site  # noqa: F401 (fixtures; isolated is autouse)

from ml5py.weights import registry, user_models
from ml5py.weights.fetch import fetch


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
