"""Small hand-checked cases with exact expected arrays.

Every expected array below was worked out by hand (the reasoning is in the
comments) and is compared exactly or to float rounding.  Each case runs
through the fast operator and, where one exists, its loop version.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import generator.nn as nn
from generator.nn import naive

VERTICAL_EDGE = np.array([[1.0, 0.0, -1.0]] * 3)  # responds to bright-left / dark-right


def as_nchw(a):
    """(H, W) -> (1, 1, H, W)."""
    return np.asarray(a, dtype=np.float64)[None, None]


@pytest.fixture(params=["fast", "naive"])
def ops(request):
    return nn if request.param == "fast" else naive


def test_edge_detection_example(ops):
    # left half 10, right half 0: every window straddling the edge sees
    # 10+10+10 in its left column and 0 in its right column -> 30
    image = as_nchw([[10, 10, 10, 0, 0, 0]] * 6)
    out = ops.conv2d(image, as_nchw(VERTICAL_EDGE))
    np.testing.assert_array_equal(out[0, 0], [[0, 30, 30, 0]] * 4)


def test_matrix_example_from_the_notes(ops):
    x = as_nchw([[3, 0, 1, 2, 7, 4],
                 [1, 5, 8, 9, 3, 1],
                 [2, 7, 2, 5, 1, 3],
                 [0, 1, 3, 1, 7, 8],
                 [4, 2, 1, 6, 2, 8],
                 [2, 4, 5, 2, 3, 9]])
    # top-left: (3 + 1 + 2) - (1 + 8 + 2) = -5; bottom-right: (1 + 6 + 2) - (8 + 8 + 9) = -16
    expected = [[-5, -4, 0, 8],
                [-10, -2, 2, 3],
                [0, -2, -4, -7],
                [-3, -2, -3, -16]]
    np.testing.assert_array_equal(ops.conv2d(x, as_nchw(VERTICAL_EDGE))[0, 0], expected)


def test_stride_2_on_7x7_with_3x3(ops):
    x = as_nchw(np.arange(49).reshape(7, 7))  # x[r, c] = 7r + c
    # all-ones kernel: window at (2i, 2j) sums to 9 * (7(2i+1) + (2j+1)) = 63(2i+1) + 9(2j+1)
    ones = ops.conv2d(x, as_nchw(np.ones((3, 3))), stride=2)
    np.testing.assert_array_equal(ones[0, 0], [[72, 90, 108], [198, 216, 234], [324, 342, 360]])
    # centre-tap kernel picks x[2i+1, 2j+1] = 7(2i+1) + 2j+1
    centre = np.zeros((3, 3))
    centre[1, 1] = 1
    picked = ops.conv2d(x, as_nchw(centre), stride=2)
    np.testing.assert_array_equal(picked[0, 0], [[8, 10, 12], [22, 24, 26], [36, 38, 40]])
    assert nn.conv_output_size(7, 3, stride=2) == 3


def test_same_padding_with_even_kernel_pads_right(ops):
    # [1, 2, 3, 4] with kernel [1, 10]: total pad 1 goes to the right
    # -> windows [1,2] [2,3] [3,4] [4,0] -> 21, 32, 43, 4
    out = ops.conv2d(as_nchw([[1, 2, 3, 4]]), as_nchw([[1, 10]]), padding="same")
    np.testing.assert_array_equal(out[0, 0], [[21, 32, 43, 4]])


def test_bias_groups_and_single_image(ops):
    # two channels, groups=2: channel 0 doubled, channel 1 negated, then +1 / -1
    x = np.stack([np.full((2, 2), 1.0), np.full((2, 2), 3.0)])  # (C, H, W) single image
    w = np.array([2.0, -1.0]).reshape(2, 1, 1, 1)
    out = ops.conv2d(x, w, bias=np.array([1.0, -1.0]), groups=2)
    np.testing.assert_array_equal(out, [np.full((2, 2), 3.0), np.full((2, 2), -4.0)])


def test_conv_transpose2d_stamps_the_kernel(ops):
    x = as_nchw([[1, 2], [3, 4]])
    ones = as_nchw(np.ones((2, 2)))
    # stride 2: each pixel becomes a 2x2 block
    np.testing.assert_array_equal(ops.conv_transpose2d(x, ones, stride=2)[0, 0],
                                  [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    # stride 1: stamps overlap and add; the centre gets 1+2+3+4
    np.testing.assert_array_equal(ops.conv_transpose2d(x, ones)[0, 0],
                                  [[1, 3, 2], [4, 10, 6], [3, 7, 4]])
    # padding=1 crops one pixel from each border of the 3x3 result
    np.testing.assert_array_equal(ops.conv_transpose2d(x, ones, padding=1)[0, 0], [[10]])


def test_max_pool_2x2_stride_2(ops):
    x = as_nchw([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
    out, idx = ops.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(out[0, 0], [[6, 8], [3, 4]])
    # 6 at (1,1) -> 5, 8 at (1,3) -> 7, 3 at (2,0) -> 8, 4 at (3,3) -> 15
    np.testing.assert_array_equal(idx[0, 0], [[5, 7], [8, 15]])


def test_avg_pool_2x2_stride_2(ops):
    x = as_nchw([[2, 3, 1, 9], [4, 7, 3, 5], [8, 2, 2, 2], [1, 3, 4, 5]])
    # (2+3+4+7)/4, (1+9+3+5)/4, (8+2+1+3)/4, (2+2+4+5)/4
    np.testing.assert_array_equal(ops.avg_pool2d(x, 2)[0, 0], [[4, 4.5], [3.5, 3.25]])


def test_avg_pool_ceil_mode_divisors(ops):
    # row [0..5], kernel 3, stride 2, padding 1, ceil_mode -> 4 windows:
    # [-1,2) [1,4) [3,6) [5,7); the last runs one past the padded end (index 7
    # would be needed), so it is clipped to 2 taps: index 5 and one pad.
    x = as_nchw([np.arange(6.0)])
    kwargs = dict(kernel_size=(1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True)
    with_pad = ops.avg_pool2d(x, **kwargs)[0, 0, 0]
    np.testing.assert_allclose(with_pad, [1 / 3, 2, 4, 5 / 2], rtol=1e-15)
    real_only = ops.avg_pool2d(x, **kwargs, count_include_pad=False)[0, 0, 0]
    np.testing.assert_allclose(real_only, [1 / 2, 2, 4, 5], rtol=1e-15)
    fixed = ops.avg_pool2d(x, **kwargs, divisor_override=2)[0, 0, 0]
    np.testing.assert_allclose(fixed, [1 / 2, 3, 6, 5 / 2], rtol=1e-15)


def test_max_pool_ceil_mode_drops_a_window_starting_in_right_padding():
    # size 5, kernel 2, stride 2, padding 1: ceil gives 4 windows, but the 4th
    # would start at index 5 (= size + left padding, i.e. in the right padding)
    assert nn.pool_output_size(5, 2, 2, 1, ceil_mode=True) == 3
    x = as_nchw([[1.0, 5.0, 2.0, 4.0, 3.0]])
    out = nn.max_pool2d(x, (1, 2), (1, 2), (0, 1), ceil_mode=True)
    np.testing.assert_array_equal(out[0, 0], [[1, 5, 4]])  # [pad,1] [5,2] [4,3]


def test_ceil_mode_lets_the_kernel_overhang_a_smaller_input(ops):
    # PyTorch: a 1x1 input with a 2x2 kernel is an error, unless ceil_mode,
    # where the single window starts inside the input and runs past it
    x = as_nchw([[5.0]])
    assert ops.max_pool2d(x, 2, ceil_mode=True).shape == (1, 1, 1, 1)
    assert ops.max_pool2d(x, 2, ceil_mode=True)[0, 0, 0, 0] == 5
    assert ops.avg_pool2d(x, 2, ceil_mode=True)[0, 0, 0, 0] == 5  # divisor 1: overhang not counted
    with pytest.raises(ValueError, match="kernel size 2 is larger than padded input 1x1"):
        ops.max_pool2d(x, 2)


def test_adaptive_avg_pool_windows():
    # H=5 -> 3 cells: [0,2) [1,4) [3,5) -> means of 0,1 | 1,2,3 | 3,4
    x = as_nchw([np.arange(5.0)])
    np.testing.assert_allclose(nn.adaptive_avg_pool2d(x, (1, 3))[0, 0], [[0.5, 2, 3.5]])
    np.testing.assert_allclose(nn.adaptive_avg_pool2d(x, (None, 1))[0, 0], [[2.0]])


def test_pad_modes_by_hand():
    row = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(nn.pad(row, (2, 2), mode="reflect"), [[3, 2, 1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(nn.pad(row, (2, 2), mode="replicate"), [[1, 1, 1, 2, 3, 3, 3]])
    np.testing.assert_array_equal(nn.pad(row, (2, 1), mode="circular"), [[2, 3, 1, 2, 3, 1]])
    np.testing.assert_array_equal(nn.pad(row, (1, -1), value=9), [[9, 1, 2]])
    # (left, right, top, bottom): last dimension first
    np.testing.assert_array_equal(nn.pad(row, (0, 1, 1, 0)), [[0, 0, 0, 0], [1, 2, 3, 0]])


def test_activations_linear_flatten_batch_norm_by_hand():
    np.testing.assert_array_equal(nn.relu(np.array([-1.0, 0.0, 2.0])), [0, 0, 2])
    np.testing.assert_allclose(nn.softmax(np.array([0.0, math.log(3)]), 0), [0.25, 0.75])
    np.testing.assert_allclose(nn.log_softmax(np.zeros((2, 2)), -1), np.full((2, 2), -math.log(2)))
    # [1, 2] @ [[1, 0], [1, 1], [0, 2]].T + [0, 0, 1] = [1, 3, 5]
    np.testing.assert_array_equal(
        nn.linear(np.array([1.0, 2.0]), np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]]),
                  np.array([0.0, 0.0, 1.0])), [1, 3, 5])
    assert nn.flatten(np.zeros((2, 3, 4, 5)), 1).shape == (2, 60)
    assert nn.flatten(np.zeros((2, 3, 4, 5)), 1, 2).shape == (2, 12, 5)
    # channel 0: mean 1, var 4 -> (x - 1) / 2; channel 1: scale 3, shift 1
    x = np.array([[3.0, 2.0], [5.0, 0.0]])
    y = nn.batch_norm(x, np.array([1.0, 0.0]), np.array([4.0, 1.0]),
                      weight=np.array([1.0, 3.0]), bias=np.array([0.0, 1.0]), eps=0.0)
    np.testing.assert_array_equal(y, [[1, 7], [2, 1]])


def test_softmax_cross_entropy_by_hand():
    # uniform logits over 4 classes: loss ln 4, gradient (1/4 - onehot) / N
    loss, grad = nn.softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    assert loss == pytest.approx(math.log(4))
    np.testing.assert_allclose(grad, [[-0.375, 0.125, 0.125, 0.125],
                                      [0.125, 0.125, 0.125, -0.375]])


def test_dtype_is_kept():
    x32 = np.ones((1, 2, 5, 5), np.float32)
    w64 = np.ones((3, 2, 3, 3))
    assert nn.conv2d(x32, w64).dtype == np.float32
    assert nn.conv2d(x32.astype(np.float64), w64).dtype == np.float64
    assert nn.conv2d(np.ones((1, 2, 5, 5), np.int64), w64).dtype == np.float64
    assert nn.conv_transpose2d(x32, np.ones((2, 1, 2, 2))).dtype == np.float32
    for op in (nn.max_pool2d, nn.avg_pool2d):
        assert op(x32, 2).dtype == np.float32
    assert nn.adaptive_avg_pool2d(x32, 2).dtype == np.float32
    assert nn.softmax(x32, 1).dtype == np.float32
    assert nn.batch_norm(x32, np.zeros(2), np.ones(2)).dtype == np.float32
    gx, gw, gb = nn.conv2d_backward(np.ones((1, 3, 3, 3), np.float32), x32, w64)
    assert gx.dtype == gw.dtype == gb.dtype == np.float32
    loss, grad = nn.softmax_cross_entropy(np.zeros((2, 3), np.float32), np.array([0, 1]))
    assert loss.dtype == grad.dtype == np.float32
