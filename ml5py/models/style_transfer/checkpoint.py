"""Read a deeplearn.js checkpoint (the format of ml5's style-transfer networks). CPython only.

A checkpoint is a folder: ``manifest.json`` maps each variable name to
``{"filename": ..., "shape": [...]}``, and each file holds the variable's values as raw
little-endian float32, nothing else (so its size is 4 bytes times the product of the shape).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np

from ml5py.weights.registry import ModelFileError

MANIFEST = "manifest.json"


class CorruptCheckpointError(ModelFileError):
    """A checkpoint file whose size does not match the shape its manifest declares.

    Extra attributes: ``expected_bytes``, ``actual_bytes``.
    """

    def __init__(self, message: str, path: Path, expected_bytes: int, actual_bytes: int):
        super().__init__(message, path=path)
        self.expected_bytes = expected_bytes
        self.actual_bytes = actual_bytes


def _variable_order(name: str) -> Tuple[str, int]:
    """``Variable`` < ``Variable_1`` < ``Variable_2`` < ``Variable_10`` (not string order)."""
    match = re.fullmatch(r"(.*?)(?:_(\d+))?", name)
    assert match is not None
    return match.group(1), int(match.group(2)) if match.group(2) is not None else -1


def _safe_filename(name: Any, manifest: Path, variable: str) -> str:
    text = str(name) if isinstance(name, str) else ""
    parts = text.replace("\\", "/").split("/")
    if not text or text.startswith(("/", "\\")) or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise ModelFileError(
            f"corrupt checkpoint: {manifest} gives variable {variable!r} the file name {name!r}, "
            "which is not a plain file name inside the checkpoint folder.",
            path=manifest,
        )
    return "/".join(parts)


def read_manifest(folder: Path) -> Dict[str, Dict[str, Any]]:
    """The checkpoint's manifest as {variable: {"filename": str, "shape": [int, ...]}}, checked."""
    manifest = Path(folder) / MANIFEST
    if not manifest.is_file():
        raise ModelFileError(
            f"{manifest} is missing: a style-transfer checkpoint folder holds a manifest.json "
            "and one raw float32 file per variable.",
            path=manifest,
        )
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"corrupt checkpoint: {manifest} is not valid JSON ({exc}).", path=manifest) from None
    except RecursionError:
        raise ModelFileError(f"corrupt checkpoint: {manifest} nests its JSON thousands of levels deep.",
                             path=manifest) from None
    if not isinstance(data, dict) or not data:
        raise ModelFileError(
            f"corrupt checkpoint: {manifest} should map variable names to "
            '{"filename": ..., "shape": [...]}, but it does not.',
            path=manifest,
        )
    checked: Dict[str, Dict[str, Any]] = {}
    for variable in sorted(data, key=_variable_order):
        info = data[variable]
        shape = info.get("shape") if isinstance(info, dict) else None
        if (not isinstance(shape, list)
                or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)):
            raise ModelFileError(
                f"corrupt checkpoint: {manifest}: variable {variable!r} has no valid shape "
                f"(a list of whole numbers); got {info!r}.",
                path=manifest,
            )
        checked[variable] = {"filename": _safe_filename(info.get("filename"), manifest, variable),
                             "shape": list(shape)}
    return checked


def read_checkpoint(folder: Path) -> Dict[str, np.ndarray]:
    """Every variable of the checkpoint in ``folder`` as a float32 array of its shape.

    Variables come in their natural order (``Variable``, ``Variable_1``, ... ``Variable_47``).
    A missing file raises :class:`ModelFileError` naming it; a file whose byte count does not
    match its shape raises :class:`CorruptCheckpointError` naming the file, the expected and
    the actual byte counts.
    """
    folder = Path(folder)
    variables: Dict[str, np.ndarray] = {}
    for variable, info in read_manifest(folder).items():
        path = folder / info["filename"]
        if not path.is_file():
            raise ModelFileError(
                f"The checkpoint file {path} (variable {variable!r}, named in {folder / MANIFEST}) "
                "is missing.",
                path=path,
            )
        data = checked_bytes(path, variable, info["shape"])
        variables[variable] = np.frombuffer(data, dtype="<f4").astype(np.float32).reshape(info["shape"])
    return variables


def checked_bytes(path: Path, variable: str, shape: List[int], shown_as: str = "") -> bytes:
    """The bytes of ``path``, or :class:`CorruptCheckpointError` if their count does not fit ``shape``.

    ``shown_as``: the name the message gives the file (say the URL it was downloaded from).
    """
    expected = 4 * int(np.prod(shape, dtype=np.int64))
    data = Path(path).read_bytes()
    if len(data) != expected:
        raise CorruptCheckpointError(
            f"corrupt checkpoint: {shown_as or path} holds {len(data)} bytes, but variable {variable!r} "
            f"with shape {shape} needs {expected} bytes (float32). The file is damaged or "
            "cut short: copy or download the checkpoint's files again.",
            path=Path(path), expected_bytes=expected, actual_bytes=len(data),
        )
    return data
