"""The numpy executor of TF.js layers models: small models written here (sequential,
functional, nested, Darknet and Teachable Machine style), compared with the same ops
composed by hand; predict's input checks; and the errors that teach."""
import numpy as np
import pytest
from layers_model_helpers import functional, layer, load, random, sequential

from ml5py.numpy_executor import ops
from ml5py.numpy_executor.depthwise import depthwise_conv2d


# ---------------------------------------------------------------- topologies


def test_keras_2_1_sequential_matches_hand_composed_ops():
    w = {
        "c1/kernel": random(3, 3, 3, 4),
        "bn1/gamma": random(4), "bn1/beta": random(4), "bn1/moving_mean": random(4),
        "bn1/moving_variance": random(4, low=0.5, high=2),
        "dw/depthwise_kernel": random(3, 3, 4, 2), "dw/bias": random(8),
        "out/kernel": random(32, 5), "out/bias": random(5),
    }
    model = load(sequential("seq", [
        layer("Conv2D", "c1", filters=4, kernel_size=[3, 3], strides=[2, 2], padding="same",
              activation="linear", use_bias=False, batch_input_shape=[None, 9, 9, 3]),
        layer("BatchNormalization", "bn1", epsilon=0.001, center=True, scale=True, axis=-1),
        layer("Activation", "act1", activation="relu6"),
        layer("DepthwiseConv2D", "dw", kernel_size=[3, 3], strides=[1, 1], padding="same",
              depth_multiplier=2, activation="relu", use_bias=True),
        layer("MaxPooling2D", "pool", pool_size=[2, 2], strides=None, padding="valid"),
        layer("Flatten", "flat"),
        layer("Dense", "out", units=5, activation="softmax", use_bias=True),
    ], keras_2_1=True), w)
    x = random(2, 9, 9, 3)
    y = ops.conv2d(x, w["c1/kernel"], 2, "same")
    y = ops.relu6(ops.batch_norm(y, w["bn1/moving_mean"], w["bn1/moving_variance"], w["bn1/beta"],
                                 w["bn1/gamma"], 0.001))
    y = ops.relu(depthwise_conv2d(y, w["dw/depthwise_kernel"], 1, "same") + w["dw/bias"])
    y = ops.max_pool2d(y, 2).reshape(2, -1)
    expected = ops.softmax(ops.dense(y, w["out/kernel"], w["out/bias"]))
    assert model.input_shape == (None, 9, 9, 3)
    assert model.output_layer_names == ["out"]
    got = model.predict(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_sequential_with_input_layer_and_more_layer_kinds():
    w = {
        "sep/depthwise_kernel": random(3, 3, 2, 1), "sep/pointwise_kernel": random(1, 1, 2, 6),
        "sep/bias": random(6),
        "d/kernel": random(6, 4), "d/bias": random(4),
        "bn/moving_mean": random(4), "bn/moving_variance": random(4, low=0.5, high=2),
    }
    model = load(sequential("seq", [
        layer("InputLayer", "in", batch_input_shape=[None, 6, 7, 2], dtype="float32"),
        layer("ZeroPadding2D", "pad", padding=[[1, 0], [0, 2]]),
        layer("SeparableConv2D", "sep", kernel_size=[3, 3], strides=[2, 2], padding="valid",
              depth_multiplier=1, activation="linear", use_bias=True),
        layer("ReLU", "clip", max_value=4.0, negative_slope=0.1, threshold=0.5),
        layer("AveragePooling2D", "avg", pool_size=[3, 3], strides=[1, 1], padding="same"),
        layer("LeakyReLU", "leaky", alpha=0.25),
        layer("GlobalAveragePooling2D", "gap"),
        layer("Reshape", "flat", target_shape=[-1]),
        layer("Dropout", "drop", rate=0.5),
        layer("Dense", "d", units=4, activation="linear", use_bias=True),
        layer("BatchNormalization", "bn", epsilon=0.01, center=False, scale=False),
        layer("Softmax", "soft", axis=-1),
    ]), w)
    x = random(3, 6, 7, 2)
    y = np.pad(x, ((0, 0), (1, 0), (0, 2), (0, 0)))
    y = ops.conv2d(depthwise_conv2d(y, w["sep/depthwise_kernel"], 2, "valid"), w["sep/pointwise_kernel"])
    y = y + w["sep/bias"]
    y = np.minimum(np.where(y >= 0.5, y, 0.1 * (y - 0.5)), 4.0)
    y = ops.leaky_relu(ops.avg_pool2d(y, 3, 1, "same"), 0.25)
    y = ops.dense(ops.global_avg_pool2d(y), w["d/kernel"], w["d/bias"])
    y = ops.batch_norm(y, w["bn/moving_mean"], w["bn/moving_variance"], epsilon=0.01)
    assert model.input_shape == (None, 6, 7, 2)
    np.testing.assert_allclose(model.predict(x), ops.softmax(y), rtol=1e-5, atol=1e-6)


def test_functional_model_with_branches_merges_and_two_outputs():
    w = {
        "c1/kernel": random(3, 3, 2, 4), "c1/bias": random(4),
        "bn/gamma": random(4), "bn/beta": random(4), "bn/moving_mean": random(4),
        "bn/moving_variance": random(4, low=0.5, high=2),
        "a/kernel": random(1, 1, 4, 4), "b/depthwise_kernel": random(3, 3, 4, 1),
        "d1/kernel": random(8, 3), "d1/bias": random(3), "d2/kernel": random(8, 3),
    }
    conv = dict(kernel_size=[3, 3], strides=[1, 1], padding="same", activation="linear")
    model = load(functional("net", [
        layer("InputLayer", "x", [], batch_input_shape=[None, 6, 6, 2]),
        layer("Conv2D", "c1", ["x"], filters=4, use_bias=True, **conv),
        layer("BatchNormalization", "bn", ["c1"], epsilon=0.001),
        layer("Activation", "r", ["bn"], activation="relu"),
        layer("Conv2D", "a", ["r"], filters=4, kernel_size=[1, 1], strides=[1, 1], padding="valid",
              activation="linear", use_bias=False),
        layer("DepthwiseConv2D", "b", ["r"], use_bias=False, **conv),
        layer("Add", "add", ["a", "b", "r"]),
        layer("Concatenate", "cat", ["add", "r"], axis=-1),
        layer("GlobalMaxPooling2D", "gmp", ["cat"]),
        layer("Dense", "d1", ["gmp"], units=3, activation="sigmoid", use_bias=True),
        layer("Dense", "d2", ["gmp"], units=3, activation="linear", use_bias=False),
        layer("Multiply", "mul", ["d1", "d2"]),
    ], inputs=["x"], outputs=["mul", "bn"]), w)
    x = random(2, 6, 6, 2)
    bn = ops.batch_norm(ops.conv2d(x, w["c1/kernel"], 1, "same") + w["c1/bias"], w["bn/moving_mean"],
                        w["bn/moving_variance"], w["bn/beta"], w["bn/gamma"], 0.001)
    r = ops.relu(bn)
    add = ops.conv2d(r, w["a/kernel"]) + depthwise_conv2d(r, w["b/depthwise_kernel"], 1, "same") + r
    g = ops.global_max_pool2d(np.concatenate([add, r], axis=-1))
    mul = ops.sigmoid(ops.dense(g, w["d1/kernel"], w["d1/bias"])) * ops.dense(g, w["d2/kernel"])
    assert model.output_layer_names == ["mul", "bn"]
    got_mul, got_bn = model.predict(x)
    np.testing.assert_allclose(got_mul, mul, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got_bn, bn, rtol=1e-5, atol=1e-5)  # not overwritten by the relu


def test_darknet_style_conv_batch_norm_leaky_relu_chain():
    w = {
        "c1/kernel": random(3, 3, 3, 4),
        "bn1/gamma": random(4), "bn1/beta": random(4), "bn1/moving_mean": random(4),
        "bn1/moving_variance": random(4, low=0.5, high=2),
        "c2/kernel": random(1, 1, 4, 6), "c2/bias": random(6),
    }
    model = load(functional("darknet", [
        layer("InputLayer", "x", [], batch_input_shape=[None, 7, 7, 3]),
        layer("Conv2D", "c1", ["x"], filters=4, kernel_size=[3, 3], strides=[1, 1], padding="same",
              activation="linear", use_bias=False),
        layer("BatchNormalization", "bn1", ["c1"], epsilon=0.001),
        layer("LeakyReLU", "leaky1", ["bn1"], alpha=0.1),
        layer("MaxPooling2D", "pool", ["leaky1"], pool_size=[2, 2], strides=[2, 2], padding="same"),
        layer("Conv2D", "c2", ["pool"], filters=6, kernel_size=[1, 1], strides=[1, 1], padding="same",
              activation="linear", use_bias=True),
        layer("GlobalAveragePooling2D", "gap", ["c2"]),
    ], inputs=["x"], outputs=["gap"]), w)
    x = random(2, 7, 7, 3)
    y = ops.batch_norm(ops.conv2d(x, w["c1/kernel"], 1, "same"), w["bn1/moving_mean"],
                       w["bn1/moving_variance"], w["bn1/beta"], w["bn1/gamma"], 0.001)
    y = ops.max_pool2d(ops.leaky_relu(y, 0.1), 2, 2, "same")
    expected = ops.global_avg_pool2d(ops.conv2d(y, w["c2/kernel"]) + w["c2/bias"])
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-6)


