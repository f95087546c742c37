"""ml5py.numpy_executor.blas_threads: the graph executor runs numpy's matrix products on one thread, then
gives the thread count back (bench/bodypix_bench.py measures why)."""
import numpy as np
import pytest
from graph_model_helpers import node, placeholder, write_model

from ml5py.numpy_executor import blas_threads, graph_ops as graph_ops_numpy
from ml5py.numpy_executor.blas_threads import one_blas_thread
from ml5py.numpy_executor.graph import GraphModel


@pytest.fixture
def two_threads(monkeypatch):
    """numpy's OpenBLAS on 2 threads (as on a 2-core machine), the learner having chosen nothing."""
    for name in blas_threads._CHOSEN_BY_USER:
        monkeypatch.delenv(name, raising=False)
    functions = blas_threads._openblas()
    assert functions is not None, "numpy's wheels bring OpenBLAS: its thread functions must be found"
    before = blas_threads.blas_threads()
    functions[1](2)
    yield
    functions[1](before)


def test_one_thread_inside_then_what_it_was(two_threads) -> None:
    with one_blas_thread():
        assert blas_threads.blas_threads() == 1
    assert blas_threads.blas_threads() == 2
    with pytest.raises(ZeroDivisionError):
        with one_blas_thread():
            1 / 0
    assert blas_threads.blas_threads() == 2  # given back after an error too


def test_nested_and_overlapping_uses_give_the_count_back_once(two_threads) -> None:
    outer, inner = one_blas_thread(), one_blas_thread()
    outer.__enter__()
    inner.__enter__()  # (as from a second Python thread)
    outer.__exit__(None, None, None)
    assert blas_threads.blas_threads() == 1  # the other one still runs
    inner.__exit__(None, None, None)
    assert blas_threads.blas_threads() == 2


def test_a_count_the_learner_chose_is_left_alone(two_threads, monkeypatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    with one_blas_thread():
        assert blas_threads.blas_threads() == 2


def test_the_graph_executor_runs_on_one_thread(two_threads, tmp_path, monkeypatch) -> None:
    seen = []

    def probe(node_):
        def run(x):
            seen.append(blas_threads.blas_threads())
            return x
        return run

    monkeypatch.setitem(graph_ops_numpy.BUILDERS, "Relu", probe)
    model = GraphModel.from_files(write_model(tmp_path, [placeholder("x", [1, 2]), node("y", "Relu", ["x"])], {}))
    model.execute({"x": np.zeros((1, 2), np.float32)}, ["y"])
    assert seen == [1] and blas_threads.blas_threads() == 2


class _CountingNetwork:
    """Stands in for a network or head: records numpy's thread count at each step."""

    classifying, kind = True, "classification"
    specs = [{"input_shape": [2]}]

    def __init__(self) -> None:
        self.seen = []

    def train_batch(self, x, y):
        self.seen.append(blas_threads.blas_threads())
        return 0.5, 1.0

    def evaluate(self, x, y):
        self.seen.append(blas_threads.blas_threads())
        return 0.5, 1.0

    def predict(self, x):
        self.seen.append(blas_threads.blas_threads())
        return np.zeros((len(x), 2))


def test_the_models_measured_faster_on_one_thread_run_on_one(two_threads) -> None:
    """StyleTransfer's convolutions and the training steps of NeuralNetwork and the trainable
    heads run on one thread (bench/threads_bench.py); numpy gets its two back between them.
    The layers classifiers' forward passes (``rt.tidy``) keep numpy's threads."""
    from ml5py import rt
    from ml5py.models.style_transfer import runtime_cpython as style_twin

    net = _CountingNetwork()
    data = {"x": np.zeros((2, 2), np.float32), "y": np.zeros((2, 2), np.float32)}
    rt.network_fit_epoch(net, data, [[0, 1]])
    rt.network_evaluate(net, data, [0])
    rt.network_predict_sync(net, [[0.0, 0.0]])
    rt.head_fit_epoch(net, [[0.0, 0.0], [1.0, 1.0]], [0, 1], [[0, 1]])
    rt.head_evaluate(net, [[0.0, 0.0]], [0], [0])
    rt.head_predict(net, [0.0, 0.0])
    assert net.seen == [1] * 6
    seen = []
    original = style_twin.numpy_ops.conv2d

    def probe(*args, **kwargs):
        seen.append(blas_threads.blas_threads())
        return original(*args, **kwargs)

    style_twin.numpy_ops.conv2d = probe
    try:
        rt.conv2d(np.zeros((1, 4, 4, 3), np.float32), np.zeros((3, 3, 3, 2), np.float32), 1)
    finally:
        style_twin.numpy_ops.conv2d = original
    assert seen == [1]
    assert rt.tidy(blas_threads.blas_threads) == 2
    assert blas_threads.blas_threads() == 2
