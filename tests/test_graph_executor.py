"""The numpy executor of TF.js graph models (ml5py.numpy_executor.graph).

Small graphs are written here as model.json + weight file and each op is compared with a
plain loop; the ten BodyPix files of the mirror must load and run; and TF.js itself (the
npm package the pages load, run by node) is the reference for a whole BodyPix model.
"""
import base64
import json
import math
import os
import shutil
import subprocess
import weakref

import numpy as np
import pytest
from conftest import IMAGES, MIRROR, REPO

from ml5py.numpy_executor import graph_ops as graph_ops_numpy
from ml5py.numpy_executor.graph import GraphModel

RNG = np.random.default_rng(11)
BODYPIX = MIRROR / "bodypix" / "mobilenet"
VARIANTS = ["float/050", "quant1/050", "quant2/050", "quant1/075", "quant2/075"]


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

# ---------------------------------------------------------------- convolutions


CONV_CASES = [  # (strides attr, dilations attr, padding attr, explicit paddings)
    ([1, 1, 1, 1], [1, 1, 1, 1], "SAME", None),
    ([1, 2, 2, 1], [1, 1, 1, 1], "SAME", None),
    ([1, 2, 1, 1], [1, 1, 1, 1], "VALID", None),
    ([1, 1, 1, 1], [1, 2, 2, 1], "SAME", None),  # dilated, as TensorFlow writes it
    ([1, 1, 1, 1], [1, 3, 2, 1], "VALID", None),
    ([1, 1, 1, 1], [2, 2, 1, 1], "SAME", None),  # as the BodyPix stride-8 files write it
    ([1, 1, 1, 1], [1, 1, 1, 1], "EXPLICIT", [0, 0, 1, 2, 0, 1, 0, 0]),
]


