"""Max or average pooling with every window in its own colour.

Input windows and the output cell each becomes share a colour (neighbours
never the same); for max pooling the chosen cell is circled and bold. Under
the grids, each window's values and result, as ``generator.nn`` computed.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from ..nn import shapes
from ..nn.pool import avg_pool2d, max_pool2d
from .grids import matrix, taps
from .wording import dims, side
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


def prepare(p: dict) -> Prepared:
    """Max or average pooling of one channel, each window with its values.

    Parameters: ``x`` (H x W list), ``mode`` ("max" or "avg"), ``kernel`` (2),
    ``stride`` (= kernel). Windows must not overlap (each gets one colour).

    data: ``x`` (H, W); ``y`` (OH, OW); ``tap_rows``/``tap_cols``
    (OH*OW, KH*KW); for max, ``arg_rows``/``arg_cols`` (OH*OW,) the cell
    each maximum comes from (the first one on ties, as PyTorch picks).
    """
    x = matrix(p["x"], "x")
    mode = p.get("mode", "max")
    k = shapes.pair(p.get("kernel", 2), "kernel")
    s = shapes.pair(p.get("stride", k), "stride")
    if s[0] < k[0] or s[1] < k[1]:
        raise ValueError(f"stride {s} is smaller than kernel {k}: overlapping windows "
                         "cannot each get one colour")
    data = {"x": x}
    if mode == "max":
        y, idx = max_pool2d(x[None], k, s, return_indices=True)  # (1, OH, OW) each
        y, idx = y[0], idx[0]
        data["arg_rows"], data["arg_cols"] = (a.reshape(-1).astype(np.int16)
                                              for a in np.divmod(idx, x.shape[1]))
    elif mode == "avg":
        y = avg_pool2d(x[None], k, s)[0]  # (1, OH, OW) -> (OH, OW)
    else:
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    data["y"] = y
    data["tap_rows"], data["tap_cols"] = taps(x.shape, k, s, (1, 1), y.shape)
    facts = {"mode": mode, "size": x.shape, "kernel": k, "stride": s, "out": y.shape,
             "windows": y.size}
    return Prepared(data, facts)


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    name = "Max" if f["mode"] == "max" else "Average"
    alt = (f"{name} pooling of a {dims(f['size'])} input with a {dims(f['kernel'])} window "
           f"and stride {side(f['stride'])}: each of the {f['windows']} windows has its own "
           f"colour, and the output cell of the same colour (in the {dims(f['out'])} output) "
           f"holds its "
           + ("maximum, which is circled in the input." if f["mode"] == "max" else "mean.")
           + " The values and result of each window are listed below the grids.")
    caption = (f"{name} pooling, kernel {side(f['kernel'])}, stride {side(f['stride'])}: "
               f"{dims(f['size'])} \u2192 {dims(f['out'])}; no weights, and each window "
               f"gives one number.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


def window_colour(r: int, c: int) -> str:
    """A 2x2 checkerboard of the four window colours."""
    return style.WINDOWS[(r % 2) * 2 + c % 2]


def render_scene(params: dict, data: dict, facts: dict):
    from matplotlib.patches import Circle
    x, y = data["x"], data["y"]
    rows, cols = data["tap_rows"], data["tap_cols"]
    mode = facts["mode"]
    h, w = x.shape
    oh, ow = y.shape
    gap = 3.0
    content_w = w + gap + ow
    n = y.size
    per_col = 4
    ncols = -(-n // per_col)
    lines_h = 0.7 * min(n, per_col)
    width = max(content_w + 4, 6.5 * ncols + 1, 12.0)
    top = 2.2
    body = max(h, oh)
    height = top + body + 0.8 + lines_h + 0.4
    cv = cells.Canvas(width, height)
    ax = cv.ax
    ix = (width - content_w) / 2
    ox = ix + w + gap
    iy, oy = top + (body - h) / 2, top + (body - oh) / 2
    op = "max_pool2d" if mode == "max" else "avg_pool2d"
    k, s = facts["kernel"], facts["stride"]
    ks = str(k[0]) if k[0] == k[1] else cells.dims(*k)
    ss = str(s[0]) if s[0] == s[1] else cells.dims(*s)
    cv.text(width / 2, 0.6, f"{op}: kernel {ks}, stride {ss}", size=style.TITLE_SIZE,
            weight="bold")
    cv.text(ix + w / 2, top - 0.5, f"input {cells.dims(h, w)}", weight="bold")
    cv.text(ox + ow / 2, top - 0.5, f"output {cells.dims(oh, ow)}", weight="bold")
    cv.text(ix + w + gap / 2, top + body / 2, "\u2192", size=20, color=style.MUTED)

    faces = np.full((h, w), style.PAPER, dtype=object)
    out_faces = []
    for i in range(n):
        colour = window_colour(*divmod(i, ow))
        faces[rows[i], cols[i]] = colour
        out_faces.append(colour)
    cells.grid(ax, ix, iy, (h, w), faces.ravel().tolist(), style.MUTED, lw=0.8)
    for i in range(n):
        r0, c0 = int(rows[i].min()), int(cols[i].min())
        cells.outline(ax, ix, iy, r0, c0, int(rows[i].max()) - r0 + 1,
                      int(cols[i].max()) - c0 + 1, style.INK, lw=1.6)
    labels = {"input": cells.numbers(cv, ix, iy, x)}
    if mode == "max":
        for r, c in zip(data["arg_rows"], data["arg_cols"]):
            ax.add_patch(Circle((ix + c + 0.5, iy + r + 0.5), 0.36, fill=False,
                                edgecolor=style.INK, lw=1.4, zorder=5))
            labels["input"][(int(r), int(c))].set_weight("bold")
    cells.grid(ax, ox, oy, (oh, ow), out_faces, style.INK, lw=1.6)
    labels["output"] = cells.numbers(cv, ox, oy, y, weight="bold")

    # one line per window: its values and the result
    name = "max" if mode == "max" else "mean"
    ly = top + body + 1.0
    lines = []
    for i in range(n):
        col, row = divmod(i, per_col)
        lx = width / 2 + (col - (ncols - 1) / 2) * 6.5 - 2.6
        vals = ", ".join(cells.fmt(v) for v in x[rows[i], cols[i]])
        orow, ocol = divmod(i, ow)
        ax.add_patch(cells_patch(lx, ly + 0.7 * row, out_faces[i]))
        lines.append(cv.text(lx + 0.7, ly + 0.7 * row + 0.02,
                             f"{name}({vals}) = {cells.fmt(y[orow, ocol])}", ha="left",
                             size=style.NUMBER_SIZE))
    labels["lines"] = lines
    return cv, labels


def cells_patch(x, y, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y - 0.25), 0.5, 0.5, facecolor=colour, edgecolor=style.INK, lw=0.8)


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    cv, _ = render_scene(params, data, facts)
    return {"svg": encode.svg(cv.fig)}


KIND = Kind("pooling", short(__name__), "Worked examples with values", prepare, describe)
