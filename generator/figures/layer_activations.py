"""One image through every layer of a network: a row per layer, left to right.

Maps (C, H, W) are drawn as C small images on a signed scale shared by the
row (blue below zero, vermillion above); flat vectors (F,) as a strip of
F cells; the final class probabilities as bars. Each row says the layer and
its output shape. Drawn as a palette PNG.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .kind import Kind, short
from .image_grid import show

LABEL_W = 1.45  #: inches for the row labels on the left
MAX_PER_ROW = 16


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    rows = facts["rows"]
    width = style.MAX_WIDTH_INCH
    avail = width - LABEL_W - 0.1
    heights = []
    for row in rows:
        a = data[row["key"]]
        if row["type"] == "maps":
            per = min(len(a), MAX_PER_ROW)
            heights.append(min(avail / per, 0.95) * max(1, -(-len(a) // MAX_PER_ROW)))
        elif row["type"] == "image":
            heights.append(0.95)
        elif row["type"] == "bars":
            heights.append(1.0)
        else:
            heights.append(0.32)
    gap = 0.16
    top = 0.45
    height = top + sum(heights) + gap * len(rows) + 0.1
    fig = Figure(figsize=(width, height), dpi=style.GIF_DPI)
    fig.text(0.5, 1 - 0.22 / height, params.get("title", ""), ha="center", va="center",
             fontsize=style.TITLE_SIZE, weight="bold")
    y = top
    for row, h in zip(rows, heights):
        a = np.asarray(data[row["key"]], dtype=float)
        fig.text(0.08 / width, 1 - (y + h / 2) / height, row["label"], ha="left", va="center",
                 fontsize=style.FONT_SIZE * 0.85, linespacing=1.2)
        x0 = LABEL_W
        if row["type"] in ("maps", "image"):
            maps = a if row["type"] == "maps" else a[None]
            per = min(len(maps), MAX_PER_ROW)
            side = h if row["type"] == "image" else min(avail / per, 0.95)
            lim = float(np.abs(maps).max()) or 1.0
            for i, m in enumerate(maps):
                r, c = divmod(i, MAX_PER_ROW)
                ax = fig.add_axes(((x0 + c * side + 0.02) / width,
                                   1 - (y + (r + 1) * side - 0.02) / height,
                                   (side - 0.04) / width, (side - 0.04) / height))
                if row["type"] == "image":
                    show(ax, m, signed=False)
                else:
                    show(ax, m, signed=True, limit=lim)
        elif row["type"] == "vector":
            ax = fig.add_axes((x0 / width, 1 - (y + h) / height, avail / width, h / height))
            show(ax, a[None, :], signed=True)
            ax.set_aspect("auto")
        else:  # bars: class probabilities
            ax = fig.add_axes((x0 / width, 1 - (y + h) / height + 0.18 / height,
                               min(avail, 4.0) / width, (h - 0.22) / height))
            best = int(row["best"])
            colours = [style.OKABE_ITO["vermillion"] if i == best else style.tint(
                style.OKABE_ITO["blue"], 0.55) for i in range(len(a))]
            ax.bar(range(len(a)), a, color=colours, width=0.7)
            ax.set_xticks(range(len(a)))
            ax.tick_params(labelsize=style.FONT_SIZE * 0.75, length=0)
            ax.set_ylim(0, 1)
            ax.set_yticks([0, 1])
            for s in ("top", "right"):
                ax.spines[s].set_visible(False)
        y += h + gap
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"png": encode.png_palette(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("layer_activations", short(__name__), "Trained networks", still="png")