def test_functional_model_with_two_inputs():
    w = {"d/kernel": random(4, 2), "d/bias": random(2)}
    model = load(functional("two", [
        layer("InputLayer", "a", [], batch_input_shape=[None, 4]),
        layer("InputLayer", "b", [], batch_input_shape=[None, 4]),
        layer("Add", "sum", ["a", "b"]),
        layer("Dense", "d", ["sum"], units=2, activation="tanh", use_bias=True),
    ], inputs=["a", "b"], outputs=["d"]), w)
    a, b = random(3, 4), random(3, 4)
    assert model.input_shape == [(None, 4), (None, 4)]
    np.testing.assert_allclose(model.predict([a, b]), np.tanh((a + b) @ w["d/kernel"] + w["d/bias"]),
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="takes 2 inputs, got 1"):
        model.predict(a)


def test_teachable_machine_style_nested_models():
    """Outer Sequential -> functional MobileNet-like base -> Sequential head with prefixed weights."""
    w = {
        "conv1/kernel": random(3, 3, 3, 5),
        "bn_conv1/gamma": random(5), "bn_conv1/beta": random(5), "bn_conv1/moving_mean": random(5),
        "bn_conv1/moving_variance": random(5, low=0.5, high=2),
        "sequential_1/dense_Dense1/kernel": random(5, 4), "sequential_1/dense_Dense1/bias": random(4),
        "sequential_1/dense_Dense2/kernel": random(4, 2),
    }
    base = functional("model1", [
        layer("InputLayer", "input_1", [], batch_input_shape=[None, 8, 8, 3]),
        layer("Conv2D", "conv1", ["input_1"], filters=5, kernel_size=[3, 3], strides=[2, 2],
              padding="valid", activation="linear", use_bias=False),
        layer("BatchNormalization", "bn_conv1", ["conv1"], epsilon=0.001),
        layer("ReLU", "conv1_relu", ["bn_conv1"], max_value=6.0),
        layer("GlobalAveragePooling2D", "pool", ["conv1_relu"]),
    ], inputs=["input_1"], outputs=["pool"])
    head = sequential("sequential_1", [
        layer("Dense", "dense_Dense1", units=4, activation="relu", use_bias=True, batch_input_shape=[None, 5]),
        layer("Dense", "dense_Dense2", units=2, activation="softmax", use_bias=False),
    ])
    model = load(sequential("sequential_4", [base, head]), w)
    x = random(2, 8, 8, 3)
    y = ops.batch_norm(ops.conv2d(x, w["conv1/kernel"], 2, "valid"), w["bn_conv1/moving_mean"],
                       w["bn_conv1/moving_variance"], w["bn_conv1/beta"], w["bn_conv1/gamma"], 0.001)
    y = ops.global_avg_pool2d(ops.relu6(y))
    y = ops.relu(ops.dense(y, w["sequential_1/dense_Dense1/kernel"], w["sequential_1/dense_Dense1/bias"]))
    expected = ops.softmax(ops.dense(y, w["sequential_1/dense_Dense2/kernel"]))
    assert model.input_shape == (None, 8, 8, 3)
    assert model.output_layer_names == ["sequential_1"]
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-6)


