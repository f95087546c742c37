"""The graph ops MoveNet and BlazePose use beside convolutions (numpy_executor/graph_tensor_ops.py),
each in a small graph against what TensorFlow defines; int32 inputs; ops with several outputs;
and whole MoveNet graphs of the mirror against TF.js 4.22 run by node."""
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from conftest import MIRROR, REPO
from graph_model_helpers import ints, node, random, text, write_model

from ml5py.numpy_executor.graph import GraphModel


def placeholder(name, shape, dtype="DT_FLOAT"):
    return node(name, "Placeholder", dtype={"type": dtype}, shape={"shape": {"dim": [{"size": str(d)} for d in shape]}})


def run(tmp_path, nodes, weights, feeds, outputs):
    return GraphModel.from_files(write_model(tmp_path, nodes, weights)).execute(feeds, outputs)


def test_casts_shapes_and_element_ops(tmp_path):
    x = np.array([[-1.7, -0.2, 0.0, 2.9], [3.5, -4.5, 7.25, 1.0]], np.float32)
    nodes = [placeholder("x", [2, 4]),
             node("int", "Cast", ["x"], DstT={"type": "DT_INT32"}),
             node("shape", "Shape", ["x"]), node("size", "Size", ["x"]),
             node("expanded", "ExpandDims", ["x", "minus_one"]),
             node("packed", "Pack", ["x", "x"], axis={"i": "1"}, N={"i": "2"}),
             node("tiled", "Tile", ["x", "twice"]),
             node("floor_div", "FloorDiv", ["int", "three"]),
             node("squared", "SquaredDifference", ["x", "half"]),
             node("summed", "AddN", ["x", "x", "half"]),
             node("sum", "Sum", ["x", "axis1"], keep_dims={"b": False}),
             node("max", "Max", ["x", "axis1"], keep_dims={"b": True}),
             node("picked", "Select", ["positive", "x", "zeros"]),
             node("positive", "Greater", ["x", "zero"]),
             node("both", "LogicalAnd", ["positive", "small"]), node("small", "Less", ["x", "three_f"]),
             node("recip", "Reciprocal", ["x"]), node("root", "Sqrt", ["absolute"]), node("absolute", "Abs", ["x"]),
             node("filled", "Fill", ["dims", "seven"]),
             node("ramp", "Range", ["zero", "three_f", "half"], Tidx={"type": "DT_FLOAT"}),
             node("cells", "DepthToSpace", ["blocks"], block_size={"i": "2"}, data_format=text("NHWC"))]
    weights = {"minus_one": np.array(-1, np.int32), "twice": np.array([1, 2], np.int32),
               "three": np.array(3, np.int32), "half": np.array(0.5, np.float32), "axis1": np.array([1], np.int32),
               "zeros": np.zeros((2, 4), np.float32), "zero": np.array(0, np.float32),
               "three_f": np.array(3, np.float32), "dims": np.array([2, 3], np.int32),
               "seven": np.array(7, np.int32), "blocks": np.arange(16, dtype=np.float32).reshape(1, 1, 2, 8)}
    names = ["int", "shape", "size", "expanded", "packed", "tiled", "floor_div", "squared", "summed", "sum", "max",
             "picked", "both", "recip", "root", "filled", "ramp", "cells"]
    got = dict(zip(names, run(tmp_path, nodes, weights, {"x": x}, names)))
    assert got["int"].dtype == np.int32 and got["int"].tolist() == [[-1, 0, 0, 2], [3, -4, 7, 1]]  # truncates
    assert got["shape"].tolist() == [2, 4] and got["size"].tolist() == 8
    assert got["expanded"].shape == (2, 4, 1) and got["packed"].shape == (2, 2, 4) and got["tiled"].shape == (2, 8)
    assert got["floor_div"].tolist() == [[-1, 0, 0, 0], [1, -2, 2, 0]]  # floor, not truncation
    np.testing.assert_allclose(got["squared"], (x - 0.5) ** 2)
    np.testing.assert_allclose(got["summed"], 2 * x + 0.5)
    np.testing.assert_allclose(got["sum"], x.sum(axis=1)) and np.testing.assert_allclose(got["max"], x.max(1, keepdims=True))
    assert got["picked"].tolist() == np.where(x > 0, x, 0).tolist()
    assert got["both"].tolist() == ((x > 0) & (x < 3)).tolist()
    np.testing.assert_allclose(got["recip"][0, :2], 1 / x[0, :2]) and np.testing.assert_allclose(got["root"], np.sqrt(abs(x)))
    assert got["filled"].tolist() == [[7, 7, 7]] * 2 and got["ramp"].tolist() == [0, 0.5, 1, 1.5, 2, 2.5]
    # DepthToSpace (block 2, NHWC): each pixel's 8 channels become a 2 x 2 block of 2 channels
    assert got["cells"].shape == (1, 2, 4, 2)
    assert got["cells"][0, :, :, 0].tolist() == [[0, 2, 8, 10], [4, 6, 12, 14]]
    for name in ("squared", "summed", "recip", "ramp"):
        assert got[name].dtype == np.float32, name


