"""Tensors as 3-D boxes: an H x W x C input, F filters of K x K x C, and the
F stacked output maps they produce.

Boxes are drawn in oblique projection: the front face is H x W, depth (the
channels) recedes up and to the right. Widths and heights are to scale within
a figure; depth is drawn on its own scale (a 3-channel volume would be a
sliver otherwise) and every box has its size written under it.
"""

from __future__ import annotations


from . import encode, style
from .boxes import DEPTH, box, canvas, slabs
from .. import text
from ..nn import shapes
from .wording import dims, plural, side
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


def prepare(p: dict) -> Prepared:
    """Shapes of a convolution over a volume: C x H x W input, F filters, output maps.

    Parameters: ``input`` [C, H, W] (channels first, as specs and tables write
    shapes), ``kernel`` (int), ``filters`` (int), ``stride`` (1), ``padding`` (0).

    facts: ``input`` [C, H, W], ``kernel``, ``filter`` [C, K, K], ``filters``,
    ``out`` [F, OH, OW] with OH, OW from :func:`generator.nn.shapes.conv2d_output_hw`.
    """
    c, h, w = (int(v) for v in p["input"])
    k, n = int(p["kernel"]), int(p["filters"])
    s, pd = p.get("stride", 1), p.get("padding", 0)
    oh, ow = shapes.conv2d_output_hw((h, w), k, s, pd)
    if n < 1:
        raise ValueError(f"filters must be at least 1, got {n}")
    return Prepared({}, {"input": [c, h, w], "kernel": k, "filter": [c, k, k],
                         "filters": n, "stride": shapes.pair(s, "stride"),
                         "padding": shapes.pair(pd, "padding"), "out": [n, oh, ow]})


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    c, h, w = f["input"]
    n, k = f["filters"], f["kernel"]
    alt = (f"Three boxes: an input volume {dims(f['input'])} ({text.SHAPE_LAYOUT}: channels, "
           f"height, width), {plural(n, 'filter')} of {dims(f['filter'])} (each as deep as the "
           f"input), and the output volume {dims(f['out'])}: one {dims(f['out'][1:])} map per filter, "
           f"stacked. A {k}\u00d7{k} patch through all {c} input channels is highlighted, "
           f"with an arrow to the one output value it produces.")
    caption = (f"A {dims(f['input'])} input convolved with {plural(n, 'filter')} of "
               f"{dims(f['filter'])} (stride {side(f['stride'])}, padding {side(f['padding'])}) "
               f"gives {dims(f['out'])}: one map per filter.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


SPATIAL = 3.6          #: the tallest front face, in units
#: Depth drawn for a volume is kept between these (in units): a 3-channel volume
#: beside a 32-pixel face would be a sliver, 512 channels would fill the figure.
DEPTH_MIN, DEPTH_MAX = 0.3, 2.4


def depth(channels: int, unit: float, most: int) -> float:
    """How deep a volume of ``channels`` is drawn when one pixel is ``unit`` wide and the
    deepest volume of the figure has ``most`` channels: to the same scale as height and
    width (a channel as deep as a pixel is wide) unless ``most`` channels would then be
    deeper than :data:`DEPTH_MAX`; then every volume shrinks by the same factor, so depths
    keep their ratios. Never thinner than :data:`DEPTH_MIN`. Input and filters have the
    same channels, so they are always drawn exactly as deep as each other."""
    return max(channels * min(unit, DEPTH_MAX / most), DEPTH_MIN)


def geometry(facts: dict) -> dict:
    """Sizes in drawing units: ``unit`` (one pixel), the front faces and depths of the
    input, of each filter and of the output."""
    c, h, w = facts["input"]
    k = facts["kernel"]
    n, oh, ow = facts["out"]
    unit = SPATIAL / max(h, w)
    most = max(c, n)
    return {"unit": unit, "input": (w * unit, h * unit, depth(c, unit, most)),
            "filter": (k * unit, k * unit, depth(c, unit, most)),
            "output": (ow * unit, oh * unit, depth(n, unit, most))}


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.patches import Polygon
    c, h, w = facts["input"]
    k, n = facts["kernel"], facts["filters"]
    _, oh, ow = facts["out"]
    g = geometry(facts)
    unit = g["unit"]
    shown = min(n, 8)  # more filters: the first 8 and a note
    # positions (y up): input, filters, output in a row on a common baseline
    iw, ih, idp = g["input"]
    kw_, kh_, fdp = g["filter"]
    ow_, oh_ = ow * unit, oh * unit
    gap = 1.7
    x_in = 0.6
    x_f = x_in + iw + DEPTH[0] * idp + gap
    f_step = kh_ + 0.35
    f_col_h = min(shown, 4) * f_step
    f_cols = -(-shown // 4)
    x_out = x_f + f_cols * (kw_ + DEPTH[0] * idp + 0.5) + gap - 0.5
    odp = g["output"][2]
    width = x_out + ow_ + DEPTH[0] * odp + 0.8
    base = 1.3
    height = base + max(ih + DEPTH[1] * idp, f_col_h, oh_ + DEPTH[1] * odp) + 2.3
    fig, ax = canvas(width, height, style.CELL_INCH * 2.1)
    txt = dict(ha="center", va="center", fontsize=style.FONT_SIZE, clip_on=False)
    mid = base + max(ih, oh_, f_col_h) / 2

    # input: one slab per channel when few, one box otherwise
    y_in = base + (max(ih, oh_, f_col_h) - ih) / 2
    if c <= 4:
        slabs(ax, x_in, y_in, iw, ih, idp, c, [style.INPUT])
    else:
        box(ax, x_in, y_in, iw, ih, idp, style.INPUT)
    # the receptive volume of output (0, 0): K x K at the top-left, through all channels
    rx, ry = x_in, y_in + ih - kh_
    box(ax, rx, ry, kw_, kh_, fdp, style.tint(style.SERIES[0], 0.35), edge=style.SERIES[0],
        lw=1.6, zorder=3)
    ax.text(x_in + iw / 2, base - 0.45, f"input {text.shape(facts['input'])} ({text.SHAPE_LAYOUT})", weight="bold", **txt)

    ax.text(x_f - gap / 2, mid, "\u2217", fontsize=20, ha="center", va="center")
    colours = [style.tint(col, 0.55) for col in style.FILTERS]
    for i in range(shown):
        col, row = divmod(i, 4)
        fx = x_f + col * (kw_ + DEPTH[0] * idp + 0.5)
        fy = mid + (min(shown, 4) * f_step) / 2 - (row + 1) * f_step + 0.175
        box(ax, fx, fy, kw_, kh_, fdp, colours[i % len(colours)], zorder=3 + i * 0.01)
    f_label = f"{n} filter{'s' if n > 1 else ''} {text.shape(facts['filter'])}"
    ax.text(x_f + (f_cols * (kw_ + DEPTH[0] * idp + 0.5) - 0.5) / 2, base - 0.45, f_label,
            weight="bold", **txt)
    if n > shown:
        ax.text(x_f + kw_, base - 0.95, f"(first {shown} drawn)", color=style.MUTED, **txt)

    ax.text(x_out - gap / 2, mid, "=", fontsize=20, ha="center", va="center")
    y_out = base + (max(ih, oh_, f_col_h) - oh_) / 2
    if n <= 8:
        slabs(ax, x_out, y_out, ow_, oh_, odp, n, colours)
    else:
        box(ax, x_out, y_out, ow_, oh_, odp, colours[0])
    # the output cell the receptive volume becomes, on the first map
    cell = max(unit, 0.18)
    ax.add_patch(Polygon([(x_out, y_out + oh_ - cell), (x_out + cell, y_out + oh_ - cell),
                          (x_out + cell, y_out + oh_), (x_out, y_out + oh_)],
                         facecolor=style.SERIES[0], edgecolor=style.INK, lw=0.8, zorder=4))
    ax.annotate("", xy=(x_out + cell / 2, y_out + oh_ - cell / 2),
                xytext=(rx + kw_ + DEPTH[0] * idp, ry + kh_ + DEPTH[1] * idp / 2),
                arrowprops=dict(arrowstyle="->", color=style.SERIES[0], lw=1.2,
                                connectionstyle="arc3,rad=-0.25", shrinkA=2, shrinkB=2),
                zorder=6)
    out_label = f"output {text.shape(facts['out'])}"
    ax.text(x_out + (ow_ + DEPTH[0] * odp) / 2, base - 0.45, out_label, weight="bold", **txt)
    ax.text(x_out + (ow_ + DEPTH[0] * odp) / 2, base - 0.95,
            f"{n} map{'s' if n > 1 else ''} of {oh}\u00d7{ow}, one per filter",
            color=style.MUTED, **txt)
    title = params.get("title") or (
        "convolution over a volume" if n == 1 else "convolution over a volume: one map per filter")
    ax.text(width / 2, height - 0.5, title, weight="bold", ha="center", va="center",
            fontsize=style.TITLE_SIZE)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("volume_conv", short(__name__), "Volumes", prepare, describe)
