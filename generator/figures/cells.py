"""Drawing grids of cells: the building block of most figures.

Coordinates are in cell units: cell ``(r, c)`` of a grid whose top-left
corner is at ``(x0, y0)`` covers ``x0+c .. x0+c+1`` and ``y0+r .. y0+r+1``,
with y growing downwards (like array rows). :func:`canvas` makes a figure
whose axes span exactly such a coordinate box, at a fixed size per cell.
"""

from __future__ import annotations

import numpy as np

from . import style


class Canvas:
    """A figure ``width`` x ``height`` cell units large; ``scale`` shrinks text on big grids."""

    def __init__(self, width: float, height: float):
        from matplotlib.figure import Figure
        cell = min(style.CELL_INCH, style.MAX_WIDTH_INCH / width)
        self.width, self.height = width, height
        self.scale = cell / style.CELL_INCH
        self.fig = Figure(figsize=(width * cell, height * cell), dpi=style.GIF_DPI)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(height, 0)
        self.ax.set_axis_off()

    def text(self, x, y, s, size=style.FONT_SIZE, **kw):
        """Text at ``(x, y)`` in cell units, centred unless told otherwise."""
        kw.setdefault("ha", "center")
        kw.setdefault("va", "center")
        kw.setdefault("clip_on", False)
        return self.ax.text(x, y, s, fontsize=size * max(self.scale, 0.75), **kw)

    def legend(self, entries: list[tuple[str, dict]], y: float, ncol: int | None = None):
        """A row of legend swatches centred at height ``y``; entries are (label, patch style)."""
        from matplotlib.patches import Patch
        handles = [Patch(label=label, **kw) for label, kw in entries]
        return self.ax.legend(
            handles=handles, loc="center", bbox_to_anchor=(self.width / 2, y),
            bbox_transform=self.ax.transData, ncol=ncol or len(handles), frameon=False,
            fontsize=style.FONT_SIZE * max(self.scale, 0.75) * 0.9, handlelength=1.2,
            handleheight=1.2, columnspacing=1.2, borderaxespad=0)


def squares(x0: float, y0: float, rows, cols, inset: float = 0.0, span=None) -> np.ndarray:
    """Corner points of the cells ``(rows[i], cols[i])``: shape (n, 4, 2).

    ``inset`` shrinks each square evenly; ``span = (lo, hi)`` instead keeps
    the part ``lo..hi`` (in cell units) of each cell along both axes.
    """
    r = np.asarray(rows, dtype=float).reshape(-1, 1)
    c = np.asarray(cols, dtype=float).reshape(-1, 1)
    lo, hi = span if span is not None else (inset, 1 - inset)
    xs = x0 + c + np.array([lo, hi, hi, lo])  # (n, 1) + (4,) -> (n, 4)
    ys = y0 + r + np.array([lo, lo, hi, hi])
    return np.stack([xs, ys], axis=-1)  # -> (n, 4, 2)


def cells(ax, x0, y0, rows, cols, face, edge=style.MUTED, lw=0.8, ls="solid",
          inset=0.0, zorder=1, span=None) -> PolyCollection:
    """One collection drawing the listed cells (faster and smaller than one patch each)."""
    from matplotlib.collections import PolyCollection
    coll = PolyCollection(squares(x0, y0, rows, cols, inset, span), facecolors=face,
                          edgecolors=edge, linewidths=lw, linestyles=ls, zorder=zorder,
                          joinstyle="miter", clip_on=False)
    ax.add_collection(coll)
    return coll


def grid(ax, x0, y0, shape, face, edge=style.MUTED, lw=0.8, ls="solid", zorder=1):
    """Every cell of a ``shape = (H, W)`` grid, row by row."""
    rows, cols = np.divmod(np.arange(shape[0] * shape[1]), shape[1])
    return cells(ax, x0, y0, rows, cols, face, edge, lw, ls, zorder=zorder)


def outline(ax, x0, y0, r0, c0, h, w, colour, lw=2.0, ls="solid", zorder=5):
    """A rectangle around the ``h`` x ``w`` block of cells starting at ``(r0, c0)``."""
    from matplotlib.patches import Rectangle

    rect = Rectangle((x0 + c0, y0 + r0), w, h, fill=False, edgecolor=colour, lw=lw,
                     ls=ls, zorder=zorder, joinstyle="miter",
                     clip_on=False)
    ax.add_patch(rect)
    return rect


def fmt(v) -> str:
    """A number as printed in a cell: ``-5`` -> ``"−5"``, ``4.5`` -> ``"4.5"``, ``1/3`` -> ``"0.33"``."""
    v = float(v)
    if abs(v - round(v)) < 1e-9:
        s = str(int(round(v)))
    else:
        s = f"{v:.2f}".rstrip("0").rstrip(".")
    if s in ("-0", "0"):
        return "0"
    return s.replace("-", "\u2212")


def parse(s: str) -> float:
    """Inverse of :func:`fmt` (for tests and checks)."""
    return float(s.replace("\u2212", "-"))


def numbers(canvas: Canvas, x0, y0, values: np.ndarray, colour=style.INK, mask=None,
            size=style.NUMBER_SIZE, **kw) -> dict[tuple[int, int], object]:
    """Print ``values[r, c]`` in the middle of each cell; returns ``{(r, c): Text}``."""
    texts = {}
    h, w = values.shape
    for r in range(h):
        for c in range(w):
            if mask is not None and not mask[r, c]:
                continue
            col = colour[r][c] if isinstance(colour, (list, np.ndarray)) else colour
            s = fmt(values[r, c])
            fit = min(1.0, 3.3 / len(s))  # "3.25" and longer get smaller
            texts[(r, c)] = canvas.text(x0 + c + 0.5, y0 + r + 0.53, s, size=size * fit,
                                        color=col, **kw)
    return texts


def dims(*sizes) -> str:
    """``"5×5"`` for (5, 5); ``"6×6×3"`` for (6, 6, 3)."""
    return "\u00d7".join(str(int(s)) for s in sizes)
