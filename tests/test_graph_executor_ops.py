"""The numpy executor of TF.js graph models (ml5py.numpy_executor.graph): each op in a small
graph against a plain loop or formula (convolutions, fused convolutions, element-wise ops,
shape ops, pooling)."""
import math

import numpy as np
import pytest
from graph_model_helpers import (RELU6, SIGMOID, each, ints, loop_conv, node, out_size_and_start, placeholder,
                                 random, run_graph, text, texts, write_model)

from ml5py.numpy_executor.graph import GraphModel


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
