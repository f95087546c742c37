"""numpy_ops against plain loop references: slow, obvious code that computes each output
value on its own, straight from TensorFlow's definitions."""
import math

import numpy as np
import pytest

from ml5py.numpy_executor import depthwise, ops

RNG = np.random.default_rng(1234)


def random(*shape):
    return RNG.uniform(-1, 1, shape).astype(np.float32)


def output_size_and_start(size, kernel, stride, dilation, padding):
    """TensorFlow's rule: output length and the padding before the first pixel."""
    reach = (kernel - 1) * dilation + 1
    if padding == "valid":
        return (size - reach) // stride + 1, 0
    out = math.ceil(size / stride)
    return out, max((out - 1) * stride + reach - size, 0) // 2


def window_pixels(x, y0, x0, kh, kw, dilation=(1, 1)):
    """The (row, column, kernel row, kernel column) of a window that fall inside the image."""
    for i in range(kh):
        for j in range(kw):
            row, col = y0 + i * dilation[0], x0 + j * dilation[1]
            if 0 <= row < x.shape[1] and 0 <= col < x.shape[2]:
                yield row, col, i, j


def loop_conv2d(x, kernel, stride, padding, dilation, depthwise=False):
    n, h, w, cin = x.shape
    kh, kw, _, last = kernel.shape
    oh, top = output_size_and_start(h, kh, stride[0], dilation[0], padding)
    ow, left = output_size_and_start(w, kw, stride[1], dilation[1], padding)
    cout = cin * last if depthwise else last
    out = np.zeros((n, oh, ow, cout))
    for b in range(n):
        for oy in range(oh):
            for ox in range(ow):
                pixels = list(window_pixels(x, oy * stride[0] - top, ox * stride[1] - left, kh, kw, dilation))
                for co in range(cout):
                    total = 0.0
                    for row, col, i, j in pixels:
                        if depthwise:  # output channel co = c * multiplier + m
                            c, m = divmod(co, last)
                            total += float(x[b, row, col, c]) * float(kernel[i, j, c, m])
                        else:
                            for ci in range(cin):
                                total += float(x[b, row, col, ci]) * float(kernel[i, j, ci, co])
                    out[b, oy, ox, co] = total
    return out


def loop_pool(x, size, stride, padding, kind):
    n, h, w, c = x.shape
    oh, top = output_size_and_start(h, size[0], stride[0], 1, padding)
    ow, left = output_size_and_start(w, size[1], stride[1], 1, padding)
    out = np.zeros((n, oh, ow, c))
    for b in range(n):
        for oy in range(oh):
            for ox in range(ow):
                pixels = list(window_pixels(x, oy * stride[0] - top, ox * stride[1] - left, *size))
                for ch in range(c):
                    values = [float(x[b, row, col, ch]) for row, col, _, _ in pixels]
                    out[b, oy, ox, ch] = max(values) if kind == "max" else sum(values) / len(values)
    return out


def loop_resize(image, new_h, new_w, align_corners, half_pixel):
    h, w, c = image.shape

    def source(index, old, new):
        ratio = (old - 1) / (new - 1) if align_corners and new > 1 else old / new
        position = (index + 0.5) * ratio - 0.5 if half_pixel else index * ratio
        position = max(position, 0.0)
        low = math.floor(position)
        return low, min(low + 1, old - 1), position - low

    out = np.zeros((new_h, new_w, c))
    for y in range(new_h):
        y0, y1, fy = source(y, h, new_h)
        for x in range(new_w):
            x0, x1, fx = source(x, w, new_w)
            for ch in range(c):
                top = image[y0, x0, ch] * (1 - fx) + image[y0, x1, ch] * fx
                bottom = image[y1, x0, ch] * (1 - fx) + image[y1, x1, ch] * fx
                out[y, x, ch] = top * (1 - fy) + bottom * fy
    return out


# ---------------------------------------------------------------- convolutions


@pytest.mark.parametrize("size", [(7, 7), (8, 6)])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("stride,dilation", [((1, 1), (1, 1)), ((2, 2), (1, 1)), ((1, 1), (2, 2)),
                                            ((1, 1), (2, 1))])  # (2, 1): BodyPix stride 8 in TF.js
@pytest.mark.parametrize("kernel_size", [(3, 3), (2, 1)])
def test_conv2d_matches_loops(size, padding, stride, dilation, kernel_size):
    x, kernel = random(2, *size, 3), random(*kernel_size, 3, 4)
    got = ops.conv2d(x, kernel, stride, padding, dilation)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, loop_conv2d(x, kernel, stride, padding, dilation), rtol=1e-5, atol=1e-5)


