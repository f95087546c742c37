"""The numpy executor of TF.js graph models (ml5py.numpy_executor.graph): quantised weights,
which nodes run and when arrays are freed, the ways to give inputs and outputs, and its errors."""
import json
import weakref

import numpy as np
import pytest
from graph_model_helpers import RNG, ints, node, placeholder, random, text, write_model

from ml5py.numpy_executor import graph_ops as graph_ops_numpy
from ml5py.numpy_executor.graph import GraphModel


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
