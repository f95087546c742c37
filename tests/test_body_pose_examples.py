"""The BodyPose examples: the CSV script on squats.mp4 and on a folder of photos (CPython), and
the webcam sketches on Chromium's fake camera playing squats.mp4 (converted by ffmpeg):
poses frame after frame, draw() running between them, BlazePose's mask and 33 points, the
theremin's tone following the nose."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import time

import pytest

from body_pose_helpers import SQUATS, ffmpeg
from browser import wait_for
from conftest import REPO, SESSION_FLAGS, build_and_serve, write_sketch

EXAMPLES = REPO / "examples"

# Appended to a webcam example: count the callbacks and the people they saw.
PROBE = """

_learner_got_poses = got_poses


def got_poses(poses, error):
    _learner_got_poses(poses, error)
    window.probe_calls = (window.probe_calls or 0) + 1
    window.probe_people = (window.probe_people or 0) + (len(poses) if poses else 0)
    window.probe_error = str(error) if error else ""
    if not window.probe_draws_between:
        window.probe_draws_between = []
    window.probe_draws_between.push(frameCount)
"""

SKELETON_PROBE = """

_probed_got_poses = got_poses


def got_poses(poses, error):
    _probed_got_poses(poses, error)
    window.probe_skeleton = len(skeleton)
"""

THEREMIN_PROBE = """

_learner_setup = setup
_learner_draw = draw


def setup():
    _learner_setup()
    glide = tone.freq.bind(tone)

    def asked(*args):  # note the pitch the sketch asks for, then ask for it
        window.probe_asked = args[0]
        return glide(*args)

    tone.freq = asked


def draw():
    _learner_draw()
    if nose is not None:
        window.probe_pitch = [window.probe_asked, nose.y, tone.getFreq()]
"""


def test_csv_example_writes_every_frame_of_a_video_and_every_photo(tmp_path, images, mirror):
    script = EXAMPLES / "poses_to_csv" / "poses_to_csv.py"
    out = tmp_path / "squats.csv"
    done = subprocess.run([sys.executable, str(script), str(SQUATS), str(out)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"65 frames (720x1280, 5 fps) -> {out}"
    with open(out, newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table[0]) == 5 + 17 * 3 and "left_wrist_confidence" in table[0]
    frames = {row["frame"] for row in table}
    assert len(frames) >= 60, "hardly anyone found in squats.mp4"
    assert {row["person"] for row in table} == {"1"}, "one person doing squats keeps one id"
    assert float(table[-1]["time"]) == pytest.approx(int(table[-1]["frame"]) / 5)
    noses = [float(row["nose_y"]) for row in table]
    assert max(noses) - min(noses) > 100, "the squats move the nose up and down"

    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("pose.jpg", "three_people.jpg", "bird.jpg"):
        shutil.copyfile(images / name, photos / name)
    done = subprocess.run([sys.executable, str(script), str(photos), str(tmp_path / "photos.csv")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "photos.csv", newline="") as handle:
        sources = [row["source"] for row in csv.DictReader(handle)]
    assert sources == ["pose.jpg", "three_people.jpg", "three_people.jpg", "three_people.jpg"]  # no bird
    done = subprocess.run([sys.executable, str(script), str(photos), str(tmp_path / "blazepose.csv"), "BlazePose"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "blazepose.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [row["source"] for row in table] == ["pose.jpg", "three_people.jpg"]  # one person each; no bird
    assert len(table[0]) == 5 + 33 * 3 and "left_foot_index_x" in table[0]


@pytest.fixture(scope="module")
def squats_camera(tmp_path_factory):
    """squats.mp4 as a 640 x 480 .y4m file for Chromium's fake camera (the person in the middle)."""
    y4m = tmp_path_factory.mktemp("camera") / "squats.y4m"
    subprocess.run([ffmpeg(), "-v", "error", "-i", str(SQUATS), "-vf", "scale=270:480,pad=640:480:185:0",
                    "-pix_fmt", "yuv420p", str(y4m)], check=True, timeout=300)
    return y4m


