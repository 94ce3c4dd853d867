"""Output size against input size: the formula without rounding, PyTorch's floor,
PyTorch pooling's ``ceil_mode`` and TensorFlow's 'SAME', one panel per setting.

Input sizes where ``(n + 2p - f) / s + 1`` is not a whole number are shaded:
there the conventions can disagree. Markers are nudged sideways so equal
values stay visible, and differ in shape as well as colour.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from ..nn import shapes
from .wording import plural
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


def _or_nan(f, *args, **kw) -> float:
    try:
        out = f(*args, **kw)
    except ValueError:  # the window does not fit, or an invalid pooling padding
        return np.nan
    return float(out[0] if isinstance(out, tuple) else out)


def prepare(p: dict) -> Prepared:
    """Output size against input size, in the conventions people mix up.

    Parameters: ``settings``, a list of {kernel, stride, padding}; ``sizes``
    [first, last] input sizes (default [1, 16]).

    data, each (S, N) for S settings and N sizes (NaN where undefined):
    ``exact`` = (n + 2p - k) / s + 1 without rounding; ``floor`` PyTorch
    conv/pool (:func:`shapes.conv_output_size`); ``ceil`` PyTorch pooling
    with ``ceil_mode=True`` (:func:`shapes.pool_output_size`); ``tf``
    TensorFlow 'SAME' (:func:`shapes.tf_output_size`, which ignores p);
    and ``n`` (N,).
    """
    lo, hi = (int(v) for v in p.get("sizes", [1, 16]))
    n = np.arange(lo, hi + 1)
    settings = [{"kernel": int(s["kernel"]), "stride": int(s.get("stride", 1)),
                 "padding": int(s.get("padding", 0))} for s in p["settings"]]
    data = {"n": n}
    rows = {"exact": [], "floor": [], "ceil": [], "tf": []}
    for st in settings:
        k, s, pd = st["kernel"], st["stride"], st["padding"]
        exact = (n + 2 * pd - k) / s + 1
        rows["exact"].append(np.where(n + 2 * pd >= k, exact, np.nan))
        rows["floor"].append([_or_nan(shapes.conv_output_size, int(v), k, s, pd) for v in n])
        rows["ceil"].append([_or_nan(shapes.pool_output_size, int(v), k, s, pd, ceil_mode=True)
                             for v in n])
        rows["tf"].append([_or_nan(shapes.tf_output_size, int(v), k, s, padding="SAME")
                           for v in n])
    for name, r in rows.items():
        data[name] = np.asarray(r, dtype=float)
    fractional = np.isfinite(data["exact"]) & (data["exact"] != np.floor(data["exact"]))
    data["fractional"] = fractional
    differ = [[int(v) for v in n[fractional[i]]] for i in range(len(settings))]
    return Prepared(data, {"settings": settings, "sizes": [lo, hi], "fractional": differ})


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    panels = "; ".join(f"filter f = {s['kernel']}, stride {s['stride']}, padding {s['padding']}"
                       for s in f["settings"])
    alt = (f"{plural(len(f['settings']), 'plot')} of output size against input size "
           f"{f['sizes'][0]} to {f['sizes'][1]} ({panels}). Each shows the unrounded formula "
           f"(n + 2p \u2212 f)/s + 1 as a dashed line and, as markers, PyTorch's floor, "
           f"PyTorch pooling with ceil_mode=True and TensorFlow 'SAME'; input sizes where the "
           f"formula is not a whole number are shaded: only there can the conventions disagree.")
    caption = ("Output size against input size: where (n + 2p \u2212 f)/s + 1 is not a whole "
               "number, PyTorch rounds down, ceil_mode rounds up, and TensorFlow 'SAME' gives "
               "ceil(n/s) whatever the padding.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


SERIES = [
    ("floor", "PyTorch conv / pool (floor)", -0.18),
    ("ceil", "PyTorch pool, ceil_mode=True", 0.0),
    ("tf", "TensorFlow padding='SAME' (ignores p)", 0.18),
]


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    settings = facts["settings"]
    n = data["n"]
    cols = min(len(settings), int(params.get("columns", 2)))
    rows = -(-len(settings) // cols)
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, 0.5 + 2.6 * rows + 0.9), dpi=style.GIF_DPI)
    top = 1 - 0.45 / (0.5 + 2.6 * rows + 0.9)
    bottom = 0.95 / (0.5 + 2.6 * rows + 0.9)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True,
                        gridspec_kw=dict(left=0.08, right=0.98, top=top, bottom=bottom,
                                         hspace=0.45, wspace=0.18))
    ymax = np.nanmax([np.nanmax(data[k]) for k in ("exact", "floor", "ceil", "tf")])
    for i, ax in enumerate(axes.ravel()):
        if i >= len(settings):
            ax.set_visible(False)
            continue
        st = settings[i]
        ax.set_title(f"f = {st['kernel']}, s = {st['stride']}, p = {st['padding']}",
                     fontsize=style.FONT_SIZE, weight="bold", color=style.INK)
        for x in n[data["fractional"][i]]:
            ax.axvspan(x - 0.5, x + 0.5, color=style.INSERTED_ZERO, lw=0, zorder=0)
        ax.plot(n, data["exact"][i], color=style.MUTED, lw=1.0, ls=(0, (4, 2)), zorder=2)
        for j, (name, _, dx) in enumerate(SERIES):
            ax.plot(n + dx, data[name][i], ls="none", marker=style.MARKERS[j], ms=4.2,
                    color=style.SERIES[j], mec=style.INK, mew=0.4, zorder=3 + j)
        ax.set_xlim(n[0] - 0.6, n[-1] + 0.6)
        ax.set_ylim(0, ymax + 0.8)
        ax.set_xticks(n[:: max(1, len(n) // 8)])
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, axis="y", color=style.INSERTED_ZERO, lw=0.6, zorder=1)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=style.FONT_SIZE * 0.85)
        if i % cols == 0:
            ax.set_ylabel("output size", fontsize=style.FONT_SIZE * 0.9)
        if i // cols == rows - 1 or i + cols >= len(settings):
            ax.set_xlabel("input size n", fontsize=style.FONT_SIZE * 0.9)
    handles = [Line2D([], [], color=style.MUTED, lw=1.0, ls=(0, (4, 2)),
                      label="(n + 2p \u2212 f) / s + 1, not rounded")]
    handles += [Line2D([], [], ls="none", marker=style.MARKERS[j], ms=5, color=style.SERIES[j],
                       mec=style.INK, mew=0.4, label=label)
                for j, (_, label, _) in enumerate(SERIES)]
    handles.append(Patch(facecolor=style.INSERTED_ZERO, label="not a whole number"))
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False,
               fontsize=style.FONT_SIZE * 0.82, columnspacing=1.2, handletextpad=0.5)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("output_size", short(__name__), "Output sizes", prepare, describe)
