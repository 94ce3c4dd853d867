"""Feature maps of a photograph: edge filters side by side, and their max-pooled versions.

Signed responses use a diverging map (blue negative, white zero, vermillion
positive) centred on zero; non-negative ones (the photo, a gradient
magnitude) run from white to ink, so edges read as dark lines in both.
Written as a palette PNG, not SVG: eight photographic panels embedded in an
SVG come to ~350 KB, the quantised PNG to ~150 KB.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from . import encode, style

DIVERGING = LinearSegmentedColormap.from_list(
    "atlas_diverging", [style.NEGATIVE, style.PAPER, style.POSITIVE])
SEQUENTIAL = LinearSegmentedColormap.from_list("atlas_ink", [style.PAPER, style.INK])
PHOTO = LinearSegmentedColormap.from_list("atlas_photo", ["#000000", "#FFFFFF"])


def _show(ax, img, signed: bool, limit: float = 1.0, photo: bool = False):
    if photo:
        ax.imshow(img, cmap=PHOTO, vmin=0, vmax=1, interpolation="nearest")
    elif signed:
        ax.imshow(img, cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest")
    else:
        ax.imshow(img, cmap=SEQUENTIAL, vmin=0, vmax=limit, interpolation="nearest")
    style.frame_image(ax)


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    labels = facts["labels"]
    cols = 1 + len(labels)
    h, w = facts["size"]
    panel_w = (style.MAX_WIDTH_INCH - 0.3) / cols
    panel_h = panel_w * h / w
    height = 0.75 + 2 * panel_h + 0.45 + 0.1
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, height), dpi=style.GIF_DPI)
    axes = fig.subplots(2, cols, gridspec_kw=dict(
        left=0.15 / style.MAX_WIDTH_INCH, right=1 - 0.15 / style.MAX_WIDTH_INCH,
        top=1 - 0.75 / height, bottom=0.1 / height, wspace=0.08, hspace=0.45 / panel_h))
    k = facts["pool"]
    oh, ow = facts["out"]
    ph, pw = facts["pooled"]
    fig.text(0.5, 1 - 0.25 / height,
             f"edge filters on a photograph with conv2d, then max_pool2d {k}\u00d7{k}",
             ha="center", va="center", fontsize=style.TITLE_SIZE, weight="bold")
    _show(axes[0, 0], data["image"], False, photo=True)
    H, W = facts["photo"]
    axes[0, 0].set_title(f"input {h}\u00d7{w} (from {H}\u00d7{W})", fontsize=style.FONT_SIZE * 0.85)
    _show(axes[1, 0], data["pooled_image"], False, photo=True)
    pih, piw = data["pooled_image"].shape
    axes[1, 0].set_title(f"max-pooled {pih}\u00d7{piw}", fontsize=style.FONT_SIZE * 0.85)
    for i, label in enumerate(labels):
        signed = facts["signed"][i]
        limit = facts["limits"][i] or 1.0
        _show(axes[0, i + 1], data["maps"][i], signed, limit)
        axes[0, i + 1].set_title(f"{label} {oh}\u00d7{ow}", fontsize=style.FONT_SIZE * 0.85)
        _show(axes[1, i + 1], data["pooled"][i], signed, limit)
        axes[1, i + 1].set_title(f"max-pooled {ph}\u00d7{pw}", fontsize=style.FONT_SIZE * 0.85)
    # pooled panels at their true (smaller) scale would be tiny: they fill the
    # same panel, and their titles say the size.
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"png": encode.png_palette(render_figure(params, data, facts))}