def test_conv2d_1x1_with_stride_is_a_matrix_product():
    x, kernel = random(1, 5, 6, 4), random(1, 1, 4, 3)
    for padding in ("same", "valid"):
        np.testing.assert_allclose(ops.conv2d(x, kernel, 2, padding),
                                   loop_conv2d(x, kernel, (2, 2), padding, (1, 1)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("size", [(7, 7), (6, 8)])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("stride,dilation", [((1, 1), (1, 1)), ((2, 2), (1, 1)), ((1, 1), (2, 2)),
                                            ((1, 1), (2, 1))])  # (2, 1): BodyPix stride 8 in TF.js
@pytest.mark.parametrize("multiplier", [1, 2])
@pytest.mark.parametrize("band", [depthwise.BAND_VALUES, 7])  # 7: a band of one output row
def test_depthwise_conv2d_matches_loops(size, padding, stride, dilation, multiplier, band, monkeypatch):
    monkeypatch.setattr(depthwise, "BAND_VALUES", band)
    x, kernel = random(2, *size, 3), random(3, 3, 3, multiplier)
    got = depthwise.depthwise_conv2d(x, kernel, stride, padding, dilation)
    assert got.dtype == np.float32
    expected = loop_conv2d(x, kernel, stride, padding, dilation, depthwise=True)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kernel_size,stride,padding", [((5, 5), (2, 1), "same"), ((1, 4), (1, 3), "same"),
                                                        ((4, 2), (3, 2), "valid"), ((7, 7), (1, 1), "same")])
def test_depthwise_conv2d_with_uneven_kernels_strides_and_paddings(kernel_size, stride, padding):
    x, kernel = random(1, 6, 9, 4), random(*kernel_size, 4, 1)  # (7 x 7 on 6 rows: taps past every edge)
    np.testing.assert_allclose(depthwise.depthwise_conv2d(x, kernel, stride, padding),
                               loop_conv2d(x, kernel, stride, padding, (1, 1), depthwise=True),
                               rtol=1e-5, atol=1e-5)


def test_conv_errors_name_the_problem():
    with pytest.raises(ValueError, match="4 channels but the kernel expects 3"):
        ops.conv2d(random(1, 5, 5, 4), random(3, 3, 3, 2))
    with pytest.raises(ValueError, match="Valid paddings are"):
        ops.conv2d(random(1, 5, 5, 3), random(3, 3, 3, 2), padding="full")
    with pytest.raises(ValueError, match="smaller than the kernel"):
        ops.conv2d(random(1, 2, 2, 3), random(3, 3, 3, 2))
    with pytest.raises(ValueError, match=r"x\[None\]"):
        ops.conv2d(random(5, 5, 3), random(3, 3, 3, 2))


# ---------------------------------------------------------------- pooling


@pytest.mark.parametrize("size", [(7, 7), (8, 6)])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("pool,stride", [((2, 2), (2, 2)), ((3, 3), (2, 2)), ((3, 2), (1, 2))])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_matches_loops(size, padding, pool, stride, kind):
    x = random(2, *size, 3)
    op = ops.max_pool2d if kind == "max" else ops.avg_pool2d
    got = op(x, pool, stride, padding)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, loop_pool(x, pool, stride, padding, kind), rtol=1e-5, atol=1e-6)


def test_pooling_strides_default_to_pool_size():
    x = random(1, 6, 6, 2)
    np.testing.assert_array_equal(ops.max_pool2d(x, 2), ops.max_pool2d(x, 2, 2))


def test_global_pooling():
    x = random(2, 5, 4, 3)
    np.testing.assert_allclose(ops.global_avg_pool2d(x), x.astype(np.float64).mean(axis=(1, 2)), rtol=1e-5)
    np.testing.assert_array_equal(ops.global_max_pool2d(x), x.max(axis=(1, 2)))
    assert ops.global_avg_pool2d(x, keepdims=True).shape == (2, 1, 1, 3)


# ---------------------------------------------------------------- batch norm, dense


