"""Local connectivity and weight sharing: a fully connected layer and a 1-D convolution
between the same row of inputs and a row of outputs, every connection drawn.

The convolution's connections are read off its matrix, computed by
:func:`generator.nn.conv2d` (each column the response to one input set to 1), so every
line drawn is a nonzero entry and its colour names the filter tap it uses: the same
few colours repeat at every position (shared weights). The dense layer draws every
pair, each its own weight.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .. import nn
from .wording import plural
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed


def conv_matrix(n: int, kernel: int) -> np.ndarray:
    """The (n_out, n) matrix of a 1-D convolution whose taps are 1, 2, ..., kernel:
    entry (o, i) is the number of the tap output o applies to input i, 0 if none."""
    w = np.arange(1.0, kernel + 1).reshape(1, 1, 1, kernel)  # (F, C, KH, KW) = (1, 1, 1, k)
    eye = np.eye(n).reshape(n, 1, 1, n)                         # n inputs, each one-hot
    cols = nn.conv2d(eye, w)                                    # (n, 1, 1, n_out)
    return cols[:, 0, 0, :].T                                   # -> (n_out, n)


def prepare(p: dict) -> Prepared:
    """Parameters: ``inputs`` n, ``kernel`` f.

    data: ``conv`` (n_out, n) tap numbers (0: not connected). facts: ``inputs``,
    ``kernel``, ``outputs`` (nn's output size), ``conv_edges`` (the nonzero entries),
    ``conv_weights`` (distinct taps: f), ``dense_edges`` = ``dense_weights`` (n_out * n).
    """
    n, k = int(p["inputs"]), int(p["kernel"])
    m = conv_matrix(n, k)
    n_out = nn.conv_output_size(n, k)
    return Prepared({"conv": m}, {
        "inputs": n, "kernel": k, "outputs": n_out,
        "conv_edges": int(np.count_nonzero(m)), "conv_weights": len(np.unique(m[m > 0])),
        "dense_edges": n_out * n, "dense_weights": n_out * n})


def describe(p: dict, f: dict) -> tuple[str, str]:
    alt = (f"Two diagrams, each a row of {f['inputs']} inputs below a row of {f['outputs']} "
           f"outputs. Left, fully connected: every output joined to every input, "
           f"{f['dense_edges']} lines, each a weight of its own. Right, convolution with a "
           f"filter of {f['kernel']}: each output joined only to the {f['kernel']} inputs "
           f"below it, {f['conv_edges']} lines, and the lines use only {f['conv_weights']} "
           f"weights, one colour per weight, repeated at every position.")
    caption = (f"Fully connected: {plural(f['dense_weights'], 'weight')}. Convolution: local "
               f"(each output sees {f['kernel']} inputs) and shared "
               f"({plural(f['conv_weights'], 'weight')} for all {f['conv_edges']} connections).")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    from matplotlib.figure import Figure
    n, n_out, k = facts["inputs"], facts["outputs"], facts["kernel"]
    m = np.asarray(data["conv"])
    panel, gap = n + 1.0, 1.6
    left = 1.0
    width, height = left + 2 * panel + gap, 5.6
    scale = min(style.CELL_INCH * 1.6, style.MAX_WIDTH_INCH / width)
    fig = Figure(figsize=(width * scale, height * scale), dpi=style.GIF_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    y_in, y_out, r = 1.1, 3.6, 0.28
    taps = [style.FILTERS[i % len(style.FILTERS)] for i in range(k)]

    def nodes(x0):
        xs_in = x0 + 0.5 + np.arange(n)
        xs_out = x0 + 0.5 + (n - n_out) / 2 + np.arange(n_out)
        return xs_in, xs_out

    def dots(xs, y, face, edge):
        ax.scatter(xs, [y] * len(xs), s=(r * 72 * scale * 2) ** 2 / 2, c=face, edgecolors=edge,
                   linewidths=1.0, zorder=5)

    titles = ("fully connected", "convolution")
    for j, x0 in enumerate((left, left + panel + gap)):
        xs_in, xs_out = nodes(x0)
        for o in range(n_out):
            for i in range(n):
                tap = int(m[o, i]) if j else 0
                if j and not tap:
                    continue
                colour = taps[tap - 1] if j else style.MUTED
                ax.plot([xs_in[i], xs_out[o]], [y_in, y_out], color=colour,
                        lw=1.8 if j else 0.7, zorder=2 if j else 1, solid_capstyle="butt")
        dots(xs_in, y_in, style.INPUT, style.INPUT_EDGE)
        dots(xs_out, y_out, style.OUTPUT_DONE, style.OUTPUT_EDGE)
        ax.text(x0 + panel / 2, height - 0.45, titles[j], weight="bold", ha="center",
                va="center", fontsize=style.TITLE_SIZE)
        if j:
            for t, colour in enumerate(taps):
                ax.text(x0 + panel / 2 + (t - (k - 1) / 2) * 1.1, height - 1.1, f"w{t + 1}",
                        color=colour, weight="bold", ha="center", va="center",
                        fontsize=style.FONT_SIZE)
        else:
            ax.text(x0 + panel / 2, height - 1.1, "a weight per line", color=style.MUTED,
                    ha="center", va="center", fontsize=style.FONT_SIZE)
        count = (f"{facts['dense_edges']} connections, {facts['dense_weights']} weights" if not j
                 else f"{facts['conv_edges']} connections, {facts['conv_weights']} weights")
        ax.text(x0 + panel / 2, 0.35, count, ha="center", va="center", fontsize=style.FONT_SIZE)
        ax.text(x0 + 0.05, y_in, "in", ha="right", va="center", fontsize=style.FONT_SIZE,
                color=style.MUTED)
        ax.text(x0 + 0.05 + (n - n_out) / 2, y_out, "out", ha="right", va="center",
                fontsize=style.FONT_SIZE, color=style.MUTED)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("connectivity", short(__name__), "Volumes", prepare, describe)
