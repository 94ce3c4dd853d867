"""A matrix with its value printed in every cell: a confusion matrix, a Gram matrix.

Cells are shaded by value (white to blue; blue-white-vermillion when
``signed``); with ``diagonal`` the diagonal is outlined, and off-diagonal
non-zero cells are tinted vermillion (mistakes in a confusion matrix).
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .kind import Kind, short


def fmt(v: float, digits: int) -> str:
    """``12`` not ``12.00``, ``0.5``, ``−3.25``: at most ``digits`` decimals."""
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{v:.0f}"
    return "0" if s in ("-0", "0", "") else s.replace("-", "\u2212")


def _draw(ax, m: np.ndarray, panel: dict, digits: int, signed: bool, diagonal: bool):
    k_rows, k_cols = m.shape
    if signed:
        lim = float(np.abs(m).max()) or 1.0
        ax.imshow(m, cmap=style.colour_map("signed"), vmin=-lim, vmax=lim, interpolation="nearest")
    else:
        shade = np.log1p(np.abs(m)) if diagonal else m
        ax.imshow(shade, cmap=style.colour_map("blues"), vmin=0, vmax=float(shade.max()) or 1.0,
                  interpolation="nearest")
    strong = float(np.abs(m).max()) or 1.0
    for r in range(k_rows):
        for c in range(k_cols):
            v = m[r, c]
            if diagonal and r != c and v:
                ax.add_patch(_cell(r, c, style.tint(style.POSITIVE, 0.55)))
            dark = (np.log1p(abs(v)) / np.log1p(strong) if diagonal else abs(v) / strong) > 0.6
            ax.text(c, r, fmt(float(v), digits), ha="center", va="center",
                    fontsize=style.NUMBER_SIZE * (0.9 if k_cols <= 10 else 0.75),
                    color=style.PAPER if dark and not (diagonal and r != c) else style.INK)
    ax.set_xticks(range(k_cols), panel.get("xticks", list(range(k_cols))))
    ax.set_yticks(range(k_rows), panel.get("yticks", list(range(k_rows))))
    ax.tick_params(length=0)
    ax.set_xlabel(panel.get("xlabel", ""))
    ax.set_ylabel(panel.get("ylabel", ""))
    if panel.get("title"):
        ax.set_title(panel["title"], fontsize=style.TITLE_SIZE)
    for s in ax.spines.values():
        s.set_visible(False)


def _cell(r, c, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=colour, edgecolor="none", zorder=1)


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    panels = params.get("panels", [params])
    n = len(panels)
    side = min(4.6, (style.MAX_WIDTH_INCH - 0.4) / n)
    fig = Figure(figsize=(side * n + 0.4, side + 0.5), dpi=style.GIF_DPI)
    axes = fig.subplots(1, n, squeeze=False)[0]
    fig.subplots_adjust(left=0.12 if n > 1 else 0.1, right=0.98, top=0.9, bottom=0.12,
                        wspace=0.45)
    for ax, panel in zip(axes, panels):
        key = panel.get("key", "matrix")
        _draw(ax, np.asarray(data[key], dtype=float), panel,
              int(panel.get("digits", params.get("digits", 2))),
              bool(params.get("signed")), bool(params.get("diagonal")))
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("heatmap", short(__name__), "Trained networks")
