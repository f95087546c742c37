"""The numpy executor of TF.js layers models: weight decoding (uint8, uint16, float16, int32
and bool, quantised int32, several shards) and its clear errors."""
import numpy as np
import pytest
from layers_model_helpers import layer, load, model_files, random, sequential

from ml5py.numpy_executor.weight_manifest import decode_weights


# ---------------------------------------------------------------- weights and quantisation


def small_dense_model(weights, storage):
    topology = sequential("mlp", [
        layer("Dense", "h", units=8, activation="relu", use_bias=True, batch_input_shape=[None, 16]),
        layer("Dense", "out", units=3, activation="linear", use_bias=True),
    ])
    return load(topology, weights, storage=storage)


def test_uint8_and_uint16_weights_are_close_to_the_float_model():
    w = {"h/kernel": random(16, 8), "h/bias": random(8), "out/kernel": random(8, 3), "out/bias": random(3)}
    x = random(5, 16, low=0, high=1)
    exact = small_dense_model(w, "float32").predict(x)
    errors = {}
    for storage, levels in (("uint8", 255), ("uint16", 65535)):
        model_json, files = model_files(sequential("s", []), w, storage=storage)
        decoded = decode_weights(model_json["weightsManifest"], files.__getitem__)
        for name, array in w.items():
            step = (array.max() - array.min()) / levels
            assert decoded[name].dtype == np.float32
            assert np.abs(decoded[name] - array).max() <= step / 2 + 1e-7, (storage, name)
        errors[storage] = np.abs(small_dense_model(w, storage).predict(x) - exact).max()
        assert errors[storage] <= 30 * 2 / levels, storage  # a few quantisation steps at most
    assert errors["uint16"] < errors["uint8"] / 50


def test_float16_weights_round_trip_exactly():
    w = {name: array.astype(np.float16).astype(np.float32) for name, array in {
        "h/kernel": random(16, 8), "h/bias": random(8), "out/kernel": random(8, 3), "out/bias": random(3)}.items()}
    model_json, files = model_files(sequential("s", []), w, storage="float16")
    decoded = decode_weights(model_json["weightsManifest"], files.__getitem__)
    for name, array in w.items():
        np.testing.assert_array_equal(decoded[name], array)
    x = random(5, 16)
    np.testing.assert_array_equal(small_dense_model(w, "float16").predict(x),
                                  small_dense_model(w, "float32").predict(x))


def test_int32_bool_and_quantised_int32_weights():
    ints = np.array([[-3, 0], [7, 2 ** 30]], dtype=np.int32)
    flags = np.array([True, False, True])
    manifest = [{"paths": ["a.bin"], "weights": [
        {"name": "i", "shape": [2, 2], "dtype": "int32"},
        {"name": "b", "shape": [3], "dtype": "bool"},
        {"name": "q", "shape": [4], "dtype": "int32",
         "quantization": {"dtype": "uint8", "scale": 0.5, "min": -2.0}},
    ]}]
    data = ints.astype("<i4").tobytes() + flags.astype("u1").tobytes() + bytes([1, 3, 9, 4])
    decoded = decode_weights(manifest, {"a.bin": data}.__getitem__)
    np.testing.assert_array_equal(decoded["i"], ints)
    assert decoded["i"].dtype == np.int32
    np.testing.assert_array_equal(decoded["b"], flags)
    # q * 0.5 - 2 = -1.5, -0.5, 2.5, 0: rounded half up like JavaScript's Math.round
    np.testing.assert_array_equal(decoded["q"], [-1, 0, 3, 0])


def test_weights_split_over_several_shards():
    w = {"h/kernel": random(16, 8), "h/bias": random(8), "out/kernel": random(8, 3), "out/bias": random(3)}
    model_json, files = model_files(sequential("s", []), w, shards=3)
    assert len(files) == 3
    decoded = decode_weights(model_json["weightsManifest"], files.__getitem__)
    for name, array in w.items():
        np.testing.assert_array_equal(decoded[name], array)


def test_truncated_shard_is_a_clear_error():
    w = {"h/kernel": random(16, 8), "h/bias": random(8)}
    model_json, files = model_files(sequential("s", []), w)
    (path, data), = files.items()
    files[path] = data[:100]
    with pytest.raises(ValueError, match=rf"'{path}' has 100 bytes.*need {len(data)} bytes.*incomplete"):
        decode_weights(model_json["weightsManifest"], files.__getitem__)


def test_unknown_quantisation_is_named():
    manifest = [{"paths": ["a.bin"], "weights": [
        {"name": "w", "shape": [2], "dtype": "float32", "quantization": {"dtype": "int4"}}]}]
    with pytest.raises(ValueError, match="'w' uses the unknown quantisation 'int4'.*uint8, uint16, float16"):
        decode_weights(manifest, lambda path: b"")
