"""Read the weights of a TF.js model: the ``weightsManifest`` of ``model.json`` + binary shards.

The manifest is a list of groups. Each group names its files (``paths``, concatenated in
order) and the weights packed in them, one after the other::

    {"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"],
     "weights": [{"name": "conv1/kernel", "shape": [3, 3, 3, 24], "dtype": "float32"}, ...]}

A weight may be stored smaller than its real type (``quantization``):

* ``{"dtype": "uint8" or "uint16", "scale": s, "min": m}``: the value is ``q * s + m``;
* ``{"dtype": "float16"}``: IEEE half-precision floats, widened to float32.

``LayerWeights`` then finds each layer's weights in the decoded ``{name: array}`` dict.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

# How each stored type lies in the file (TF.js writes little-endian).
_STORED: Dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "int32": np.dtype("<i4"),
    "bool": np.dtype("u1"),
    "uint8": np.dtype("u1"),
    "uint16": np.dtype("<u2"),
    "float16": np.dtype("<f2"),
}
_PLAIN: Dict[str, type] = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}  # type in memory
_QUANTIZED = ("uint8", "uint16", "float16")


def decode_weights(manifest: List[dict], read_file: Callable[[str], bytes]) -> Dict[str, np.ndarray]:
    """All the weights of a manifest, as ``{name: array}`` (float32, int32 or bool arrays).

    ``read_file(path)`` returns the bytes of one file named in a group's ``paths``.
    """
    weights: Dict[str, np.ndarray] = {}
    for group in manifest:
        paths = list(group["paths"])
        shards = [read_file(path) for path in paths]
        data = b"".join(shards)
        specs = group["weights"]
        needed = sum(_byte_length(spec) for spec in specs)
        if len(data) < needed:
            raise ValueError(_short_data_message(paths, shards, needed))
        offset = 0
        for spec in specs:
            length = _byte_length(spec)
            weights[spec["name"]] = _decode_one(spec, data[offset: offset + length])
            offset += length
    return weights


def declared_bytes(group: dict) -> Optional[int]:
    """How many bytes a weights-manifest group's files hold in all, as its specs declare (None: no specs)."""
    if not isinstance(group.get("weights"), list):
        return None
    return sum(_byte_length(spec) for spec in group["weights"])


def _stored_dtype(spec: dict) -> str:
    """The type as written in the file: the quantised one if any, else the weight's own."""
    quantization = spec.get("quantization")
    if quantization is not None:
        stored = quantization.get("dtype")
        if stored not in _QUANTIZED:
            raise ValueError(
                f"Weight '{spec['name']}' uses the unknown quantisation {stored!r}. "
                f"Supported quantisations are: {', '.join(_QUANTIZED)}."
            )
        return stored
    dtype = spec.get("dtype", "float32")
    if dtype not in _PLAIN:
        raise ValueError(
            f"Weight '{spec['name']}' has the unsupported dtype {dtype!r}. "
            f"Supported dtypes are: {', '.join(_PLAIN)}."
        )
    return dtype


def _byte_length(spec: dict) -> int:
    """How many bytes the weight takes in the file."""
    count = int(np.prod(spec["shape"], dtype=np.int64))
    return count * _STORED[_stored_dtype(spec)].itemsize


def _decode_one(spec: dict, raw: bytes) -> np.ndarray:
    """One weight from its bytes, shaped and typed as the manifest says."""
    stored = _stored_dtype(spec)
    values = np.frombuffer(raw, dtype=_STORED[stored])
    shape = tuple(spec["shape"])
    dtype = spec.get("dtype", "float32")
    if stored in _PLAIN:
        return values.astype(_PLAIN[stored]).reshape(shape)
    if stored == "float16":
        if dtype != "float32":
            raise ValueError(
                f"Weight '{spec['name']}' is stored as float16, which only works for float32 "
                f"weights, not {dtype}."
            )
        return values.astype(np.float32).reshape(shape)
    quantization = spec["quantization"]
    if "scale" not in quantization or "min" not in quantization:
        raise ValueError(
            f"Weight '{spec['name']}' is quantised as {stored} but its manifest entry lacks "
            f"'scale' and 'min', needed to turn the stored integers back into numbers."
        )
    # q * scale + min, worked out in float64 and then rounded once, as TF.js does in JS numbers.
    exact = values * float(quantization["scale"]) + float(quantization["min"])
    if dtype == "int32":
        return np.floor(exact + 0.5).astype(np.int32).reshape(shape)  # JS Math.round
    if dtype != "float32":
        raise ValueError(
            f"Weight '{spec['name']}' has dtype {dtype!r}; quantised weights must be float32 or int32."
        )
    return exact.astype(np.float32).reshape(shape)


def _short_data_message(paths: List[str], shards: List[bytes], needed: int) -> str:
    got = sum(len(shard) for shard in shards)
    if len(paths) == 1:
        where = f"The weight file '{paths[0]}' has {got} bytes"
    else:
        sizes = ", ".join(f"'{path}' ({len(shard)} bytes)" for path, shard in zip(paths, shards))
        where = f"The weight files {sizes} hold {got} bytes in all"
    return (
        f"{where}, but model.json says its weights need {needed} bytes. "
        f"The download may be incomplete: delete the file(s) and download them again."
    )


class LayerWeights:
    """The weights of one layer, found by the ``<layer name>/<weight name>`` end of their names.

    Names may carry the names of the models around the layer (``sequential_1/dense/kernel``);
    ``scope`` (those model names, outermost first) settles ties between nested models.
    """

    def __init__(self, arrays: Dict[str, np.ndarray], scope: Tuple[str, ...], layer: str, model: str):
        self._arrays = arrays
        self._scope = scope
        self._layer = layer
        self._model = model

    def __call__(self, weight: str) -> np.ndarray:
        name = self._find(weight)
        if name is None:
            known = sorted(self._arrays)
            listed = ", ".join(known[:5]) + (f" ... ({len(known)} in all)" if len(known) > 5 else "")
            raise ValueError(
                f"Layer '{self._layer}' of model '{self._model}' needs the weight "
                f"'{self._layer}/{weight}', but the weights manifest does not have it. "
                f"It has: {listed or 'no weights at all'}. Check that model.json and its "
                f"weight files belong together."
            )
        return self._arrays[name]

    def optional(self, weight: str, wanted: bool) -> Optional[np.ndarray]:
        """The weight if ``wanted`` (e.g. a layer's ``use_bias``), else None."""
        return self(weight) if wanted else None

    def _find(self, weight: str) -> Optional[str]:
        suffix = f"{self._layer}/{weight}"
        found = [n for n in self._arrays if n == suffix or n.endswith("/" + suffix)]
        if len(found) <= 1:
            return found[0] if found else None
        # Several nested models have a layer of this name: prefer the one whose prefix is ours.
        for depth in range(len(self._scope), 0, -1):
            full = "/".join(self._scope[-depth:] + (suffix,))
            matches = [n for n in found if n == full or n.endswith("/" + full)]
            if len(matches) == 1:
                return matches[0]
        raise ValueError(
            f"Layer '{self._layer}' of model '{self._model}': the weight '{suffix}' matches "
            f"several weights ({', '.join(found)}) and ml5py cannot tell which one it is."
        )
