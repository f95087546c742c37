"""Every model class in the web worker (ml5py/worker/): the same calls give the same answers as
on the main thread (FeatureExtractor and its trained heads, NeuralNetwork, KNNClassifier with a
worker's FeatureExtractor, BodyPose's MoveNet and BlazePose with its mask on a still and frame
after frame), ml5.js's names answer on the stand-ins, an error raised in the worker points at
the learner's line, and a browser without OffscreenCanvas keeps the models on the main thread.
One page per group, run twice (``?worker=0`` and ``?worker=1``), on wasm."""
from __future__ import annotations

import json

import pytest

from body_pose_helpers import squat_frames
from conftest import open_page
from test_error_lines import wait_for_error_box

TRAINING = """
from ml5py import FeatureExtractor, KNNClassifier, NeuralNetwork, load_image

__pragma__ ('js', '{}', '''
window.downloads = [];  // each file the page downloads: [name, bytes, a checksum]
HTMLAnchorElement.prototype.click = function () {
    var name = this.download;
    window.downloads.push (fetch (this.href).then (function (r) { return r.arrayBuffer (); }).then (function (b) {
        var v = new Uint8Array (b), sum = 0;
        for (var i = 0; i < v.length; i++) sum = (sum * 31 + v [i]) % 1000000007;
        return [name, v.length, sum];
    }));
};
window.pause = function (ms) { return new Promise (function (resolve) { setTimeout (resolve, ms); }); };''')
bird = load_image("bird.jpg")
kitten = load_image("kitten.jpg")
out = {}
progress = []


def summary(results):
    return [[r.label, round(r.confidence, 5)] for r in results]


def show(epoch, loss, val_loss, logs):
    progress.append(["head", epoch, round(loss, 6)])


def ready_head(model, error):
    out["same head"] = model is still


def got_still(results, error):
    out["still by callback"] = summary(results)


def remember(value, error):
    out["missing"] = [value, str(error)]


def got_live(results, error):
    out["live"].append(summary(results) if error is None else str(error))


def while_training(epoch, logs):
    progress.append(["nn", epoch, round(logs.loss, 6)])


async def main():
    features = FeatureExtractor("MobileNet")
    await features.ready
    embedding = await features.infer(bird)
    other = await features.infer(kitten)
    out["where"] = [features.where(), KNNClassifier(features).where(), NeuralNetwork().where()]
    out["embedding"] = [round(value, 5) for value in embedding.tolist()[:8]] + [len(embedding)]
    out["other"] = [round(value, 6) for value in other]
    by_name = await features.infer("kitten.jpg")   # a file name: the page loads the picture
    out["by name"] = by_name.tolist() == other.tolist()
    await features.infer("missing.jpg", remember)
    head = features.classification({"epochs": 4, "batch_size": 2, "hidden_units": 8})
    for i in range(6):
        scale = 1 + i * 0.05
        head.addImage([value * scale for value in embedding], "bird")   # ml5.js's name
        head.add_image([value * scale for value in other], "kitten")
    await head.add_image(features.infer(kitten), "kitten")   # a promised embedding
    out["counts"] = [head.get_count(), head.get_labels(), head.getCountByLabel()]
    history = await head.train(onProgress=show)
    out["head"] = [[round(loss, 6) for loss in history.loss], summary(await head.classify(bird)),
                   summary(await head.classify(kitten))]
    numbers = features.regression({"epochs": 3, "batch_size": 2, "hidden_units": 4})
    for i in range(4):
        numbers.add_image([value * (1 + i * 0.1) for value in embedding], i * 0.25)
    await numbers.train()
    saved = await head.save("head")
    out["saved"] = [sorted(Object.js_keys(saved)), len(saved["model.json"]), saved["weights.bin"].byteLength]
    predicted = await numbers.predict(bird)
    out["regression"] = round(predicted.value, 5)

    global still
    still = features.classification(bird, ready_head)   # ml5.js 0.x: the head's own picture
    still.add_image("bird")
    still.add_image(kitten, "kitten")
    still.add_image("bird")
    still.add_image(kitten, "kitten")
    await still.train(2)
    out["still"] = summary(await still.classify())
    await still.classify(got_still)
    out["live"] = []
    still.classifyStart([kitten, bird], got_live)   # a live loop over a list, by ml5.js's name
    named = features.classification("kitten.jpg")   # its own picture by file name: loaded on the page
    await named.add_image("kitten")
    out["named"] = [named.get_count(), named.get_labels()]

    knn = KNNClassifier(features)
    await knn.add_example(bird, "bird")
    await knn.add_example(kitten, "kitten")
    knn.add_example(embedding, "bird")
    found = await knn.classify(bird, 2)
    out["knn"] = [found.label, found.confidences, knn.get_count()]

    nn = NeuralNetwork(task="classification", seed=7, debug=True)   # (prints its layers)
    for r, g, b, colour in [[250, 10, 10, "red"], [230, 30, 20, "red"], [10, 240, 20, "green"],
                            [30, 220, 40, "green"], [20, 10, 250, "blue"], [40, 30, 220, "blue"],
                            [240, 40, 40, "red"], [20, 250, 30, "green"], [30, 20, 240, "blue"]]:
        nn.addData({"r": r, "g": g, "b": b}, {"colour": colour})
    nn.normalizeData()
    history = await nn.train(epochs=5, batch_size=4, whileTraining=while_training)
    out["nn"] = [[round(loss, 6) for loss in history.loss], summary(await nn.classify([240, 20, 30])),
                 summary(await nn.classify_sync([20, 30, 230]))]
    await nn.save("colours")
    await nn.saveData("colours")
    out["downloads"] = await Promise.all(window.downloads)
    while len(out["live"]) < 2:
        await window.pause(20)
    window.worker_out = JSON.stringify([out, progress])
    print("done")

main()
"""


