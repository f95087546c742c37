"""Reading deeplearn.js checkpoints (manifest.json + raw little-endian float32 files)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ml5py.weights import registry
from ml5py.models.style_transfer.checkpoint import CorruptCheckpointError, read_checkpoint


STYLES = ["la_muse", "mathura", "matilde_perez", "matta", "rain_princess", "scream", "udnie", "wave", "wreck"]


def write_checkpoint(folder: Path, variables: dict, files: dict | None = None) -> None:
    """A checkpoint folder; ``files`` overrides a variable's file name."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name, value in variables.items():
        filename = (files or {}).get(name, name)
        manifest[name] = {"filename": filename, "shape": list(value.shape)}
        (folder / filename).parent.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_bytes(np.asarray(value, dtype="<f4").tobytes())
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture
def tiny(tmp_path: Path) -> dict:
    rng = np.random.default_rng(7)
    variables = {f"Variable_{i}" if i else "Variable": rng.normal(size=shape).astype(np.float32)
                 for i, shape in enumerate([(3, 3, 3, 4), (4,), (4,), (2, 2, 4, 4), (), (1, 5)])}
    variables["Variable_10"] = np.arange(3, dtype=np.float32)
    write_checkpoint(tmp_path / "tiny", variables, files={"Variable_3": "weights/conv.bin"})
    return {"folder": tmp_path / "tiny", "variables": variables}


def test_tiny_checkpoint_round_trip(tiny: dict) -> None:
    got = read_checkpoint(tiny["folder"])
    # natural order, not the string order of the manifest (Variable_10 after Variable_5)
    assert list(got) == ["Variable"] + [f"Variable_{i}" for i in (1, 2, 3, 4, 5, 10)]
    for name, value in tiny["variables"].items():
        assert got[name].dtype == np.float32 and got[name].shape == value.shape
        np.testing.assert_array_equal(got[name], value)
    got["Variable"][0, 0, 0, 0] = 1.0  # the arrays are ordinary writable arrays


def test_little_endian_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "le"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"Variable": {"filename": "v", "shape": [2]}}))
    (folder / "v").write_bytes(bytes.fromhex("0000803f000000c0"))  # 1.0, -2.0 little-endian
    np.testing.assert_array_equal(read_checkpoint(folder)["Variable"], [1.0, -2.0])


def test_missing_file_is_named(tiny: dict) -> None:
    (tiny["folder"] / "Variable_2").unlink()
    with pytest.raises(registry.ModelFileError) as info:
        read_checkpoint(tiny["folder"])
    assert str(tiny["folder"] / "Variable_2") in str(info.value) and "missing" in str(info.value)
    assert info.value.path == tiny["folder"] / "Variable_2"


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(registry.ModelFileError) as info:
        read_checkpoint(tmp_path)
    assert str(tmp_path / "manifest.json") in str(info.value)


@pytest.mark.parametrize("change", [-4, -1, 3, 400])
def test_wrong_byte_count_is_a_corrupt_checkpoint(tiny: dict, change: int) -> None:
    path = tiny["folder"] / "weights" / "conv.bin"
    data = path.read_bytes()
    path.write_bytes(data[:change] if change < 0 else data + b"\0" * change)
    with pytest.raises(CorruptCheckpointError) as info:
        read_checkpoint(tiny["folder"])
    message = str(info.value)
    assert "corrupt checkpoint" in message and str(path) in message
    assert f"needs {len(data)} bytes" in message and f"holds {len(data) + change} bytes" in message
    assert (info.value.expected_bytes, info.value.actual_bytes) == (len(data), len(data) + change)
    assert info.value.path == path
    assert isinstance(info.value, registry.ModelFileError)


@pytest.mark.parametrize("manifest", [
    "not json",
    "[]",
    json.dumps({"Variable": {"filename": "Variable"}}),
    json.dumps({"Variable": {"filename": "Variable", "shape": [2, -1]}}),
    json.dumps({"Variable": {"filename": "../outside", "shape": [2]}}),
    json.dumps({"Variable": {"filename": "/etc/passwd", "shape": [2]}}),
])
def test_bad_manifest(tmp_path: Path, manifest: str) -> None:
    (tmp_path / "manifest.json").write_text(manifest)
    with pytest.raises(registry.ModelFileError) as info:
        read_checkpoint(tmp_path)
    assert "corrupt checkpoint" in str(info.value) and str(tmp_path / "manifest.json") in str(info.value)


# --------------------------------------------------------- the real networks

def expected_layout() -> list:
    """The shapes the pretrained README describes, in variable order: weights, shift, scale."""
    def conv(kh: int, kw: int, a: int, b: int, channels: int) -> list:
        return [(kh, kw, a, b), (channels,), (channels,)]

    layout = conv(9, 9, 3, 32, 32) + conv(3, 3, 32, 64, 64) + conv(3, 3, 64, 128, 128)
    for _ in range(5):  # residual blocks: two convolutions each
        layout += conv(3, 3, 128, 128, 128) * 2
    # transposed convolutions keep TF.js's [kh, kw, out, in] layout
    layout += conv(3, 3, 64, 128, 64) + conv(3, 3, 32, 64, 32) + conv(9, 9, 32, 3, 3)
    return layout


@pytest.mark.parametrize("style", STYLES)
def test_real_style_checkpoint(mirror: Path, style: str) -> None:  # no mirror: the fixture fails
    variables = read_checkpoint(mirror / "style-transfer" / style)
    assert list(variables) == ["Variable"] + [f"Variable_{i}" for i in range(1, 48)]
    assert [v.shape for v in variables.values()] == expected_layout()
    for name, value in variables.items():
        assert value.dtype == np.float32 and np.all(np.isfinite(value)), name
    entry = registry.find_entry(f"style-transfer/{style}")
    assert sum(v.nbytes for v in variables.values()) == sum(
        info["size"] for name, info in entry["files"].items() if name != "manifest.json")


def test_real_checkpoint_with_a_damaged_copy(mirror: Path, tmp_path: Path) -> None:
    source = mirror / "style-transfer" / "scream"
    copy = tmp_path / "scream"
    copy.mkdir()
    for item in source.iterdir():
        (copy / item.name).write_bytes(item.read_bytes())
    (copy / "Variable_45").write_bytes((copy / "Variable_45").read_bytes()[:-8])
    with pytest.raises(CorruptCheckpointError) as info:
        read_checkpoint(copy)
    assert str(copy / "Variable_45") in str(info.value)
    assert (info.value.expected_bytes, info.value.actual_bytes) == (9 * 9 * 32 * 3 * 4, 9 * 9 * 32 * 3 * 4 - 8)
