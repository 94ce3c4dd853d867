"""Receptive-field growth: how much of the input one output sees after each layer.

The input grid (with the zero padding the layers reach into, dashed) carries
one nested square per layer, from the first layer's kernel to the last
layer's whole field; the legend gives each layer and its field size, both
computed by :func:`prepare` below with ``generator.tables.receptive``.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from ..nn import shapes
from .wording import article, plural
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


def prepare(p: dict) -> Prepared:
    """How much of the input one output sees, after each layer of a stack.

    Parameters: ``size`` (input side), ``layers``: a list of {name, kernel,
    stride (1), padding (0), dilation (1)}.

    The fields come from :func:`generator.tables.receptive.window` (size,
    jump, start per layer); the output followed is the centre one of the last
    layer, and before it, layer by layer, the centre tap of its window.

    facts: ``size``; ``layers`` (as given, with defaults); ``out`` each
    layer's output side; ``fields`` [[start, size], ...] per layer, in
    input pixels, of the followed output (start < 0 reaches into padding);
    ``rf`` the receptive-field size per layer; ``jump`` per layer.
    """
    from ..tables import receptive

    n = int(p["size"])
    layers = [{"name": l.get("name", f"layer {i + 1}"), "kernel": int(l["kernel"]),
               "stride": int(l.get("stride", 1)), "padding": int(l.get("padding", 0)),
               "dilation": int(l.get("dilation", 1))} for i, l in enumerate(p["layers"])]
    field, fields, outs, size = receptive.INPUT, [], [], n
    for l in layers:
        k, s, pd, d = l["kernel"], l["stride"], l["padding"], l["dilation"]
        size = shapes.conv_output_size(size, k, s, pd, d)
        field = receptive.window(field, (k, k), (s, s), (pd, pd), (d, d))
        fields.append(field[0])
        outs.append(size)
    # follow the centre output of the last layer back through the centre taps
    index = [0] * len(layers)
    index[-1] = outs[-1] // 2
    for i in range(len(layers) - 1, 0, -1):
        l = layers[i]
        index[i - 1] = index[i] * l["stride"] - l["padding"] + l["dilation"] * (l["kernel"] - 1) // 2
    spans = [[f.start + i * f.jump, f.size] for f, i in zip(fields, index)]
    return Prepared({}, {"size": n, "layers": layers, "out": outs, "fields": spans,
                         "rf": [f.size for f in fields], "jump": [f.jump for f in fields]})


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    steps = "; ".join(
        f"after {l['name']} ({l['kernel']}\u00d7{l['kernel']}, stride {l['stride']}"
        + (f", dilation {l['dilation']}" if l["dilation"] > 1 else "")
        + f") it sees {r}\u00d7{r} pixels" for l, r in zip(f["layers"], f["rf"]))
    alt = (article(f"{f['size']}\u00d7{f['size']} input grid").capitalize()
           + " with one nested square per layer, "
           f"marking the input pixels one output depends on: {steps}.")
    caption = (f"Receptive field through {plural(len(f['layers']), 'layer')}: "
               + " \u2192 ".join(f"{r}\u00d7{r}" for r in f["rf"]) + ".")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


def render_scene(params: dict, data: dict, facts: dict):
    n = facts["size"]
    spans = facts["fields"]
    lo = min(0, min(s for s, _ in spans))
    hi = max(n, max(s + r for s, r in spans))
    side = hi - lo
    legend_w = 9.5
    width = 1 + side + 1.2 + legend_w
    top = 1.6
    height = top + max(side, 1.2 * len(spans) + 1) + 1.2
    cv = cells.Canvas(width, height)
    ax = cv.ax
    x0 = 1 - lo  # cell (r, c) of the input is at x0 + c
    y0 = top - lo
    title = params.get("title") or "receptive field, layer by layer"
    cv.text(width / 2, 0.65, title, size=style.TITLE_SIZE, weight="bold")
    grid = np.zeros((side, side), bool)
    inside = np.zeros_like(grid)
    inside[-lo:-lo + n, -lo:-lo + n] = True
    r, c = np.nonzero(~inside)
    cells.cells(ax, 1, top, r, c, style.PADDING, style.FAINT, lw=0.6, ls=(0, (3, 2)))
    r, c = np.nonzero(inside)
    cells.cells(ax, 1, top, r, c, style.PAPER, style.FAINT, lw=0.6)
    cv.text(x0 + n / 2, top + side + 0.55, f"input {cells.dims(n, n)}", weight="bold")
    colours = style.FILTERS
    # biggest first so smaller ones lie on top; fills only for the first layer
    for i in reversed(range(len(spans))):
        start, size = spans[i]
        col = colours[i % len(colours)]
        if i == 0:
            ax.add_patch(_rect(x0 + start, y0 + start, size, style.tint(col, 0.35), None))
        ax.add_patch(_rect(x0 + start + 0.06 * i, y0 + start + 0.06 * i, size - 0.12 * i, "none",
                           col, lw=2.4, zorder=5 + i))
    lx = 1 + side + 1.2
    cv.text(lx, top + 0.1, "after layer", ha="left", weight="bold", size=style.FONT_SIZE * 0.9)
    texts = []
    for i, (layer, rf) in enumerate(zip(facts["layers"], facts["rf"])):
        y = top + 1.0 + 1.2 * i
        ax.add_patch(_rect(lx, y - 0.35, 0.7, style.tint(colours[i % len(colours)], 0.35)
                           if i == 0 else "none", colours[i % len(colours)], lw=2.2))
        what = f"{layer['name']}: {layer['kernel']}\u00d7{layer['kernel']}, stride {layer['stride']}"
        if layer["padding"]:
            what += f", pad {layer['padding']}"
        if layer["dilation"] > 1:
            what += f", dilation {layer['dilation']}"
        cv.text(lx + 1.1, y - 0.2, what, ha="left", size=style.FONT_SIZE * 0.85)
        texts.append(cv.text(lx + 1.1, y + 0.35, f"sees {cells.dims(rf, rf)} input pixels",
                             ha="left", size=style.FONT_SIZE * 0.85, color=style.MUTED))
    return cv, texts


def _rect(x, y, size, face, edge, lw=0.0, zorder=2):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), size, size, facecolor=face, edgecolor=edge or "none", lw=lw,
                     zorder=zorder, joinstyle="miter", clip_on=False)


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    cv, _ = render_scene(params, data, facts)
    return {"svg": encode.svg(cv.fig)}


KIND = Kind("receptive_field", short(__name__), "Receptive fields", prepare, describe)
