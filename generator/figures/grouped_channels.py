"""Grouped convolution as connections between channels: a row of input channels below a
row of output channels, one line from each input channel to every output channel whose
filter reads it, for several numbers of groups side by side.

The connections are computed by :func:`generator.nn.conv2d` itself (:func:`connections`):
each input channel alone set to 1, the outputs that respond are the ones its filters read.
Lines take the colour of their group.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .. import nn
from .kind import Kind, Prepared, short
from .wording import plural

# ------------------------------------------------------------------ computed


def connections(weight: np.ndarray, groups: int) -> np.ndarray:
    """The (F, C) matrix of which input channel each output channel of a convolution with
    ``weight`` (F, C // groups, KH, KW) reads: 1 where it does, 0 where it does not.

    Computed by running the convolution on C probes, probe i being input channel i alone
    set to 1 (a KH×KW patch, so one output position sees it whole), with the weights'
    magnitudes plus 1 (every tap nonzero, so a zero weight cannot hide a connection).
    """
    f, cg, kh, kw = weight.shape
    c = cg * groups
    probes = np.zeros((c, c, kh, kw))                  # (C probes, C, KH, KW)
    probes[np.arange(c), np.arange(c)] = 1.0
    response = nn.conv2d(probes, np.abs(weight) + 1, groups=groups)  # (C, F, 1, 1)
    return (response[:, :, 0, 0] != 0).T.astype(int)   # (C, F) -> (F, C)


def prepare(p: dict) -> Prepared:
    """Parameters: ``channels`` C (input and output), ``groups`` a list of group counts
    dividing C.

    data: ``groups_<g>`` the (C, C) connection matrix of :func:`connections` for a 1×1
    convolution with ``g`` groups. facts: ``channels``, ``groups``, ``edges`` (lines per
    panel: C·C/g, the weights of a 1×1 layer), ``per_group`` (C/g).
    """
    c = int(p["channels"])
    groups = [int(g) for g in p["groups"]]
    for g in groups:
        if g < 1 or c % g:
            raise ValueError(f"groups {g} does not divide the {c} channels")
    data, edges = {}, []
    for g in groups:
        m = connections(np.ones((c, c // g, 1, 1)), g)
        data[f"groups_{g}"] = m
        edges.append(int(m.sum()))
    return Prepared(data, {"channels": c, "groups": groups, "edges": edges,
                           "per_group": [c // g for g in groups]})


def describe(p: dict, f: dict) -> tuple[str, str]:
    c = f["channels"]
    panels = "; ".join(
        f"groups = {g}: each output channel joined to {k} input channels, {e} lines"
        for g, k, e in zip(f["groups"], f["per_group"], f["edges"]))
    alt = (f"{len(f['groups'])} diagrams side by side, each a row of {c} input channels below a "
           f"row of {c} output channels, with a line from every input channel to each output "
           f"channel whose filter reads it, coloured by group. {panels}. The more groups, the "
           f"fewer lines: the lines are the weights of a 1×1 convolution.")
    caption = (f"Which input channels each output channel reads, {c} channels in and out: "
               + ", ".join(f"{plural(e, 'weight')} with groups = {g}"
                           for g, e in zip(f["groups"], f["edges"])) + " (1×1 filters).")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    from .boxes import canvas
    c, groups = facts["channels"], facts["groups"]
    panel, gap, left = c + 0.6, 1.0, 1.7
    width, height = left + len(groups) * panel + (len(groups) - 1) * gap, 5.5
    fig, ax = canvas(width, height, style.CELL_INCH * 1.6)
    y_in, y_out, r = 1.0, 3.5, 0.36
    for j, (g, per, edges) in enumerate(zip(groups, facts["per_group"], facts["edges"])):
        x0 = left - 0.6 + j * (panel + gap)
        xs = x0 + 0.8 + np.arange(c)
        m = np.asarray(data[f"groups_{g}"])
        colour = [style.FILTERS[(i // per) % len(style.FILTERS)] if g > 1 else style.MUTED
                  for i in range(c)]
        for o in range(c):
            for i in range(c):
                if m[o, i]:
                    ax.plot([xs[i], xs[o]], [y_in + r / 2, y_out - r / 2], color=colour[i],
                            lw=1.4 if g > 1 else 0.8, zorder=2, solid_capstyle="butt")
        for y, face in ((y_in, style.INPUT), (y_out, style.OUTPUT_DONE)):
            for i, x in enumerate(xs):
                ax.add_patch(_square(x, y, r, face, colour[i] if g > 1 else style.INK))
        centre = x0 + 0.8 + (c - 1) / 2
        ax.text(centre, height - 0.4, f"groups = {g}", weight="bold", ha="center", va="center",
                fontsize=style.TITLE_SIZE)
        ax.text(centre, height - 0.95, f"{per} channels per group", color=style.MUTED,
                ha="center", va="center", fontsize=style.FONT_SIZE)
        ax.text(centre, 0.3, f"{edges} weights", ha="center", va="center",
                fontsize=style.FONT_SIZE)
        if j == 0:
            ax.text(xs[0] - 0.45, y_in, "in", ha="right", va="center", color=style.MUTED,
                    fontsize=style.FONT_SIZE)
            ax.text(xs[0] - 0.45, y_out, "out", ha="right", va="center", color=style.MUTED,
                    fontsize=style.FONT_SIZE)
    return fig


def _square(x, y, r, face, edge):
    from matplotlib.patches import Rectangle
    return Rectangle((x - r / 2, y - r / 2), r, r, facecolor=face, edgecolor=edge, lw=1.2,
                     zorder=5)


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("grouped_channels", short(__name__), "Volumes", prepare, describe)
