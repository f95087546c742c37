"""Is a photo's embedded colour profile just sRGB? Then its pixels need no conversion (CPython).

Cameras and editors embed an sRGB profile in most photos. Converting such a photo "from
sRGB to sRGB" cost 13 of the 19 ms ``load_image`` took for an 800 x 800 JPEG, and a browser
does not do it: Chromium's Skia takes a profile whose colorants and tone curves are close to
sRGB's for sRGB itself, and uses the decoded pixels as they are. So does ml5py now.

"Close" is measured the way it matters: a probe picture holding a lattice of colours
(every 8th level of red, green and blue, and every level of grey and of each channel
alone) goes through the LittleCMS transform ``image_files`` would use; if no colour moves by
more than one level (of 255), the profile is sRGB. (LittleCMS itself moves a few saturated
colours by one level even between two sRGB profiles: its gamut clipping, not a colour
difference; Adobe RGB or Display P3 photos move by 30 to 50 levels and are still converted.)
The verdict is remembered per profile (its bytes' hash), so a folder of photos from one
camera pays it once (a few milliseconds).
"""
from __future__ import annotations

import hashlib
import io
from typing import Dict

import numpy as np

_verdicts: Dict[bytes, bool] = {}
LEVELS = list(range(0, 256, 8)) + [255]
MOST_MOVED = 1  # levels a probe colour may move for the profile to count as sRGB


def _probe() -> np.ndarray:
    """The probe colours, as one row of RGB uint8 pixels."""
    levels = np.array(LEVELS, dtype=np.uint8)
    lattice = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 3)
    ramp = np.arange(256, dtype=np.uint8)
    zeros = np.zeros(256, dtype=np.uint8)
    ramps = [np.stack([ramp, ramp, ramp], axis=-1), np.stack([ramp, zeros, zeros], axis=-1),
             np.stack([zeros, ramp, zeros], axis=-1), np.stack([zeros, zeros, ramp], axis=-1)]
    return np.concatenate([lattice] + ramps)[None]


def is_srgb(profile: bytes) -> bool:
    """True when converting from ``profile`` (ICC bytes) to sRGB moves no probe colour by more than a level."""
    digest = hashlib.sha256(profile).digest()
    if digest not in _verdicts:
        _verdicts[digest] = _converts_nothing(profile)
    return _verdicts[digest]


def _converts_nothing(profile: bytes) -> bool:
    from PIL import Image, ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        probe = _probe()
        converted = ImageCms.profileToProfile(Image.fromarray(probe, "RGB"), source,
                                              ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:  # a broken profile (or not an RGB one): leave it to the usual path
        return False
    moved = np.abs(np.asarray(converted).astype(np.int16) - probe.astype(np.int16))
    return bool(moved.max() <= MOST_MOVED)
