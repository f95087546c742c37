"""What a model class needs to know about a registry model, in one plain dict.

Both runtimes get the same dict: CPython reads it from the registry, the browser from
the configuration the build writes next to the page.
"""
from __future__ import annotations


def classifier_source(entry: dict) -> dict:
    """A registry entry trimmed to what ``ImageClassifier`` uses, every key present."""
    prep = entry.get("preprocessing", {})
    return {
        "id": entry["id"],
        "title": entry["names"][0] if entry.get("names") else entry["id"],
        "names": list(entry.get("names", [])),
        "upstream": entry.get("upstream"),
        "entry": entry.get("entry", "model.json"),
        "files": _file_facts(entry),
        "labels": list(entry.get("labels", [])),
        "softmax": bool(entry.get("output", {}).get("softmax", False)),
        "preprocessing": {
            "input_size": prep.get("input_size"),
            "scale": float(prep.get("scale", 1.0)),
            "offset": float(prep.get("offset", 0.0)),
            "align_corners": bool(prep.get("align_corners", False)),
            "gray": prep.get("gray"),
        },
    }


def user_model_source(described: dict) -> dict:
    """Fill in the keys a user's own model (a Teachable Machine export) may lack."""
    prep = described.get("preprocessing") or {}
    return {
        "id": None,
        "title": described.get("title") or str(described.get("base")),
        "names": [],
        "upstream": None,
        "base": described["base"],
        "dir": str(described["dir"]) if described.get("dir") else None,
        "entry": described.get("entry", "model.json"),
        "files": {},
        "labels": list(described["labels"]),
        "task": _saved_task(described.get("metadata")),
        "softmax": False,
        "preprocessing": {
            "input_size": prep.get("input_size"),
            "scale": float(prep.get("scale", 1 / 127.5)),
            "offset": float(prep.get("offset", -1.0)),
            "align_corners": bool(prep.get("align_corners", True)),
            "gray": prep.get("gray"),
        },
    }


def _saved_task(metadata: object) -> str:
    """"classification", or the task an ml5py model saved in its metadata.json ("regression")."""
    saved = metadata.get("ml5py") if isinstance(metadata, dict) else None
    task = saved.get("task") if isinstance(saved, dict) else None
    return task if isinstance(task, str) else "classification"


def bodypix_source(entry: dict) -> dict:
    """A BodyPix registry entry trimmed to what ``BodyPix`` uses: one variant, both strides."""
    prep = entry.get("preprocessing", {})
    output = entry.get("output", {})
    return {
        "id": entry["id"],
        "title": entry["names"][0] if entry.get("names") else entry["id"],
        "upstream": entry.get("upstream"),
        "files": _file_facts(entry),
        "models": dict(entry["models"]),  # output stride (as text) -> graph model file
        "multiplier": entry["multiplier"],
        "quant_bytes": entry["quant_bytes"],
        "part_names": list(entry["part_names"]),
        "input": prep.get("input", "sub_2"),
        "segments": output.get("segments", "float_segments"),
        "part_heatmaps": output.get("part_heatmaps", "float_part_heatmaps"),
    }


def style_source(entry: dict) -> dict:
    """A style-transfer registry entry trimmed to what ``StyleTransfer`` uses."""
    return {
        "id": entry["id"],
        "title": entry["names"][0] if entry.get("names") else entry["id"],
        "names": list(entry.get("names", [])),
        "upstream": entry.get("upstream"),
        "entry": entry.get("entry", "manifest.json"),
        "files": _file_facts(entry),
    }


# What each task's model class reads from a registry entry; ``ml5py build`` embeds these
# in the page (one line per task: add yours here).
SOURCE_MAKERS = {
    "image-classifier": classifier_source,
    "body-segmentation": bodypix_source,
    "style-transfer": style_source,
}


def _file_facts(entry: dict) -> dict:
    """Each file's size and sha256, what the page checks a download against."""
    return {name: {"size": info["size"], "sha256": info["sha256"]}
            for name, info in entry.get("files", {}).items()}