@pytest.mark.parametrize("op", ["Conv2D", "DepthwiseConv2dNative"])
@pytest.mark.parametrize("strides,dilations,padding,explicit", CONV_CASES)
def test_convolutions_match_loops(tmp_path, op, strides, dilations, padding, explicit):
    depthwise = op != "Conv2D"
    x = random(2, 7, 6, 3)
    kernel = random(3, 3, 3, 2)
    bias = random(6 if depthwise else 2)
    attrs = dict(strides=ints(*strides), dilations=ints(*dilations), padding=text(padding),
                 data_format=text("NHWC"))
    if explicit:
        attrs["explicit_paddings"] = ints(*explicit)
    nodes = [placeholder("x", [-1, -1, -1, 3]), node("conv", op, ["x", "k"], **attrs),
             node("biased", "BiasAdd", ["conv", "b"], data_format=text("NHWC")),
             node("out", "Relu6", ["biased"])]
    model = GraphModel.from_files(write_model(tmp_path, nodes, {"k": kernel, "b": bias}))
    # TF.js reads height and width from positions 1 and 2 of both lists.
    padding_arg = padding if not explicit else ((explicit[2], explicit[3]), (explicit[4], explicit[5]))
    expected = loop_conv(x, kernel, strides[1:3], dilations[1:3], padding_arg, depthwise)
    got = model.execute({"x": x}, "out")  # conv, bias and relu6 run as one step
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, each(expected + bias, RELU6), rtol=1e-5, atol=1e-5)
    # Asking for the convolution itself as well keeps it unfused and unchanged.
    conv, out = model.execute({"x": x}, ["conv", "out"])
    np.testing.assert_allclose(conv, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out, got, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("op", ["_FusedConv2D", "FusedDepthwiseConv2dNative"])
@pytest.mark.parametrize("fused,activation", [
    (["BiasAdd"], lambda v: v),
    (["BiasAdd", "Relu"], lambda v: max(v, 0.0)),
    (["BiasAdd", "Relu6"], RELU6),
    (["BiasAdd", "Elu"], lambda v: v if v > 0 else math.expm1(v)),
    (["BiasAdd", "Sigmoid"], SIGMOID),
    (["BiasAdd", "LeakyRelu"], lambda v: v if v > 0 else 0.3 * v),
    (["BiasAdd", "Prelu"], None),
])
def test_fused_convolutions_match_loops(tmp_path, op, fused, activation):
    depthwise = op != "_FusedConv2D"
    x, kernel = random(1, 6, 5, 2), random(3, 3, 2, 2)
    channels = 4 if depthwise else 2
    bias, alpha = random(channels), random(channels, low=0, high=0.5)
    weights = {"k": kernel, "b": bias}
    inputs = ["x", "k", "b"]
    if activation is None:
        weights["a"] = alpha
        inputs.append("a")
    nodes = [placeholder("x", [1, 6, 5, 2]),
             node("out", op, inputs, strides=ints(1, 2, 2, 1), dilations=ints(1, 1, 1, 1),
                  padding=text("SAME"), fused_ops=texts(*fused), num_args={"i": str(len(inputs) - 2)},
                  leakyrelu_alpha={"f": 0.3})]
    got = run_graph(tmp_path, nodes, weights, {"x": x}, ["out"])[0]
    expected = loop_conv(x, kernel, (2, 2), (1, 1), "SAME", depthwise) + bias
    if activation is None:
        expected = np.where(expected > 0, expected, expected * alpha)
    else:
        expected = each(expected, activation)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------- element-wise ops


@pytest.mark.parametrize("op,fn", [
    ("Add", lambda a, b: a + b), ("AddV2", lambda a, b: a + b), ("Sub", lambda a, b: a - b),
    ("Mul", lambda a, b: a * b), ("RealDiv", lambda a, b: a / b), ("Div", lambda a, b: a / b),
    ("Maximum", max), ("Minimum", min),
])
def test_binary_ops_match_loops_with_broadcasting(tmp_path, op, fn):
    x = random(2, 3, 4, 5)
    per_channel, scalar = random(5, low=0.5, high=2), np.array(0.25, np.float32)
    nodes = [placeholder("x", [2, 3, 4, 5]), node("a", op, ["x", "c"]), node("b", op, ["a", "s"])]
    a, b = run_graph(tmp_path, nodes, {"c": per_channel, "s": scalar}, {"x": x}, ["a", "b"])
    expected_a = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        expected_a[index] = fn(float(x[index]), float(per_channel[index[-1]]))
    assert a.dtype == np.float32 and b.dtype == np.float32
    np.testing.assert_allclose(a, expected_a, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(b, each(a, lambda v: fn(v, 0.25)), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("op,fn,attr", [
    ("Relu", lambda v: max(v, 0.0), {}),
    ("Relu6", RELU6, {}),
    ("Sigmoid", SIGMOID, {}),
    ("Tanh", math.tanh, {}),
    ("Elu", lambda v: v if v > 0 else math.expm1(v), {}),
    ("LeakyRelu", lambda v: v if v > 0 else 0.1 * v, {"alpha": {"f": 0.1}}),
    ("Identity", lambda v: v, {}),
    ("StopGradient", lambda v: v, {}),
])
def test_unary_ops_match_formulas(tmp_path, op, fn, attr):
    x = random(1, 2, 3, 8, low=-8, high=8)
    got = run_graph(tmp_path, [placeholder("x", [1, 2, 3, 8]), node("y", op, ["x"], **attr)],
                    {}, {"x": x}, "y")
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, each(x, fn), rtol=1e-5, atol=1e-6)
    got[...] = 0  # the result is the caller's own array, even for Identity
    assert x.any()


def test_bias_add_and_softmax(tmp_path):
    x, bias = random(2, 3, 4), random(4)
    nodes = [placeholder("x", [2, 3, 4]), node("b", "BiasAdd", ["x", "bias"]), node("s", "Softmax", ["b"])]
    biased, soft = run_graph(tmp_path, nodes, {"bias": bias}, {"x": x}, ["b", "s"])
    np.testing.assert_allclose(biased, x + bias, rtol=1e-6)
    for index in np.ndindex(x.shape[:2]):
        exps = [math.exp(float(v)) for v in biased[index]]
        np.testing.assert_allclose(soft[index], [e / sum(exps) for e in exps], rtol=1e-5)


# ---------------------------------------------------------------- shape and pooling ops


def test_shape_ops(tmp_path):
    x, y = random(1, 4, 6, 2), random(1, 4, 6, 3)
    weights = {"shape": np.array([1, 12, 4], np.int32), "axis": np.array(3, np.int32),
               "paddings": np.array([[0, 0], [1, 2], [0, 1], [0, 0]], np.int32),
               "axes": np.array([1, 2], np.int32)}
    nodes = [placeholder("x", [1, 4, 6, 2]), placeholder("y", [1, 4, 6, 3]),
             node("reshaped", "Reshape", ["x", "shape"]),
             node("joined", "ConcatV2", ["x", "y", "axis"], N={"i": "2"}),
             node("joined_v1", "Concat", ["axis", "y", "x"], N={"i": "2"}),
             node("padded", "Pad", ["x", "paddings"]),
             node("mean", "Mean", ["y", "axes"], keep_dims={"b": True}),
             node("squeezed", "Squeeze", ["mean"], squeeze_dims=ints(1, 2))]
    got = run_graph(tmp_path, nodes, weights, {"x": x, "y": y},
                    ["reshaped", "joined", "joined_v1", "padded", "mean", "squeezed"])
    reshaped, joined, joined_v1, padded, mean, squeezed = got
    flat = list(x.reshape(-1))
    assert reshaped.shape == (1, 12, 4) and list(reshaped.reshape(-1)) == flat
    reshaped[...] = 0  # a view of the input inside the graph, but the caller gets its own copy
    assert list(x.reshape(-1)) == flat
    for index in np.ndindex(joined.shape):
        b, i, j, c = index
        assert joined[index] == (x[b, i, j, c] if c < 2 else y[b, i, j, c - 2])
        assert joined_v1[index] == (y[b, i, j, c] if c < 3 else x[b, i, j, c - 3])
    assert padded.shape == (1, 7, 7, 2)
    for index in np.ndindex(padded.shape):
        b, i, j, c = index
        inside = 1 <= i < 5 and j < 6
        assert padded[index] == (x[b, i - 1, j, c] if inside else 0)
    for c in range(3):
        np.testing.assert_allclose(mean[0, 0, 0, c], sum(float(v) for v in y[0, :, :, c].reshape(-1)) / 24,
                                   rtol=1e-5)
    assert squeezed.shape == (1, 3)
    np.testing.assert_array_equal(squeezed[0], mean[0, 0, 0])


@pytest.mark.parametrize("op", ["MaxPool", "AvgPool"])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_pooling_matches_loops(tmp_path, op, padding):
    x = random(1, 5, 7, 2)
    nodes = [placeholder("x", [1, 5, 7, 2]),
             node("p", op, ["x"], ksize=ints(1, 3, 2, 1), strides=ints(1, 2, 2, 1), padding=text(padding))]
    got = run_graph(tmp_path, nodes, {}, {"x": x}, "p")
    oh, top = out_size_and_start(5, 3, 2, 1, padding)
    ow, left = out_size_and_start(7, 2, 2, 1, padding)
    assert got.shape == (1, oh, ow, 2)
    for oy in range(oh):
        for ox in range(ow):
            for c in range(2):
                values = [float(x[0, r, q, c]) for r in range(oy * 2 - top, oy * 2 - top + 3)
                          for q in range(ox * 2 - left, ox * 2 - left + 2) if 0 <= r < 5 and 0 <= q < 7]
                wanted = max(values) if op == "MaxPool" else sum(values) / len(values)
                assert got[0, oy, ox, c] == pytest.approx(wanted, rel=1e-5, abs=1e-6)


# ---------------------------------------------------------------- weights and execution


@pytest.mark.parametrize("storage,levels", [("uint8", 255), ("uint16", 65535)])
def test_quantised_weights_are_q_times_scale_plus_min(tmp_path, storage, levels):
    q = RNG.integers(0, levels + 1, (3, 4))
    scale, low = 0.0123456789, -0.987654321
    nodes = [placeholder("x", [3, 4]), node("y", "Add", ["x", "w"])]
    model = GraphModel.from_files(write_model(tmp_path, nodes, {"w": (q, scale, low)}, storage))
    got = model.execute({"x": np.zeros((3, 4), np.float32)}, "y")
    for index in np.ndindex(q.shape):  # worked out in double precision, then rounded once (TF.js)
        assert got[index] == np.float32(int(q[index]) * scale + low)


def test_only_the_needed_nodes_run_and_intermediates_are_freed(tmp_path, monkeypatch):
    """A branch nobody asked for never runs; an array is dropped after its last reader."""
    alive = {}
    seen_alive_at_probe = {}

    def tracking_relu(node_):
        def run(x):
            y = np.maximum(x, np.float32(0))
            alive[node_.name] = weakref.ref(y)
            return y
        return run

    def probe(node_):
        def run(x):
            seen_alive_at_probe.update({name: ref() is not None for name, ref in alive.items()})
            return x * np.float32(2)
        return run

    monkeypatch.setitem(graph_ops_numpy.BUILDERS, "Relu", tracking_relu)
    monkeypatch.setitem(graph_ops_numpy.BUILDERS, "Sigmoid", probe)  # stands in for any op
    nodes = [placeholder("x", [1, 4]), node("a", "Relu", ["x"]), node("b", "Relu", ["a"]),
             node("c", "Sigmoid", ["b"]), node("other", "Relu", ["x"]),
             node("broken", "Reshape", ["x", "bad_shape"])]
    weights = {"bad_shape": np.array([3, 3], np.int32)}
    model = GraphModel.from_files(write_model(tmp_path, nodes, weights))
    assert model.output_names == ["c", "other", "broken"]
    got = model.execute({"x": np.array([[-1, 2, -3, 4]], np.float32)}, ["c"])
    np.testing.assert_array_equal(got[0], [[0, 4, 0, 8]])
    assert "other" not in alive  # not needed for c: never run (nor the broken Reshape)
    assert seen_alive_at_probe == {"a": False, "b": True}  # a was freed once b had read it
    with pytest.raises(ValueError, match="cannot reshape"):
        model.execute({"x": np.zeros((1, 4), np.float32)}, "broken")


def test_inputs_and_outputs_can_be_given_many_ways(tmp_path):
    nodes = [placeholder("x", [-1, 2]), node("y", "Relu", ["x"]), node("z", "Sigmoid", ["x"])]
    model = GraphModel.from_files(write_model(tmp_path, nodes, {}))
    x = np.array([[-1.0, 1.0]])  # float64 is accepted and used as float32
    assert model.input_names == ["x"] and model.output_names == ["y", "z"]
    assert model.input_shapes == {"x": (None, 2)}
    y, z = model.execute(x)  # one input: a bare array; no outputs named: all of them
    np.testing.assert_array_equal(model.execute({"x:0": x}, "y:0"), y)
    assert y.dtype == np.float32 and y.tolist() == [[0, 1]]
    assert z.dtype == np.float32
    np.testing.assert_array_equal(model.predict(x)[1], z)
    weights = GraphModel.from_files(write_model(tmp_path / "w", [node("y", "Identity", ["w"])], {"w": random(3)}))
    first = weights.execute({}, "w")
    first[...] = 7  # asking for a weight gives a copy: the model keeps its own
    assert not (weights.execute({}, "y") == 7).any()
    # Feeding an intermediate node cuts the graph there.
    np.testing.assert_array_equal(model.execute({"y": np.ones((3, 3), np.float32)}, "y"), np.ones((3, 3)))


# ---------------------------------------------------------------- errors


def test_errors_name_the_problem_and_the_way_out(tmp_path):
    nodes = [placeholder("x", [1, -1, -1, 3]), node("y", "Relu6", ["x"])]
    model = GraphModel.from_files(write_model(tmp_path / "ok", nodes, {}))
    good = np.zeros((1, 5, 5, 3), np.float32)
    with pytest.raises(ValueError, match=r"no input 'image'\. Its inputs are: x"):
        model.execute({"image": good}, "y")
    with pytest.raises(ValueError, match=r"shape \[1, any, any, 3\], got \[5, 5, 3\]\. Add a batch axis"):
        model.execute({"x": good[0]}, "y")
    with pytest.raises(ValueError, match=r"float32 numbers, got uint8.*astype\(np\.float32\)"):
        model.execute({"x": good.astype(np.uint8)}, "y")
    with pytest.raises(ValueError, match=r"without the input 'x'"):
        model.execute({}, "y")
    with pytest.raises(ValueError, match=r"no node 'float_segments' to output\. Its outputs are: y"):
        model.execute({"x": good}, ["float_segments"])

    unknown = [placeholder("x", [1, 3]), node("odd", "Einsum", ["x", "x"])]
    with pytest.raises(NotImplementedError, match=r"op 'Einsum' \(node 'odd'\).*Supported ops are: "):
        GraphModel.from_files(write_model(tmp_path / "unknown", unknown, {}))

    missing = write_model(tmp_path / "missing", [placeholder("x", [3]), node("y", "Add", ["x", "w"])],
                          {"w": random(3)})
    data = json.loads(missing.read_text())
    data["modelTopology"]["node"].append(node("w2", "Const"))
    data["modelTopology"]["node"][-2]["input"] = ["x", "w2"]
    missing.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"needs the weight 'w2'.*belong together"):
        GraphModel.from_files(missing)

    (tmp_path / "missing" / "group1-shard1of1.bin").unlink()
    with pytest.raises(FileNotFoundError, match=r"group1-shard1of1\.bin' is missing"):
        GraphModel.from_files(missing)
    with pytest.raises(FileNotFoundError, match="no model.json"):
        GraphModel.from_files(tmp_path / "nowhere" / "model.json")
    layers = {"format": "layers-model", "modelTopology": {"model_config": {}}, "weightsManifest": []}
    with pytest.raises(ValueError, match="not a TF.js graph model.*LayersModel"):
        GraphModel.from_files(layers, lambda path: b"")
    with pytest.raises(ValueError, match="no read_file"):
        GraphModel.from_files(data)


def test_nchw_graphs_are_refused_clearly(tmp_path):
    nodes = [placeholder("x", [1, 3, 4, 4]),
             node("c", "Conv2D", ["x", "k"], strides=ints(1, 1, 1, 1), padding=text("SAME"),
                  data_format=text("NCHW"))]
    with pytest.raises(NotImplementedError, match="node 'c' \\(Conv2D\\) uses data_format 'NCHW'"):
        GraphModel.from_files(write_model(tmp_path, nodes, {"k": random(1, 1, 3, 2)}))


# ---------------------------------------------------------------- the BodyPix files


CHANNELS = {"float_segments": 1, "float_part_heatmaps": 24, "float_heatmaps": 17, "float_short_offsets": 34,
            "float_long_offsets": 34, "float_part_offsets": 48, "MobilenetV1/displacement_fwd_2/BiasAdd": 32,
            "MobilenetV1/displacement_bwd_2/BiasAdd": 32}


def photo(height, width):
    """harriet.jpg at height x width, as BodyPix feeds it: x / 127.5 - 1, with a batch axis."""
    from PIL import Image
    with Image.open(IMAGES / "harriet.jpg") as image:
        pixels = np.asarray(image.convert("RGB").resize((width, height), Image.BILINEAR), np.float32)
    return (pixels / np.float32(127.5) - np.float32(1))[None]


@pytest.mark.parametrize("stride", [16, 8])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_bodypix_file_loads_and_runs(variant, stride):
    model = GraphModel.from_files(BODYPIX / variant / f"model-stride{stride}.json")
    assert model.input_names == ["sub_2"]
    assert model.input_shapes == {"sub_2": (1, None, None, 3)}
    assert sorted(model.output_names) == sorted(CHANNELS)
    results = model.execute({"sub_2": photo(161, 129)}, list(CHANNELS))
    for (name, channels), result in zip(CHANNELS.items(), results):
        assert result.shape == (1, 160 // stride + 1, 128 // stride + 1, channels), name
        assert result.dtype == np.float32 and np.isfinite(result).all(), name
    part_offsets = results[list(CHANNELS).index("float_part_offsets")]
    assert part_offsets.min() >= 0 and part_offsets.max() <= 1  # the graph clips them to [0, 1]


@pytest.mark.parametrize("stride", [16, 8])
def test_two_byte_weights_give_nearly_the_float_answers(stride):
    """quant2 (uint16) stays close to float32. (quant1, uint8, drifts much further at this
    small size - TF.js gives the same drift: see test_bodypix_matches_tfjs_graph_model.)"""
    x = photo(161, 129)
    outputs = ["float_segments", "float_part_heatmaps"]
    exact = GraphModel.from_files(BODYPIX / "float/050" / f"model-stride{stride}.json").execute(x, outputs)
    quantised = GraphModel.from_files(BODYPIX / "quant2/050" / f"model-stride{stride}.json").execute(x, outputs)
    for name, want, got in zip(outputs, exact, quantised):
        assert np.abs(got - want).max() < 0.01 * float(want.max() - want.min()), name
    assert ((quantised[0] > 0) == (exact[0] > 0)).mean() > 0.99


# ---------------------------------------------------------------- TF.js itself as the reference

TFJS_SCRIPT = r"""
const tf = require('@tensorflow/tfjs');
const fs = require('fs'); const path = require('path');
(async () => {
  const [modelJson, input, height, width, outDir] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const model = JSON.parse(fs.readFileSync(modelJson));
  const folder = path.dirname(modelJson);
  const specs = [].concat(...model.weightsManifest.map(g => g.weights));
  const data = Buffer.concat([].concat(...model.weightsManifest.map(
      g => g.paths.map(p => fs.readFileSync(path.join(folder, p))))));
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const graph = await tf.loadGraphModel(tf.io.fromMemory(
      {modelTopology: model.modelTopology, weightSpecs: specs, weightData, format: model.format}));
  const raw = fs.readFileSync(input);
  const x = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [1, +height, +width, 3]);
  const names = ['float_segments', 'float_part_heatmaps', 'float_short_offsets'];
  const results = graph.execute({sub_2: x}, names);
  names.forEach((name, i) => fs.writeFileSync(path.join(outDir, name + '.bin'),
                                              Buffer.from(results[i].dataSync().buffer)));
})().catch(error => { console.error(error); process.exit(1); });
"""


@pytest.mark.browser
@pytest.mark.parametrize("variant,stride", [("quant2/075", 16), ("quant2/075", 8), ("quant1/050", 8)])
def test_bodypix_matches_tfjs_graph_model(tmp_path, variant, stride):
    """The npm TF.js 4.22 that the pages load, run by node on its CPU backend, is the reference.

    Stride 8 also pins TF.js's reading of the files' dilations [2, 2, 1, 1] as (2, 1).
    Marked ``browser``: it needs the JavaScript half (node and node_modules), like the pages.
    """
    if os.environ.get("ML5PY_SKIP_BROWSER") == "1":
        pytest.skip("ML5PY_SKIP_BROWSER=1: tests of the JavaScript half skipped on purpose")
    node_binary = shutil.which("node")
    if node_binary is None or not (REPO / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.fail("This test needs node and the npm packages: install Node.js, then run `npm install` "
                    "in the repository.", pytrace=False)
    model_json = BODYPIX / variant / f"model-stride{stride}.json"
    x = photo(161, 129)
    x.astype("<f4").tofile(tmp_path / "input.bin")
    (tmp_path / "reference.js").write_text(TFJS_SCRIPT)
    env = dict(os.environ, NODE_PATH=str(REPO / "node_modules"))
    subprocess.run([node_binary, str(tmp_path / "reference.js"), str(model_json), str(tmp_path / "input.bin"),
                    "161", "129", str(tmp_path)], check=True, env=env, timeout=120, capture_output=True)
    names = ["float_segments", "float_part_heatmaps", "float_short_offsets"]
    results = GraphModel.from_files(model_json).execute({"sub_2": x}, names)
    for name, got in zip(names, results):
        want = np.fromfile(tmp_path / f"{name}.bin", "<f4").reshape(got.shape)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-4 * float(np.abs(want).max()), err_msg=name)
