"""The residual block drawn with its skip arrow: a[l] goes through two 3x3 convolutions
while a shortcut carries it around them to the addition before the last ReLU.
One row per block of a built-in ResNet: an identity block, and the first block whose
shape changes, where the shortcut is the 1x1 projection.

Every shape is a row of the network's layer table (:func:`generator.tables.layer_table`);
the middle activation a[l+1] is :func:`generator.nn.conv2d_output_hw` of the block's first
3x3 convolution (stride of the block, padding 1).
"""

from __future__ import annotations

from . import encode, style
from .. import text
from ..nn import shapes
from ..specs import SPEC_DIR
from .kind import Kind, Prepared, short

#: The figure is computed from the specs: their bytes are part of its cache key.
DATA_FILES = tuple(sorted(SPEC_DIR.glob("*.yaml")))

# ------------------------------------------------------------------ computed


def blocks(network: str) -> list[dict]:
    """The first identity block and the first projection block of ``network``'s basic or
    bottleneck blocks: name, ``input``, ``mid`` (a[l+1]), ``output`` (C, H, W), ``stride``,
    ``projection`` (shapes differ, so the shortcut is a 1x1 convolution)."""
    from ..specs import load_builtin
    from ..tables import layer_table

    table = layer_table(load_builtin(network))
    out = {}
    for r in table.rows:
        if r.type not in ("basic", "bottleneck"):
            continue
        proj = tuple(r.input_shape) != tuple(r.output_shape)
        if proj in out:
            continue
        stride = r.input_shape[1] // r.output_shape[1]
        mid_hw = shapes.conv2d_output_hw(r.input_shape[1:], 3, stride, 1)
        out[proj] = {"name": r.name, "input": list(r.input_shape), "output": list(r.output_shape),
                     "mid": [r.output_shape[0], *mid_hw], "stride": stride, "projection": proj}
    if False not in out or True not in out:
        raise ValueError(f"network {network!r} has no identity and projection residual blocks")
    return [out[False], out[True]]


def prepare(p: dict) -> Prepared:
    """Parameters: ``network`` (a built-in ResNet). facts: ``network``, ``blocks``."""
    from ..specs import load_builtin
    return Prepared({}, {"network": load_builtin(p["network"]).name,
                         "blocks": blocks(p["network"])})


def describe(p: dict, f: dict) -> tuple[str, str]:
    idn, prj = f["blocks"]
    alt = (f"Two residual blocks of {f['network']}, each drawn left to right: a[l] goes through a "
           f"3×3 convolution, batch norm and ReLU to a[l+1], then a 3×3 convolution and batch norm "
           f"to z[l+2]; an arrow, the skip connection, leaves a[l] above the layers and joins at a "
           f"plus sign, the addition z[l+2] + a[l], followed by a ReLU giving a[l+2]. Top, block "
           f"{idn['name']}: {text.shape(idn['input'])} in and out ({text.SHAPE_LAYOUT}), the skip "
           f"is the identity. Bottom, block {prj['name']}: {text.shape(prj['input'])} to "
           f"{text.shape(prj['output'])}, the skip is a 1×1 convolution with stride "
           f"{prj['stride']} (the projection shortcut).")
    caption = (f"Residual blocks of {f['network']} with their skip connections: the identity "
               f"shortcut, and the 1×1 projection where the shape changes ({text.SHAPE_LAYOUT}).")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
    width, row_h = 15.0, 4.6
    height = 2 * row_h + 0.6
    scale = style.MAX_WIDTH_INCH / width
    fig = Figure(figsize=(width * scale, height * scale), dpi=style.GIF_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.3, width + 0.3)  # a[l+2]'s shape, centred at 14.1, ends near 15
    ax.set_ylim(0, height)
    ax.set_axis_off()
    txt = dict(ha="center", va="center", fontsize=style.FONT_SIZE, clip_on=False)

    def arrow(x0, y0, x1, y1, colour=style.INK, rad=0.0, lw=1.3):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=11,
                                     color=colour, lw=lw, connectionstyle=f"arc3,rad={rad}",
                                     zorder=3))

    def layer(x, y, w, label, face):
        ax.add_patch(FancyBboxPatch((x, y - 0.6), w, 1.2, boxstyle="round,pad=0.05",
                                    facecolor=face, edgecolor=style.INK, lw=0.9, zorder=2))
        ax.text(x + w / 2, y, label, **txt)

    for i, b in enumerate(facts["blocks"]):
        y = height - 0.4 - row_h * i - 2.9    # the row's main line
        title = (f"block {b['name']}: identity shortcut" if not b["projection"] else
                 f"block {b['name']}: projection shortcut")
        ax.text(width / 2, y + 2.75, title, weight="bold", ha="center", va="center",
                fontsize=style.TITLE_SIZE)
        xs = {"a0": 0.8, "l1": 1.7, "a1": 5.6, "l2": 6.6, "add": 10.9, "relu": 11.8, "a2": 14.1}
        ax.text(xs["a0"], y, "a[l]", weight="bold", **txt)
        ax.text(xs["a0"], y - 0.8, text.shape(b["input"]), color=style.MUTED, **txt)
        s = f", stride {b['stride']}" if b["stride"] > 1 else ""
        layer(xs["l1"], y, 3.0, f"3×3 conv{s}\nBN, ReLU", style.INPUT)
        ax.text(xs["a1"], y, "a[l+1]", weight="bold", **txt)
        ax.text(xs["a1"], y - 0.8, text.shape(b["mid"]), color=style.MUTED, **txt)
        layer(xs["l2"], y, 2.4, "3×3 conv\nBN", style.INPUT)
        ax.text(xs["l2"] + 3.3, y + 0.35, "z[l+2]", color=style.MUTED, **txt)
        ax.add_patch(Circle((xs["add"], y), 0.32, facecolor=style.PAPER, edgecolor=style.INK,
                            lw=1.2, zorder=3))
        ax.text(xs["add"], y, "+", fontsize=style.TITLE_SIZE, weight="bold", ha="center",
                va="center", zorder=4)
        layer(xs["relu"], y, 1.3, "ReLU", style.OUTPUT_DONE)
        ax.text(xs["a2"], y, "a[l+2]", weight="bold", **txt)
        ax.text(xs["a2"], y - 0.8, text.shape(b["output"]), color=style.MUTED, **txt)
        arrow(xs["a0"] + 0.4, y, xs["l1"] - 0.05, y)
        arrow(xs["l1"] + 3.05, y, xs["a1"] - 0.55, y)
        arrow(xs["a1"] + 0.55, y, xs["l2"] - 0.05, y)
        arrow(xs["l2"] + 2.45, y, xs["add"] - 0.32, y)
        arrow(xs["add"] + 0.32, y, xs["relu"] - 0.05, y)
        arrow(xs["relu"] + 1.35, y, xs["a2"] - 0.6, y)
        # the skip: up from a[l], along the top, down into the addition
        skip = style.KERNEL_DARK
        top = y + 1.5
        ax.plot([xs["a0"], xs["a0"], xs["add"]], [y + 0.3, top, top], color=skip, lw=2.0,
                zorder=3, solid_joinstyle="round")
        arrow(xs["add"], top, xs["add"], y + 0.32, colour=skip, lw=2.0)
        label = ("skip connection: identity, a[l] added as it is" if not b["projection"] else
                 f"skip connection: 1×1 conv, stride {b['stride']} → {text.shape(b['output'])}")
        ax.text((xs["a0"] + xs["add"]) / 2, top + 0.35, label, color=skip, **txt)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("residual_block", short(__name__), "Architectures", prepare, describe)
