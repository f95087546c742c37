"""The pretrained registry's entries: names and lookup, their format, and that their files
and labels match the model mirror (image classifiers and style transfer)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from registry_helpers import MIRROR, files_in, needs_mirror, sha256
from registry_helpers import isolated  # noqa: F401 (the autouse fixture: a fresh cache, no ML5PY_MODELS)

from ml5py.weights import registry

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
