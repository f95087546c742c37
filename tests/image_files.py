"""Picture files of every kind (16-bit PNGs written by hand, palette, CMYK, TIFF modes) made
from one 8-bit picture, for the decoding tests in CPython and in the browser."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Dict

import numpy as np
from PIL import Image as PILImage


def png_16_bit(path: Path, values: np.ndarray) -> None:
    """Write ``values`` (H x W x C of 0..65535; C = 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) as a 16-bit PNG."""
    height, width, channels = values.shape
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    rows = b"".join(b"\0" + row.astype(">u2").tobytes() for row in values)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))


def huge_png_header(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb's first bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))


def picture_files(folder: Path, photo: Path, size=(48, 32), seed: int = 1) -> Dict[str, np.ndarray]:
    """Write the files into ``folder``; returns {file name: the 8-bit RGB pixels it must decode to}.

    16-bit values are the 8-bit ones in the high byte plus random low bytes (a browser keeps
    the high byte); alpha is opaque, so each file equals its 8-bit picture exactly.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rgb_picture = PILImage.open(photo).convert("RGB").resize(size)
    rgb = np.asarray(rgb_picture)
    grey = np.asarray(rgb_picture.convert("L"))
    grey3 = np.repeat(grey[..., None], 3, axis=2)

    def sixteen(values: np.ndarray) -> np.ndarray:
        return values.astype(np.uint32) * 256 + rng.integers(0, 256, values.shape)

    opaque = np.full(grey.shape + (1,), 65535)
    expected: Dict[str, np.ndarray] = {}
    png_16_bit(folder / "grey16.png", sixteen(grey[..., None]))
    expected["grey16.png"] = grey3
    png_16_bit(folder / "grey_alpha16.png", np.concatenate([sixteen(grey[..., None]), opaque], axis=2))
    expected["grey_alpha16.png"] = grey3
    png_16_bit(folder / "rgb16.png", sixteen(rgb))
    expected["rgb16.png"] = rgb
    png_16_bit(folder / "rgba16.png", np.concatenate([sixteen(rgb), opaque], axis=2))
    expected["rgba16.png"] = rgb
    palette = rgb_picture.quantize(64)
    palette.save(folder / "palette.png")
    expected["palette.png"] = np.asarray(palette.convert("RGB"))
    clear = np.asarray(palette).copy()
    clear[:8, :8] = 3  # a corner in the transparent palette entry
    with_clear = PILImage.fromarray(clear, "P")
    with_clear.putpalette(palette.getpalette())
    with_clear.save(folder / "palette_transparent.png", transparency=3,
                    icc_profile=PILImage.open(photo).info.get("icc_profile"))
    seen = np.asarray(with_clear.convert("RGB")).copy()
    seen[clear == 3] = 0  # a canvas keeps no colour under fully transparent pixels
    expected["palette_transparent.png"] = seen
    rgb_picture.convert("1").save(folder / "bilevel.png")
    expected["bilevel.png"] = np.repeat(np.asarray(rgb_picture.convert("1"), np.uint8)[..., None] * 255, 3, axis=2)
    rgb_picture.convert("CMYK").save(folder / "cmyk.tif")
    expected["cmyk.tif"] = rgb
    PILImage.fromarray((grey / 255.0).astype(np.float32), "F").save(folder / "float01.tif")
    expected["float01.tif"] = grey3
    PILImage.fromarray(grey.astype(np.float32), "F").save(folder / "float255.tif")
    expected["float255.tif"] = grey3
    PILImage.fromarray(sixteen(grey).astype(np.uint16)).save(folder / "grey16.tif")
    expected["grey16.tif"] = grey3
    PILImage.fromarray((grey.astype(np.int64) << 23).astype(np.int32), "I").save(folder / "grey32.tif")
    expected["grey32.tif"] = grey3
    return expected


def browser_files(folder: Path, photo: Path) -> Dict[str, np.ndarray]:
    """Files a browser opens (no TIFF), plus semi-transparent 16-bit ones and a CMYK JPEG."""
    expected = {name: pixels for name, pixels in picture_files(folder, photo).items()
                if name.endswith(".png")}
    rng = np.random.default_rng(2)
    rgb_picture = PILImage.open(photo).convert("RGB").resize((48, 32))
    alpha = rng.integers(0, 65536, (32, 48, 1))
    alpha[:4, :4] = 0
    rgb16 = np.asarray(rgb_picture).astype(np.uint32)[..., :3] * 256 + rng.integers(0, 256, (32, 48, 3))
    png_16_bit(folder / "rgba16_translucent.png", np.concatenate([rgb16, alpha], axis=2))
    expected["rgba16_translucent.png"] = None
    rgb_picture.convert("CMYK").save(folder / "cmyk.jpg", quality=95)
    expected["cmyk.jpg"] = None
    return expected
