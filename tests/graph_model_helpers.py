"""Shared by the graph executor tests: small TF.js graph models written as model.json +
weight file, and plain-loop references (convolution, element-wise) to check the ops against."""
import base64
import json
import math

import numpy as np

from ml5py.numpy_executor.graph import GraphModel

RNG = np.random.default_rng(11)


def random(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape).astype(np.float32)


# ---------------------------------------------------------------- writing graph models


def ints(*values):
    return {"list": {"i": [str(v) for v in values]}}


def text(value):
    return {"s": base64.b64encode(value.encode()).decode()}


def texts(*values):
    return {"list": {"s": [base64.b64encode(v.encode()).decode() for v in values]}}


def node(name, op, inputs=(), **attr):
    return {"name": name, "op": op, "input": list(inputs), "attr": attr}


def placeholder(name, shape):
    return node(name, "Placeholder", dtype={"type": "DT_FLOAT"},
                shape={"shape": {"dim": [{"size": str(d)} for d in shape]}})


def encode(array, storage):
    """(manifest entry, bytes) for one array stored as ``storage``; ``array`` may be
    (q, scale, min) to give the quantised integers themselves."""
    if storage in ("uint8", "uint16"):
        q, scale, low = array
        entry = {"shape": list(q.shape), "dtype": "float32",
                 "quantization": {"dtype": storage, "scale": scale, "min": low}}
        return entry, q.astype("<u1" if storage == "uint8" else "<u2").tobytes()
    dtype = {"float32": "<f4", "int32": "<i4"}[storage]
    return {"shape": list(array.shape), "dtype": storage}, array.astype(dtype).tobytes()


def write_model(folder, nodes, weights, storage=None):
    """model.json + group1-shard1of1.bin in ``folder``; a Const node per weight.

    ``weights`` maps a name to an array (float32, or int32 when its dtype is integer) or to
    ``(q, scale, min)`` stored quantised as ``storage``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    specs, data, consts = [], b"", []
    for name, value in weights.items():
        kind = storage if isinstance(value, tuple) else ("int32" if value.dtype.kind == "i" else "float32")
        entry, raw = encode(value, kind)
        specs.append({"name": name, **entry})
        data += raw
        consts.append(node(name, "Const", dtype={"type": "DT_FLOAT"}))
    model = {"format": "graph-model", "generatedBy": "test", "convertedBy": "test",
             "modelTopology": {"node": consts + list(nodes), "versions": {"producer": 38}},
             "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": specs}]}
    (folder / "model.json").write_text(json.dumps(model))
    (folder / "group1-shard1of1.bin").write_bytes(data)
    return folder / "model.json"


def run_graph(tmp_path, nodes, weights, feeds, outputs):
    model = GraphModel.from_files(write_model(tmp_path, nodes, weights))
    return model.execute(feeds, outputs)


# ---------------------------------------------------------------- loop references


def out_size_and_start(size, kernel, stride, dilation, padding):
    """TensorFlow's rule: output length and how many padding pixels come first."""
    reach = (kernel - 1) * dilation + 1
    if padding == "VALID":
        return (size - reach) // stride + 1, 0
    out = math.ceil(size / stride)
    return out, max((out - 1) * stride + reach - size, 0) // 2


def loop_conv(x, kernel, strides, dilations, padding, depthwise):
    """Every output value summed on its own; ``padding`` SAME, VALID or ((t, b), (l, r))."""
    if not isinstance(padding, str):
        x = np.pad(x, ((0, 0), padding[0], padding[1], (0, 0)))
        padding = "VALID"
    n, h, w, cin = x.shape
    kh, kw, _, last = kernel.shape
    oh, top = out_size_and_start(h, kh, strides[0], dilations[0], padding)
    ow, left = out_size_and_start(w, kw, strides[1], dilations[1], padding)
    cout = cin * last if depthwise else last
    out = np.zeros((n, oh, ow, cout))
    for b in range(n):
        for oy in range(oh):
            for ox in range(ow):
                for co in range(cout):
                    total = 0.0
                    for i in range(kh):
                        for j in range(kw):
                            row = oy * strides[0] - top + i * dilations[0]
                            col = ox * strides[1] - left + j * dilations[1]
                            if not (0 <= row < h and 0 <= col < w):
                                continue
                            if depthwise:  # output channel co = c * multiplier + m
                                c, m = divmod(co, last)
                                total += float(x[b, row, col, c]) * float(kernel[i, j, c, m])
                            else:
                                for ci in range(cin):
                                    total += float(x[b, row, col, ci]) * float(kernel[i, j, ci, co])
                    out[b, oy, ox, co] = total
    return out


def each(x, fn):
    """``fn`` applied to every value on its own (in float64), as an array of x's shape."""
    return np.array([fn(float(v)) for v in np.asarray(x).reshape(-1)]).reshape(np.shape(x))


RELU6 = lambda v: min(max(v, 0.0), 6.0)  # noqa: E731
SIGMOID = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
