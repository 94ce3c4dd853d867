"""Small images in a grid, each with a label: digits, learned filters, reconstructions.

Digits (values 0 to 1) are drawn as ink on paper; signed arrays (filters)
blue below zero, white at zero, vermillion above, each image on its own
symmetric scale unless ``shared`` is set. A label in ``facts["marked"]`` is
drawn in vermillion (e.g. a wrong prediction). Drawn as a palette PNG.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .kind import Kind, short


def show(ax, img: np.ndarray, signed: bool, limit: float | None = None) -> None:
    """One image on ``ax``, no ticks, a thin frame."""
    if signed:
        m = limit or float(np.abs(img).max()) or 1.0
        ax.imshow(img, cmap=style.colour_map("signed"), vmin=-m, vmax=m, interpolation="nearest")
    else:
        ax.imshow(img, cmap=style.colour_map("ink"), vmin=0, vmax=limit or 1.0, interpolation="nearest")
    style.frame_image(ax)


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    images = data["images"]  # (N, H, W)
    n = len(images)
    cols = min(int(params.get("cols", n)), n)
    rows = -(-n // cols)
    panel = min(float(params.get("panel_inch", 0.9)), (style.MAX_WIDTH_INCH - 0.2) / cols)
    label_h = 0.22 * max(len(str(s).split("\n")) for s in facts["labels"])
    title = params.get("title")
    top = 0.45 if title else 0.1
    width = cols * panel + 0.2
    height = top + rows * (panel + label_h + 0.08) + 0.05
    fig = Figure(figsize=(width, height), dpi=style.GIF_DPI)
    if title:
        fig.text(0.5, 1 - 0.22 / height, title, ha="center", va="center",
                 fontsize=style.TITLE_SIZE, weight="bold")
    signed = params.get("cmap") == "signed"
    limit = float(np.abs(images).max()) if signed and params.get("shared") else None
    marked = set(facts.get("marked", []))
    for i, (img, label) in enumerate(zip(images, facts["labels"])):
        r, c = divmod(i, cols)
        x = (0.1 + c * panel + 0.04) / width
        y = 1 - (top + r * (panel + label_h + 0.08) + panel) / height
        ax = fig.add_axes((x, y, (panel - 0.08) / width, (panel - 0.08) / height))
        show(ax, img, signed, limit)
        ax.text(0.5, -0.06, label, transform=ax.transAxes, ha="center", va="top",
                fontsize=style.FONT_SIZE * 0.8, linespacing=1.15,
                color=style.POSITIVE if i in marked else style.INK)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"png": encode.png_palette(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("image_grid", short(__name__), "Trained networks", still="png")
