"""Pictures of every kind Pillow opens, brought to 8 bits per channel as a browser does.

CPython only (``media_cpython.py`` uses it). What Chromium does, checked by decoding the
same files in headless Chromium (``tests/test_image_modes_browser.py``):

- 16-bit PNGs (grey, grey + alpha, RGB, RGBA) keep the high byte of each value
  (libpng's ``strip_16``), so a 16-bit picture reads exactly as its 8-bit version.
  Pillow already does this for 16-bit colour; 16-bit grey (mode ``I;16``) it would clip
  to white, so it is done here.
- Palette, 1-bit, grey, CMYK (JPEG) pictures: Pillow's conversions give the browser's pixels.

Browsers cannot open TIFF at all; ml5py reads the TIFF modes too, by the same rules:
16-bit values keep their high byte, and a float picture (mode ``F``) holds 0..1 (the
convention of float image files: each value times 255), or 0..255 when some value is
above 1. NaN, infinite values, and floats above 255 are refused with the file's name.
"""
from __future__ import annotations

from typing import Any

import numpy as np

SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I;16S", "I;16BS", "I;16LS")
KEPT_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "HSV", "RGBa", "La")


def eight_bit(picture: Any, where: str) -> Any:
    """``picture`` as a Pillow image of 8 bits per channel (a mode ``convert`` turns into RGB)."""
    from PIL import Image as PILImage

    mode = picture.mode
    if mode in KEPT_MODES:
        return picture
    if mode in SIXTEEN_BIT_MODES or mode == "I":
        values = np.asarray(picture).astype(np.int64)
        if mode == "I" and values.size and int(values.max()) > 0xFFFF:
            shift = 23  # 32-bit whole numbers (0..2**31 - 1)
        else:
            shift = 8  # 16-bit: the high byte, as libpng's strip_16
        return PILImage.fromarray(np.clip(values >> shift, 0, 255).astype(np.uint8), "L")
    if mode == "F":
        return PILImage.fromarray(_float_to_8_bit(np.asarray(picture, dtype=np.float64), where), "L")
    if mode == "LAB":
        return _lab_to_rgb(picture)
    try:
        return picture.convert("RGBA" if "A" in mode else "RGB")
    except (ValueError, OSError) as error:
        raise ValueError(f"Could not read '{where}': its pixels are of a kind ml5py cannot turn into "
                         f"colours (Pillow mode {mode}: {error}). Save it as a PNG or JPEG first.") from None


def _float_to_8_bit(values: np.ndarray, where: str) -> np.ndarray:
    if values.size and not np.all(np.isfinite(values)):
        raise ValueError(f"The image '{where}' holds values that are not numbers (NaN or infinite): "
                         "ml5py cannot tell what colour those pixels are. Save it again as a PNG or JPEG.")
    highest = float(values.max()) if values.size else 0.0
    if highest > 255:
        raise ValueError(f"The float image '{where}' holds values up to {highest:g}; ml5py reads float "
                         "pictures as 0..1 (or 0..255). Scale it into that range first, or save it as a "
                         "PNG or JPEG.")
    scale = 255.0 if highest <= 1.0 else 1.0
    return np.clip(np.round(values * scale), 0, 255).astype(np.uint8)


def _lab_to_rgb(picture: Any) -> Any:
    from PIL import ImageCms

    return ImageCms.profileToProfile(picture, ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"),
                                     outputMode="RGB")


def has_alpha(picture: Any) -> bool:
    """True when a picture has transparency (an alpha channel, or a transparent palette entry / colour)."""
    return picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info