def test_strided_slice_with_its_masks(tmp_path):
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    cases = {  # name: (begin, end, strides, masks, numpy's index)
        "plain": ([0, 1, 0], [2, 3, 4], [1, 1, 2], {}, np.s_[0:2, 1:3, 0:4:2]),
        "shrink": ([1, 0, 0], [2, 0, 0], [1, 1, 1], {"shrink_axis_mask": 1, "end_mask": 6}, np.s_[1, :, :]),
        "ends": ([0, 0, 1], [0, 0, 0], [1, 1, -1], {"begin_mask": 3, "end_mask": 7}, np.s_[:, :, 1::-1]),
        "ellipsis": ([0, 2], [0, 3], [1, 1], {"ellipsis_mask": 1}, np.s_[..., 2:3]),
        "new_axis": ([0, 0], [1, 0], [1, 1], {"new_axis_mask": 2, "shrink_axis_mask": 1}, np.s_[0, np.newaxis]),
    }
    nodes, weights = [placeholder("x", [2, 3, 4])], {}
    for name, (begin, end, strides, masks, _) in cases.items():
        for part, values in (("b", begin), ("e", end), ("s", strides)):
            weights[f"{name}_{part}"] = np.array(values, np.int32)
        attrs = {key: {"i": str(masks.get(key, 0))} for key in
                 ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")}
        nodes.append(node(name, "StridedSlice", ["x", f"{name}_b", f"{name}_e", f"{name}_s"], **attrs))
    got = run(tmp_path, nodes, weights, {"x": x}, list(cases))
    for (name, case), value in zip(cases.items(), got):
        np.testing.assert_array_equal(value, x[case[4]], err_msg=name)


def test_gather_argmax_top_k_and_several_outputs(tmp_path):
    x = np.array([[0.1, 0.9, 0.9, 0.3], [0.5, 0.2, 0.8, 0.8]], np.float32)
    nodes = [placeholder("x", [2, 4]),
             node("top", "TopKV2", ["x", "k"], sorted={"b": True}),
             node("values", "Identity", ["top"]), node("indices", "Identity", ["top:1"]),
             node("best", "ArgMax", ["x", "one"], output_type={"type": "DT_INT32"}),
             node("rows", "Unpack", ["x"], axis={"i": "0"}, num={"i": "2"}),
             node("second_row", "Identity", ["rows:1"]),
             node("halves", "Split", ["one", "x"], num_split={"i": "2"}),
             node("right_half", "Identity", ["halves:1"]),
             node("gathered", "GatherNd", ["x", "where"])]
    weights = {"k": np.array(3, np.int32), "one": np.array(1, np.int32),
               "where": np.array([[1, 3], [0, 1]], np.int32)}
    names = ["values", "indices", "best", "second_row", "right_half", "gathered"]
    got = dict(zip(names, run(tmp_path, nodes, weights, {"x": x}, names)))
    assert got["indices"].tolist() == [[1, 2, 3], [2, 3, 0]]  # ties: the lower index first, as TF.js
    np.testing.assert_array_equal(got["values"], np.array([[0.9, 0.9, 0.3], [0.8, 0.8, 0.5]], np.float32))
    assert got["best"].tolist() == [1, 2] and got["best"].dtype == np.int32
    np.testing.assert_array_equal(got["second_row"], x[1])
    np.testing.assert_array_equal(got["right_half"], x[:, 2:])
    np.testing.assert_array_equal(got["gathered"], [x[1, 3], x[0, 1]])


def test_resize_bilinear_reads_its_attributes(tmp_path):
    x = random(1, 3, 5, 2)
    nodes = [placeholder("x", [1, 3, 5, 2])]
    for name, corners, half in (("plain", False, False), ("half", False, True), ("corners", True, False)):
        nodes.append(node(name, "ResizeBilinear", ["x", "size"], align_corners={"b": corners},
                          half_pixel_centers={"b": half}))
    got = run(tmp_path, nodes, {"size": np.array([6, 10], np.int32)}, {"x": x}, ["plain", "half", "corners"])
    # half-pixel centres: output pixel (i + 0.5) samples input (i + 0.5) / 2 - 0.5; i = 1 -> 0.25
    np.testing.assert_allclose(got[1][0, 1, 1], 0.75 * 0.75 * x[0, 0, 0] + 0.75 * 0.25 * x[0, 0, 1]
                               + 0.25 * 0.75 * x[0, 1, 0] + 0.25 * 0.25 * x[0, 1, 1], rtol=1e-5)
    np.testing.assert_allclose(got[0][0, 1, 1], 0.5 * 0.5 * (x[0, 0, 0] + x[0, 0, 1] + x[0, 1, 0] + x[0, 1, 1]),
                               rtol=1e-5)
    np.testing.assert_allclose(got[2][0, -1, -1], x[0, -1, -1], rtol=1e-6)


def test_int32_inputs_are_taken_where_the_graph_asks_for_them(tmp_path):
    nodes = [placeholder("pixels", [1, 2], "DT_INT32"), node("f", "Cast", ["pixels"], DstT={"type": "DT_FLOAT"})]
    model = GraphModel.from_files(write_model(tmp_path, nodes, {}))
    assert model.execute({"pixels": np.array([[3, 250]], np.uint8)}, "f").tolist() == [[3.0, 250.0]]
    with pytest.raises(ValueError, match=r"must hold whole numbers \(int32\), got float32"):
        model.execute({"pixels": np.zeros((1, 2), np.float32)}, "f")


NODE_SCRIPT = r"""
const tf = require('@tensorflow/tfjs');
const fs = require('fs'); const path = require('path');
(async () => {
  const [modelJson, input, shape, output] = process.argv.slice(2);
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
  const x = tf.tensor(new Int32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), JSON.parse(shape), 'int32');
  fs.writeFileSync(output, Buffer.from(graph.execute(x).dataSync().buffer));
})().catch(error => { console.error(error); process.exit(1); });
"""


@pytest.mark.browser
@pytest.mark.parametrize("model, shape", [("movenet-lightning", [1, 192, 192, 3]), ("movenet-thunder", [1, 256, 256, 3]),
                                          ("movenet-multipose", [1, 192, 256, 3])])
def test_movenet_graphs_match_tfjs(tmp_path, model, shape):
    """Whole MoveNet graphs (float16 weights, argmax / top-k decoding inside) against TF.js 4.22 on node."""
    if os.environ.get("ML5PY_SKIP_BROWSER") == "1":
        pytest.skip("ML5PY_SKIP_BROWSER=1: tests of the JavaScript half skipped on purpose")
    node_binary = shutil.which("node")
    if node_binary is None or not (REPO / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.fail("This test needs node and the npm packages: run `bash .ci/setup`.", pytrace=False)
    from ml5py import load_image
    from ml5py.numpy_executor import ops

    pixels = load_image(MIRROR.parent / "images" / "pose.jpg").to_numpy().astype(np.float32)
    x = np.trunc(ops.resize_bilinear(pixels, shape[1:3])).astype(np.int32)[None]
    x.astype("<i4").tofile(tmp_path / "input.bin")
    (tmp_path / "reference.js").write_text(NODE_SCRIPT)
    model_json = MIRROR / model / f"{model}.json"
    subprocess.run([node_binary, str(tmp_path / "reference.js"), str(model_json), str(tmp_path / "input.bin"),
                    json.dumps(shape), str(tmp_path / "out.bin")], check=True, timeout=300, capture_output=True,
                   env=dict(os.environ, NODE_PATH=str(REPO / "node_modules")))
    got = GraphModel.from_files(model_json).execute({"input": x}, "Identity")
    want = np.fromfile(tmp_path / "out.bin", "<f4").reshape(got.shape)
    np.testing.assert_allclose(got, want, atol=2e-5)
