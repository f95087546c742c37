"""NeuralNetwork's three examples, run as a learner runs them:

- ``train_from_csv/train.py`` in CPython on its fruits.csv;
- ``mouse_regression`` in the browser: the test clicks points along a line, presses T,
  and the prediction drawn every frame follows the line;
- ``pose_classifier`` in the browser with a stand-in BodyPose (the real one is being
  written; the stand-in keeps its documented API: ``BodyPose()``, ``detect_start(video,
  callback)``, poses with ``keypoints`` of ``{x, y, confidence, name}``) that reports
  the pose the test chooses: keys 1-3 collect, T trains, S saves, the label follows the pose.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from conftest import REPO, open_page, page_state
from ml5py import NeuralNetwork

EXAMPLES = REPO / "examples"


def test_train_from_csv_learns_the_fruits_and_saves_a_model(tmp_path):
    for name in ["train.py", "fruits.csv"]:
        shutil.copyfile(EXAMPLES / "train_from_csv" / name, tmp_path / name)
    finished = subprocess.run([sys.executable, "train.py"], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert lines[0].startswith("epoch 10 loss ") and lines[5].startswith("epoch 60 loss ")
    assert float(lines[5].split()[-1]) < float(lines[0].split()[-1])
    accuracy = float(lines[6].split()[-1].rstrip("%"))
    assert accuracy >= 95, lines
    assert lines[7].endswith("-> apple " + lines[7].split()[-1]) and " -> grape " in lines[8]
    nn = NeuralNetwork()
    nn.load(tmp_path / "fruit_model")
    assert nn.classify({"weight_g": 120, "diameter_cm": 3.4, "colour": "yellow"})[0]["label"] == "banana"


MOUSE_PROBE = """

_learner_draw = draw


def draw():
    _learner_draw()
    window.probe = [status, len(points), predicted]
"""


@pytest.mark.browser
def test_mouse_regression_follows_the_clicked_line(driver, sites):
    from selenium.webdriver.common.action_chains import ActionChains

    from browser import wait_for

    site = sites((EXAMPLES / "mouse_regression" / "sketch.py").read_text() + MOUSE_PROBE, name="nn-mouse")
    open_page(driver, site.page("wasm"), until="return window.probe !== undefined", timeout=120)
    canvas = driver.find_element("css selector", "canvas")
    left = -canvas.size["width"] // 2  # offsets are from the canvas's centre
    top = -canvas.size["height"] // 2
    for x in range(40, 620, 20):
        ActionChains(driver).move_to_element_with_offset(canvas, left + x, top + 100 + x // 2).click().perform()
    wait_for(driver, "return window.probe[1] === 29", timeout=10)  # (draw() reports the count)
    ActionChains(driver).send_keys("t").perform()
    wait_for(driver, "return String(window.probe[0]).startsWith('Trained')", timeout=180)
    ActionChains(driver).move_to_element_with_offset(canvas, left + 320, top + 10).perform()
    time.sleep(0.5)
    predicted = driver.execute_script("return window.probe[2]")
    assert abs(predicted - 260) < 25, predicted
    assert page_state(driver)["error"] == ""


FAKE_BODY_POSE = '''
from ml5py import NeuralNetwork


class BodyPose:
    """A stand-in with BodyPose's documented API: it reports window.fake_pose, jittered."""

    def detect_start(self, video, callback):
        def tick():
            if not window.fake_pose:
                callback([], None)
                return
            points = []
            for point in window.fake_pose:
                points.append({"x": point[0] + Math.random() * 6, "y": point[1] + Math.random() * 6,
                               "confidence": 0.9, "name": "keypoint"})
            callback([{"keypoints": points}], None)
        setInterval(tick, 40)
'''

POSE_PROBE = """

_learner_draw = draw


def draw():
    _learner_draw()
    window.probe = [status, label, counts]
"""


def fake_pose(kind):
    """17 keypoints (x, y) for three made-up poses."""
    return [[200 + 12 * i + (80 if kind == 1 and i % 2 else 0), 100 + 15 * i - (60 if kind == 0 else 0) +
             (50 if kind == 2 and i > 8 else 0)] for i in range(17)]


@pytest.mark.browser
def test_pose_classifier_learns_poses_with_keys_and_saves(driver, sites):
    from selenium.webdriver.common.action_chains import ActionChains

    from browser import wait_for

    source = (EXAMPLES / "pose_classifier" / "sketch.py").read_text()
    assert "from ml5py import BodyPose, NeuralNetwork\n" in source
    source = source.replace("from ml5py import BodyPose, NeuralNetwork\n", FAKE_BODY_POSE)
    site = sites(source + POSE_PROBE, name="nn-pose")
    open_page(driver, site.page("wasm"), until="return window.probe !== undefined", timeout=120)
    ActionChains(driver).send_keys("1").perform()
    wait_for(driver, "return String(window.probe[0]).startsWith('No one in sight')", timeout=30)
    for kind in range(3):
        driver.execute_script("window.fake_pose = arguments[0];", fake_pose(kind))
        time.sleep(0.2)
        for _ in range(8):
            ActionChains(driver).send_keys(str(kind + 1)).perform()
            time.sleep(0.05)
    wait_for(driver, "return JSON.stringify(window.probe[2]) === '[8,8,8]'", timeout=10)
    ActionChains(driver).send_keys("t").perform()
    wait_for(driver, "return String(window.probe[0]).startsWith('Trained')", timeout=180)
    for kind, name in [(1, "arms wide"), (0, "arms up"), (2, "hands down")]:
        driver.execute_script("window.fake_pose = arguments[0];", fake_pose(kind))
        wait_for(driver, f"return String(window.probe[1]).startsWith('{name} (')", timeout=30)
    ActionChains(driver).send_keys("s").perform()
    wait_for(driver, "return String(window.probe[0]).startsWith('Saved')", timeout=60)
    assert page_state(driver)["error"] == ""
