"""Sliding-window animation: a kernel moving over a (padded) input, filling the output.

One frame per output position. Padding cells are white with dashed edges,
inserted zeros (transposed convolution) grey, inputs blue; the kernel's taps
are orange squares inside its footprint, so dilation shows as gaps; computed
outputs turn green. Everything drawn comes from :func:`prepare.sliding_window`.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from .prepare import INPUT, PAD, ZERO

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
