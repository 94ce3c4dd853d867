"""Property tests: the loop versions (generator.nn.naive) and the vectorised
versions agree on random configurations, and both return the shape that
generator.nn.shapes predicts.  float64 inputs; tolerance 1e-10 relative to
the magnitude of the output (the two sum in different orders)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import generator.nn as nn
from generator.nn import naive, shapes

SETTINGS = settings(max_examples=60, deadline=None)


def _int_or_pair(lo, hi):
    return st.one_of(st.integers(lo, hi), st.tuples(st.integers(lo, hi), st.integers(lo, hi)))


@st.composite
def images(draw, channels, min_hw, max_extra=6):
    """A float64 batch (N, C, H, W), or a single image (C, H, W)."""
    h = draw(st.integers(max(1, min_hw[0]), max(1, min_hw[0]) + max_extra))
    w = draw(st.integers(max(1, min_hw[1]), max(1, min_hw[1]) + max_extra))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()) and draw(st.booleans()):
        return rng.standard_normal((channels, h, w))
    return rng.standard_normal((draw(st.integers(1, 2)), channels, h, w))


@st.composite
def conv_cases(draw):
    groups = draw(st.integers(1, 3))
    cg, fg = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = shapes.pair(draw(_int_or_pair(1, 4)), "k")
    d = draw(_int_or_pair(1, 3))
    padding = draw(st.one_of(_int_or_pair(0, 2), st.sampled_from(["same", "valid"])))
    stride = 1 if padding == "same" else draw(_int_or_pair(1, 3))
    (pt, pb), (pl, pr) = shapes.conv2d_padding(k, padding, stride, d)
    dh, dw = shapes.pair(d, "d")
    min_hw = (dh * (k[0] - 1) + 1 - pt - pb, dw * (k[1] - 1) + 1 - pl - pr)
    x = draw(images(groups * cg, min_hw))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weight = rng.standard_normal((groups * fg, cg) + k)
    bias = rng.standard_normal(groups * fg) if draw(st.booleans()) else None
    return x, weight, bias, dict(stride=stride, padding=padding, dilation=d, groups=groups)


@st.composite
def conv_transpose_cases(draw):
    groups = draw(st.integers(1, 3))
    cg, fg = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = shapes.pair(draw(_int_or_pair(1, 4)), "k")
    s, d = shapes.pair(draw(_int_or_pair(1, 3)), "s"), shapes.pair(draw(_int_or_pair(1, 2)), "d")
    op = tuple(draw(st.integers(0, max(si, di) - 1)) for si, di in zip(s, d))
    p = draw(_int_or_pair(0, 2))
    x = draw(images(groups * cg, (1, 1), 4))
    try:
        shapes.conv_transpose2d_output_hw(x.shape[-2:], k, s, p, op, d)
    except ValueError:
        assume(False)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weight = rng.standard_normal((groups * cg, fg) + k)
    bias = rng.standard_normal(groups * fg) if draw(st.booleans()) else None
    return x, weight, bias, dict(stride=s, padding=p, output_padding=op, groups=groups, dilation=d)


@st.composite
def pool_cases(draw, dilated):
    k = shapes.pair(draw(_int_or_pair(1, 4)), "k")
    d = shapes.pair(draw(_int_or_pair(1, 3)), "d") if dilated else (1, 1)
    p = tuple(draw(st.integers(0, min(kk // 2, (dd * (kk - 1) + 1) // 2))) for kk, dd in zip(k, d))
    stride = draw(st.one_of(st.none(), _int_or_pair(1, 3)))
    ceil_mode = draw(st.booleans())
    x = draw(images(draw(st.integers(1, 3)), (1, 1), 9))
    try:
        shapes.pool2d_output_hw(x.shape[-2:], k, stride, p, d, ceil_mode)
    except ValueError:
        assume(False)
    kwargs = dict(kernel_size=k, stride=stride, padding=p, ceil_mode=ceil_mode)
    if dilated:
        kwargs["dilation"] = d
    return x, kwargs


def _assert_close(fast, slow):
    assert fast.shape == slow.shape and fast.dtype == slow.dtype
    scale = max(1.0, float(np.max(np.abs(slow[np.isfinite(slow)]), initial=1.0)))
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-10 * scale)


@SETTINGS
@given(conv_cases())
def test_conv2d(case):
    x, w, b, kwargs = case
    fast = nn.conv2d(x, w, b, **kwargs)
    _assert_close(fast, naive.conv2d(x, w, b, **kwargs))
    hw = shapes.conv2d_output_hw(x.shape[-2:], w.shape[2:], kwargs["stride"], kwargs["padding"],
                                 kwargs["dilation"])
    assert fast.shape == x.shape[:-3] + (w.shape[0],) + hw


@SETTINGS
@given(conv_transpose_cases())
def test_conv_transpose2d(case):
    x, w, b, kwargs = case
    fast = nn.conv_transpose2d(x, w, b, **kwargs)
    _assert_close(fast, naive.conv_transpose2d(x, w, b, **kwargs))
    hw = shapes.conv_transpose2d_output_hw(x.shape[-2:], w.shape[2:], kwargs["stride"],
                                           kwargs["padding"], kwargs["output_padding"],
                                           kwargs["dilation"])
    assert fast.shape == x.shape[:-3] + (w.shape[1] * kwargs["groups"],) + hw


@SETTINGS
@given(pool_cases(dilated=True))
def test_max_pool2d(case):
    x, kwargs = case
    fast, fast_idx = nn.max_pool2d(x, **kwargs, return_indices=True)
    slow, slow_idx = naive.max_pool2d(x, **kwargs, return_indices=True)
    _assert_close(fast, slow)
    real = np.isfinite(slow)  # windows of padding only report different indices
    np.testing.assert_array_equal(fast_idx[real], slow_idx[real])
    np.testing.assert_array_equal(nn.max_pool2d(x, **kwargs), fast)
    hw = shapes.pool2d_output_hw(x.shape[-2:], kwargs["kernel_size"], kwargs["stride"],
                                 kwargs["padding"], kwargs["dilation"], kwargs["ceil_mode"])
    assert fast.shape == x.shape[:-2] + hw


@SETTINGS
@given(pool_cases(dilated=False), st.booleans(),
       st.one_of(st.none(), st.integers(-3, 5).filter(bool)))
def test_avg_pool2d(case, count_include_pad, divisor_override):
    x, kwargs = case
    kwargs.update(count_include_pad=count_include_pad, divisor_override=divisor_override)
    fast = nn.avg_pool2d(x, **kwargs)
    _assert_close(fast, naive.avg_pool2d(x, **kwargs))
    hw = shapes.pool2d_output_hw(x.shape[-2:], kwargs["kernel_size"], kwargs["stride"],
                                 kwargs["padding"], 1, kwargs["ceil_mode"])
    assert fast.shape == x.shape[:-2] + hw


@SETTINGS
@given(images(2, (1, 1), 12), st.integers(1, 8), st.one_of(st.none(), st.integers(1, 8)))
def test_adaptive_avg_pool2d_against_its_definition(x, oh, ow):
    out = nn.adaptive_avg_pool2d(x, (oh, ow))
    h, w = x.shape[-2:]
    ow_ = w if ow is None else ow
    assert out.shape == x.shape[:-2] + shapes.adaptive_pool2d_output_hw((h, w), (oh, ow))
    for i in range(oh):  # loop definition: window [floor(iH/OH), ceil((i+1)H/OH))
        for j in range(ow_):
            r0, r1 = (i * h) // oh, -(-((i + 1) * h) // oh)
            c0, c1 = (j * w) // ow_, -(-((j + 1) * w) // ow_)
            np.testing.assert_allclose(out[..., i, j], x[..., r0:r1, c0:c1].mean(axis=(-2, -1)),
                                       rtol=1e-12, atol=1e-12)
