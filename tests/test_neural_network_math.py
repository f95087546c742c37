"""NeuralNetwork's numpy twin against independent references:

- every layer type's gradients (dense, conv2d "valid"/"same" with strides, max pooling,
  flatten, each activation, both losses) against central finite differences, in float64;
- a conv2d forward pass against a plain loop over pixels, a max pooling against a loop;
- SGD and Adam steps against hand-written update loops (TF.js's formulas).
"""
from __future__ import annotations

import numpy as np
import pytest

from ml5py.models.neural_network.network_numpy import Network
from ml5py.models.neural_network.nn_layers import initial_weights, layer_specs
from ml5py.numpy_executor.training import SGD, Adam


def network(layers, input_shape, outputs, task, seed=3, dtype=np.float64, optimizer="sgd"):
    specs = layer_specs(layers, input_shape, outputs, task)
    weights = initial_weights(specs, seed)
    rng = np.random.default_rng(seed)
    weights = [np.asarray(w) + rng.normal(0, 0.1, len(w)) for w in weights]  # biases not all zero
    return Network(specs, weights, optimizer, 0.1, task != "regression", dtype=dtype)


def total_loss(net, x, y):
    out, _ = net.forward(x)
    return net.loss(out, y)[0]


def check_gradients(net, x, y, tolerance=1e-6):
    out, trail = net.forward(x)
    _, gradient, _ = net.loss(out, y)
    grads = net.backward(gradient, trail)
    rng = np.random.default_rng(0)
    for param, grad in zip(net.params, grads):
        assert grad.shape == param.shape
        flat = param.reshape(-1)
        picks = rng.choice(flat.size, size=min(flat.size, 12), replace=False)
        for index in picks:
            keep = flat[index]
            flat[index] = keep + 1e-6
            up = total_loss(net, x, y)
            flat[index] = keep - 1e-6
            down = total_loss(net, x, y)
            flat[index] = keep
            numeric = (up - down) / 2e-6
            assert abs(numeric - grad.reshape(-1)[index]) <= tolerance * max(1.0, abs(numeric)), (
                index, numeric, grad.reshape(-1)[index])


def one_hot(indices, count):
    return np.eye(count)[indices]


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "linear"])
def test_dense_gradients_each_activation_classification(activation):
    net = network([{"type": "dense", "units": 5, "activation": activation}, {"type": "dense"}], [4], 3,
                  "classification")
    rng = np.random.default_rng(1)
    check_gradients(net, rng.normal(size=(6, 4)), one_hot(rng.integers(0, 3, 6), 3))


@pytest.mark.parametrize("last", ["sigmoid", "linear", "tanh", "softmax", "relu"])
def test_dense_gradients_regression_each_output_activation(last):
    net = network([{"type": "dense", "units": 4, "activation": "tanh"},
                   {"type": "dense", "activation": last}], [3], 2, "regression")
    rng = np.random.default_rng(2)
    check_gradients(net, rng.normal(size=(5, 3)), rng.uniform(size=(5, 2)))


def test_dense_without_bias_gradients():
    net = network([{"type": "dense", "units": 3, "activation": "relu", "useBias": False},
                   {"type": "dense", "use_bias": False}], [4], 2, "classification")
    assert len(net.params) == 2
    rng = np.random.default_rng(3)
    check_gradients(net, rng.normal(size=(4, 4)), one_hot([0, 1, 1, 0], 2))


@pytest.mark.parametrize("padding,strides,kernel", [("valid", 1, 3), ("same", 1, 3), ("valid", 2, 3),
                                                    ("same", 2, [2, 3]), ("same", [1, 2], 4)])
def test_conv2d_gradients(padding, strides, kernel):
    net = network([{"type": "conv2d", "filters": 3, "kernelSize": kernel, "strides": strides,
                    "padding": padding, "activation": "tanh"},
                   {"type": "flatten"}, {"type": "dense"}], [7, 6, 2], 3, "imageClassification")
    rng = np.random.default_rng(4)
    check_gradients(net, rng.normal(size=(3, 7, 6, 2)), one_hot([0, 2, 1], 3))


@pytest.mark.parametrize("padding,pool,strides", [("valid", 2, None), ("same", 2, None), ("valid", 3, 2),
                                                  ("same", [2, 3], [1, 2])])