@pytest.fixture(scope="module")
def camera_driver(squats_camera):
    from browser import chromium

    with chromium(SESSION_FLAGS + [f"--use-file-for-fake-video-capture={squats_camera}"]) as driver:
        yield driver


def serve_example(tmp_path, name, more=""):
    source = (EXAMPLES / name / "sketch.py").read_text() + PROBE + more
    folder = tmp_path / name
    write_sketch(folder, source)
    return build_and_serve(folder)


@pytest.mark.browser
def test_skeleton_example_draws_poses_frame_after_frame(camera_driver, tmp_path, mirror):
    from conftest import open_page, page_state

    site = serve_example(tmp_path, "pose_skeleton", SKELETON_PROBE)
    try:
        open_page(camera_driver, site.page("wasm"), until="return window.probe_calls >= 6", timeout=180)
        calls, people, error, draws = camera_driver.execute_script(
            "return [window.probe_calls, window.probe_people, window.probe_error, window.probe_draws_between]")
        assert error == "" and page_state(camera_driver)["error"] == ""
        assert people >= calls - 1, f"{people} people in {calls} frames of a person doing squats"
        assert draws[-1] > draws[0] + 3, f"draw() did not keep running between poses: {draws}"
        assert camera_driver.execute_script("return window.probe_skeleton") == 16
    finally:
        site.server.shutdown()


@pytest.mark.browser
def test_blazepose_example_draws_the_mask_and_33_points(camera_driver, tmp_path, mirror):
    from conftest import open_page, page_state

    probe = SKELETON_PROBE + """
    if poses:
        window.probe_mask = [poses[0].mask.width, poses[0].mask.height, len(poses[0].keypoints)]
"""
    site = serve_example(tmp_path, "blazepose_mask", probe)
    try:
        open_page(camera_driver, site.page("wasm"), until="return window.probe_calls >= 4", timeout=240)
        calls, people, error, draws = camera_driver.execute_script(
            "return [window.probe_calls, window.probe_people, window.probe_error, window.probe_draws_between]")
        assert error == "" and page_state(camera_driver)["error"] == ""
        assert people >= calls - 1, f"{people} people in {calls} frames of a person doing squats"
        assert draws[-1] > draws[0], f"draw() did not keep running between poses: {draws}"
        assert camera_driver.execute_script("return window.probe_skeleton") == 36
        width, height, points = camera_driver.execute_script("return window.probe_mask")
        assert points == 33 and width > 0 and height > 0
    finally:
        site.server.shutdown()


@pytest.mark.browser
def test_nose_theremin_plays_the_nose_s_height(camera_driver, tmp_path, mirror):
    from conftest import open_page, page_state

    site = serve_example(tmp_path, "nose_theremin", THEREMIN_PROBE)
    try:
        open_page(camera_driver, site.page("wasm"), until="return window.probe_calls >= 6 && window.probe_pitch",
                  timeout=180)
        assert page_state(camera_driver)["error"] == ""
        assert camera_driver.execute_script("return typeof p5.Oscillator") == "function"  # p5.sound is on the page
        from selenium.webdriver.common.by import By

        camera_driver.find_element(By.TAG_NAME, "canvas").click()  # a click lets the page make sound
        wait_for(camera_driver, "return getAudioContext().state === 'running'", timeout=30)
        time.sleep(1)  # a few glides of 0.1 s
        asked, nose_y, sounding = camera_driver.execute_script("return window.probe_pitch")
        expected = 110 + (480 - nose_y) / 480 * (880 - 110)  # the nose's height, top of the picture 880 Hz
        assert abs(asked - expected) < 1e-6, (asked, expected)
        assert 110 <= sounding <= 880 and sounding != 440, sounding  # the tone left its default 440 Hz
    finally:
        site.server.shutdown()
