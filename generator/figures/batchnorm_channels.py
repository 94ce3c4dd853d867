"""Batch normalisation channel by channel: the values of a batch on one number line per
channel, before the layer, after normalising (mean 0, variance 1) and after the learned
scale and shift, in three panels.

The values are drawn from a seeded generator; both steps are
:func:`generator.nn.batch_norm` in its training form (batch statistics), the second with
the figure's ``gamma`` and ``beta``.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .. import nn
from .kind import Kind, Prepared, short
from .wording import value

# ------------------------------------------------------------------ computed


def prepare(p: dict) -> Prepared:
    """Parameters: ``means`` and ``stds`` (one per channel: where the inputs are drawn),
    ``gamma`` and ``beta`` (one per channel), ``values`` per channel, ``seed``.

    data: ``x``, ``normalised``, ``y``, each (C, values). facts: ``channels``, ``values``,
    ``gamma``, ``beta``, and each panel's per-channel ``mean_*`` and ``std_*`` (biased, as
    batchnorm computes them), rounded to 2 decimals.
    """
    means, stds = [float(v) for v in p["means"]], [float(v) for v in p["stds"]]
    gamma, beta = np.array(p["gamma"], dtype=float), np.array(p["beta"], dtype=float)
    c, n = len(means), int(p["values"])
    if not (len(stds) == len(gamma) == len(beta) == c) or n < 2:
        raise ValueError("means, stds, gamma and beta need one value per channel, values >= 2")
    rng = np.random.default_rng(int(p.get("seed", 0)))
    x = rng.standard_normal((n, c)) * np.array(stds) + np.array(means)   # (N, C): one value each
    normalised = nn.batch_norm(x, None, None, training=True)              # (N, C)
    y = nn.batch_norm(x, None, None, gamma, beta, training=True)          # (N, C)
    facts = {"channels": c, "values": n, "gamma": gamma.tolist(), "beta": beta.tolist()}
    for name, a in (("x", x), ("normalised", normalised), ("y", y)):
        facts[f"mean_{name}"] = [round(float(v), 2) + 0.0 for v in a.mean(axis=0)]
        facts[f"std_{name}"] = [round(float(v), 2) + 0.0 for v in a.std(axis=0)]
    return Prepared({"x": x.T, "normalised": normalised.T, "y": y.T}, facts)  # (C, N)


def describe(p: dict, f: dict) -> tuple[str, str]:
    c = f["channels"]

    def stats(name):
        return ", ".join(f"channel {i}: mean {value(m)}, standard deviation {value(s)}"
                         for i, (m, s) in enumerate(zip(f[f"mean_{name}"], f[f"std_{name}"])))

    alt = (f"Three panels, each with one horizontal number line per channel ({c} channels) and "
           f"a dot for each of the {f['values']} values of the batch. Left, the input: "
           f"{stats('x')}. Middle, after normalising each channel by its own mean and "
           f"standard deviation: every channel has mean 0 and standard deviation 1. Right, "
           f"after the learned scale gamma and shift beta: {stats('y')}.")
    caption = (f"Batchnorm on {c} channels: each channel is normalised by its own statistics "
               f"(middle), then scaled by gamma and shifted by beta (right).")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    from matplotlib.figure import Figure
    c = facts["channels"]
    panels = (("x", "input x"), ("normalised", "normalised"), ("y", "γ · normalised + β"))
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, 0.55 * c + 1.5), dpi=style.GIF_DPI)
    axes = fig.subplots(1, 3, sharey=True)
    fig.subplots_adjust(left=0.12, right=0.98, top=0.8, bottom=0.24, wspace=0.12)
    colours = [style.SERIES[i % len(style.SERIES)] for i in range(c)]
    markers = [style.MARKERS[i % len(style.MARKERS)] for i in range(c)]
    for ax, (key, title) in zip(axes, panels):
        a = np.asarray(data[key])                                   # (C, N)
        for i in range(c):
            ax.scatter(a[i], np.full(a.shape[1], c - 1 - i), s=22, color=colours[i],
                       marker=markers[i], edgecolors=style.INK, linewidths=0.4, zorder=3)
            ax.plot([a[i].mean()] * 2, [c - 1 - i - 0.3, c - 1 - i + 0.3], color=style.INK,
                    lw=1.4, zorder=4)
        ax.set_title(title, fontsize=style.TITLE_SIZE, weight="bold")
        ax.set_ylim(-0.7, c - 0.3)
        ax.grid(axis="x", color=style.FAINT, lw=0.5, alpha=0.6)
        ax.tick_params(labelsize=style.FONT_SIZE)
        ax.axvline(0, color=style.MUTED, lw=0.8, zorder=1)
    axes[0].set_yticks(range(c), [f"channel {c - 1 - k}" for k in range(c)])
    fig.text(0.55, 0.04, "value (a bar marks each channel's mean)", ha="center",
             fontsize=style.FONT_SIZE, color=style.MUTED)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("batchnorm_channels", short(__name__), "Volumes", prepare, describe)
