"""Where a strided filter fits: an N x N input with an F x F filter at several strides,
the window starts marked, the rows and columns no window reaches shaded, and the next
step, which would leave the input, drawn dashed (the notes' "doesn't fit" case).

Everything drawn comes from :func:`windows`, which takes the output size from
:func:`generator.nn.conv_output_size`.
"""

from __future__ import annotations

from fractions import Fraction

from . import cells, encode, style
from .. import nn
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed


def windows(n: int, f: int, s: int) -> dict:
    """The windows of an ``f``-wide filter at stride ``s`` along an ``n``-wide input (no padding).

    Returns ``out`` (nn's output size), ``exact`` ((n - f)/s + 1 as a Fraction, as a
    string), ``fits`` (a whole number), ``starts`` (first index of each window),
    ``unused`` (indices no window covers), ``next_start`` (where one more step would
    start: it runs past the input).
    """
    out = nn.conv_output_size(n, f, stride=s)
    exact = Fraction(n - f, s) + 1
    starts = [i * s for i in range(out)]
    covered = {c for a in starts for c in range(a, a + f)}
    return {"s": s, "out": out, "exact": f"{exact.numerator}/{exact.denominator}"
            if exact.denominator > 1 else str(exact.numerator), "fits": exact.denominator == 1,
            "starts": starts, "unused": [c for c in range(n) if c not in covered],
            "next_start": out * s}


def prepare(p: dict) -> Prepared:
    """Parameters: ``size`` N, ``kernel`` F, ``strides`` (list). facts: ``size``, ``kernel``,
    ``panels`` (one :func:`windows` each)."""
    n, f = int(p["size"]), int(p["kernel"])
    strides = [int(s) for s in p["strides"]]
    if not strides:
        raise ValueError("strides must list at least one stride")
    return Prepared({}, {"size": n, "kernel": f, "panels": [windows(n, f, s) for s in strides]})


def describe(p: dict, f: dict) -> tuple[str, str]:
    n, k = f["size"], f["kernel"]
    parts = []
    for w in f["panels"]:
        idx = ", ".join(map(str, w["unused"]))
        many = "s" if len(w["unused"]) > 1 else ""
        left = (f"column{many} {idx} and row{many} {idx} are never read, shaded; a next step "
                f"starting at column {w['next_start']} would run past the input, drawn dashed"
                if w["unused"] else "every column is read")
        parts.append(f"stride {w['s']}: windows start at columns {', '.join(map(str, w['starts']))}, "
                     f"output {w['out']}×{w['out']}; {left}")
    alt = (f"{len(f['panels'])} grids of {n}×{n} input cells with a {k}×{k} filter, "
           "the windows of the first row of outputs outlined. " + ". ".join(parts) + ".")
    caption = (f"A {n}×{n} input and a {k}×{k} filter at stride "
               + " and ".join(str(w["s"]) for w in f["panels"])
               + ": shaded cells are never read.")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    n, k = facts["size"], facts["kernel"]
    panels = facts["panels"]
    over = max(max(w["next_start"] + k - n, 0) for w in panels)
    gap = 2.2 + over
    top, head = 1.3, 1.6
    width = len(panels) * (n + over) + (len(panels) - 1) * 2.2 + 2
    height = top + head + n + 2.4
    cv = cells.Canvas(width, height)
    cv.text(width / 2, 0.6, f"a {k}×{k} filter on a {n}×{n} input: where it fits",
            size=style.TITLE_SIZE, weight="bold")
    for i, w in enumerate(panels):
        x0, y0 = 1 + i * (n + gap), top + head
        cv.text(x0 + n / 2, top + 0.2, f"stride {w['s']}", weight="bold")
        sub = (f"({n} − {k})/{w['s']} + 1 = {w['exact']}" +
               ("" if w["fits"] else f" → {w['out']}"))
        cv.text(x0 + n / 2, top + 0.85, sub, color=style.MUTED, size=style.FONT_SIZE)
        cells.grid(cv.ax, x0, y0, (n, n), style.INPUT, style.INPUT_EDGE, lw=0.7)
        unused = w["unused"]
        if unused:
            rows = [r for r in range(n) for c in range(n) if r in unused or c in unused]
            cols = [c for r in range(n) for c in range(n) if r in unused or c in unused]
            cells.cells(cv.ax, x0, y0, rows, cols, style.PAPER, style.FAINT, lw=0.7,
                        ls=(0, (3, 2)), zorder=2)
        for j, a in enumerate(w["starts"]):
            inset = 0.08 + 0.1 * (j % 2)
            cells.outline(cv.ax, x0 + inset, y0 + inset, 0, a, k - 2 * inset, k - 2 * inset,
                          style.FILTERS[j % len(style.FILTERS)], lw=2.0)
            cv.text(x0 + a + 0.5, y0 - 0.35, str(a), color=style.FILTERS[j % len(style.FILTERS)],
                    size=style.NUMBER_SIZE, weight="bold")
        if unused:
            nxt = w["next_start"]
            cells.outline(cv.ax, x0, y0, 0, nxt, k, k, style.MUTED, lw=1.4, ls=(0, (4, 3)))
            cv.text(x0 + nxt + k / 2, y0 + k + 0.5, "does not fit", color=style.MUTED,
                    size=style.NUMBER_SIZE)
            cv.text(x0 + n / 2, y0 + n + 0.7,
                    f"column{'s' if len(unused) > 1 else ''} {', '.join(map(str, unused))} never read",
                    size=style.NUMBER_SIZE)
        else:
            cv.text(x0 + n / 2, y0 + n + 0.7, "every column read", size=style.NUMBER_SIZE)
        cv.text(x0 + n / 2, y0 + n + 1.5, f"output {w['out']}×{w['out']}",
                size=style.NUMBER_SIZE, color=style.MUTED)
    return cv.fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("stride_fit", short(__name__), "Sliding windows", prepare, describe)
