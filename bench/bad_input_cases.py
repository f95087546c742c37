"""The bad-input sweep's cases: every public entry point and the bad inputs tried on it.

``cases(world)`` lists them as (entry point, what, call, check); ``bench/bad_inputs.py`` runs
each in a forked child and counts the outcomes. The list is the documentation of what
"every public entry point" means here.
"""
from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

from bad_input_world import World, module

# Raw messages (not sentences): used by bad_inputs.judge_exception and by cli_verdict below.
RAW_PATTERNS = [r"invalid literal for", r"\[Errno -?\d+\]", r"object is not (callable|iterable|subscriptable)",
                r"unsupported operand", r"takes \d+ positional", r"index out of range", r"could not convert",
                r"cannot reshape", r"could not be broadcast", r"expected str, bytes or os\.PathLike",
                r"'NoneType'", r"truth value of an array", r"has no attribute", r"math domain error",
                r"only (length-1|integer scalar)", r"Traceback", r"decompression bomb", r"unhashable",
                r"argument should be a str", r"must be real number", r"^\S*$", r"IncompleteRead",
                r"not supported between instances", r"cannot convert float NaN"]


# ---------------------------------------------------------------- the cases

class Verdict(Exception):
    """Raised by a case's check: the call returned, and this is what it deserves."""

    def __init__(self, kind: str, why: str):
        super().__init__(why)
        self.kind, self.why = kind, why


def refused(value):
    """A bad input that came back as a value: accepted silently."""
    raise Verdict("unclear", f"accepted silently: returned {str(value)[:80]}")


def cli_verdict(result: tuple, want_error: bool = True) -> None:
    code, stderr = result
    if code is None:
        raise Verdict("crash", "hung (still running after 60 s)")
    if "Traceback" in stderr:
        raise Verdict("crash", "traceback: " + stderr.strip().splitlines()[-1][:120])
    if code == 0:
        raise Verdict("works" if not want_error else "unclear", "exit 0")
    message = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    if len(message) < 30 or any(re.search(p, message) for p in RAW_PATTERNS[:-2]):
        raise Verdict("unclear", message[:120])
    raise Verdict("clear", message[:120])


