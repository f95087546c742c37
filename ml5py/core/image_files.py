"""Images in CPython: reading files, numpy arrays and Pillow images as RGB pixels.

The browser decodes a photo for TensorFlow.js in a particular way (it turns the photo
upright from its EXIF orientation, converts colour profiles to sRGB, and drops alpha).
We do the same here, so both runtimes see the same pixels and give the same answers.
"""
from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ml5py.core.image_modes import eight_bit, has_alpha
from ml5py.core.colour_profiles import is_srgb

ACCEPTED_TYPES = (
    "a file path (str or pathlib.Path), a numpy array (height x width x 3 or 4, "
    "uint8 or float 0..255), a PIL image, or what ml5py.load_image returns"
)


class Image:
    """A picture loaded by ``load_image``: RGB pixels you can classify, show or save.

    ``image.width`` and ``image.height`` are its size in pixels, ``image.to_numpy()``
    gives a height x width x 3 uint8 array (x 4, with alpha, for a mask such as BodyPix's
    ``person_mask``), and ``image.save("out.png")`` writes it (PNG keeps the transparency).
    """

    def __init__(self, pixels: np.ndarray, source: str = "an image"):
        self.pixels = pixels
        self.source = source

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    def to_numpy(self) -> np.ndarray:
        """The pixels as a height x width x 3 (or x 4) array of uint8 (a copy you may change)."""
        return self.pixels.copy()

    def save(self, path: str | os.PathLike) -> None:
        """Write the image to a file; the extension (.png, .jpg) picks the format.

        A JPEG has no transparency: a mask is saved there on black. The picture is written
        to a temporary file beside ``path`` first, so a failed save leaves no half a file.
        """
        from PIL import Image as PILImage

        target = Path(path).expanduser()
        image_format = _format_for(target)
        pixels = self.pixels
        if pixels.shape[2] == 4 and image_format in ("JPEG", "BMP"):
            pixels = _rgba_to_rgb(pixels)
        _write_whole(target, lambda temporary: PILImage.fromarray(pixels).save(temporary, format=image_format))

    def __repr__(self) -> str:
        return f"<ml5py Image {self.width}x{self.height} from {self.source}>"


def _format_for(target: Path) -> str:
    """The Pillow format (``PNG``, ``JPEG``...) that ``target``'s extension asks for."""
    from PIL import Image as PILImage

    image_format = PILImage.registered_extensions().get(target.suffix.lower())
    if image_format is None or image_format not in PILImage.SAVE:
        raise ValueError(f"Cannot save an image as '{target}': the extension '{target.suffix}' is not "
                         "an image format Pillow can write. End the name with .png (keeps every "
                         "pixel exact) or .jpg (smaller).")
    return image_format


def _write_whole(target: Path, write: Any) -> None:
    """Call ``write(temporary_path)`` then move the file onto ``target``: whole or not at all."""
    if not target.parent.is_dir():
        raise FileNotFoundError(f"Cannot save '{target}': there is no folder '{target.parent}'. "
                                "Create it first (Path(...).mkdir(parents=True)) or pick another path.")
    from ml5py.core.safe_save import clean_debris, temporary_prefix

    clean_debris(target)
    handle, temporary = tempfile.mkstemp(prefix=temporary_prefix(target), suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        write(temporary)
        mode = target.stat().st_mode if target.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode & 0o7777)  # as a plain open() would have made it, not mkstemp's 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's file-creation mask (os.umask can only be read by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _find_file(path: str | os.PathLike) -> Path:
    """Find ``path`` as given, else next to the running sketch (``python sketch.py``)."""
    candidate = Path(path).expanduser()
    if candidate.is_file() or candidate.is_absolute():
        return candidate
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    if main:
        beside_sketch = Path(main).resolve().parent / candidate
        if beside_sketch.is_file():
            return beside_sketch
    return candidate


def _to_srgb(picture: Any, profile: Any) -> Any:
    """Convert an RGB or RGBA picture with the colour profile ``profile`` to sRGB, as browsers do."""
    if not profile:
        return picture
    if is_srgb(profile):  # the usual case: already sRGB, nothing to convert (colour_profiles.py)
        return picture
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(picture, source, target, outputMode=picture.mode)
    except Exception:  # a broken profile (or one for another colour space): browsers ignore it too
        return picture


def _rgba_to_rgb(rgba: np.ndarray) -> np.ndarray:
    """RGB of RGBA pixels as a browser reads a canvas: colour kept, none under fully transparent pixels."""
    rgb = rgba[..., :3].copy()
    rgb[rgba[..., 3] == 0] = 0
    return rgb


def _pil_to_rgb(picture: Any, where: str = "the picture") -> np.ndarray:
    """Upright, sRGB, RGB uint8 pixels from a Pillow image of any mode (alpha dropped like a browser)."""
    from PIL import ImageOps

    profile = picture.info.get("icc_profile")
    picture = eight_bit(ImageOps.exif_transpose(picture), where)
    if has_alpha(picture):  # a canvas keeps no colour under fully transparent pixels
        return _rgba_to_rgb(np.asarray(_to_srgb(picture.convert("RGBA"), profile)))
    return np.asarray(_to_srgb(picture.convert("RGB"), profile)).copy()


