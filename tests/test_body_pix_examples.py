"""The BodyPix examples: the CPython cut-out writes its PNGs; the two webcam sketches run
on the fake camera (wasm) and get a result for frame after frame, with no error (one also with
its model in the web worker)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image

from conftest import REPO, open_page, page_state, run_cpython

EXAMPLES = REPO / "examples"

# Appended to a webcam example: count the callbacks ({callback} is the example's own).
PROBE = """

_learner_callback = {callback}


def {callback}(result, error):
    _learner_callback(result, error)
    window.probe_frames = (window.probe_frames or 0) + 1
    window.probe_error = str(error) if error else ""
    window.probe_size = [result.width, result.height] if result else None
"""


def test_cutout_example_writes_transparent_pngs(tmp_path, images):
    folder = tmp_path / "cutout"
    folder.mkdir()
    shutil.copyfile(EXAMPLES / "cutout" / "sketch.py", folder / "sketch.py")
    lines = run_cpython(folder / "sketch.py", str(images / "harriet.jpg"))
    assert lines[0].startswith("480x560 pixels, ") and lines[0].endswith("% of them are a person")
    share = float(lines[0].split(", ")[1].split("%")[0])
    assert 15 <= share <= 35
    cutout = np.asarray(Image.open(folder / "cutout.png"))
    hole = np.asarray(Image.open(folder / "background.png"))
    assert cutout.shape == hole.shape == (560, 480, 4)
    assert np.array_equal(cutout[..., 3] + hole[..., 3], np.full((560, 480), 255))
    assert abs((cutout[..., 3] > 0).mean() * 100 - share) < 0.1
    assert Image.open(folder / "portrait.png").size == (480, 560)


@pytest.mark.browser
@pytest.mark.parametrize("example, callback, worker", [("webcam_blur", "got_person", "0"), ("body_parts", "got_parts", "0"),
                                                       ("webcam_blur", "got_person", "1")])
def test_webcam_examples_run_frame_after_frame(driver, sites, example, callback, worker):
    source = (EXAMPLES / example / "sketch.py").read_text() + PROBE.replace("{callback}", callback)
    site = sites(source, name=example)
    open_page(driver, site.page("wasm", worker=worker), until="return window.probe_frames >= 3", timeout=120)
    error, size, frames = driver.execute_script("return [window.probe_error, window.probe_size, frameCount]")
    assert error == "" and size == [640, 480], (error, size)
    assert frames > 3 and page_state(driver)["error"] == ""