def _outcome(driver, site, worker: str) -> list:
    lines = open_page(driver, site.page(worker=worker), until="return window.worker_out", timeout=300)
    return json.loads(driver.execute_script("return window.worker_out")) + [lines]


@pytest.mark.browser
def test_trained_models_give_the_same_answers_in_the_worker(driver, sites, images):
    site = sites(TRAINING, {"bird.jpg": images / "bird.jpg", "kitten.jpg": images / "kitten.jpg"},
                 name="worker-training")
    main, main_progress, main_lines = _outcome(driver, site, "0")
    worker, worker_progress, worker_lines = _outcome(driver, site, "1")
    assert main_lines[0].startswith("NeuralNetwork (classification, sgd") and main_lines[-1] == "done", main_lines
    assert worker_lines == main_lines  # the worker's prints reach the page
    assert len(worker["live"]) == 2 and worker["live"][1] == worker["still"], worker["live"]
    assert main.pop("where") == ["main thread"] * 3
    assert worker.pop("where") == ["worker", "main thread", "worker"]  # KNN stays on the page
    assert [name for name, size, sum in worker["downloads"]] == [
        "model.json", "weights.bin", "metadata.json", "model.json", "model_meta.json", "model.weights.bin",
        "colours.json"], worker["downloads"]
    assert worker["by name"] is True and worker["missing"][1].startswith("Could not load the image 'missing.jpg'")
    assert worker["same head"] is True and worker["still"][0][0] == "bird", worker
    assert worker["still by callback"] == worker["still"]
    assert worker["counts"] == [13, ["bird", "kitten"], {"bird": 6, "kitten": 7}], worker["counts"]
    assert worker["named"] == [1, ["kitten"]], worker["named"]
    assert len(main["head"][0]) == 4 and len(main["nn"][0]) == 5
    # every epoch reported, in order, through the callbacks, with the same losses
    assert [step[:2] for step in worker_progress] == [["head", e] for e in range(1, 5)] + [["nn", e] for e in range(5)]
    assert worker_progress == main_progress
    assert worker == main


BODY_POSE = """
from ml5py import BodyPose, load_image

__pragma__ ('js', '{}', '''
window.mask_levels = function (mask) {  // the mask's alpha, every 7th pixel
    var c = mask.canvas || mask, d = c.getContext ('2d').getImageData (0, 0, c.width, c.height).data, out = [];
    for (var i = 3; i < d.length; i += 28) out.push (d [i]);
    return out;
};''')
frames = []
found = []
blazed = []


def plain(poses):
    return [[pose.id, round(pose.confidence, 4)] + [[round(p.x, 2), round(p.y, 2)] for p in pose.keypoints]
            for pose in poses]


def got(poses, error):
    if error:
        print("error:", error)
        return
    found.append(plain(poses))
    if len(found) == len(frames) + 1:
        blaze.detect_start(frames, got_blaze, 5)


def got_blaze(poses, error):
    if error:
        print("error:", error)
        return
    blazed.append([plain(poses), window.mask_levels(poses[0].mask)])
    if len(blazed) == len(frames):
        window.bp_out = JSON.stringify([body_pose.where(), body_pose.get_skeleton(), body_pose.keypoint_names, found,
                                        blaze.where(), blazed])
        print("done")


async def main():
    global body_pose, blaze
    for name in FRAMES:
        frames.append(load_image(name))
    blaze = BodyPose("BlazePose", model_type="lite", enable_segmentation=True)
    body_pose = BodyPose()
    poses = await body_pose.detect(frames[0])
    found.append(plain(poses))
    body_pose.detectStart(frames, got, 5)   # smoothing and tracking over the frames, 5 per second

main()
"""


