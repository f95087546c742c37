"""CPython reads a photo's pixels as Chromium does, converting colour only where it must.

A photo whose embedded profile is sRGB (bird.jpg's classic sRGB IEC61966-2.1, pose.jpg's
compact one) is used as decoded, with no colour conversion, as Chromium does; Adobe RGB
(kitten.jpg) and Display P3 (three_people.jpg, turtle.png) photos are converted. Every
shared photo, with a profile or without, is compared pixel by pixel with what
``tf.browser.fromPixels`` reads in headless Chromium.
"""
from __future__ import annotations

import base64
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from ml5py.core import colour_profiles
from ml5py.core.image_files import read_image_file

REPO = Path(__file__).resolve().parent.parent
SRGB = ["bird.jpg", "pose.jpg"]
CONVERTED = ["kitten.jpg", "three_people.jpg", "turtle.png"]
NO_PROFILE = ["face.jpg", "hands.jpg", "harriet.jpg", "harriet_128x128.jpg", "runner.jpg"]


def profile_of(path: Path) -> bytes:
    with PILImage.open(path) as picture:
        return picture.info.get("icc_profile") or b""


def test_the_shared_photos_are_the_ones_this_test_expects(images):
    names = sorted(path.name for path in images.iterdir() if path.suffix in (".jpg", ".png"))
    assert names == sorted(SRGB + CONVERTED + NO_PROFILE)
    assert all(profile_of(images / name) for name in SRGB + CONVERTED)
    assert not any(profile_of(images / name) for name in NO_PROFILE)


def test_srgb_profiles_are_recognised_and_others_are_not(images):
    for name in SRGB:
        assert colour_profiles.is_srgb(profile_of(images / name)), name
    for name in CONVERTED:
        assert not colour_profiles.is_srgb(profile_of(images / name)), name
    assert not colour_profiles.is_srgb(b"not a colour profile")


def test_an_srgb_photo_is_not_converted(images, monkeypatch):
    from PIL import ImageCms

    def refuse(*args, **kwargs):
        raise AssertionError("an sRGB photo went through a colour conversion")

    colour_profiles.is_srgb(profile_of(images / "bird.jpg"))  # (the verdict, remembered)
    monkeypatch.setattr(ImageCms, "profileToProfile", refuse)
    pixels = read_image_file(images / "bird.jpg").pixels
    with PILImage.open(images / "bird.jpg") as picture:
        assert np.array_equal(pixels, np.asarray(picture.convert("RGB")))


READ_PIXELS = """
var done = arguments[arguments.length - 1];
var image = new Image();
image.onload = function () {
  tf.setBackend("cpu").then(function () {
    var pixels = tf.browser.fromPixels(image);
    var bytes = new Uint8Array(pixels.dataSync());
    pixels.dispose();
    var text = "";
    for (var i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    done({width: image.naturalWidth, height: image.naturalHeight, pixels: btoa(text)});
  });
};
image.onerror = function () { done({error: "could not load " + arguments[0]}); };
image.src = arguments[0];
"""


@pytest.mark.browser
def test_cpython_reads_every_shared_photo_as_chromium_does(driver, images, tmp_path):
    from ml5py.tooling.server import serve_in_background, url_of

    site = tmp_path / "photos"
    site.mkdir()
    shutil.copyfile(REPO / "node_modules" / "@tensorflow" / "tfjs" / "dist" / "tf.min.js", site / "tf.min.js")
    (site / "index.html").write_text('<!doctype html><script src="tf.min.js"></script><body></body>')
    for name in SRGB + CONVERTED + NO_PROFILE:
        shutil.copyfile(images / name, site / name)
    server = serve_in_background(site)
    try:
        driver.get(url_of(server))
        for name in SRGB + CONVERTED + NO_PROFILE:
            read = driver.execute_async_script(READ_PIXELS, name)
            assert "error" not in read, read
            browser = np.frombuffer(base64.b64decode(read["pixels"]), dtype=np.uint8)
            browser = browser.reshape(read["height"], read["width"], 3).astype(np.int16)
            cpython = read_image_file(site / name).pixels.astype(np.int16)
            assert cpython.shape == browser.shape, name
            moved = np.abs(cpython - browser)
            if name in CONVERTED:  # LittleCMS and Chromium's skcms round some values apart by one
                assert moved.max() <= 1 and (moved > 0).mean() < 0.05, (name, moved.max(), (moved > 0).mean())
            else:
                assert moved.max() == 0, (name, moved.max(), (moved > 0).mean())
    finally:
        server.shutdown()
        server.server_close()
