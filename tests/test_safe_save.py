"""Saving never deletes a learner's files and always leaves one whole model."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from conftest import MIRROR
from ml5py import FeatureExtractor, ImageClassifier, KNNClassifier
from ml5py.core import safe_save
from ml5py.core.safe_save import NotOursError
from test_image_classifier import write_teachable_machine_model

RED = np.zeros((24, 24, 3), np.uint8)
RED[..., 0] = 255
BLUE = np.zeros((24, 24, 3), np.uint8)
BLUE[..., 2] = 255


@pytest.fixture(scope="module")
def head():
    model = FeatureExtractor("MobileNet").classification({"epochs": 1})
    for picture, label in ((RED, "red"), (BLUE, "blue"), (RED, "red"), (BLUE, "blue")):
        model.add_image(picture, label)
    model.train()
    return model


def test_saving_a_model_into_a_folder_of_photos_refuses_and_keeps_them(head, tmp_path, images, monkeypatch):
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("bird.jpg", "kitten.jpg"):
        shutil.copyfile(images / name, photos / name)
    with pytest.raises(NotOursError) as info:
        head.save(str(photos))
    message = str(info.value)
    assert "it holds files that are not a saved model (bird.jpg, kitten.jpg)" in message
    assert 'model.save("photos_model")' in message and info.value.found == ["bird.jpg", "kitten.jpg"]
    assert sorted(os.listdir(photos)) == ["bird.jpg", "kitten.jpg"]
    assert sorted(os.listdir(tmp_path)) == ["photos"]  # no temporary folder left either
    monkeypatch.chdir(photos)
    with pytest.raises(NotOursError, match="bird.jpg, kitten.jpg"):
        head.save(".")
    errors = []
    head.save(str(photos), lambda files, error: errors.append(error))
    assert isinstance(errors[0], NotOursError)


def test_a_saved_or_teachable_machine_folder_is_replaced_and_anything_more_refused(head, tmp_path):
    write_teachable_machine_model(tmp_path / "tm")  # model.json, weights.bin, metadata.json
    (tmp_path / "tm" / ".DS_Store").write_bytes(b"finder")
    head.save(str(tmp_path / "tm"))
    assert ImageClassifier(str(tmp_path / "tm")).labels == ["red", "blue"]
    head.save(str(tmp_path / "tm"))  # its own save again
    (tmp_path / "tm" / "notes.txt").write_text("my notes")
    (tmp_path / "tm" / "more").mkdir()
    with pytest.raises(NotOursError, match=r"\(more/, notes.txt\)"):
        head.save(str(tmp_path / "tm"))
    assert (tmp_path / "tm" / "notes.txt").read_text() == "my notes"
    (tmp_path / "empty").mkdir()
    head.save(str(tmp_path / "empty"))
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(NotOursError, match="a file has that name"):
        head.save(str(tmp_path / "a_file"))
    assert (tmp_path / "a_file").read_text() == "x"


def test_knn_save_never_replaces_a_file_it_did_not_write(tmp_path, images, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(images / "bird.jpg", tmp_path / "bird.jpg")
    knn = KNNClassifier()
    knn.add_example([1.0, 2.0], "a")
    with pytest.raises(NotOursError, match=r"that file was not saved by ml5py .*knn.save\(\"bird_saved.jpg\"\)"):
        knn.save("bird.jpg")
    assert (tmp_path / "bird.jpg").read_bytes() == (images / "bird.jpg").read_bytes()
    knn.save()  # knn.json
    knn.add_example([2.0, 1.0], "b")
    knn.save()  # its own file: replaced
    assert KNNClassifier().load("knn.json").get_count() == 2
    (tmp_path / "ml5js.json").write_text(json.dumps({"dataset": {}, "tensors": []}))
    knn.save("ml5js.json")  # what ml5.js saved may be replaced too
    (tmp_path / "folder").mkdir()
    with pytest.raises(NotOursError, match="that is a folder"):
        knn.save("folder")


def test_knn_save_uses_the_usual_permissions(tmp_path):
    previous = os.umask(0o022)
    try:
        KNNClassifier().save(str(tmp_path / "knn.json"))
        assert stat.S_IMODE((tmp_path / "knn.json").stat().st_mode) == 0o644
        os.chmod(tmp_path / "knn.json", 0o640)
        KNNClassifier().save(str(tmp_path / "knn.json"))  # an existing file keeps its permissions
        assert stat.S_IMODE((tmp_path / "knn.json").stat().st_mode) == 0o640
    finally:
        os.umask(previous)


# ---------------------------------------------------------------- a kill at any moment

def tiny_model_files(label: str) -> dict:
    folder = Path(os.environ.get("TMPDIR", "/tmp"))  # (only to borrow the writer's bytes)
    import tempfile

    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        write_teachable_machine_model(Path(scratch))
        files = {name: (Path(scratch) / name).read_bytes() for name in ("model.json", "weights.bin")}
    files["metadata.json"] = json.dumps({"labels": [label + " red", label + " blue"]}).encode()
    return files


KILLER = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    import ml5py.core.safe_save as s
    point, target, files = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    real_swap, real_replace, real_write = s._swap, os.replace, s._write
    def killed(*args):
        os._exit(9)
    if point == "writing":
        s._write = lambda path, content: killed() if path.name == "weights.bin" else real_write(path, content)
    if point == "before swap":
        s._swap = killed
    if point == "after swap":
        s._swap = lambda first, second: real_swap(first, second) and killed()
    if point == "between the steps":
        s._swap = lambda first, second: False
        os.replace = lambda a, b: (real_replace(a, b), str(b).endswith("previous") and killed())
    s.replace_folder(target, {name: text.encode("latin-1") for name, text in files.items()})
""")


