"""``Image.save``: the format the extension asks for, and nothing half-written on disk."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from ml5py.core.image_files import Image

PIXELS = np.arange(5 * 7 * 3, dtype=np.uint8).reshape(5, 7, 3)


def test_the_extension_picks_the_format(tmp_path: Path) -> None:
    for name, expected in [("a.png", "PNG"), ("b.JPG", "JPEG"), ("c.jpeg", "JPEG"), ("d.bmp", "BMP")]:
        Image(PIXELS).save(tmp_path / name)
        with PILImage.open(tmp_path / name) as saved:
            assert saved.format == expected, name
    with PILImage.open(tmp_path / "a.png") as saved:
        assert np.array_equal(np.asarray(saved), PIXELS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.JPG", "c.jpeg", "d.bmp"]


def test_a_failed_save_leaves_the_old_file_and_no_scraps(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.png"
    Image(PIXELS).save(target)
    before = target.read_bytes()

    def half_then_fail(self, fp, format=None, **params):
        Path(fp).write_bytes(b"\x89PNG half a picture")
        raise OSError("disk full")

    monkeypatch.setattr(PILImage.Image, "save", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        Image(np.zeros((4, 4, 3), np.uint8)).save(target)
    with pytest.raises(OSError, match="disk full"):
        Image(PIXELS).save(tmp_path / "new.png")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_a_saved_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"")
    Image(PIXELS).save(tmp_path / "out.png")
    assert (tmp_path / "out.png").stat().st_mode == plain.stat().st_mode


def test_an_unknown_extension_says_what_to_use(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as caught:
        Image(PIXELS).save(tmp_path / "out.pgn")
    message = str(caught.value)
    assert "out.pgn" in message and ".png" in message and ".jpg" in message
    with pytest.raises(ValueError, match="extension ''"):
        Image(PIXELS).save(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        Image(PIXELS).save(tmp_path / "prints" / "out.png")
    assert str(tmp_path / "prints") in str(caught.value) and "mkdir" in str(caught.value)
    assert os.listdir(tmp_path) == []