def test_nested_models_with_the_same_layer_names_use_their_own_weights():
    w = {"seq_a/dense/kernel": random(3, 3), "seq_b/dense/kernel": random(3, 2)}
    inner_a = sequential("seq_a", [layer("Dense", "dense", units=3, use_bias=False,
                                         batch_input_shape=[None, 3])])
    inner_b = sequential("seq_b", [layer("Dense", "dense", units=2, use_bias=False)])
    outer = functional("outer", [
        layer("InputLayer", "x", [], batch_input_shape=[None, 3]),
        {**inner_a, "inbound_nodes": [[["x", 0, 0, {}]]]},
        {**inner_b, "inbound_nodes": [[["seq_a", 0, 0, {}]]]},
    ], inputs=["x"], outputs=["seq_b"])
    model = load(outer, w)
    x = random(4, 3)
    np.testing.assert_allclose(model.predict(x), x @ w["seq_a/dense/kernel"] @ w["seq_b/dense/kernel"],
                               rtol=1e-5, atol=1e-6)


def test_predict_leaves_the_input_alone_and_checks_its_shape():
    model = load(sequential("seq", [layer("Activation", "act", activation="relu",
                                          batch_input_shape=[None, 4, 4, 1])]), {})
    x = random(1, 4, 4, 1)
    before = x.copy()
    model.predict(x)
    np.testing.assert_array_equal(x, before)
    with pytest.raises(ValueError, match=r"\(None, 4, 4, 1\).*got \(4, 4, 1\).*x\[None\]"):
        model.predict(x[0])
    with pytest.raises(ValueError, match=r"got \(1, 5, 4, 1\)"):
        model.predict(random(1, 5, 4, 1))


# ---------------------------------------------------------------- errors that teach


def test_unknown_layer_names_class_model_and_supported_ones():
    topology = sequential("my_rnn", [layer("LSTM", "lstm_1", units=4, batch_input_shape=[None, 3, 2])])
    with pytest.raises(NotImplementedError, match="'lstm_1' of model 'my_rnn' is a LSTM.*Supported.*Conv2D"):
        load(topology, {})


def test_missing_weight_is_named():
    topology = sequential("seq", [layer("Dense", "dense", units=2, use_bias=True, batch_input_shape=[None, 3])])
    with pytest.raises(ValueError, match="needs the weight 'dense/bias'.*It has: dense/kernel"):
        load(topology, {"dense/kernel": random(3, 2)})
