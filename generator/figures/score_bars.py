"""Class probabilities of a few images: the image, then one bar per class.

The true class's bar is vermillion, the others blue; the top-k classes are
outlined in ink (``data["top"]``, (M, k), from the page), and the rank of the true class is
written above the bars.
"""

from __future__ import annotations


from . import encode, style
from .kind import Kind, short
from .image_grid import show


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    images, probs = data["images"], data["probs"]  # (M, H, W), (M, K)
    m, k_classes = probs.shape
    row_h = 1.25
    height = m * row_h + 0.35
    width = style.MAX_WIDTH_INCH
    fig = Figure(figsize=(width, height), dpi=style.GIF_DPI)
    for i in range(m):
        y = 1 - (0.15 + (i + 1) * row_h) / height
        ax_img = fig.add_axes((0.1 / width, y + 0.2 / height, 0.9 / width, 0.9 / height))
        show(ax_img, images[i], signed=False)
        ax = fig.add_axes((1.35 / width, y + 0.3 / height, (width - 1.5) / width, 0.7 / height))
        p = probs[i]
        true = int(facts["labels"][i])
        order = set(int(c) for c in data["top"][i])
        colours = [style.POSITIVE if c == true else style.tint(style.OKABE_ITO["blue"], 0.6)
                   for c in range(k_classes)]
        edges = [style.INK if c in order else "none" for c in range(k_classes)]
        ax.bar(range(k_classes), p, color=colours, edgecolor=edges, linewidth=1.0, width=0.7)
        ax.set_ylim(0, 1.05)
        ax.set_xticks(range(k_classes))
        ax.set_yticks([0, 0.5, 1])
        ax.tick_params(labelsize=style.FONT_SIZE * 0.8, length=0)
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.set_title(facts["titles"][i], loc="right", fontsize=style.FONT_SIZE * 0.85, pad=3)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("score_bars", short(__name__), "Trained networks")
