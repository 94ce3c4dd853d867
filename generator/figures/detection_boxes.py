"""Boxes over an image: candidates, the boxes non-max suppression keeps, the ground truth.

Panels side by side, each the same image with its own boxes. Roles: 0
candidate (thin, light blue), 1 kept (thick, vermillion, with its label), 2
ground truth (dashed, green). A grid (cell size in pixels) may be drawn for
the label-vector panel. Drawn as a palette PNG.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .kind import Kind, short
from .image_grid import show

ROLES = {
    0: dict(edgecolor=style.OKABE_ITO["sky_blue"], linewidth=0.9, linestyle="-"),
    1: dict(edgecolor=style.OKABE_ITO["vermillion"], linewidth=2.2, linestyle="-"),
    2: dict(edgecolor=style.OKABE_ITO["bluish_green"], linewidth=1.8, linestyle=(0, (4, 2))),
}


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    image = data["image"]
    panels = facts["panels"]
    h, w = image.shape
    n = len(panels)
    pw = (style.MAX_WIDTH_INCH - 0.2) / n
    ph = pw * h / w
    height = ph + 0.75
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, height), dpi=style.GIF_DPI)
    for i, panel in enumerate(panels):
        ax = fig.add_axes(((0.1 + i * pw + 0.05) / style.MAX_WIDTH_INCH, 0.15 / height,
                           (pw - 0.1) / style.MAX_WIDTH_INCH, ph / height))
        show(ax, image, signed=False)
        ax.set_title(panel["title"], fontsize=style.FONT_SIZE * 0.9)
        cell = panel.get("grid", 0)
        if cell:
            for x in range(cell, w, cell):
                ax.axvline(x - 0.5, color=style.MUTED, linewidth=0.8)
            for y in range(cell, h, cell):
                ax.axhline(y - 0.5, color=style.MUTED, linewidth=0.8)
        boxes = np.asarray(data[panel["boxes"]], dtype=float).reshape(-1, 4)
        roles = data[panel["roles"]]
        labels = panel.get("labels", [""] * len(boxes))
        for box, role, label in sorted(zip(boxes, roles, labels), key=lambda t: t[1] != 0):
            x1, y1, x2, y2 = box
            ax.add_patch(Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False,
                                   **ROLES[int(role)]))
            if label:
                ax.text(x1 - 0.5, y1 - 1.5, label, fontsize=style.FONT_SIZE * 0.75,
                        color=style.PAPER, va="bottom", ha="left",
                        bbox=dict(facecolor=ROLES[int(role)]["edgecolor"], edgecolor="none",
                                  pad=1.2))
        for cx, cy in np.asarray(data.get(panel.get("centres", ""), np.zeros((0, 2)))):
            ax.plot(cx - 0.5, cy - 0.5, "o", color=style.OKABE_ITO["vermillion"], markersize=4)
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"png": encode.png_palette(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("detection_boxes", short(__name__), "Trained networks", still="png")
