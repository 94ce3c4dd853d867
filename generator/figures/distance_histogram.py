"""Two histograms on one axis: distances to same-class and to other-class examples.

Same class (anchor-positive) in blue, other classes (anchor-negative) in
vermillion with a hatch, so they differ in greyscale; the page gives each
bar as a share of its set, so sets of different sizes compare.
"""

from __future__ import annotations


from . import encode, style
from .kind import Kind, short


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, 3.0), dpi=style.GIF_DPI)
    ax = fig.add_axes((0.09, 0.17, 0.88, 0.72))
    edges = data["edges"]
    for key, label, colour, hatch in (
            ("positive", params["positive"], style.OKABE_ITO["blue"], None),
            ("negative", params["negative"], style.OKABE_ITO["vermillion"], "///")):
        share = data[key]
        ax.stairs(share, edges, fill=True, alpha=0.45, color=colour, hatch=hatch, label=label)
        ax.stairs(share, edges, color=colour, linewidth=1.2)
    ax.set_xlabel(params["xlabel"])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(params["title"], fontsize=style.TITLE_SIZE)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    ax.legend(frameon=False, fontsize=style.FONT_SIZE * 0.85)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("distance_histogram", short(__name__), "Trained networks")