@pytest.mark.browser
def test_body_pose_keypoints_are_the_same_in_the_worker(driver, sites, tmp_path):
    frames = squat_frames(tmp_path / "frames", 6, 180, 320)
    source = BODY_POSE.replace("FRAMES", json.dumps([frame.name for frame in frames]))
    site = sites(source, {frame.name: frame for frame in frames}, name="worker-bodypose")
    main = open_page(driver, site.page(worker="0"), lines=1, timeout=300)
    main_out = json.loads(driver.execute_script("return window.bp_out"))
    worker = open_page(driver, site.page(worker="1"), lines=1, timeout=300)
    worker_out = json.loads(driver.execute_script("return window.bp_out"))
    assert main == worker == ["done"], (main, worker)
    assert main_out[0] == "main thread" and worker_out[0] == "worker"
    assert worker_out[1] == main_out[1] and len(worker_out[2]) == 17
    assert worker_out[3] == main_out[3]
    assert len(main_out[3]) == 7 and all(frame for frame in main_out[3])
    # BlazePose: the same 33 keypoints frame after frame (smoothed by the page's times); its
    # mask the same picture, but for the last bit of blending on the way (as BodyPix's)
    assert worker_out[4] == "worker" and len(worker_out[5]) == 6
    for (main_poses, main_mask), (worker_poses, worker_mask) in zip(main_out[5], worker_out[5]):
        assert worker_poses == main_poses and len(main_poses[0]) == 2 + 33
        assert len(worker_mask) == len(main_mask) and max(map(abs, (a - b for a, b in zip(worker_mask, main_mask)))) <= 2
        assert sum(main_mask) > 0


FAILING = """
from ml5py import NeuralNetwork


def got(results, error):
    print("callback:", results, error.__class__.__name__, str(error)[:33])


nn = NeuralNetwork(task="classification")
print("where:", nn.where())
nn.classify([1, 2], got)
nn.classify([1, 2])
"""


@pytest.mark.browser
def test_an_error_in_the_worker_names_the_learners_line(driver, sites):
    site = sites(FAILING, name="worker-error")
    main = wait_for_error_box(driver, site.page(worker="0"))
    main_lines = driver.execute_script("return window.ml5py.lines")
    worker = wait_for_error_box(driver, site.page(worker="1"))
    worker_lines = driver.execute_script("return window.ml5py.lines")
    assert main.startswith("sketch.py, line 11: ValueError: This NeuralNetwork is not trained yet"), main
    assert worker == main
    # the callback gets the error as the same Python exception
    assert main_lines == ["where: main thread", "callback: None ValueError This NeuralNetwork is not trained"]
    assert worker_lines == ["where: worker"] + main_lines[1:], worker_lines


AT_ONCE = """
from ml5py import NeuralNetwork

nn = NeuralNetwork(task="classification")
nn.add_data([1, 2], "a")
nn.add_data([2, 1], "b")
nn.train(epochs=1)


def show():   # (a callback cannot wait for an answer, as straight-line code can)
    answers = nn.classify_sync([1, 2])
    print(answers[0].label)


window.setTimeout(show, 0)
"""


@pytest.mark.browser
def test_a_sync_method_in_the_worker_says_what_to_do(driver, sites):
    site = sites(AT_ONCE, name="worker-sync")
    text = wait_for_error_box(driver, site.page(worker="1"), timeout=60)
    assert text.startswith("sketch.py, line 11: NotReadyError: classify_sync() cannot answer at once when the "
                           "model runs in a web worker"), text
    assert "Use classify(inputs, got_results)" in text and "worker=False" in text


UNMADE = """
from ml5py import BodyPose

pose = BodyPose("PoseNet")
print("asked")
poses = pose.detect(window.document.createElement("canvas"))
"""


@pytest.mark.browser
def test_a_model_that_cannot_be_made_says_so_once_at_its_line(driver, sites):
    site = sites(UNMADE, name="worker-unmade")
    main = wait_for_error_box(driver, site.page(worker="0"))
    worker = wait_for_error_box(driver, site.page(worker="1"))
    assert main.startswith("sketch.py, line 3: ValueError: Unknown BodyPose model 'PoseNet'"), main
    assert worker == main
    # (in the worker the sketch goes on to its next lines; their calls fail with the same error)
    assert driver.execute_script("return window.ml5py.lines") == ["asked"]
    driver.execute_script("return new Promise(function (resolve) { setTimeout(resolve, 500); })")
    assert driver.execute_script("return document.getElementById('ml5py-error').textContent") == main


@pytest.mark.browser
def test_without_offscreen_canvas_the_model_stays_on_the_main_thread(driver, sites):
    site = sites(FAILING.replace("nn.classify([1, 2]", "# nn.classify([1, 2]"), name="worker-fallback")
    hidden = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": "delete window.OffscreenCanvas;"})
    try:
        lines = open_page(driver, site.page(worker="1"), lines=1)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", hidden)
    assert lines == ["where: main thread"]
    assert open_page(driver, site.page(worker="1"), lines=1) == ["where: worker"]
