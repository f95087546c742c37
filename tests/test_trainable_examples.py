"""The two training examples: the CPython script that trains from folders of pictures, and
the webcam teachable machine sketch (fake camera, keys pressed by the test)."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from PIL import Image

from conftest import REPO, open_page, page_state
from ml5py import ImageClassifier
from trainable_helpers import SHAPES, shape_task

TRAIN_SCRIPT = REPO / "examples" / "train_from_folders" / "train.py"
TEACHABLE = REPO / "examples" / "teachable_machine" / "sketch.py"


def test_train_from_folders_reports_validation_accuracy_and_saves_a_model(tmp_path):
    for index, (picture, label) in enumerate(shape_task(30, seed=21)):
        (tmp_path / "pictures" / label).mkdir(parents=True, exist_ok=True)
        Image.fromarray(picture).save(tmp_path / "pictures" / label / f"{index}.png")
    (tmp_path / "pictures" / "notes.txt").write_text("not a class folder")
    finished = subprocess.run([sys.executable, str(TRAIN_SCRIPT), "pictures", "--save", "shapes"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert lines[:3] == ["circle: 10 pictures", "square: 10 pictures", "triangle: 10 pictures"]
    assert lines[3].startswith("epoch 1: loss ") and ", kept-aside loss " in lines[3]
    accuracy = [line for line in lines if line.startswith("validation accuracy: ")]
    assert accuracy and float(accuracy[0].split()[2].rstrip("%")) >= 95, lines
    classifier = ImageClassifier(str(tmp_path / "shapes") + "/")
    assert [r.label for r in classifier.classify(shape_task(3, seed=5)[1][0])][0] == "square"
    assert sorted(r.label for r in classifier.classify(shape_task(3, seed=5)[0][0])) == SHAPES


PROBE = """

_learner_draw = draw


def draw():
    _learner_draw()
    window.probe_status = status
    window.probe_label = label
    window.probe_counts = counts
"""


@pytest.mark.browser
def test_teachable_machine_sketch_learns_from_the_webcam(driver, sites):
    from selenium.webdriver.common.action_chains import ActionChains

    from browser import wait_for

    site = sites(TEACHABLE.read_text() + PROBE, name="teachable")
    open_page(driver, site.page("wasm"), until="return window.probe_status !== undefined", timeout=120)
    for key in "112233":
        ActionChains(driver).send_keys(key).perform()
        time.sleep(0.3)  # the fake camera's picture moves on
    assert driver.execute_script("return window.probe_counts") == [2, 2, 2]
    ActionChains(driver).send_keys("s").perform()  # S before T: the status says why not
    wait_for(driver, "return String(window.probe_status).indexOf('train() the model first') >= 0", timeout=60)
    ActionChains(driver).send_keys("t").perform()
    wait_for(driver, "return String(window.probe_status).startsWith('Trained')", timeout=180)
    wait_for(driver, "return !!window.probe_label", timeout=120)
    label = driver.execute_script("return window.probe_label")
    assert label.split(" (")[0] in ["rock", "paper", "scissors"], label
    ActionChains(driver).send_keys("s").perform()
    wait_for(driver, "return String(window.probe_status).startsWith('Saved')", timeout=60)
    assert page_state(driver)["error"] == ""


@pytest.mark.parametrize("layout, expected", [
    ([], "there is no folder pictures"),
    (["cat"], "pictures has 1 class folder(s); make one folder of pictures per class (at least two)"),
])
def test_train_from_folders_explains_a_wrong_folder(tmp_path, layout, expected):
    for name in layout:
        (tmp_path / "pictures" / name).mkdir(parents=True)
    finished = subprocess.run([sys.executable, str(TRAIN_SCRIPT), "pictures"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2 and expected in finished.stderr, finished.stderr
    assert "Traceback" not in finished.stderr and not (tmp_path / "my_model").exists()
