"""Where the compute goes: a network's multiply-accumulates and parameters by stage, as
shares of the totals, one pair of bars per stage (:func:`generator.tables.stages.stages`:
consecutive layers at one resolution, so a 200-layer network is a handful of bars).
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from .. import text
from ..specs import SPEC_DIR
from .kind import Kind, Prepared, short

#: Files ``prepare`` reads besides code: the built-in specs (in the computed inputs' key).
DATA_FILES = tuple(sorted(SPEC_DIR.glob("*.yaml")))

MACS = style.SERIES[0]    #: bars of multiply-accumulates
PARAMS = style.SERIES[1]  #: bars of parameters

# ------------------------------------------------------------------ computed (NumPy)


def prepare(p: dict) -> Prepared:
    """A network's stages with their MACs and parameters.

    Parameters: ``network``, a built-in id (``generator.specs.BUILTINS``).

    data: ``macs`` and ``params``, (S,) int64, one value per stage; ``macs_share`` and
    ``params_share``, (S,) float64, percent of the totals.
    facts: ``name``; ``stages``, each {resolution, first, last, rows}; ``macs`` and
    ``params``, the totals.
    """
    from ..specs import load_builtin
    from ..tables import layer_table
    from ..tables.stages import stages

    net = load_builtin(p["network"])
    table = layer_table(net)
    st = stages(table)
    macs = np.array([s.macs for s in st], dtype=np.int64)
    params = np.array([s.params for s in st], dtype=np.int64)
    total_macs, total_params = table.totals.macs, table.totals.params
    macs_share = 100.0 * macs / max(total_macs, 1)
    params_share = 100.0 * params / max(total_params, 1)
    return Prepared(
        {"macs": macs, "params": params, "macs_share": macs_share,
         "params_share": params_share},
        {"name": net.name, "macs": total_macs, "params": total_params,
         "stages": [{"resolution": s.resolution, "first": s.first, "last": s.last,
                     "rows": len(s.rows), "macs_pct": percent(m), "params_pct": percent(q)}
                    for s, m, q in zip(st, macs_share, params_share)]})


def percent(share: float) -> str:
    """``35.8%``: a share as the chart and its alt text print it."""
    return f"{share:.1f}%"


# ------------------------------------------------------------------ described


def stage_label(s: dict) -> str:
    """``56×56: maxpool … layer1.2``: the resolution and the first and last layers."""
    names = s["first"] if s["first"] == s["last"] else f"{s['first']} … {s['last']}"
    return f"{s['resolution']}: {names}"


def describe(p: dict, f: dict) -> tuple[str, str]:
    alt = (f"Horizontal bar chart of where {f['name']}'s {text.num(f['macs'])} "
           f"multiply-accumulates ({style.colour_name(MACS)} bars) and "
           f"{text.num(f['params'])} parameters ({style.colour_name(PARAMS)} bars) go, "
           f"as percentages of the totals, one pair of bars per stage (layers at one "
           f"resolution), top to bottom: "
           + "; ".join(f"{stage_label(s)}, {s['macs_pct']} of the multiply-accumulates and "
                       f"{s['params_pct']} of the parameters" for s in f["stages"]) + ".")
    caption = (f"{f['name']}: the share of the multiply-accumulates and of the parameters "
               f"in each stage (consecutive layers whose outputs have one height × width).")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


BAR = 0.38  #: height of one bar, in stage rows


def _plain(s: str) -> str:
    """A name as matplotlib prints it literally (no mathtext)."""
    return s.replace("$", r"\$")


def render_figure(params: dict, data: dict, facts: dict):
    from matplotlib.figure import Figure

    n = len(facts["stages"])
    width = style.MAX_WIDTH_INCH
    height = 1.6 + 0.55 * n
    fig = Figure(figsize=(width, height), dpi=style.GIF_DPI)
    ax = fig.add_axes((0.36, 0.8 / height, 0.58, (height - 1.6) / height))
    y = np.arange(n)[::-1].astype(float)  # the first stage on top
    macs, prm = data["macs_share"], data["params_share"]
    ax.barh(y + BAR / 2, macs, BAR, color=MACS, label="multiply-accumulates")
    ax.barh(y - BAR / 2, prm, BAR, color=PARAMS, label="parameters")
    top = max(float(macs.max(initial=0)), float(prm.max(initial=0)), 1.0)
    ax.set_xlim(0, top * 1.18)
    ax.set_ylim(-0.6, n - 0.4)
    for yy, s, m, q in zip(y, facts["stages"], macs, prm):
        ax.text(m + top * 0.01, yy + BAR / 2, s["macs_pct"], va="center",
                fontsize=style.NUMBER_SIZE)
        ax.text(q + top * 0.01, yy - BAR / 2, s["params_pct"], va="center",
                fontsize=style.NUMBER_SIZE, color=style.MUTED)
    ax.set_yticks(y)
    ax.set_yticklabels([_plain(stage_label(s)) for s in facts["stages"]],
                       fontsize=style.FONT_SIZE)
    ax.set_xlabel("share of the network's total (%)")
    ax.tick_params(length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.02, 1 - 0.3 / height, _plain(f"{facts['name']}: where the compute goes"),
             fontsize=style.TITLE_SIZE, weight="bold", va="top")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False,
              fontsize=style.FONT_SIZE, borderaxespad=0.2)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("compute_share", short(__name__), "Architectures", prepare, describe)
