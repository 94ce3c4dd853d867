"""Output-size functions: hand cases, TensorFlow's convention, and agreement
with the shapes PyTorch produces (property test, skipped without torch)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.nn import shapes
from generator.nn.shapes import (adaptive_pool2d_output_hw, conv2d_output_hw, conv_output_size,
                                 conv_transpose2d_output_hw, conv_transpose_output_size, pair,
                                 pool2d_output_hw, pool_output_size, same_padding, tf_output_size)


def test_conv_output_size_hand_cases():
    assert conv_output_size(32, 5) == 28  # LeNet C1
    assert conv_output_size(224, 7, stride=2, padding=3) == 112  # ResNet stem
    assert conv_output_size(56, 3, padding=1) == 56
    assert conv_output_size(7, 3, stride=2) == 3
    assert conv_output_size(7, 3, dilation=3) == 1  # dilated kernel spans exactly 7
    assert conv_output_size(8, 3, stride=3) == 2  # floor((8 - 3) / 3) + 1


def test_conv_transpose_output_size_hand_cases():
    assert conv_transpose_output_size(14, 4, stride=2, padding=1) == 28  # DCGAN doubling
    assert conv_transpose_output_size(7, 3, stride=2, padding=1, output_padding=1) == 14
    assert conv_transpose_output_size(3, 3, dilation=2) == 7
    assert conv_transpose_output_size(3, 2, stride=1, output_padding=1, dilation=2) == 6


def test_pool_output_size_hand_cases():
    assert pool_output_size(112, 3, 2, 1) == 56  # ResNet max pool
    assert pool_output_size(28, 2) == 14  # stride defaults to the kernel
    assert pool_output_size(5, 2) == 2
    assert pool_output_size(5, 2, ceil_mode=True) == 3
    assert pool_output_size(6, 3, 2, 1, ceil_mode=True) == 4
    assert pool_output_size(5, 2, 2, 1, ceil_mode=True) == 3  # 4th window would start in padding
    assert pool_output_size(7, 2, 1, dilation=3) == 4


def test_same_padding_split():
    assert same_padding(3) == (1, 1)
    assert same_padding(4) == (1, 2)  # extra pixel after, as PyTorch
    assert same_padding(3, dilation=2) == (2, 2)
    assert same_padding(2, dilation=3) == (1, 2)
    assert same_padding(1) == (0, 0)


def test_tf_output_size_hand_cases():
    assert tf_output_size(5, 3, 2) == (3, 1, 1)
    assert tf_output_size(6, 3, 2) == (3, 0, 1)  # extra pixel bottom/right
    assert tf_output_size(224, 7, 2) == (112, 2, 3)
    assert tf_output_size(5, 4, 1) == (5, 1, 2)
    assert tf_output_size(7, 3, 1, dilation=2) == (7, 2, 2)
    assert tf_output_size(5, 3, 2, padding="VALID") == (2, 0, 0)
    assert tf_output_size(6, 3, 2, padding="valid") == (2, 0, 0)
    assert tf_output_size(7, 3, 1, dilation=2, padding="VALID") == (3, 0, 0)
    with pytest.raises(ValueError, match="kernel size 3 \\(dilated 5\\) is larger than padded input 4"):
        tf_output_size(4, 3, dilation=2, padding="VALID")
    with pytest.raises(ValueError, match="padding must be 'SAME' or 'VALID', got 'FULL'"):
        tf_output_size(4, 3, padding="FULL")


def test_two_d_wrappers_hand_cases():
    assert conv2d_output_hw((32, 28), 5) == (28, 24)
    assert conv2d_output_hw((7, 9), (3, 5), stride=(2, 1), padding=(1, 2)) == (4, 9)
    assert conv2d_output_hw(10, 4, padding="same", dilation=3) == (10, 10)
    assert conv2d_output_hw(10, 4, padding="valid") == (7, 7)
    assert conv_transpose2d_output_hw((7, 5), 3, stride=2, padding=1, output_padding=(1, 0)) == (14, 9)
    assert pool2d_output_hw((5, 6), 2, ceil_mode=True) == (3, 3)
    assert pool2d_output_hw((5, 6), (2, 3), stride=(1, 2), padding=(1, 0)) == (6, 2)
    assert adaptive_pool2d_output_hw((7, 9), (3, None)) == (3, 9)
    assert adaptive_pool2d_output_hw((7, 9), 1) == (1, 1)


def test_pair_validates():
    assert pair(3, "kernel_size") == (3, 3)
    assert pair((2, 5), "kernel_size") == (2, 5)
    assert pair(np.int64(4), "stride") == (4, 4)
    assert type(pair(np.int64(4), "stride")[0]) is int
    with pytest.raises(ValueError, match="kernel_size must be an int or a pair of ints, got 'five'"):
        pair("five", "kernel_size")
    for bad in (True, np.True_, 2.0, np.float32(2), (1, 2, 3), (1,), (1, True), None, "3"):
        with pytest.raises(ValueError, match="stride must be an int or a pair of ints"):
            pair(bad, "stride")


def test_messages_are_one_and_two_dimensional():
    with pytest.raises(ValueError, match=r"^kernel size 5 \(dilated 9\) is larger than padded input 7$"):
        conv_output_size(7, 5, dilation=2)
    with pytest.raises(ValueError, match=r"^kernel size 5 \(dilated 9\) is larger than padded input 7x7$"):
        conv2d_output_hw(7, 5, dilation=2)
    with pytest.raises(ValueError, match=r"^kernel size 5x3 is larger than padded input 4x6$"):
        conv2d_output_hw((2, 4), (5, 3), padding=1)
    with pytest.raises(ValueError, match=r"^pad should be at most half of effective kernel size, "
                                         r"but got pad=2, kernel_size=3 and dilation=1$"):
        pool2d_output_hw(8, 3, padding=2)


@pytest.mark.parametrize("call, message", [
    (lambda: conv_output_size(7, 0), "kernel size should be greater than zero, but got 0"),
    (lambda: conv_output_size(7, 3, stride=0), "stride should be greater than zero, but got 0"),
    (lambda: conv_output_size(7, 3, dilation=0), "dilation should be greater than zero, but got 0"),
    (lambda: conv_output_size(7, 3, padding=-1), "padding must be non-negative, but got -1"),
    (lambda: conv_output_size(0, 3, padding=2), "input size should be greater than zero, but got 0"),
    (lambda: conv_output_size(7.0, 3), "size must be an int, got 7.0"),
    (lambda: conv_transpose_output_size(3, 3, stride=2, output_padding=2),
     "output padding must be smaller than either stride or dilation, but got output_padding=2, "
     "stride=2 and dilation=1"),
    (lambda: conv_transpose_output_size(2, 3, padding=2), "calculated output size 0 is too small"),
    (lambda: pool_output_size(8, 3, padding=2), "pad should be at most half of effective kernel size"),
    (lambda: pool_output_size(8, 2, padding=2, dilation=3),
     "pad should be smaller than or equal to half of kernel size, but got pad=2, kernel_size=2"),
    (lambda: pool_output_size(2, 3), r"kernel size 3 is larger than padded input 2"),
    (lambda: conv2d_output_hw(8, 3, stride=2, padding="same"),
     "padding='same' is not supported for strided convolutions"),
    (lambda: conv2d_output_hw(8, 3, padding="full"), "padding must be 'valid', 'same', an int"),
    (lambda: conv_transpose2d_output_hw((2, 2), 3, padding=(0, 3)),
     r"calculated output size 4x-2 is too small \(input size 2x2\)"),
    (lambda: adaptive_pool2d_output_hw((4, 4), (0, 2)), r"output_size should be greater than zero, but got \(0, 2\)"),
    (lambda: same_padding(0), "kernel size should be greater than zero"),
])
def test_invalid_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ------------------------------------------------- agreement with PyTorch

sizes = st.integers(1, 12)
small = st.integers(0, 4)


def _torch_shape(fn):
    """Output (H', W') from torch, or None if torch rejects the configuration.

    An empty result counts as rejected: we raise for an output size of 0,
    while torch sometimes returns an empty tensor (conv_transpose2d of a 1x1
    input with kernel 4 and padding 2) and sometimes raises (2x2 input,
    kernel 3, padding 2), though both outputs would be 0x0.
    """
    try:
        hw = tuple(fn().shape[-2:])
    except (RuntimeError, ValueError):
        return None
    return hw if min(hw) > 0 else None


def _ours(fn):
    try:
        return tuple(fn())
    except ValueError:
        return None


@settings(max_examples=300, deadline=None)
@given(h=sizes, w=sizes, kh=st.integers(1, 6), kw=st.integers(1, 6), s=st.integers(0, 3),
       p=st.one_of(small, st.sampled_from(["same", "valid"])), d=st.integers(0, 3))
def test_conv2d_output_hw_agrees_with_torch(h, w, kh, kw, s, p, d):
    torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
    x, k = torch.zeros(1, 1, h, w), torch.zeros(1, 1, kh, kw)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _torch_shape(lambda: torch.nn.functional.conv2d(x, k, stride=s, padding=p, dilation=d))
    assert _ours(lambda: conv2d_output_hw((h, w), (kh, kw), s, p, d)) == expected


@settings(max_examples=300, deadline=None)
@given(h=sizes, w=sizes, kh=st.integers(1, 5), kw=st.integers(1, 5), s=st.integers(1, 3),
       p=small, op=st.integers(0, 3), d=st.integers(1, 3))
def test_conv_transpose2d_output_hw_agrees_with_torch(h, w, kh, kw, s, p, op, d):
    torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
    x, k = torch.zeros(1, 1, h, w), torch.zeros(1, 1, kh, kw)
    expected = _torch_shape(lambda: torch.nn.functional.conv_transpose2d(
        x, k, stride=s, padding=p, output_padding=op, dilation=d))
    assert _ours(lambda: conv_transpose2d_output_hw((h, w), (kh, kw), s, p, op, d)) == expected


@settings(max_examples=400, deadline=None)
@given(h=sizes, w=sizes, kh=st.integers(1, 6), kw=st.integers(1, 6),
       s=st.one_of(st.none(), st.integers(1, 4)), p=st.integers(0, 3), d=st.integers(1, 3),
       ceil=st.booleans())
def test_pool2d_output_hw_agrees_with_torch(h, w, kh, kw, s, p, d, ceil):
    torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
    x = torch.zeros(1, 1, h, w)
    expected = _torch_shape(lambda: torch.nn.functional.max_pool2d(
        x, (kh, kw), s, p, d, ceil_mode=ceil))
    assert _ours(lambda: pool2d_output_hw((h, w), (kh, kw), s, p, d, ceil)) == expected
    if d == 1:
        expected = _torch_shape(lambda: torch.nn.functional.avg_pool2d(x, (kh, kw), s, p, ceil))
        assert _ours(lambda: pool2d_output_hw((h, w), (kh, kw), s, p, 1, ceil)) == expected


def test_shapes_module_is_pure_python():
    out = conv2d_output_hw((np.int64(9), 9), np.int32(3))
    assert all(type(v) is int for v in out)
    assert type(pool_output_size(np.int64(9), 3)) is int
    assert shapes.__all__  # re-exported from generator.nn
    import generator.nn as nn
    assert all(getattr(nn, name) is getattr(shapes, name) for name in shapes.__all__)


def test_conv_geometry_by_hand():
    """The one geometry the forward, backward and loop convolutions share; sizes by hand."""
    from generator.nn import conv2d_geometry, conv_transpose2d_geometry

    # H' = floor((7 + 0 - 1*(3-1) - 1) / 2) + 1 = 3; W' = floor((6 + 4 - 2*(2-1) - 1) / 1) + 1 = 8
    g = conv2d_geometry((7, 6), (3, 2), stride=(2, 1), padding=(0, 2), dilation=(1, 2))
    assert (g.kernel, g.stride, g.dilation) == ((3, 2), (2, 1), (1, 2))
    assert g.padding == ((0, 0), (2, 2)) and g.out_hw == (3, 8) and g.padded_hw((7, 6)) == (7, 10)
    # 'same' with an even kernel: 3 rows of padding, the extra one at the bottom (PyTorch)
    g = conv2d_geometry((5, 5), 4, padding="same")
    assert g.padding == ((1, 2), (1, 2)) and g.out_hw == (5, 5)
    # transposed: H' = (4-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 8, W' = (5-1)*2 - 2 + 2 + 1 + 1 = 10
    g = conv_transpose2d_geometry((4, 5), 3, stride=2, padding=1, output_padding=1)
    assert g.padding == ((1, 1), (1, 1)) and g.out_hw == (8, 10) and g.padded_hw(g.out_hw) == (10, 12)
    with pytest.raises(ValueError, match="strided"):
        conv2d_geometry((5, 5), 3, stride=2, padding="same")


def test_conv2d_geometry_cache_keeps_every_check():
    """conv2d_geometry remembers its results for plain int/str/tuple arguments; an
    argument that only compares equal to a remembered one (True == 1, 1.0 == 1) is still
    checked and refused, and unhashable or NumPy arguments give the same geometry."""
    shapes._GEOMETRIES.clear()
    geo = shapes.conv2d_geometry((9, 8), (3, 3), 1, 1, 1)
    assert shapes.conv2d_geometry((9, 8), (3, 3), 1, 1, 1) is geo  # remembered
    assert (geo.out_hw, geo.padding) == ((9, 8), ((1, 1), (1, 1)))
    for stride in (True, 1.0, (1, True)):
        with pytest.raises(ValueError, match="stride"):
            shapes.conv2d_geometry((9, 8), (3, 3), stride, 1, 1)
    with pytest.raises(ValueError, match="kernel_size"):
        shapes.conv2d_geometry((9, 8), (True, 3), 1, 1, 1)
    assert shapes.conv2d_geometry([9, 8], [3, 3], np.int64(1), [1, 1], 1) == geo
    assert shapes.conv2d_geometry((9, 8), 3, 2, "valid") == shapes.ConvGeometry(
        (3, 3), (2, 2), (1, 1), ((0, 0), (0, 0)), (4, 3))
    shapes._GEOMETRIES.clear()
