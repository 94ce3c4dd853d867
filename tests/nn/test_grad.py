"""Backward passes against centred finite differences (tests/gradcheck.py), in float64.

For an operator y = f(x, ...) we take the scalar loss L = sum(y * R) with a
fixed random R, so dL/dy = R is what the backward pass receives.
"""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as nn
from tests.gradcheck import assert_close, check_grad, numeric_grad

CONV_CONFIGS = [
    dict(),
    dict(stride=2, padding=1),
    dict(stride=(2, 1), padding=(0, 2), dilation=(1, 2)),
    dict(padding="same", dilation=2),
    dict(groups=3),
    dict(groups=3, padding=1, stride=2),  # depthwise, channel multiplier 2
]


@pytest.mark.parametrize("kwargs", CONV_CONFIGS)
def test_conv2d_backward(kwargs):
    rng = np.random.default_rng(0)
    groups = kwargs.get("groups", 1)
    c = 3
    x = rng.standard_normal((2, c, 7, 6))
    w = rng.standard_normal((6, c // groups, 3, 2))
    b = rng.standard_normal(6)
    r = rng.standard_normal(nn.conv2d(x, w, b, **kwargs).shape)

    def loss():
        return float(np.sum(nn.conv2d(x, w, b, **kwargs) * r))

    gx, gw, gb = nn.conv2d_backward(r, x, w, **kwargs)
    check_grad(loss, x, gx)
    check_grad(loss, w, gw)
    check_grad(loss, b, gb)


def test_conv2d_backward_single_image():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    r = rng.standard_normal((3, 3, 3))
    gx, gw, gb = nn.conv2d_backward(r, x, w)
    assert gx.shape == x.shape
    check_grad(lambda: float(np.sum(nn.conv2d(x, w) * r)), x, gx)


@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=1, padding=1),  # overlapping windows
    dict(kernel_size=(3, 2), stride=2, padding=(1, 0), dilation=(1, 2), ceil_mode=True),
])
def test_max_pool2d_backward(kwargs):
    rng = np.random.default_rng(2)
    x = rng.permutation(2 * 3 * 7 * 8).reshape(2, 3, 7, 8) / 10.0  # distinct values: no ties
    r = rng.standard_normal(nn.max_pool2d(x, **kwargs).shape)
    g = nn.max_pool2d_backward(r, x, **kwargs)
    check_grad(lambda: float(np.sum(nn.max_pool2d(x, **kwargs) * r)), x, g)
    _, idx = nn.max_pool2d(x, **kwargs, return_indices=True)
    np.testing.assert_array_equal(nn.max_pool2d_backward(r, x, **kwargs, indices=idx), g)


@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=(2, 3), stride=1, padding=(1, 1), divisor_override=4),
])
def test_avg_pool2d_backward(kwargs):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 6, 7))
    r = rng.standard_normal(nn.avg_pool2d(x, **kwargs).shape)
    g = nn.avg_pool2d_backward(r, x, **kwargs)
    check_grad(lambda: float(np.sum(nn.avg_pool2d(x, **kwargs) * r)), x, g)


def test_linear_and_relu_backward():
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 5)), rng.standard_normal(4)
    r = rng.standard_normal((3, 2, 4))

    def loss():
        return float(np.sum(nn.linear(x, w, b) * r))

    gx, gw, gb = nn.linear_backward(r, x, w)
    check_grad(loss, x, gx)
    check_grad(loss, w, gw)
    check_grad(loss, b, gb)
    z = rng.standard_normal((4, 6))  # no exact zeros, so relu is differentiable everywhere
    rz = rng.standard_normal(z.shape)
    check_grad(lambda: float(np.sum(nn.relu(z) * rz)), z, nn.relu_backward(rz, z))


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(5)
    logits, targets = rng.standard_normal((5, 7)) * 3, rng.integers(0, 7, 5)
    loss, grad = nn.softmax_cross_entropy(logits, targets)
    check_grad(lambda: float(nn.softmax_cross_entropy(logits, targets)[0]), logits, grad)
    assert loss == pytest.approx(-np.mean(nn.log_softmax(logits, 1)[np.arange(5), targets]))


def test_lenet_style_chain_trains():
    """conv -> relu -> pool -> linear -> loss: one gradient step lowers the loss."""
    rng = np.random.default_rng(6)
    x, y = rng.standard_normal((8, 1, 12, 12)), rng.integers(0, 3, 8)
    w1, b1 = rng.standard_normal((4, 1, 3, 3)) * 0.3, np.zeros(4)
    w2, b2 = rng.standard_normal((3, 4 * 5 * 5)) * 0.1, np.zeros(3)

    def forward():
        a = nn.conv2d(x, w1, b1)
        z = nn.relu(a)
        p = nn.max_pool2d(z, 2)
        f = nn.flatten(p, 1)
        return a, z, p, f, nn.linear(f, w2, b2)

    a, z, p, f, logits = forward()
    loss, g = nn.softmax_cross_entropy(logits, y)
    gf, gw2, gb2 = nn.linear_backward(g, f, w2)
    gz = nn.max_pool2d_backward(gf.reshape(p.shape), z, 2)
    _, gw1, gb1 = nn.conv2d_backward(nn.relu_backward(gz, a), x, w1)
    for param, grad in ((w1, gw1), (b1, gb1), (w2, gw2), (b2, gb2)):
        param -= 0.1 * grad
    assert nn.softmax_cross_entropy(forward()[-1], y)[0] < loss