def test_max_pooling_gradients(padding, pool, strides):
    layers = [{"type": "conv2d", "filters": 2, "kernel_size": 2, "activation": "sigmoid"},
              {"type": "maxPooling2d", "poolSize": pool, "strides": strides, "padding": padding},
              {"type": "flatten"}, {"type": "dense", "units": 4, "activation": "relu"}, {"type": "dense"}]
    net = network(layers, [8, 7, 3], 2, "imageClassification")
    rng = np.random.default_rng(5)
    check_gradients(net, rng.normal(size=(2, 8, 7, 3)), one_hot([1, 0], 2))


def test_ml5js_default_image_network_gradients():
    from ml5py.models.neural_network.nn_layers import default_layers

    net = network(default_layers("imageClassification", 16, True), [16, 16, 4], 2, "imageClassification")
    assert [s["output_shape"] for s in net.specs] == [[12, 12, 8], [6, 6, 8], [2, 2, 16], [1, 1, 16], [16], [2]]
    rng = np.random.default_rng(6)
    check_gradients(net, rng.uniform(size=(2, 16, 16, 4)), one_hot([1, 0], 2))


def test_conv2d_and_pooling_forward_against_loops():
    net = network([{"type": "conv2d", "filters": 2, "kernel_size": [3, 2], "strides": [2, 1],
                    "padding": "same", "activation": "linear"},
                   {"type": "max_pooling2d", "pool_size": 2, "strides": 1},
                   {"type": "flatten"}, {"type": "dense"}], [5, 4, 3], 2, "classification")
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 5, 4, 3))
    _, trail = net.forward(x)
    kernel, bias = net.params[0], net.params[1]
    # TF's "same": output ceil(5/2)=3 x 4; padding total (3-1)*2+3-5 = 2 rows (1 top, 1 bottom), 1 col (0 left)
    padded = np.zeros((2, 7, 5, 3))
    padded[:, 1:6, 0:4] = x
    expected = np.zeros((2, 3, 4, 2))
    for n in range(2):
        for i in range(3):
            for j in range(4):
                for f in range(2):
                    expected[n, i, j, f] = np.sum(padded[n, 2 * i:2 * i + 3, j:j + 2] * kernel[:, :, :, f]) + bias[f]
    np.testing.assert_allclose(trail[0]["output"], expected, atol=1e-12)
    pooled = trail[2]["input"].reshape(2, 2, 3, 2)
    for n in range(2):
        for i in range(2):
            for j in range(3):
                np.testing.assert_allclose(pooled[n, i, j], expected[n, i:i + 2, j:j + 2].max(axis=(0, 1)))


def test_sgd_matches_a_hand_written_loop():
    rng = np.random.default_rng(8)
    params = [rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32)]
    expected = [p.copy() for p in params]
    optimizer = SGD(0.2)
    for step in range(3):
        grads = [rng.normal(size=p.shape).astype(np.float32) for p in params]
        optimizer.step(params, grads)
        for p, g in zip(expected, grads):
            for index in np.ndindex(p.shape):
                p[index] = np.float32(p[index] + np.float32(-0.2) * g[index])  # TF.js: value + (-lr) * g
    for got, want in zip(params, expected):
        np.testing.assert_array_equal(got, want)


def test_adam_matches_a_hand_written_loop():
    rng = np.random.default_rng(9)
    start = rng.normal(size=5)
    param = [start.astype(np.float64)]
    optimizer = Adam(0.2)
    m = np.zeros(5)
    v = np.zeros(5)
    expected = start.copy()
    for step in range(1, 5):
        grad = rng.normal(size=5)
        optimizer.step(param, [grad])
        for i in range(5):
            m[i] = 0.9 * m[i] + 0.1 * grad[i]
            v[i] = 0.999 * v[i] + 0.001 * grad[i] ** 2
            expected[i] -= 0.2 * (m[i] / (1 - 0.9 ** step)) / ((v[i] / (1 - 0.999 ** step)) ** 0.5 + 1e-7)
    np.testing.assert_allclose(param[0], expected, rtol=1e-12)


def test_training_steps_follow_the_gradients():
    """One SGD step of a whole network moves each weight by -lr * its finite-difference gradient."""
    net = network([{"type": "dense", "units": 3, "activation": "sigmoid"}, {"type": "dense"}], [2], 2,
                  "classification")
    rng = np.random.default_rng(10)
    x, y = rng.normal(size=(4, 2)), one_hot([0, 1, 1, 0], 2)
    before = [p.copy() for p in net.params]
    out, trail = net.forward(x)
    grads = net.backward(net.loss(out, y)[1], trail)
    net.train_batch(x, y)
    for old, new, grad in zip(before, net.params, grads):
        np.testing.assert_allclose(new, old - 0.1 * grad, atol=1e-12)
