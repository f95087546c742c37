"""The world the bad-input sweep's cases run in: paths, test files, loaded models, a dev server.

Built once by ``bench/bad_inputs.py`` in the parent process; every case's child process
shares it (read-only, by fork). The cases themselves are in ``bad_input_cases.py``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent


def module(*names: str):
    """The first of ``names`` that imports (a module's place before and after the reshape)."""
    import importlib

    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(names[0])


class World:
    """Paths, loaded models and a dev server shared (read-only, by fork) by every case."""

    def __init__(self, repo: Path, shared: Path) -> None:
        self.repo, self.shared = repo, shared
        self.root = Path(tempfile.mkdtemp(prefix="ml5py-sweep-"))
        os.environ["ML5PY_MODELS"] = str(shared / "pretrained")
        os.environ["ML5PY_CACHE"] = str(self.root / "cache")
        images = shared / "images"
        self.bird = self.root / "bird.jpg"
        shutil.copyfile(images / "bird.jpg", self.bird)
        self.photos = self.root / "photos"
        self.photos.mkdir()
        for name in ("bird.jpg", "kitten.jpg"):
            shutil.copyfile(images / name, self.photos / name)
        self.make_files(images)
        self.load_models()

    def make_files(self, images: Path) -> None:
        sys.path.insert(0, str(HERE.parent / "tests"))
        from image_files import huge_png_header, picture_files  # (test data only: PIL and numpy)

        self.modes = picture_files(self.root / "modes", images / "bird.jpg")
        huge_png_header(self.root / "huge.png", 20000, 10000)
        (self.root / "empty.jpg").write_bytes(b"")
        (self.root / "text.jpg").write_text("not a picture")
        (self.root / "cut.jpg").write_bytes((images / "bird.jpg").read_bytes()[:2000])
        (self.root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
        self.tm = self.root / "tm"
        self.write_tm(self.tm, ["red", "blue"])
        self.write_tm(self.root / "tm5", list("abcde"))
        self.write_tm(self.root / "tm1", ["only"])
        self.write_tm(self.root / "tm_deep", ["a", "b"])
        (self.root / "tm_deep" / "metadata.json").write_text("[" * 100_000 + "]" * 100_000)
        self.write_tm(self.root / "tm_badjson", ["a", "b"])
        (self.root / "tm_badjson" / "model.json").write_text("{not json")
        self.write_tm(self.root / "tm_short", ["a", "b"])
        (self.root / "tm_short" / "weights.bin").write_bytes(b"\0" * 10)
        (self.root / "no_model").mkdir()
        (self.root / "no_model" / "notes.txt").write_text("x")
        sketch = self.root / "sketch"
        sketch.mkdir()
        (sketch / "sketch.py").write_text("print('hi')\n")
        (sketch / "photo.jpg").write_bytes(b"1")
        (sketch / ".env").write_text("SECRET=1")
        (sketch / "secret_link").symlink_to("/etc/hostname")
        (sketch / "photos").mkdir()
        (sketch / "photos" / ".git").mkdir()
        (sketch / "photos" / ".git" / "config").write_text("[core]")
        self.sketch = sketch
        (self.root / "latin1.py").write_bytes("print('café')\n".encode("latin-1"))
        (self.root / "syntax.py").write_text("print('hi'\n")
        loop = self.root / "loop"
        loop.mkdir()
        (loop / "sketch.py").write_text("print('hi')\n")
        (loop / "again").symlink_to(".", target_is_directory=True)
        self.loop = loop

    def reset(self) -> None:
        """Put back what a case may have destroyed (a fork shares the files): photos, bird.jpg, the sketch."""
        images = self.shared / "images"
        shutil.rmtree(self.photos, ignore_errors=True)
        if self.photos.is_file():
            self.photos.unlink()
        self.photos.mkdir()
        for name in ("bird.jpg", "kitten.jpg"):
            shutil.copyfile(images / name, self.photos / name)
        if self.bird.is_dir():
            shutil.rmtree(self.bird)
        shutil.copyfile(images / "bird.jpg", self.bird)
        (self.sketch / "sketch.py").write_text("print('hi')\n")
        (self.sketch / "photo.jpg").write_bytes(b"1")

    @staticmethod
    def write_tm(folder: Path, labels: list) -> None:
        import numpy as np

        folder.mkdir()
        layers = [{"class_name": "GlobalAveragePooling2D",
                   "config": {"name": "pool", "batch_input_shape": [None, 8, 8, 3], "data_format": "channels_last"}},
                  {"class_name": "Dense", "config": {"name": "head", "units": 2, "activation": "softmax",
                                                     "use_bias": True}}]
        topology = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers},
                    "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}
        kernel = np.array([[8.0, -8.0], [0.0, 0.0], [-8.0, 8.0]], np.float32)
        (folder / "weights.bin").write_bytes(kernel.tobytes() + np.zeros(2, np.float32).tobytes())
        manifest = [{"paths": ["weights.bin"], "weights": [
            {"name": "head/kernel", "shape": [3, 2], "dtype": "float32"},
            {"name": "head/bias", "shape": [2], "dtype": "float32"}]}]
        (folder / "model.json").write_text(json.dumps({"modelTopology": topology, "weightsManifest": manifest,
                                                       "format": "layers-model"}))
        (folder / "metadata.json").write_text(json.dumps({"labels": labels}))

    def load_models(self) -> None:
        import numpy as np

        sys.path.insert(0, str(self.repo))
        import ml5py

        assert Path(ml5py.__file__).resolve().parent == (self.repo / "ml5py").resolve(), ml5py.__file__
        self.ml5py = ml5py
        self.classifier = ml5py.ImageClassifier("MobileNet")
        self.features = ml5py.FeatureExtractor("MobileNet")
        self.knn = ml5py.KNNClassifier()
        self.knn.add_example([1.0, 0.0], "a")
        self.knn.add_example([0.0, 1.0], "b")
        self.head = self.features.classification({"epochs": 1})
        red, blue = np.zeros((24, 24, 3), np.uint8), np.zeros((24, 24, 3), np.uint8)
        red[..., 0], blue[..., 2] = 255, 255
        for picture, label in ((red, "red"), (blue, "blue"), (red, "red"), (blue, "blue")):
            self.head.add_image(picture, label)
        self.head.train()
        self.red = red
        self.style = ml5py.StyleTransfer("scream")
        self.bodypix = ml5py.BodyPix()
        build = module("ml5py.tooling.build", "ml5py.build").build  # (the layout after the reshape, or before)
        self.site = build(self.sketch / "sketch.py", self.root / "built")
        make_server = module("ml5py.tooling.server", "ml5py.server").make_server
        self.cli_module = module("ml5py.tooling.cli", "ml5py.cli").__name__

        self.server = make_server(self.site, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def cli(self, *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 60) -> tuple:
        environment = {**os.environ, "PYTHONPATH": str(self.repo), **(env or {})}
        try:
            done = subprocess.run([sys.executable, "-m", self.cli_module, *args], cwd=cwd or self.root,
                                  capture_output=True, text=True, timeout=timeout, env=environment)
        except subprocess.TimeoutExpired:
            return None, "(still running)"
        return done.returncode, done.stderr

    def http(self, path: str, host: str | None = None) -> tuple:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, response.reason, body