def read_image_file(path: str | os.PathLike) -> Image:
    """Decode an image file into an ``Image``, with an error that says what went wrong."""
    from PIL import Image as PILImage, UnidentifiedImageError

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"load_image needs the name of an image file, such as \"bird.jpg\" (a str or "
                        f"pathlib.Path); got {path!r}.")
    found = _find_file(path)
    if not found.is_file():
        raise FileNotFoundError(
            f"Could not find the image file '{path}'. Check the spelling, and put the file "
            f"next to your sketch or give its full path."
        )
    if found.stat().st_size == 0:
        raise ValueError(f"The image file '{found}' is empty (0 bytes). Save or download it again.")
    try:
        with PILImage.open(found) as picture:
            picture.load()
            return Image(_pil_to_rgb(picture, str(found)), str(found))
    except PILImage.DecompressionBombError:
        raise ValueError(_too_big(found)) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(
            f"Could not read '{found}' as an image ({error}). Is it really a JPEG, PNG, GIF "
            f"or WebP picture? Try opening it in an image viewer."
        ) from None


def _too_big(found: Path) -> str:
    """What to say about a picture too big to decode safely (Pillow's decompression-bomb limit)."""
    from PIL import Image as PILImage

    width, height = _header_size(found)
    limit = 2 * (PILImage.MAX_IMAGE_PIXELS or 0)
    factor = ((PILImage.MAX_IMAGE_PIXELS or limit) / (width * height)) ** 0.5  # (below Pillow's warning)
    return (f"The image file '{found}' is {width} x {height} pixels ({width * height / 1e6:.0f} "
            f"megapixels): more than ml5py reads safely ({limit / 1e6:.0f} megapixels). Make it "
            f"smaller first, for example {int(width * factor)} x {int(height * factor)} pixels "
            "(the same shape); models see far fewer pixels anyway.")


def _header_size(found: Path) -> tuple:
    """(width, height) from a picture file's header, without the size check ``PIL.Image.open`` makes."""
    from PIL import Image as PILImage

    PILImage.init()
    with open(found, "rb") as handle:
        prefix = handle.read(16)
        for format_id in PILImage.ID:
            factory, accept = PILImage.OPEN[format_id]
            verdict = accept(prefix) if accept else True
            if not verdict or isinstance(verdict, str):
                continue
            handle.seek(0)
            try:
                return factory(handle, str(found)).size
            except Exception:  # not this format after all
                continue
    return (0, 1)


def array_to_rgb(array: np.ndarray) -> np.ndarray:
    """Check a numpy picture and return it as height x width x 3 uint8 pixels."""
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ValueError(
            f"A numpy image must have shape (height, width, 3) or (height, width, 4); "
            f"got shape {array.shape}."
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"The image is empty: shape {array.shape}.")
    rgb = array[..., :3]
    if rgb.dtype == np.uint8:
        return np.ascontiguousarray(rgb)
    if not np.issubdtype(rgb.dtype, np.number) or np.issubdtype(rgb.dtype, np.bool_):
        raise TypeError(f"A numpy image must hold numbers; got dtype {array.dtype}.")
    if np.issubdtype(rgb.dtype, np.complexfloating):
        raise TypeError(f"A numpy image holds real numbers (colour values 0..255); this one holds "
                        f"complex numbers (dtype {array.dtype}). Use the real part (array.real) or "
                        "the size (abs(array)), scaled to 0..255.")
    if np.issubdtype(rgb.dtype, np.floating) and not np.all(np.isfinite(rgb)):
        bad = np.argwhere(~np.isfinite(rgb))[0]
        raise ValueError(f"A numpy image must hold colour values 0..255; the pixel at row {bad[0]}, "
                         f"column {bad[1]} is {rgb[tuple(bad)]}. Replace NaN and infinite values "
                         "first (for example with numpy.nan_to_num).")
    if rgb.size and (np.min(rgb) < 0 or np.max(rgb) > 255):
        raise ValueError(
            "A float numpy image must hold values from 0 to 255 "
            f"(this one goes from {float(np.min(rgb))} to {float(np.max(rgb))}). "
            "If yours is 0..1, multiply it by 255."
        )
    return np.ascontiguousarray(rgb, dtype=np.float32)


def to_rgb_pixels(image: Any) -> np.ndarray:
    """Pixels (height x width x 3, uint8 or float32 0..255) from any accepted image type."""
    if isinstance(image, Image):
        return image.pixels if image.pixels.shape[2] == 3 else _rgba_to_rgb(image.pixels)
    if isinstance(image, (str, os.PathLike)):
        return read_image_file(image).pixels
    if isinstance(image, np.ndarray):
        return array_to_rgb(image)
    try:
        from PIL import Image as PILImage

        if isinstance(image, PILImage.Image):
            return _pil_to_rgb(image, "the Pillow image")
    except ImportError:  # pragma: no cover - Pillow is a dependency
        pass
    raise TypeError(f"Cannot use a {type(image).__name__} as an image. ml5py accepts {ACCEPTED_TYPES}.")