@pytest.mark.parametrize("point", ["writing", "before swap", "after swap", "between the steps"])
def test_a_kill_during_save_leaves_one_whole_model_and_the_next_load_cleans_up(tmp_path, point):
    target = tmp_path / "model"
    safe_save.replace_folder(target, tiny_model_files("old"))
    new = {name: content.decode("latin-1") for name, content in tiny_model_files("new").items()}
    finished = subprocess.run([sys.executable, "-c", KILLER, point, str(target), json.dumps(new)],
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 9, finished.stderr
    debris = [name for name in os.listdir(tmp_path) if name != "model"]
    assert debris, "the kill should have left temporary files"
    if point != "between the steps":  # swapped in one step: never a moment without a model
        assert sorted(os.listdir(target)) == ["metadata.json", "model.json", "weights.bin"]
    labels = ImageClassifier(str(target)).labels  # the next load puts a stepped-aside model back
    assert labels == (["new red", "new blue"] if point == "after swap" else ["old red", "old blue"])
    assert os.listdir(tmp_path) == ["model"], "the next load leaves no debris"
    assert ImageClassifier(str(target)).classify(RED)[0]["label"].endswith("red")


def test_the_folder_holds_a_whole_model_at_every_instant_of_many_saves(tmp_path):
    target = tmp_path / "model"
    safe_save.replace_folder(target, tiny_model_files("v0"))
    seen, stop = [], threading.Event()
    names = ("metadata.json", "model.json", "weights.bin")

    def watch():  # each look-up of a path is one instant (a listing would read a folder being removed)
        while not stop.is_set():
            seen.append(tuple(name for name in names if (target / name).is_file()))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for number in range(40):
            safe_save.replace_folder(target, tiny_model_files(f"v{number + 1}"))
    finally:
        stop.set()
        watcher.join()
    assert len(seen) > 40 and set(seen) == {names}
    assert json.loads((target / "metadata.json").read_text())["labels"][0] == "v40 red"


def test_a_killed_download_leaves_debris_that_the_next_fetch_removes(tmp_path, monkeypatch):
    from ml5py.weights import registry
    from ml5py.weights.fetch import fetch

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # a process id that has ended
    cache = tmp_path / "cache"
    folder = cache / "doodlenet"
    shutil.copytree(MIRROR / "doodlenet", folder)
    part = folder / f".group1-shard1of1.bin.{dead}-abcd1234.part"
    part.write_bytes(b"x" * 1_200_000)
    mine = folder / f".model.json.{os.getpid()}-abcd1234.part"  # (this process: maybe still writing)
    mine.write_bytes(b"x")
    monkeypatch.setenv("ML5PY_CACHE", str(cache))
    monkeypatch.delenv("ML5PY_MODELS")
    assert fetch("DoodleNet", progress=False) == folder
    assert not part.exists() and mine.exists()
