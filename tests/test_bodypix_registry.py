"""BodyPix registry entries: one per variant folder of the mirror, files and part names match it."""
from __future__ import annotations

import hashlib
import json

import pytest

from conftest import MIRROR
from ml5py.weights import registry
from ml5py.weights.sources import bodypix_source

VARIANTS = {  # id -> (multiplier, bytes per weight)
    "bodypix/mobilenet/float/050": (0.50, 4),
    "bodypix/mobilenet/quant1/050": (0.50, 1),
    "bodypix/mobilenet/quant2/050": (0.50, 2),
    "bodypix/mobilenet/quant1/075": (0.75, 1),
    "bodypix/mobilenet/quant2/075": (0.75, 2),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mirror_sums() -> dict:
    sums = {}
    for line in (MIRROR / "SHA256SUMS").read_text().splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            sums[name.strip().lstrip("*").removeprefix("./")] = digest
    return sums


def test_one_entry_per_variant() -> None:
    entries = [e for e in registry.all_entries() if e["task"] == "body-segmentation"]
    assert [e["id"] for e in entries] == list(VARIANTS)
    for entry in entries:
        multiplier, size = VARIANTS[entry["id"]]
        assert (entry["multiplier"], entry["quant_bytes"], entry["architecture"]) == (multiplier, size, "MobileNetV1")
        assert entry["format"] == "tfjs-graph" and entry["entry"] == "model-stride16.json"
        assert entry["models"] == {"16": "model-stride16.json", "8": "model-stride8.json"}
        quant = "float" if size == 4 else f"quant{size}"
        assert entry["upstream"] == ("https://storage.googleapis.com/tfjs-models/savedmodel/bodypix/mobilenet/"
                                     f"{quant}/{int(multiplier * 100):03d}/")
        assert entry["licence"].startswith("Apache-2.0")
        assert entry["preprocessing"]["scale"] == pytest.approx(1 / 127.5)
        assert entry["preprocessing"]["offset"] == -1 and entry["preprocessing"]["input"] == "sub_2"
        assert len(entry["part_names"]) == 24 and entry["part_names"][0] == "left_face"


@pytest.mark.parametrize("model_id", list(VARIANTS))
def test_files_match_mirror_and_sums(model_id: str) -> None:
    entry = registry.find_entry(model_id)
    folder = MIRROR / model_id
    listed = {"model-stride16.json", "model-stride8.json"}
    for name in ("model-stride16.json", "model-stride8.json"):
        graph = json.loads((folder / name).read_text())
        listed.update(p for group in graph["weightsManifest"] for p in group["paths"])
    assert sorted(entry["files"]) == sorted(listed) and len(listed) == 3  # both graphs share one .bin
    sums = mirror_sums()
    for name, info in entry["files"].items():
        data = (folder / name).read_bytes()
        assert (len(data), sha256(data)) == (info["size"], info["sha256"]), name
        assert sums[f"{model_id}/{name}"] == info["sha256"], name


def test_part_names_match_mirror() -> None:
    expected = json.loads((MIRROR / "bodypix" / "part_names.json").read_text())["part_names"]
    for model_id in VARIANTS:
        entry = registry.find_entry(model_id)
        assert entry["part_names"] == expected
        assert entry["part_names_source"]["sha256"] == sha256((MIRROR / "bodypix" / "part_names.json").read_bytes())


def test_page_config_knows_the_variants() -> None:
    from ml5py.tooling.build import models_config

    config = models_config("models/")
    task = config["tasks"]["body-segmentation"]
    for model_id in VARIANTS:
        source = task["sources"][task["aliases"][model_id]]
        assert source == bodypix_source(registry.find_entry(model_id))
        assert source["models"]["8"] == "model-stride8.json" and source["input"] == "sub_2"
    classifiers = config["tasks"]["image-classifier"]
    assert not any(key.startswith("bodypix") for key in classifiers["aliases"])  # not image classifiers
