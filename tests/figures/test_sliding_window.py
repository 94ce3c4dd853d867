"""The sliding-window animations: sizes from generator.nn.shapes, one frame per output,
and the transposed convolution drawn as the direct convolution it really equals."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from generator.figures import catalog
from generator.figures.grids import INPUT, PAD, ZERO
from generator.nn.conv import conv2d, conv_transpose2d
from generator.nn.shapes import conv2d_output_hw, conv_transpose_output_size

from .conftest import by_id

TRANSPOSED = [f"conv-transposed-{n}" for n in catalog.DUMOULIN]
DIRECT = [f"conv-{n}" for n in catalog.DUMOULIN] + ["conv-dilation"]


@pytest.mark.parametrize("fid", TRANSPOSED)
def test_transposed_sizes_come_from_shapes(resolved, fid):
    r = by_id(resolved, fid)
    f = r.facts
    conv = catalog.DUMOULIN[fid.removeprefix("conv-transposed-")]
    out = [conv_transpose_output_size(f["size"][i], f["kernel"][i], f["stride"][i],
                                      f["padding"][i], f["output_padding"][i], f["dilation"][i])
           for i in (0, 1)]
    assert f["out"] == out
    assert out == [conv["size"]] * 2  # the counterpart restores the convolution's input size
    assert f["frames"] == out[0] * out[1] == len(r.prepared.data["tap_rows"])


@pytest.mark.parametrize("fid", DIRECT)
def test_direct_sizes_come_from_shapes(resolved, fid):
    r = by_id(resolved, fid)
    p, f = r.figure.params, r.facts
    out = conv2d_output_hw(p["size"], p["kernel"], p.get("stride", 1), p.get("padding", 0),
                           p.get("dilation", 1))
    assert tuple(f["out"]) == out and f["frames"] == out[0] * out[1]
    grid = r.prepared.data["grid"]
    assert (grid == INPUT).sum() == p["size"] ** 2 and not (grid == ZERO).any()


@pytest.mark.parametrize("fid", TRANSPOSED)
def test_drawn_grid_computes_the_transposed_convolution(resolved, fid):
    """Input values on the blue cells, zeros elsewhere, convolved with the flipped kernel
    at stride 1 (over the drawn taps) == conv_transpose2d."""
    r = by_id(resolved, fid)
    f, d = r.facts, r.prepared.data
    rng = np.random.default_rng(0)
    x = rng.standard_normal(f["size"])
    w = rng.standard_normal(f["kernel"])
    expected = conv_transpose2d(x[None, None], w[None, None], stride=f["stride"],
                                padding=f["padding"], output_padding=f["output_padding"],
                                dilation=f["dilation"])[0, 0]
    grid = d["grid"]
    canvas = np.zeros(grid.shape)
    canvas[grid == INPUT] = x.ravel()  # row-major, like the drawing
    drawn = conv2d(canvas[None, None], w[::-1, ::-1][None, None].copy(), dilation=f["dilation"])[0, 0]
    np.testing.assert_allclose(drawn, expected, atol=1e-12)
    # and the taps drawn for each frame are the cells that conv2d read
    taps = canvas[d["tap_rows"], d["tap_cols"]]  # (OH*OW, KH*KW)
    np.testing.assert_allclose(taps @ w[::-1, ::-1].ravel(), expected.ravel(), atol=1e-12)
    assert (grid == PAD).any() or max(f["implicit_padding"]) == 0


@pytest.mark.parametrize("fid", ["conv-padding-strides-odd", "conv-transposed-padding-strides-odd",
                                 "conv-dilation"])
def test_gif_has_one_frame_per_output_position(resolved, rendered, fid):
    r = by_id(resolved, fid)
    im = Image.open(io.BytesIO(rendered[r.ref.files["gif"]]))
    assert im.n_frames == r.facts["out"][0] * r.facts["out"][1]
    assert im.info.get("loop") == 0


from hypothesis import given, settings
from hypothesis import strategies as st

from generator.figures import sliding_window


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 7), kernel=st.integers(1, 4), stride=st.integers(1, 3),
       padding=st.integers(0, 3), dilation=st.integers(1, 2), transposed=st.booleans(),
       output_padding=st.integers(0, 2), seed=st.integers(0, 2**16))
def test_any_case_draws_what_the_operator_computes(size, kernel, stride, padding, dilation,
                                                   transposed, output_padding, seed):
    """For any parameters the figure accepts, its taps compute the real operator's output."""
    p = {"size": size, "kernel": kernel, "stride": stride, "padding": padding,
         "dilation": dilation, "transposed": transposed, "output_padding": output_padding}
    try:
        prep = sliding_window.prepare(p)
    except ValueError:
        return  # invalid arguments (nn.shapes refuses them) or padding the picture cannot show
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((size, size)), rng.standard_normal((kernel, kernel))
    grid, rows, cols = prep.data["grid"], prep.data["tap_rows"], prep.data["tap_cols"]
    canvas = np.zeros(grid.shape)
    canvas[grid == INPUT] = x.ravel()
    if transposed:
        expected = conv_transpose2d(x[None, None], w[None, None], stride=stride, padding=padding,
                                    output_padding=output_padding, dilation=dilation)[0, 0]
        weights = w[::-1, ::-1].ravel()
    else:
        expected = conv2d(x[None, None], w[None, None], stride=stride, padding=padding,
                          dilation=dilation)[0, 0]
        weights = w.ravel()
    assert list(expected.shape) == list(prep.facts["out"])
    assert len(rows) == expected.size == prep.facts["frames"]
    np.testing.assert_allclose(canvas[rows, cols] @ weights, expected.ravel(), atol=1e-9)
