"""The numbers each figure kind draws, computed with ``generator.nn`` (and tables).

One function per figure kind turns a catalog entry's parameters into a
:class:`Prepared`: NumPy arrays (``data``) and plain values (``facts``, used
by the drawing code and in alt text and captions). This module never imports
matplotlib: a warm build computes these, hashes them, finds the figure in the
cache and draws nothing.

Index arithmetic is done by the operators themselves where possible: the
cells each output reads come from :func:`generator.nn.windows.window_view`
applied to a grid of cell numbers, the zeros a transposed convolution inserts
from :func:`generator.nn.conv.conv_transpose2d` with a 1x1 kernel of ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn import shapes
from ..nn.conv import conv2d, conv_transpose2d
from ..nn.pad import pad
from ..nn.pool import avg_pool2d, max_pool2d
from ..nn.windows import window_view

#: Cell codes of the grids the sliding-window figures draw.
PAD, INPUT, ZERO = 0, 1, 2


@dataclass
class Prepared:
    """What a figure draws: arrays in ``data``; ints, strings and lists in ``facts``."""

    data: dict[str, np.ndarray] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)


def _taps(grid_hw, kernel, stride, dilation, out_hw):
    """Rows and columns of the cells each output position reads.

    Returns two int arrays of shape (OH*OW, KH*KW), outputs in row-major order.
    """
    hp, wp = grid_hw
    rows = np.broadcast_to(np.arange(hp)[:, None], (hp, wp)).astype(float)
    cols = np.broadcast_to(np.arange(wp)[None, :], (hp, wp)).astype(float)
    out = []
    for index in (rows, cols):
        v = window_view(index[None, None], kernel, stride, dilation, out_hw)  # (1, 1, KH, KW, OH, OW)
        v = v[0, 0].transpose(2, 3, 0, 1)  # -> (OH, OW, KH, KW)
        out.append(v.reshape(out_hw[0] * out_hw[1], kernel[0] * kernel[1]).astype(np.int16))
    return out


def _torch_pad(top, bottom, left, right):
    return (left, right, top, bottom)


# --------------------------------------------------------------- sliding windows


def _counterpart(conv: dict) -> dict:
    """The transposed convolution that maps ``conv``'s output size back to its input size.

    Its input is the convolution's output; ``output_padding`` restores the
    rows/columns the convolution's floor division dropped (Dumoulin & Visin's
    "a" parameter).
    """
    size = shapes.pair(conv["size"], "size")
    k, s = conv["kernel"], conv.get("stride", 1)
    pd, d = conv.get("padding", 0), conv.get("dilation", 1)
    out = shapes.conv2d_output_hw(size, k, s, pd, d)
    back = shapes.conv_transpose2d_output_hw(out, k, s, pd, 0, d)
    return {"size": list(out), "kernel": k, "stride": s, "padding": pd, "dilation": d,
            "output_padding": [a - b for a, b in zip(size, back)], "transposed": True,
            "counterpart_of": {"size": list(size), "out": list(out)}}



def sliding_window(p: dict) -> Prepared:
    """A convolution (or transposed convolution) drawn as a direct convolution.

    Parameters: ``size``, ``kernel``, ``stride`` (1), ``padding`` (0),
    ``dilation`` (1), ``transposed`` (false), ``output_padding`` (0); sizes
    are ints or [h, w]. A transposed convolution is drawn as Dumoulin & Visin
    do: ``stride - 1`` zeros inserted between input cells, implicit padding
    ``dilation*(kernel-1) - padding`` around them (plus ``output_padding``
    at the bottom/right), and a stride-1 convolution over the result.

    data: ``grid`` (Hp, Wp) int8 of PAD/INPUT/ZERO; ``tap_rows``/``tap_cols``
    (OH*OW, KH*KW). facts: the arguments as pairs, ``out`` (OH, OW), ``grid``
    (Hp, Wp), ``implicit_padding`` (transposed only), ``frames``.
    """
    if "counterpart_of" in p:
        p = _counterpart(p["counterpart_of"])
    size = shapes.pair(p["size"], "size")
    k = shapes.pair(p["kernel"], "kernel")
    s = shapes.pair(p.get("stride", 1), "stride")
    pd = shapes.pair(p.get("padding", 0), "padding")
    d = shapes.pair(p.get("dilation", 1), "dilation")
    facts = {"transposed": bool(p.get("transposed", False)), "size": size, "kernel": k,
             "stride": s, "padding": pd, "dilation": d}
    if not facts["transposed"]:
        out = shapes.conv2d_output_hw(size, k, s, pd, d)
        ones = np.ones(size)
        grid = pad(ones, _torch_pad(pd[0], pd[0], pd[1], pd[1]), value=PAD)  # input 1, padding 0
        codes = grid.astype(np.int8)
        step = s
    else:
        op = shapes.pair(p.get("output_padding", 0), "output_padding")
        out = shapes.conv_transpose2d_output_hw(size, k, s, pd, op, d)
        implicit = tuple(dd * (kk - 1) - pp for dd, kk, pp in zip(d, k, pd))
        if min(implicit) < 0:
            raise ValueError(
                f"padding {pd[0]} is larger than dilation*(kernel-1) = {d[0] * (k[0] - 1)}: "
                "the equivalent direct convolution would crop, which this figure does not draw")
        # ones where the inputs are, the inserted zeros between them
        spread = conv_transpose2d(np.ones((1, 1) + size), np.ones((1, 1, 1, 1)), stride=s)[0, 0]
        grid = pad(spread + 1.0, _torch_pad(implicit[0], implicit[0] + op[0],
                                            implicit[1], implicit[1] + op[1]), value=0.0)
        codes = np.choose(grid.astype(np.int8), [PAD, ZERO, INPUT]).astype(np.int8)
        step = (1, 1)
        facts.update(output_padding=op, implicit_padding=implicit,
                     inserted=tuple(ss - 1 for ss in s),
                     counterpart_of=p.get("counterpart_of"))
        direct = shapes.conv2d_output_hw(codes.shape, k, 1, 0, d)
        if direct != out:  # the picture would be wrong: fail loudly
            raise AssertionError(f"direct equivalent gives {direct}, transposed gives {out}")
    rows, cols = _taps(codes.shape, k, step, d, out)
    facts.update(out=out, grid=codes.shape, frames=out[0] * out[1])
    return Prepared({"grid": codes, "tap_rows": rows, "tap_cols": cols}, facts)