def test_the_gradient_check_can_fail():
    """The helper itself: exact on a known gradient, and it catches a wrong one."""
    a = np.array([[0.5, -1.0, 2.0]])
    cube = lambda: float(np.sum(a ** 3))  # noqa: E731, gradient 3 a^2
    assert np.allclose(numeric_grad(cube, a), 3 * a ** 2, rtol=1e-9, atol=1e-9)
    assert a.tolist() == [[0.5, -1.0, 2.0]]  # restored
    check_grad(cube, a, 3 * a ** 2)
    with pytest.raises(AssertionError):
        check_grad(cube, a, 3 * a ** 2 + np.array([[1e-5, 0, 0]]))  # one entry off by 1e-5
    with pytest.raises(AssertionError):
        check_grad(cube, a, 2 * a ** 2)
    assert numeric_grad(cube, a, entries=[2]).tolist() == pytest.approx([12.0], abs=1e-8)
    with pytest.raises(AssertionError):
        assert_close(np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError):
        numeric_grad(cube, a.astype(np.float32))


def test_conv2d_backward_takes_the_forward_columns():
    """The im2col matrix of the forward pass ("im2col" and strided "phase" paths) gives the
    same gradients bit for bit; other paths keep none; a wrong shape is refused."""
    from generator.nn.conv import conv2d_and_columns

    rng = np.random.default_rng(5)
    for x_shape, w_shape, kwargs in [((2, 3, 9, 8), (4, 3, 3, 3), dict(padding=1)),
                                     ((2, 3, 11, 10), (4, 3, 3, 3), dict(stride=2, padding=1)),
                                     ((1, 4, 9, 9), (6, 2, 3, 3), dict(groups=2))]:
        x = rng.standard_normal(x_shape).astype(np.float32)
        w = rng.standard_normal(w_shape).astype(np.float32)
        y, cols = conv2d_and_columns(x, w, **kwargs)
        assert np.array_equal(y, nn.conv2d(x, w, **kwargs))
        g = rng.standard_normal(y.shape).astype(np.float32)
        copied = nn.conv2d_backward(g, x, w, **kwargs)
        given = nn.conv2d_backward(g, x, w, **kwargs, columns=cols)
        for a, b in zip(copied, given):
            assert np.array_equal(a, b)
        assert (cols is None) == ("groups" in kwargs)  # grouped: flat columns, not kept
    x = rng.standard_normal((1, 8, 6, 6)).astype(np.float32)
    assert conv2d_and_columns(x, np.ones((4, 8, 1, 1), np.float32))[1] is None  # 1x1: no copy
    _, cols = conv2d_and_columns(x, np.ones((4, 8, 3, 3), np.float32))
    with pytest.raises(ValueError, match="columns must have shape"):
        nn.conv2d_backward(np.ones((1, 4, 4, 4), np.float32), x, np.ones((4, 8, 3, 3), np.float32),
                           columns=cols[..., :-1])


def test_conv2d_backward_one_output_position_is_the_matrix_product_bit_for_bit():
    """A layer whose output is 1×1 (LeNet-5's C5) takes its weight gradient as a broadcast
    product: the same bits as the batched matrix product, signed zeros included."""
    rng = np.random.default_rng(11)
    for n, groups, dtype in [(5, 1, np.float32), (5, 1, np.float64), (5, 2, np.float32),
                             (1, 1, np.float32)]:
        x = rng.standard_normal((n, 4, 5, 5)).astype(dtype)
        w = rng.standard_normal((6, 4 // groups, 5, 5)).astype(dtype)
        g = rng.standard_normal((n, 6, 1, 1)).astype(dtype)
        g[:, 2] = 0.0  # a filter no image sends a gradient to: zeros times negative values
        _, grad_w, _ = nn.conv2d_backward(g, x, w, groups=groups, need_input=False)
        gog = g.reshape(n, groups, 6 // groups, 1)
        cols = x.reshape(n, groups, (4 // groups) * 25, 1)
        expected = np.matmul(gog, cols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(w.shape)
        assert grad_w.dtype == dtype and grad_w.tobytes() == expected.tobytes()
        assert np.array_equal(np.signbit(grad_w), np.signbit(expected))
