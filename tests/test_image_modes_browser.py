"""Chromium decodes the same picture files as ml5py does in CPython.

The files (16-bit grey and colour PNGs, with and without alpha, palettes with a transparent
entry and a colour profile, 1-bit, a CMYK JPEG) are drawn on a canvas in headless Chromium,
as TF.js reads an image; CPython's ``load_image`` must give the same pixels.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from browser import wait_for
from image_files import browser_files
from ml5py import load_image

PAGE = """<!doctype html><html><body><script>
window.decoded = {};
const files = %s;
let left = files.length;
for (const name of files) {
  const picture = new Image();
  picture.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = picture.width;
    canvas.height = picture.height;
    const context = canvas.getContext("2d");
    context.drawImage(picture, 0, 0);
    window.decoded[name] = Array.from(context.getImageData(0, 0, picture.width, picture.height).data);
    left -= 1;
  };
  picture.onerror = () => { window.decoded[name] = "error"; left -= 1; };
  picture.src = name;
}
window.finished = () => left === 0;
</script></body></html>
"""


@pytest.mark.browser
def test_chromium_decodes_every_mode_as_cpython_does(driver, tmp_path, images):
    from ml5py.tooling.server import serve_in_background, url_of

    expected = browser_files(tmp_path, images / "bird.jpg")
    (tmp_path / "index.html").write_text(PAGE % json.dumps(sorted(expected)))
    server = serve_in_background(tmp_path)
    try:
        driver.get(url_of(server))
        wait_for(driver, "return window.finished && window.finished()", timeout=60)
        decoded = driver.execute_script("return window.decoded;")
    finally:
        server.shutdown()
        server.server_close()
    for name in sorted(expected):
        assert decoded[name] != "error", f"Chromium could not open {name}"
        cpython = load_image(tmp_path / name).to_numpy().astype(int)
        chromium = np.array(decoded[name]).reshape(cpython.shape[0], cpython.shape[1], 4)
        alpha = chromium[..., 3]
        difference = np.abs(cpython - chromium[..., :3]).max(axis=2)
        whole = (alpha == 255) | (alpha == 0)  # opaque, or transparent (no colour kept)
        assert difference[whole].max(initial=0) == 0, f"{name}: Chromium and CPython differ"
        if expected[name] is not None:
            assert np.array_equal(cpython, expected[name]), name
        # A canvas stores colour premultiplied by alpha: a translucent pixel comes back rounded.
        translucent = ~whole
        if translucent.any():
            premultiplied = np.round(cpython * alpha[..., None] / 255.0)
            back = np.round(premultiplied * 255.0 / np.maximum(alpha[..., None], 1))
            assert np.abs(back - chromium[..., :3]).max(axis=2)[translucent].max() <= 1, name
