"""One count function per layer kind, pinned to small hand-checked values."""

from __future__ import annotations

import pytest

from generator.tables import (
    batchnorm_buffers,
    batchnorm_params,
    conv2d_macs,
    conv2d_params,
    conv_transpose2d_macs,
    conv_transpose2d_params,
    linear_macs,
    linear_params,
)


def test_conv2d_params_are_filter_volume_times_filters_plus_one_bias_each():
    # 10 filters of 3x3x3: 10 * 27 weights + 10 biases.
    assert conv2d_params(3, 10, (3, 3)) == (270, 10)
    # 50 filters of 5x5 over 100 channels.
    assert conv2d_params(100, 50, (5, 5)) == (125_000, 50)
    assert conv2d_params(64, 128, (1, 1), bias=False) == (8192, 0)
    # groups: each filter sees in/groups channels; depthwise is groups == in.
    assert conv2d_params(32, 64, (3, 3), groups=4) == (64 * 8 * 9, 64)
    assert conv2d_params(32, 32, (3, 3), groups=32) == (288, 32)
    assert conv2d_params(3, 2, (5, 3)) == (90, 2)


def test_conv2d_macs_are_one_dot_product_per_output_value_without_bias():
    # 28x28x32 outputs of 5x5x192 products each (the notes' 1x1-convolution example).
    assert conv2d_macs(192, 32, (5, 5), (28, 28)) == 28 * 28 * 32 * 5 * 5 * 192
    assert conv2d_macs(192, 16, (1, 1), (28, 28)) == 28 * 28 * 16 * 192
    assert conv2d_macs(32, 64, (3, 3), (10, 10), groups=4) == 64 * 100 * 8 * 9


def test_transposed_conv_counts_scatter_each_input_value():
    assert conv_transpose2d_params(16, 8, (4, 4)) == (16 * 8 * 16, 8)
    assert conv_transpose2d_params(16, 8, (4, 4), groups=2, bias=False) == (16 * 4 * 16, 0)
    assert conv_transpose2d_macs(16, 8, (4, 4), (7, 7)) == 16 * 49 * 8 * 16


def test_linear_and_batchnorm():
    assert linear_params(400, 120) == (48_000, 120)
    assert linear_params(84, 10, bias=False) == (840, 0)
    assert linear_macs(9216, 4096) == 37_748_736
    assert batchnorm_params(64) == (64, 64)
    assert batchnorm_params(64, affine=False) == (0, 0)
    assert batchnorm_buffers(64) == 128


@pytest.mark.parametrize("call", [
    lambda: conv2d_params(6, 16, (3, 3), groups=4),
    lambda: conv2d_macs(6, 16, (3, 3), (4, 4), groups=4),
    lambda: conv_transpose2d_params(8, 6, (3, 3), groups=4),
])
def test_groups_must_divide_both_channel_counts(call):
    with pytest.raises(ValueError, match="groups 4 does not divide the 6"):
        call()