def test_batch_norm_matches_formula():
    x = random(2, 3, 4, 5)
    mean, variance, offset, scale = random(5), np.abs(random(5)) + 0.1, random(5), random(5)
    got = ops.batch_norm(x, mean, variance, offset, scale, epsilon=0.001)
    expected = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        c = index[-1]
        expected[index] = (x[index] - mean[c]) / math.sqrt(variance[c] + 0.001) * scale[c] + offset[c]
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    plain = ops.batch_norm(x, mean, variance, epsilon=0.01)
    np.testing.assert_allclose(plain, (x - mean) / np.sqrt(variance + 0.01), rtol=1e-5, atol=1e-5)


def test_dense_matches_loops():
    x, kernel, bias = random(3, 4), random(4, 2), random(2)
    expected = [[sum(float(x[n, i]) * float(kernel[i, o]) for i in range(4)) + bias[o] for o in range(2)]
                for n in range(3)]
    np.testing.assert_allclose(ops.dense(x, kernel, bias), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="5 features but the kernel expects 4"):
        ops.dense(random(3, 5), kernel)


# ---------------------------------------------------------------- resizing


@pytest.mark.parametrize("new_size", [(3, 4), (11, 13), (1, 1), (7, 5)])
@pytest.mark.parametrize("align_corners,half_pixel", [(False, False), (True, False), (False, True)])
def test_resize_bilinear_matches_loops(new_size, align_corners, half_pixel):
    image = random(7, 5, 3)
    got = ops.resize_bilinear(image, new_size, align_corners=align_corners, half_pixel_centers=half_pixel)
    assert got.shape == new_size + (3,) and got.dtype == np.float32
    np.testing.assert_allclose(got, loop_resize(image, *new_size, align_corners, half_pixel), rtol=1e-5, atol=1e-5)


def test_resize_bilinear_batches_and_integer_images():
    batch = (RNG.random((2, 6, 4, 3)) * 255).astype(np.uint8)
    got = ops.resize_bilinear(batch, (9, 8), align_corners=True)
    assert got.shape == (2, 9, 8, 3) and got.dtype == np.float32
    for n in range(2):
        np.testing.assert_allclose(got[n], loop_resize(batch[n].astype(np.float32), 9, 8, True, False), rtol=1e-5)
    with pytest.raises(ValueError, match="cannot both be True"):
        ops.resize_bilinear(batch, (3, 3), align_corners=True, half_pixel_centers=True)


# ---------------------------------------------------------------- activations


def test_softmax_matches_loops_and_survives_big_numbers():
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]], np.float32)
    got = ops.softmax(x)
    for row, values in zip(got, x):
        exps = [math.exp(v - max(values)) for v in values]
        np.testing.assert_allclose(row, [e / sum(exps) for e in exps], rtol=1e-6)
    assert got.dtype == np.float32
    np.testing.assert_allclose(ops.softmax(x, axis=0).sum(axis=0), 1, rtol=1e-6)


def test_activations_match_their_formulas():
    values = np.array([-30.0, -2.5, -0.5, 0.0, 0.5, 2.5, 7.0, 30.0], np.float32)
    sigmoid = [1 / (1 + math.exp(-v)) for v in values]
    expected = {
        "linear": list(values),
        "relu": [max(v, 0) for v in values],
        "relu6": [min(max(v, 0), 6) for v in values],
        "leaky_relu": [v if v > 0 else 0.2 * v for v in values],
        "sigmoid": sigmoid,
        "tanh": [math.tanh(v) for v in values],
        "elu": [v if v > 0 else math.expm1(v) for v in values],
        "selu": [1.0507009873554805 * (v if v > 0 else 1.6732632423543772 * math.expm1(v)) for v in values],
        "softplus": [math.log1p(math.exp(v)) for v in values],
        "softsign": [v / (1 + abs(v)) for v in values],
        "hard_sigmoid": [min(max(0.2 * v + 0.5, 0), 1) for v in values],
        "swish": [v * s for v, s in zip(values, sigmoid)],
        "silu": [v * s for v, s in zip(values, sigmoid)],
    }
    for name, wanted in expected.items():
        got = ops.activation(name)(values)
        assert got.dtype == np.float32, name
        np.testing.assert_allclose(got, wanted, rtol=1e-5, atol=1e-7, err_msg=name)
    np.testing.assert_allclose(ops.leaky_relu(values, 0.1), [v if v > 0 else 0.1 * v for v in values], rtol=1e-6)


def test_activation_names():
    assert ops.activation(None) is ops.linear
    assert ops.activation("hardSigmoid") is ops.hard_sigmoid  # the TF.js spelling
    with pytest.raises(ValueError, match="'gelu_fast'.*Valid activations are: elu, hard_sigmoid"):
        ops.activation("gelu_fast")
