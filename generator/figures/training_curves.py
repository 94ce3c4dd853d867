"""Line plots of values per epoch, side by side: loss, accuracy, one line per series.

Each series has its colour and marker from :data:`style.SERIES` and
:data:`style.MARKERS` (so it reads in greyscale too), and a legend entry.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .kind import Kind, short


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter
    panels = params["panels"]
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, 3.1), dpi=style.GIF_DPI)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    fig.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.27, wspace=0.3)
    for ax, panel in zip(axes, panels):
        for i, (key, label) in enumerate(panel["series"]):
            y = np.asarray(data[key], dtype=float)
            x = np.arange(1, len(y) + 1)
            ax.plot(x, y, color=style.SERIES[i % len(style.SERIES)],
                    marker=style.MARKERS[i % len(style.MARKERS)], markersize=3.5,
                    linewidth=1.4, label=label)
        ax.set_title(panel["title"], fontsize=style.TITLE_SIZE)
        ax.set_xlabel(params.get("xlabel", "epoch"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if panel.get("log"):
            ax.set_yscale("log")
        if panel.get("percent"):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(True, color=style.FAINT, linewidth=0.4, alpha=0.6)
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False,
                  fontsize=style.FONT_SIZE * 0.85)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


#: Figures of trained networks: computed by :mod:`.trained`, described by their entries.
KIND = Kind("training_curves", short(__name__), "Trained networks")