def cases(w: World) -> list:
    """(entry point, what, call, check). ``check(value)`` raises Verdict; None means 'refuse'."""
    import numpy as np

    m = w.ml5py
    c, knn, head = w.classifier, w.knn, w.head
    nan = np.full((32, 32, 3), 100.0, np.float32)
    nan[3, 4, 1] = np.nan
    inf = np.full((32, 32, 3), 100.0)
    inf[1, 1, 1] = np.inf
    arrays = {"None": None, "5": 5, "'missing.jpg'": "missing.jpg", "empty array": np.zeros((0, 0, 3), np.uint8),
              "2-D array": np.zeros((32, 32), np.uint8), "5 channels": np.zeros((32, 32, 5), np.uint8),
              "NaN pixel": nan, "inf pixel": inf, "complex": np.full((32, 32, 3), 1 + 1j),
              "bool": np.ones((32, 32, 3), bool), "object dtype": np.full((32, 32, 3), None, object),
              "values above 255": np.full((32, 32, 3), 300.0), "negative values": np.full((32, 32, 3), -5.0)}
    bad_k = {"0": 0, "-3": -3, "2.5": 2.5, "nan": math.nan, "inf": math.inf, "[5]": [5], "'x'": "x", "True": True}

    def finite_results(results):
        if any(not math.isfinite(r["confidence"]) for r in results):
            raise Verdict("unclear", "NaN confidence")
        raise Verdict("works", "finite results")

    def decoded(name):
        def check(image):
            pixels = image.to_numpy()
            if pixels.shape == w.modes[name].shape and (pixels == w.modes[name]).all():
                raise Verdict("works", "the 8-bit picture")
            raise Verdict("unclear", f"wrong pixels: mean {pixels.mean():.1f} for {w.modes[name].mean():.1f}")
        return check

    def photos_kept(value):
        images = w.shared / "images"
        if any(not (w.photos / name).is_file() or (w.photos / name).read_bytes() != (images / name).read_bytes()
               for name in ("bird.jpg", "kitten.jpg")):
            raise Verdict("crash", f"photos lost: {os.listdir(w.photos)}")
        raise Verdict("unclear", "accepted silently")

    def bird_kept(value):
        if (w.root / "bird.jpg").read_bytes() != (w.shared / "images" / "bird.jpg").read_bytes():
            raise Verdict("crash", "bird.jpg overwritten")
        raise Verdict("unclear", "accepted silently")

    out = []
    add = lambda where, what, call, check=None: out.append((where, what, call, check))  # noqa: E731

    for what, path in {"None": None, "5": 5, "''": "", "'missing.jpg'": "missing.jpg", "a folder": w.root,
                       "an empty file": w.root / "empty.jpg", "a text file": w.root / "text.jpg",
                       "a cut JPEG": w.root / "cut.jpg", "200 MP PNG header": w.root / "huge.png",
                       "bytes": b"bird.jpg"}.items():
        add("load_image", what, lambda path=path: m.load_image(path))
    for name in ("grey16.png", "float01.tif", "palette_transparent.png", "grey32.tif", "cmyk.tif", "rgb16.png"):
        add("load_image", name, lambda name=name: m.load_image(w.root / "modes" / name), decoded(name))

    for what, model in {"None": None, "5": 5, "''": "", "'NoSuchModel'": "NoSuchModel", "'scream'": "scream",
                        "a folder of notes": str(w.root / "no_model"), "5 labels, 2 outputs": str(w.root / "tm5"),
                        "1 label, 2 outputs": str(w.root / "tm1"), "deeply nested metadata": str(w.root / "tm_deep"),
                        "model.json not JSON": str(w.root / "tm_badjson"), "short weights": str(w.root / "tm_short")
                        }.items():
        add("ImageClassifier", what, lambda model=model: m.ImageClassifier(model).classify(w.red))
    add("ImageClassifier", "callback 'x'", lambda: m.ImageClassifier("MobileNet", "x"))
    for what, image in arrays.items():
        add("ImageClassifier.classify", f"image {what}", lambda image=image: c.classify(image))
    for what, k in bad_k.items():
        add("ImageClassifier.classify", f"k={what}", lambda k=k: c.classify(w.red, k=k))
    add("ImageClassifier.classify", "classify(img, 'x')", lambda: c.classify(w.red, "x"))
    add("ImageClassifier.classify", "callback 5", lambda: c.classify(w.red, 3, 5))
    def capped(results):
        raise Verdict("works" if len(results) == 1000 else "unclear", f"{len(results)} results")
    add("ImageClassifier.classify", "k=10**6 (capped)", lambda: c.classify(w.red, k=10 ** 6), capped)
    add("ImageClassifier.classify", "NaN pixel (result)", lambda: c.classify(nan), finite_results)
    add("ImageClassifier.classify_start", "callback None", lambda: c.classify_start(w.red, None))
    add("ImageClassifier.classify_start", "k=0", lambda: c.classify_start(w.red, 0, lambda r, e: None))

    for what, model in {"'Darknet'": "Darknet", "5": 5, "None": None}.items():
        add("FeatureExtractor", what, lambda model=model: m.FeatureExtractor(model).infer(w.red))
    for what, image in {"None": None, "NaN pixel": nan, "complex": arrays["complex"]}.items():
        add("FeatureExtractor.infer", f"image {what}", lambda image=image: w.features.infer(image))
    add("FeatureExtractor.infer", "callback 3", lambda: w.features.infer(w.red, 3))
    for what, options in {"'x'": "x", "unknown option": {"epochz": 1}, "hidden_units 0": {"hidden_units": 0},
                          "hidden_units 10**9": {"hidden_units": 10 ** 9}, "hidden_units 2.5": {"hidden_units": 2.5},
                          "learning_rate 0": {"learning_rate": 0}, "learning_rate 'x'": {"learning_rate": "x"},
                          "validation_split 1": {"validation_split": 1}, "batch_size 0": {"batch_size": 0},
                          "epochs 0": {"epochs": 0}}.items():
        def train_with(options=options):
            model = w.features.classification(options)
            model.add_image(w.red, "a")
            model.add_image(np.zeros((24, 24, 3), np.uint8), "b")
            return model.train()
        add("FeatureExtractor.classification", what, train_with)

    add("TrainableModel.add_image", "image None", lambda: head.add_image(None, "a"))
    add("TrainableModel.add_image", "label None", lambda: head.add_image(w.red, None))
    add("TrainableModel.add_image", "label ''", lambda: head.add_image(w.red, ""))
    add("TrainableModel.add_image", "callback 'x'", lambda: head.add_image(w.red, "a", "x"))
    add("TrainableModel.classify", "before training", lambda: w.features.classification().classify(w.red))
    add("TrainableModel.train", "no examples", lambda: w.features.classification().train())
    add("TrainableModel.train", "on_progress 5", lambda: head.train(1, 5))
    add("TrainableModel.predict", "on a classifier", lambda: head.predict(w.red))
    add("TrainableModel.save", "into a folder of photos", lambda: head.save(str(w.photos)), photos_kept)
    add("TrainableModel.save", "into '.' (holds photos)", lambda: (os.chdir(w.photos), head.save("."))[1], photos_kept)
    add("TrainableModel.save", "as an existing photo file", lambda: head.save(str(w.bird)), bird_kept)
    add("TrainableModel.save", "into a missing folder", lambda: head.save(str(w.root / "no" / "such")))
    add("TrainableModel.load", "None", lambda: w.features.classification().load(None))
    add("TrainableModel.load", "'missing'", lambda: w.features.classification().load(str(w.root / "missing")))
    add("TrainableModel.load", "labels do not match", lambda: w.features.classification().load(str(w.root / "tm5")))

    for what, example in {"None": None, "'x'": "x", "[]": [], "[nan]": [math.nan], "an image": w.red}.items():
        add("KNNClassifier.add_example", what, lambda example=example: m.KNNClassifier().add_example(example, "a"))
    add("KNNClassifier.add_example", "label None", lambda: m.KNNClassifier().add_example([1, 2], None))
    add("KNNClassifier.add_example", "label ''", lambda: m.KNNClassifier().add_example([1, 2], ""))
    add("KNNClassifier.classify", "no examples", lambda: m.KNNClassifier().classify([1, 2]))
    for what, k in bad_k.items():
        add("KNNClassifier.classify", f"k={what}", lambda k=k: knn.classify([1.0, 0.0], k=k))
    add("KNNClassifier.classify", "wrong length", lambda: knn.classify([1.0, 0.0, 3.0]))
    add("KNNClassifier.classify", "callback 5", lambda: knn.classify([1.0, 0.0], 1, 5))
    add("KNNClassifier.save", "over a photo", lambda: knn.save(str(w.bird)), bird_kept)
    add("KNNClassifier.save", "into a missing folder", lambda: knn.save(str(w.root / "no" / "knn.json")))
    add("KNNClassifier.save", "as a folder", lambda: knn.save(str(w.photos)), photos_kept)

    def permissions(value):
        mode = os.stat(w.root / "knn_perm.json").st_mode & 0o777
        raise Verdict("works" if mode == 0o666 & ~_umask() else "unclear", f"mode {oct(mode)}")
    add("KNNClassifier.save", "permissions", lambda: knn.save(str(w.root / "knn_perm.json")), permissions)
    for what, source in {"None": None, "'missing.json'": str(w.root / "missing.json"), "'{bad'": "{bad",
                         "deeply nested text": "[" * 100_000 + "]" * 100_000, "deeply nested file": str(w.root / "deep.json"),
                         "examples 5": {"examples": 5}}.items():
        add("KNNClassifier.load", what, lambda source=source: m.KNNClassifier().load(source))
    add("KNNClassifier.clear_label", "'zzz'", lambda: m.KNNClassifier().clear_label("zzz"))

    for what, style in {"None": None, "5": 5, "'nosuch'": "nosuch", "'MobileNet'": "MobileNet"}.items():
        add("StyleTransfer", what, lambda style=style: m.StyleTransfer(style).transfer(w.red))
    add("StyleTransfer", "callback 'x'", lambda: m.StyleTransfer("scream", "x"))
    for what, image in {"None": None, "NaN pixel": nan, "complex": arrays["complex"],
                        "4000 x 4000": np.zeros((4000, 4000, 3), np.uint8)}.items():
        add("StyleTransfer.transfer", f"image {what}", lambda image=image: w.style.transfer(image))
    add("StyleTransfer.transfer_start", "callback None", lambda: w.style.transfer_start(w.red, None))

    for what, options in {"multiplier 0.6": {"multiplier": 0.6}, "multiplier '0.75'": {"multiplier": "0.75"},
                          "quant_bytes 3": {"quant_bytes": 3}, "output_stride 32": {"output_stride": 32},
                          "internal_resolution 5": {"internal_resolution": 5},
                          "internal_resolution 'huge'": {"internal_resolution": "huge"},
                          "segmentation_threshold 2": {"segmentation_threshold": 2}, "palette 'x'": {"palette": "x"}
                          }.items():
        add("BodyPix", what, lambda options=options: m.BodyPix(**options))
    add("BodyPix", "callback a dict", lambda: m.BodyPix({"multiplier": 0.5}))
    for what, image in {"None": None, "NaN pixel": nan, "8 x 8": np.zeros((8, 8, 3), np.uint8)}.items():
        add("BodyPix.segment", f"image {what}", lambda image=image: w.bodypix.segment(image))
    add("BodyPix.segment", "50 MP at internal_resolution 2",
        lambda: m.BodyPix(internal_resolution=2).segment(np.zeros((7072, 7072, 3), np.uint8)))
    add("BodyPix.segment_with_parts", "12 MP photo", lambda: w.bodypix.segment_with_parts(np.zeros((3000, 4000, 3), np.uint8)))
    add("BodyPix.blur_background", "amount -1", lambda: w.bodypix.blur_background(w.red, -1))
    add("BodyPix.blur_background", "amount 'x'", lambda: w.bodypix.blur_background(w.red, "x"))
    add("BodyPix.replace_background", "background None", lambda: w.bodypix.replace_background(w.red, None))
    fetch = getattr(module("ml5py.weights.fetch", "ml5py.registry"), "fetch")
    add("ml5py fetch (Python)", "'NoSuch'", lambda: fetch("NoSuch", progress=False))

    # ---------------------------------------------------------------- odd corners
    from PIL import Image as PILImage

    float_picture = PILImage.fromarray(np.full((32, 32), 0.5, np.float32), "F")
    add("ImageClassifier.classify", "a Pillow float image", lambda: c.classify(float_picture), finite_results)
    add("ImageClassifier.classify", "a pathlib path that is missing", lambda: c.classify(Path("missing.jpg")))
    add("ImageClassifier", "a pathlib path that is missing", lambda: m.ImageClassifier(Path("missing")).classify(w.red))
    add("ImageClassifier.classify_start", "a list with a bad frame",
        lambda: c.classify_start([w.red, None], lambda results, error: (_ for _ in ()).throw(error) if error else None))
    add("set_backend", "'x'", lambda: m.set_backend("x"))
    add("set_backend", "None", lambda: m.set_backend(None))
    add("KNNClassifier", "a feature extractor that is not one", lambda: m.KNNClassifier(5).add_example(w.red, "a"))
    add("KNNClassifier.add_example", "label a list", lambda: m.KNNClassifier().add_example([1, 2], [1]))
    add("KNNClassifier.save", "None path (default file)", lambda: (os.chdir(w.root / "modes"), knn.save(None))[1],
        lambda text: (_ for _ in ()).throw(Verdict("works", "saved knn.json")))
    add("KNNClassifier.save", "5", lambda: knn.save(5))
    add("TrainableModel.save", "5", lambda: head.save(5))
    add("TrainableModel.save", "''", lambda: (os.chdir(w.photos), head.save(""))[1], photos_kept)
    add("FeatureExtractor.regression", "a label for a value", lambda: w.features.regression().add_image(w.red, "x"))
    for what, options in {"seed -1": {"seed": -1}, "validation_split nan": {"validation_split": math.nan},
                          "learning_rate inf": {"learning_rate": math.inf}, "epochs 10**12 (one call)": None}.items():
        if options is None:
            continue
        add("FeatureExtractor.classification", what, lambda options=options: w.features.classification(options))
    add("BodyPix", "multiplier None", lambda: m.BodyPix(multiplier=None))
    add("BodyPix.segment_start", "callback None", lambda: w.bodypix.segment_start(w.red, None))
    add("StyleTransfer.transfer", "an RGBA array", lambda: w.style.transfer(np.zeros((32, 32, 4), np.uint8)),
        lambda image: (_ for _ in ()).throw(Verdict("works", f"{image.width}x{image.height}")))
    add("load_image", "/etc (a folder)", lambda: m.load_image(Path("/etc")))

    # ---------------------------------------------------------------- NeuralNetwork
    if hasattr(m, "NeuralNetwork"):
        def trained_nn():
            nn = m.NeuralNetwork(task="classification", seed=1)
            for x, label in (([0, 0], "a"), ([1, 1], "b"), ([0, 1], "a"), ([1, 0], "b")):
                nn.add_data(x, [label])
            nn.train(epochs=2)
            return nn
        add("NeuralNetwork", "task 'x'", lambda: m.NeuralNetwork(task="x"))
        add("NeuralNetwork", "hidden_units 10**9", lambda: m.NeuralNetwork(task="regression", hidden_units=10 ** 9))
        add("NeuralNetwork", "callback 5", lambda: m.NeuralNetwork({"task": "regression"}, 5))
        for what, value in (("1.5", 1.5), ("'fast'", "fast"), ("nan", math.nan), ("True", True)):
            add("worker option keep_draw", what, lambda value=value: m.NeuralNetwork(task="regression", keep_draw=value))
        add("NeuralNetwork.add_data", "inputs None", lambda: m.NeuralNetwork(task="regression").add_data(None, [1]))
        add("NeuralNetwork.add_data", "NaN input", lambda: m.NeuralNetwork(task="regression").add_data([math.nan], [1]))
        add("NeuralNetwork.train", "no data", lambda: m.NeuralNetwork(task="regression").train())
        add("NeuralNetwork.train", "epochs 0", lambda: trained_nn().train(epochs=0))
        add("NeuralNetwork.classify", "before training", lambda: m.NeuralNetwork(task="classification").classify([1, 2]))
        add("NeuralNetwork.classify", "wrong input count", lambda: trained_nn().classify([1, 2, 3]))
        add("NeuralNetwork.classify", "NaN input", lambda: trained_nn().classify([math.nan, 1]))
        add("NeuralNetwork.classify", "callback 5", lambda: trained_nn().classify([0, 1], 5))
        add("NeuralNetwork.save", "into a folder of photos", lambda: trained_nn().save(str(w.photos)), photos_kept)
        def csv_kept(value):
            if (w.root / "mine.csv").read_text() != "x,y\n1,2\n":
                raise Verdict("crash", "the learner's CSV was overwritten")
            raise Verdict("unclear", "accepted silently")

        def save_over_csv():
            (w.root / "mine.csv").write_text("x,y\n1,2\n")
            return trained_nn().save_data(str(w.root / "mine.csv"))
        add("NeuralNetwork.save_data", "over the learner's own CSV", save_over_csv, csv_kept)
        add("NeuralNetwork.save", "callback 5", lambda: trained_nn().save(str(w.root / "nn1"), 5))
        add("NeuralNetwork.load", "None", lambda: m.NeuralNetwork().load(None))
        add("NeuralNetwork.load", "a folder of photos", lambda: m.NeuralNetwork().load(str(w.photos)))
        add("NeuralNetwork.load_data", "deeply nested JSON", lambda: m.NeuralNetwork().load_data(str(w.root / "deep.json")))

    # ---------------------------------------------------------------- the command line
    cli = lambda *args, **kw: cli_verdict(w.cli(*args, **kw))  # noqa: E731
    add("ml5py", "no command", lambda: cli())
    add("ml5py build", "a missing sketch", lambda: cli("build", "missing.py", "-o", "out1"))
    add("ml5py build", "a Latin-1 sketch", lambda: cli("build", "latin1.py", "-o", "out2"))
    add("ml5py build", "a syntax error", lambda: cli("build", "syntax.py", "-o", "out3"))
    add("ml5py build", "-o a file", lambda: cli("build", "sketch/sketch.py", "-o", "bird.jpg"))

    def build_here():
        result = w.cli("build", "sketch.py", "-o", ".", cwd=w.sketch)
        if not (w.sketch / "sketch.py").exists():
            raise Verdict("crash", "the sketch was deleted")
        cli_verdict(result)
    add("ml5py build", "-o . (the sketch's folder)", build_here)

    def build_into_site_holding_the_sketch():  # `cd site && ml5py build sketch.py -o .`
        site = w.root / "site_copy"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(w.site, site)
        (site / "sketch.py").write_text("print('hi')\n")
        (site / "my_photo.jpg").write_bytes(b"mine")
        result = w.cli("build", "sketch.py", "-o", ".", cwd=site)
        lost = [name for name in ("sketch.py", "my_photo.jpg") if not (site / name).exists()]
        if lost:
            raise Verdict("crash", f"deleted {', '.join(lost)}")
        cli_verdict(result)
    add("ml5py build", "-o . in a built site holding the sketch", build_into_site_holding_the_sketch)

    def build_loop():
        code, stderr = w.cli("build", "sketch.py", "-o", "../loop_site", cwd=w.loop)
        if code == 0:
            raise Verdict("unclear", "built")
        lines = stderr.strip().splitlines()
        if len(lines) > 1 or (w.root / "loop_site").exists():
            raise Verdict("unclear", f"{len(lines)} lines of error{', a half site' if (w.root / 'loop_site').exists() else ''}")
        cli_verdict((code, stderr))
    add("ml5py build", "a symlink loop", build_loop)

    def build_private():
        code, stderr = w.cli("build", "sketch.py", "-o", "../private_site", cwd=w.sketch)
        site = w.root / "private_site"
        leaked = [name for name in ("secret_link", ".env", "photos/.git/config") if os.path.lexists(site / name)]
        if leaked:
            raise Verdict("crash", f"published {', '.join(leaked)}")
        cli_verdict((code, stderr), want_error=False)
    add("ml5py build", "private files beside the sketch", build_private)

    def models_slash():
        w.cli("build", "sketch.py", "-o", "../slash_site", "--models", "http://127.0.0.1:9/models", cwd=w.sketch)
        config = (w.root / "slash_site" / "ml5py-config.js").read_text()
        raise Verdict("works" if '"http://127.0.0.1:9/models/"' in config else "unclear", "models URL")
    add("ml5py build", "--models without a final slash", models_slash)
    for port in ("99999", "-1", "abc"):
        add("ml5py serve", f"--port {port}", lambda port=port: cli("serve", "sketch/sketch.py", "--port", port))
    add("ml5py serve", "--host nosuch.invalid", lambda: cli("serve", "sketch/sketch.py", "--host", "nosuch.invalid"))
    add("ml5py serve", "a port in use", lambda: cli("serve", "sketch/sketch.py", "--port", str(w.port)))
    add("ml5py fetch", "'NoSuch'", lambda: cli("fetch", "NoSuch"))
    add("ml5py fetch", "nothing named", lambda: cli("fetch"))
    add("ml5py fetch", "a cache that is a file",
        lambda: cli("fetch", "DoodleNet", env={"ML5PY_CACHE": str(w.bird), "ML5PY_MODELS": "http://127.0.0.1:9/"}))
    add("ml5py stylize", "an unknown style", lambda: cli("stylize", "nosuch", "bird.jpg", "-o", "st1"))
    add("ml5py stylize", "a missing picture", lambda: cli("stylize", "scream", "missing.jpg", "-o", "st2"))
    add("ml5py stylize", "-o a file", lambda: cli("stylize", "scream", "bird.jpg", "-o", "bird.jpg"))
    add("ml5py build", "--backend xyz", lambda: cli("build", "sketch/sketch.py", "--backend", "xyz"))
    add("ml5py serve", "a missing sketch", lambda: cli("serve", "missing.py"))

    # ---------------------------------------------------------------- the dev server
    def http_case(path, host=None, want=(403, 404, 414)):
        def run():
            status, reason, body = w.http(path, host)
            if str(w.root) in reason or str(w.root).encode() in body or "/tmp/" in reason:
                raise Verdict("unclear", f"{status}, naming a local path")
            if status in want:
                raise Verdict("clear", f"{status} {reason}")
            raise Verdict("crash" if status == 200 else "unclear", f"{status} {reason}")
        return run
    add("ml5py serve (HTTP)", "Host: evil.example", http_case("/", f"evil.example:{w.port}"))
    add("ml5py serve (HTTP)", "a 5000-character URL", http_case("/" + "a" * 5000))
    add("ml5py serve (HTTP)", "/.env", http_case("/.env"))
    add("ml5py serve (HTTP)", "/secret_link", http_case("/secret_link"))
    add("ml5py serve (HTTP)", "/../etc/passwd", http_case("/../etc/passwd"))
    return out


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
