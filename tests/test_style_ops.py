"""The ops the style-transfer network adds to numpy_executor.ops (in
models/style_transfer/style_ops_numpy.py), against plain loop references:
slow, obvious code computing each value on its own, from TensorFlow's definitions."""
import math

import numpy as np
import pytest

from ml5py.models.style_transfer import style_ops_numpy as style_ops
from ml5py.numpy_executor import ops

RNG = np.random.default_rng(4321)


def random(*shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


def forward_size_and_start(size, kernel, stride, padding):
    """conv2d's rule on an image of ``size`` pixels: output length and padding before."""
    if padding == "valid":
        return (size - kernel) // stride + 1, 0
    out = math.ceil(size / stride)
    return out, max((out - 1) * stride + kernel - size, 0) // 2


def loop_conv2d_transpose(x, kernel, out_hw, stride, padding):
    """tf.conv2dTranspose: each output pixel gathers the input pixels whose window covers it."""
    n, h, w, cin = x.shape
    kh, kw, cout, _ = kernel.shape
    height, width = out_hw
    _, top = forward_size_and_start(height, kh, stride[0], padding)
    _, left = forward_size_and_start(width, kw, stride[1], padding)
    out = np.zeros((n, height, width, cout), dtype=np.float64)
    for b in range(n):
        for r in range(height):
            for c in range(width):
                for co in range(cout):
                    total = 0.0
                    for i in range(h):
                        for j in range(w):
                            a, d = r + top - i * stride[0], c + left - j * stride[1]
                            if 0 <= a < kh and 0 <= d < kw:
                                for ci in range(cin):
                                    total += float(x[b, i, j, ci]) * float(kernel[a, d, co, ci])
                    out[b, r, c, co] = total
    return out


CASES = [
    # (output h, w), kernel, stride, padding
    ((4, 6), 3, 2, "same"),
    ((5, 7), 3, 2, "same"),   # odd sizes
    ((6, 5), 3, 1, "same"),
    ((7, 4), 2, 2, "same"),   # even kernel: padding after > before
    ((5, 5), 9, 1, "same"),   # kernel bigger than the image
    ((7, 9), 3, 2, "valid"),
    ((8, 6), 3, 2, "valid"),  # the last row/column receives nothing
    ((5, 4), 3, 1, "valid"),
    ((6, 6), 2, 2, "valid"),
]


@pytest.mark.parametrize("out_hw, k, s, padding", CASES)
def test_conv2d_transpose_matches_loops(out_hw, k, s, padding):
    h, _ = forward_size_and_start(out_hw[0], k, s, padding)
    w, _ = forward_size_and_start(out_hw[1], k, s, padding)
    x, kernel = random(2, h, w, 3), random(k, k, 4, 3)
    got = style_ops.conv2d_transpose(x, kernel, [2, out_hw[0], out_hw[1], 4], (s, s), padding)
    assert got.dtype == np.float32 and got.shape == (2, out_hw[0], out_hw[1], 4)
    np.testing.assert_allclose(got, loop_conv2d_transpose(x, kernel, out_hw, (s, s), padding), atol=1e-5)


@pytest.mark.parametrize("out_hw, k, s, padding", CASES)
def test_conv2d_transpose_is_the_adjoint_of_conv2d(out_hw, k, s, padding):
    """<conv2d(y, K), x> == <y, conv2d_transpose(x, K)>: the definition of the gradient."""
    y = random(1, out_hw[0], out_hw[1], 4)
    kernel = random(k, k, 4, 3)  # conv2d: [kh, kw, in=4, out=3]; transpose: [kh, kw, out=4, in=3]
    forward = ops.conv2d(y, kernel, (s, s), padding)
    x = random(*forward.shape)
    back = style_ops.conv2d_transpose(x, kernel, y.shape, (s, s), padding)
    lhs = float(np.sum(forward.astype(np.float64) * x))
    rhs = float(np.sum(y.astype(np.float64) * back))
    assert lhs == pytest.approx(rhs, rel=1e-5, abs=1e-5)


def test_conv2d_transpose_by_hand():
    """Stride 2, 2x2 kernel of ones, valid: every input pixel becomes a 2x2 block."""
    x = np.array([[1, 2], [3, 4]], dtype=np.float32).reshape(1, 2, 2, 1)
    got = style_ops.conv2d_transpose(x, np.ones((2, 2, 1, 1), np.float32), [4, 4, 1], 2, "valid")
    expected = np.kron(np.array([[1, 2], [3, 4]]), np.ones((2, 2)))
    np.testing.assert_array_equal(got[0, :, :, 0], expected)
    # 3x3 kernel of ones, stride 2, same (as the style network's upsampling): pad top/left 0.
    got = style_ops.conv2d_transpose(x, np.ones((3, 3, 1, 1), np.float32), [4, 4, 1], 2, "same")
    np.testing.assert_array_equal(got[0, :, :, 0], [[1, 1, 3, 2], [1, 1, 3, 2], [4, 4, 10, 6], [3, 3, 7, 4]])


def test_conv2d_transpose_style_network_shapes():
    """The style network's upsampling: [1, h, w, 128] -> [1, 2h, 2w, 64] with a [3, 3, 64, 128] kernel."""
    x = random(1, 5, 3, 128)
    got = style_ops.conv2d_transpose(x, random(3, 3, 64, 128), [1, 10, 6, 64], (2, 2), "same")
    assert got.shape == (1, 10, 6, 64) and got.dtype == np.float32


def test_conv2d_transpose_errors():
    x = random(1, 3, 3, 2)
    with pytest.raises(ValueError, match="2 channels but the kernel"):
        style_ops.conv2d_transpose(x, random(3, 3, 4, 5), [1, 6, 6, 4], 2, "same")
    with pytest.raises(ValueError, match="needs an input of 4x4"):
        style_ops.conv2d_transpose(x, random(3, 3, 4, 2), [1, 8, 8, 4], 2, "same")
    with pytest.raises(ValueError, match="output_shape"):
        style_ops.conv2d_transpose(x, random(3, 3, 4, 2), [1, 6, 6, 5], 2, "same")
    with pytest.raises(ValueError, match="Unknown padding"):
        style_ops.conv2d_transpose(x, random(3, 3, 4, 2), [1, 6, 6, 4], 2, "full")
    with pytest.raises(ValueError, match=r"\[batch, height, width, channels\]"):
        style_ops.conv2d_transpose(x[0], random(3, 3, 4, 2), [6, 6, 4], 2, "same")


# ------------------------------------------------------------------ moments

def loop_moments(x, axes):
    """Mean and variance over ``axes`` (keepdims), one output cell at a time, in float64."""
    axes = tuple(a % x.ndim for a in axes)
    out_shape = tuple(1 if d in axes else size for d, size in enumerate(x.shape))
    mean, variance = np.zeros(out_shape), np.zeros(out_shape)
    for cell in np.ndindex(*out_shape):
        values = [float(x[idx]) for idx in np.ndindex(*x.shape)
                  if all(idx[d] == cell[d] for d in range(x.ndim) if d not in axes)]
        m = sum(values) / len(values)
        mean[cell] = m
        variance[cell] = sum((v - m) ** 2 for v in values) / len(values)
    return mean, variance


@pytest.mark.parametrize("shape, axes", [((2, 3, 5, 4), (1, 2)), ((2, 3, 5, 4), [0, 1, 2]),
                                         ((3, 4), (0,)), ((2, 3, 5), (-1,)), ((1, 1, 1, 3), (1, 2))])
def test_moments_match_loops(shape, axes):
    x = random(*shape) * 50 + 20
    mean, variance = style_ops.moments(x, axes)
    want_mean, want_variance = loop_moments(x, axes)
    assert mean.dtype == variance.dtype == np.float32
    assert mean.shape == variance.shape == want_mean.shape
    np.testing.assert_allclose(mean, want_mean, rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(variance, want_variance, rtol=1e-5, atol=1e-5)
    mean2, variance2 = style_ops.moments(x, axes, keepdims=False)
    squeezed = tuple(s for d, s in enumerate(shape) if d not in tuple(a % len(shape) for a in axes))
    assert mean2.shape == variance2.shape == squeezed
    np.testing.assert_array_equal(mean2, mean.reshape(squeezed))
    np.testing.assert_array_equal(variance2, variance.reshape(squeezed))


def test_moments_int_axis_and_constant_input():
    x = np.full((2, 4, 4, 3), 7.5, np.float32)
    mean, variance = style_ops.moments(x, 1)
    assert mean.shape == (2, 1, 4, 3)
    assert np.all(mean == 7.5) and np.all(variance == 0)


# ------------------------------------------------------------ instance norm

def loop_instance_norm(x, shift, scale, epsilon):
    out = np.zeros(x.shape)
    for b in range(x.shape[0]):
        for c in range(x.shape[3]):
            values = x[b, :, :, c].astype(np.float64)
            m = values.sum() / values.size
            var = ((values - m) ** 2).sum() / values.size
            out[b, :, :, c] = scale[c] * (values - m) / math.sqrt(var + epsilon) + shift[c]
    return out


@pytest.mark.parametrize("shape", [(1, 5, 7, 3), (2, 4, 4, 8), (1, 1, 1, 2), (1, 9, 2, 32)])
def test_instance_norm_matches_loops(shape):
    x = random(*shape) * 100 + 30
    shift, scale = random(shape[3]), random(shape[3]) * 3
    got = style_ops.instance_norm(x, shift, scale)
    assert got.dtype == np.float32 and got.shape == shape
    np.testing.assert_allclose(got, loop_instance_norm(x, shift, scale, 1e-3), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(style_ops.instance_norm(x, shift, scale, epsilon=0.5),
                               loop_instance_norm(x, shift, scale, 0.5), rtol=1e-5, atol=1e-4)


def test_instance_norm_errors():
    with pytest.raises(ValueError, match="shift has 2 values but the input has 3 channels"):
        style_ops.instance_norm(random(1, 2, 2, 3), random(2), random(3))
    with pytest.raises(ValueError, match=r"\[batch, height, width, channels\]"):
        style_ops.instance_norm(random(2, 2, 3), random(3), random(3))


# ---------------------------------------------------------- tanh and clip

def test_tanh_and_clip():
    x = random(2, 3, 4, 5) * 400
    np.testing.assert_allclose(ops.tanh(x), np.vectorize(math.tanh)(x.astype(np.float64)), rtol=1e-6, atol=1e-7)
    assert ops.tanh(x).dtype == np.float32
    clipped = style_ops.clip(x, 0, 255)
    assert clipped.dtype == np.float32
    np.testing.assert_array_equal(clipped, np.vectorize(lambda v: min(max(v, 0.0), 255.0))(x))
    np.testing.assert_array_equal(style_ops.clip([-1.5, 0.25, 9], -1, 1), np.float32([-1, 0.25, 1]))
    with pytest.raises(ValueError, match="lower bound"):
        style_ops.clip(x, 1, 0)


def test_style_output_stage():
    """tanh(x) * 150 + 255/2, clipped to [0, 255]: the network's last step."""
    x = np.float32([[-10, -0.5, 0, 0.5, 10]])
    got = style_ops.clip(ops.tanh(x) * np.float32(150) + np.float32(255 / 2), 0, 255)
    want = [min(max(math.tanh(v) * 150 + 127.5, 0), 255) for v in [-10, -0.5, 0, 0.5, 10]]
    np.testing.assert_allclose(got[0], want, rtol=1e-6)
