"""Sliding-window animation: a kernel moving over a (padded) input, filling the output.

One frame per output position. Padding cells are white with dashed edges,
inserted zeros (transposed convolution) grey, inputs blue; the kernel's taps
are orange squares inside its footprint, so dilation shows as gaps; computed
outputs turn green. Everything drawn comes from :func:`prepare` below.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from ..nn import shapes
from ..nn.conv import conv_transpose2d
from ..nn.pad import pad
from .grids import INPUT, PAD, ZERO, taps, torch_pad
from .wording import dims, plural, side
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


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


def prepare(p: dict) -> Prepared:
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
        grid = pad(ones, torch_pad(pd[0], pd[0], pd[1], pd[1]), value=PAD)  # input 1, padding 0
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
        grid = pad(spread + 1.0, torch_pad(implicit[0], implicit[0] + op[0],
                                            implicit[1], implicit[1] + op[1]), value=0.0)
        codes = np.choose(grid.astype(np.int8), [PAD, ZERO, INPUT]).astype(np.int8)
        step = (1, 1)
        facts.update(output_padding=op, implicit_padding=implicit,
                     inserted=tuple(ss - 1 for ss in s),
                     counterpart_of=p.get("counterpart_of"))
        direct = shapes.conv2d_output_hw(codes.shape, k, 1, 0, d)
        if direct != out:  # the picture would be wrong: fail loudly
            raise AssertionError(f"direct equivalent gives {direct}, transposed gives {out}")
    rows, cols = taps(codes.shape, k, step, d, out)
    facts.update(out=out, grid=codes.shape, frames=out[0] * out[1])
    return Prepared({"grid": codes, "tap_rows": rows, "tap_cols": cols}, facts)


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    k, s, d = f["kernel"], f["stride"], f["dilation"]
    tap = f"a {dims(k)} kernel" + (f" dilated by {side(d)} (gaps of {side([x - 1 for x in d])} cells between taps)"
                                   if max(d) > 1 else "")
    if not f["transposed"]:
        pad = (f"with {plural(max(f['padding']), 'cell')} of zero padding on each side "
               f"({dims(f['grid'])} padded grid)" if max(f["padding"]) else "without padding")
        alt = (f"Animation, one frame per output position: {tap} slides with stride "
               f"{side(s)} over a {dims(f['size'])} input {pad}, and each position fills one "
               f"cell of the {dims(f['out'])} output.")
        caption = (f"Convolution of a {dims(f['size'])} input with {tap}, stride {side(s)}, "
                   f"padding {side(f['padding'])}: the output is {dims(f['out'])}.")
    else:
        ins = f["inserted"]
        spread = (f"{plural(max(ins), 'zero')} inserted between neighbouring input cells"
                  if max(ins) else "no zeros inserted")
        extra = (f" plus {side(f['output_padding'])} more at the bottom and right (output padding)"
                 if max(f["output_padding"]) else "")
        alt = (f"Animation, one frame per output position: a transposed convolution drawn as a "
               f"direct one. The {dims(f['size'])} input is spread out with {spread}, padded "
               f"with {plural(max(f['implicit_padding']), 'zero')} on each side{extra} "
               f"({dims(f['grid'])} grid), and {tap} slides over it with stride 1, filling the "
               f"{dims(f['out'])} output.")
        caption = (f"Transposed convolution of a {dims(f['size'])} input, kernel {dims(k)}, "
                   f"stride {side(s)}, padding {side(f['padding'])}"
                   + (f", output_padding {side(f['output_padding'])}" if max(f["output_padding"]) else "")
                   + f": the output is {dims(f['out'])}.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


#: Where in a cell the kernel's tap marker sits: its bottom-right corner,
#: leaving the cell's own content readable (as in Dumoulin & Visin's figures).
TAP = (0.58, 0.9)


def _pairs(v) -> str:
    return str(v[0]) if v[0] == v[1] else f"{v[0]}\u00d7{v[1]}"


def title(f: dict) -> str:
    op = "conv_transpose2d" if f["transposed"] else "conv2d"
    parts = [f"input {cells.dims(*f['size'])}", f"kernel {cells.dims(*f['kernel'])}",
             f"stride {_pairs(f['stride'])}", f"padding {_pairs(f['padding'])}"]
    if f["dilation"] != [1, 1] and tuple(f["dilation"]) != (1, 1):
        parts.append(f"dilation {_pairs(f['dilation'])}")
    if f["transposed"] and tuple(f["output_padding"]) != (0, 0):
        parts.append(f"output_padding {_pairs(f['output_padding'])}")
    return f"{op}: " + ", ".join(parts)


class Scene:
    """The figure plus the artists that change from frame to frame."""

    def __init__(self, params: dict, data: dict, facts: dict):
        grid = data["grid"]
        self.rows, self.cols = data["tap_rows"], data["tap_cols"]
        hp, wp = grid.shape
        oh, ow = facts["out"]
        self.n_frames = oh * ow
        self.out_hw = (oh, ow)
        gap = 2.6
        content_w = wp + gap + ow
        width = max(content_w + 4, 14.0)
        body = max(hp, oh)
        top = 3.9 if facts["transposed"] else 3.3  # title and grid labels
        height = top + body + 1.9
        cv = self.canvas = cells.Canvas(width, height)
        self.fig, ax = cv.fig, cv.ax
        ix = (width - content_w) / 2
        iy = top + (body - hp) / 2
        ox = ix + wp + gap
        oy = top + (body - oh) / 2
        self.ix, self.iy, self.ox, self.oy = ix, iy, ox, oy

        cv.text(width / 2, 0.7, title(facts), size=style.TITLE_SIZE, weight="bold")
        r, c = np.nonzero(grid == PAD)
        cells.cells(ax, ix, iy, r, c, style.PADDING, style.FAINT, lw=0.8, ls=(0, (3, 2)))
        r, c = np.nonzero(grid == ZERO)
        cells.cells(ax, ix, iy, r, c, style.INSERTED_ZERO, style.FAINT, lw=0.8)
        r, c = np.nonzero(grid == INPUT)
        cells.cells(ax, ix, iy, r, c, style.INPUT, style.INPUT_EDGE, lw=0.9, zorder=2)
        zr, zc = np.nonzero(grid != INPUT)
        for rr, cc in zip(zr, zc):
            cv.text(ix + cc + 0.4, iy + rr + 0.45, "0", size=style.NUMBER_SIZE * 0.85,
                    color=style.FAINT)

        # labels above the grids
        label_y = top - 0.45
        sub_y = label_y - (0.55 if facts["transposed"] else 0.1)
        if facts["transposed"]:
            ins = facts["inserted"]
            sub = [f"{_pairs(ins)} zero{'s' if max(ins) > 1 else ''} inserted between inputs"
                   if max(ins) > 0 else "no zeros inserted (stride 1)",
                   f"implicit padding {_pairs(facts['implicit_padding'])}"]
            if tuple(facts["output_padding"]) != (0, 0):
                sub[-1] += f" (+{_pairs(facts['output_padding'])} bottom/right)"
            cv.text(ix + wp / 2, label_y - 1.7, f"input {cells.dims(*facts['size'])} (blue)",
                    weight="bold")
            cv.text(ix + wp / 2, sub_y, "\n".join(sub), size=style.FONT_SIZE * 0.85,
                    color=style.MUTED, linespacing=1.5)
        else:
            cv.text(ix + wp / 2, label_y - 1.1, f"input {cells.dims(*facts['size'])}",
                    weight="bold")
            pads = facts["padding"]
            sub = f"zero padding {_pairs(pads)}" if max(pads) > 0 else "no padding"
            cv.text(ix + wp / 2, label_y - 0.1, sub, size=style.FONT_SIZE * 0.85,
                    color=style.MUTED)
        cv.text(ox + ow / 2, label_y - (1.7 if facts["transposed"] else 1.1),
                f"output {cells.dims(oh, ow)}", weight="bold")
        step = "stride 1 over the spread input" if facts["transposed"] else (
            f"kernel moves {_pairs(facts['stride'])} cell{'s' if max(facts['stride']) > 1 else ''}"
            " per step")
        cv.text(ox + ow / 2, sub_y, step, size=style.FONT_SIZE * 0.85, color=style.MUTED)

        self.out = cells.grid(ax, ox, oy, (oh, ow), style.PAPER, style.OUTPUT_EDGE, lw=0.9)
        self.taps = cells.cells(ax, ix, iy, self.rows[0], self.cols[0], style.KERNEL,
                                style.KERNEL_DARK, lw=0.6, span=TAP, zorder=6)
        self.box = cells.outline(ax, ix, iy, 0, 0, 1, 1, style.KERNEL, lw=2.6, zorder=7)
        self.now = cells.outline(ax, ox, oy, 0, 0, 1, 1, style.OUTPUT_EDGE, lw=2.6, zorder=7)

        legend = [("input", dict(facecolor=style.INPUT, edgecolor=style.INPUT_EDGE))]
        if (grid == PAD).any():
            legend.append(("padding (zeros)", dict(facecolor=style.PADDING, edgecolor=style.FAINT,
                                                   linestyle=(0, (3, 2)))))
        if (grid == ZERO).any():
            legend.append(("inserted zero", dict(facecolor=style.INSERTED_ZERO,
                                                 edgecolor=style.FAINT)))
        legend += [("kernel taps", dict(facecolor=style.KERNEL, edgecolor=style.KERNEL_DARK)),
                   ("output being computed", dict(facecolor=style.OUTPUT_NOW,
                                                  edgecolor=style.OUTPUT_EDGE))]
        cv.legend(legend, height - 0.85)
        self.dynamic = [self.out, self.taps, self.box, self.now]
        self.show(0)

    def show(self, i: int) -> None:
        """Draw the kernel at output position ``i`` (row-major) and the outputs so far."""
        rows, cols = self.rows[i], self.cols[i]
        self.taps.set_verts(cells.squares(self.ix, self.iy, rows, cols, span=TAP))
        r0, c0 = rows.min(), cols.min()
        h, w = rows.max() - r0 + 1, cols.max() - c0 + 1
        self.box.set_xy((self.ix + c0, self.iy + r0))
        self.box.set_width(w)
        self.box.set_height(h)
        orow, ocol = divmod(i, self.out_hw[1])
        self.now.set_xy((self.ox + ocol, self.oy + orow))
        n = self.out_hw[0] * self.out_hw[1]
        faces = [style.OUTPUT_DONE] * i + [style.OUTPUT_NOW] + [style.PAPER] * (n - i - 1)
        self.out.set_facecolors(faces)


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return encode.animation(Scene(params, data, facts))


KIND = Kind("sliding_window", short(__name__), "Sliding windows", prepare, describe, animated=lambda p: True)
