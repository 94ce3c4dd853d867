"""The 1x1 convolution as a tube through the channels: at one position a 1x1xC filter
takes the dot product of the C values under it (a tube through the whole depth of the
input) and writes one number; F such filters give F maps of the same height and width.

Depths follow :func:`.volumes.depth`, so the filter is drawn exactly as deep as the input.
"""

from __future__ import annotations

from . import encode, style
from .. import text
from ..nn import shapes
from ..tables import counts
from .boxes import DEPTH, box, canvas, slabs
from .volumes import SPATIAL, depth
from .wording import dims, plural
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed


def prepare(p: dict) -> Prepared:
    """Parameters: ``input`` [C, H, W], ``filters`` F, ``at`` [row, col] (the position drawn).

    facts: ``input``, ``filter`` [C, 1, 1], ``filters``, ``out`` [F, H', W'] from
    :func:`generator.nn.shapes.conv2d_output_hw` with a 1x1 kernel, ``at``, ``macs_per_value``
    (C: one multiply-accumulate per channel), ``macs`` of the layer, ``params`` (weights, biases).
    """
    c, h, w = (int(v) for v in p["input"])
    n = int(p["filters"])
    if n < 1:
        raise ValueError(f"filters must be at least 1, got {n}")
    oh, ow = shapes.conv2d_output_hw((h, w), 1)
    r, col = (int(v) for v in p.get("at", [h // 2, w // 2]))
    if not (0 <= r < h and 0 <= col < w):
        raise ValueError(f"at {[r, col]} is outside the {h}x{w} input")
    return Prepared({}, {"input": [c, h, w], "filter": [c, 1, 1], "filters": n,
                         "out": [n, oh, ow], "at": [r, col],
                         "macs_per_value": counts.conv2d_macs(c, 1, (1, 1), (1, 1)),
                         "macs": counts.conv2d_macs(c, n, (1, 1), (oh, ow)),
                         "params": list(counts.conv2d_params(c, n, (1, 1)))})


def describe(p: dict, f: dict) -> tuple[str, str]:
    c = f["input"][0]
    n = f["filters"]
    alt = (f"An input volume {dims(f['input'])} ({text.SHAPE_LAYOUT}) with one position "
           f"highlighted as a thin tube through all {c} channels; a 1×1 filter {dims(f['filter'])}, "
           f"drawn as a tube just as deep, multiplies the {c} values of the tube and sums them into "
           f"one number ({f['macs_per_value']} multiply-accumulates), written at the same position "
           f"of one output map. With {plural(n, 'filter')} the output is {dims(f['out'])}: "
           f"height and width unchanged, depth {c} becomes {n}.")
    caption = (f"A 1×1 convolution: each output value is a dot product down a tube of {c} "
               f"channels; {plural(n, 'filter')} turn {dims(f['input'])} into {dims(f['out'])}.")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    from matplotlib.patches import Polygon
    c, h, w = facts["input"]
    n, oh, ow = facts["out"]
    r, col = facts["at"]
    unit = SPATIAL / max(h, w)
    idp, odp = depth(c, unit, max(c, n)), depth(n, unit, max(c, n))
    iw, ih = w * unit, h * unit
    ow_, oh_ = ow * unit, oh * unit
    tube = max(unit, 0.22)           # a 1x1 face, drawn at least this wide to be seen
    gap, base = 1.6, 1.4
    x_in = 0.6
    x_f = x_in + iw + DEPTH[0] * idp + gap
    x_out = x_f + tube + DEPTH[0] * idp + gap
    width = x_out + ow_ + DEPTH[0] * odp + 0.8
    top = max(ih + DEPTH[1] * idp, oh_ + DEPTH[1] * odp)
    height = base + top + 1.9
    fig, ax = canvas(width, height, style.CELL_INCH * 2.1)
    txt = dict(ha="center", va="center", fontsize=style.FONT_SIZE, clip_on=False)

    box(ax, x_in, base, iw, ih, idp, style.INPUT)
    # the tube at (r, col): rows counted from the top of the front face
    tx, ty = x_in + col * unit, base + ih - (r + 1) * unit
    box(ax, tx, ty, tube, tube, idp, style.KERNEL, edge=style.KERNEL_DARK, lw=1.2, zorder=4)
    ax.text(x_in + (iw + DEPTH[0] * idp) / 2, base - 0.45,
            f"input {text.shape(facts['input'])} ({text.SHAPE_LAYOUT})", weight="bold", **txt)
    ax.text(x_in + (iw + DEPTH[0] * idp) / 2, base - 0.95,
            f"a tube of {c} values at one position", color=style.MUTED, **txt)

    mid = base + ih / 2
    ax.text(x_f - gap / 2, mid, "\u2217", fontsize=style.TITLE_SIZE * 2, ha="center", va="center")
    box(ax, x_f, mid - tube / 2, tube, tube, idp, style.tint(style.KERNEL, 0.55),
        edge=style.KERNEL_DARK, lw=1.2, zorder=3)
    ax.text(x_f + (tube + DEPTH[0] * idp) / 2, base - 0.45,
            f"filter {text.shape(facts['filter'])}", weight="bold", **txt)
    ax.text(x_f + (tube + DEPTH[0] * idp) / 2, base - 0.95,
            f"{facts['macs_per_value']} MACs per value", color=style.MUTED, **txt)

    ax.text(x_out - gap / 2, mid, "=", fontsize=style.TITLE_SIZE * 2, ha="center", va="center")
    shown = min(n, 8)
    colours = [style.tint(x, 0.55) for x in style.FILTERS]
    if odp / shown >= 0.12:   # thinner slabs would be all edge
        slabs(ax, x_out, base, ow_, oh_, odp, shown, colours)
    else:
        box(ax, x_out, base, ow_, oh_, odp, colours[0])
    cx, cy = x_out + col * unit, base + oh_ - (r + 1) * unit
    ax.add_patch(Polygon([(cx, cy), (cx + tube, cy), (cx + tube, cy + tube), (cx, cy + tube)],
                         facecolor=style.KERNEL, edgecolor=style.INK, lw=0.8, zorder=6))
    ax.annotate("", xy=(cx + tube / 2, cy + tube), xytext=(x_f + tube / 2 + DEPTH[0] * idp / 2,
                                                           mid + tube / 2 + DEPTH[1] * idp / 2),
                arrowprops=dict(arrowstyle="->", color=style.KERNEL_DARK, lw=1.2,
                                connectionstyle="arc3,rad=-0.3", shrinkA=2, shrinkB=2), zorder=7)
    ax.text(x_out + (ow_ + DEPTH[0] * odp) / 2, base - 0.45,
            f"output {text.shape(facts['out'])}", weight="bold", **txt)
    ax.text(x_out + (ow_ + DEPTH[0] * odp) / 2, base - 0.95,
            f"one map per filter ({n})", color=style.MUTED, **txt)
    ax.text(width / 2, height - 0.45, "1×1 convolution: a dot product through the channels",
            weight="bold", ha="center", va="center", fontsize=style.TITLE_SIZE)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("one_by_one", short(__name__), "Volumes", prepare, describe)
