"""ml5py.numpy_executor.run_order: the run order both numpy executors use (each node after what it reads)."""
import numpy as np
import pytest
from graph_model_helpers import node, placeholder, write_model

from ml5py.numpy_executor.run_order import depth_first_order
from ml5py.numpy_executor.graph import GraphModel

#   x -> a -> c ; x -> b -> c ; c -> d      (and e, which nothing asks for)
READS = {"x": [], "a": ["x"], "b": ["x", "a"], "c": ["a", "b"], "d": ["c"], "e": ["x"]}


def loop(key):
    return ValueError(f"loop through {key}")


def test_each_key_after_what_it_reads_and_only_what_is_needed() -> None:
    order = depth_first_order(["d"], READS.__getitem__, loop)
    assert order == ["x", "a", "b", "c", "d"]
    for key in order:
        assert all(order.index(source) < order.index(key) for source in READS[key])


def test_known_keys_are_neither_listed_nor_looked_into() -> None:
    asked = []

    def inputs_of(key):
        asked.append(key)
        return READS[key]

    assert depth_first_order(["d", "e"], inputs_of, loop, known=["a"]) == ["x", "b", "c", "d", "e"]
    assert "a" not in asked


def test_a_deep_chain_needs_no_recursion() -> None:
    chain = {i: ([i - 1] if i else []) for i in range(20000)}
    assert depth_first_order([19999], chain.__getitem__, loop) == list(range(20000))


def test_a_loop_is_an_error_naming_a_node_on_it(tmp_path) -> None:
    with pytest.raises(ValueError, match="loop through [bc]"):
        depth_first_order(["d"], {**READS, "b": ["c"]}.__getitem__, loop)
    nodes = [placeholder("x", [1, 2]), node("p", "Relu", ["x", "q"]), node("q", "Relu", ["p"])]
    model = GraphModel.from_files(write_model(tmp_path, nodes, {}))
    with pytest.raises(ValueError, match="has a loop through node '[pq]'; ml5py runs only loop-free graphs"):
        model.execute({"x": np.zeros((1, 2), np.float32)}, ["q"])
