"""Counting conventions and profiling tools: the section of each network page
(``templates/pages/architectures/counting.md.j2``) and the reference page "Counting
conventions" (``templates/pages/reference/counting-conventions.md.j2``).

Every number is computed by :mod:`generator.tables.conventions` and
:mod:`generator.tables.tools`; this module only formats it. Names from a spec arrive
escaped.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from .. import text
from ..specs import load_builtin, load_spec, parse_spec
from ..tables import layer_table
from ..tables import conventions as cv
from ..tables import tools
from ..tables.formats import count_text, si_text
from ..tables.published import compare
from . import site_map

__all__ = ["network_context", "values", "PAGE", "EXAMPLES", "PUBLISHED"]

#: The reference page, as an output path.
PAGE = site_map.REFERENCE.path("counting-conventions")
_EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "specs" / "examples"
#: The small networks the reference page shows the miscounts on: (spec file stem, dialect
#: name or None, what it shows).
EXAMPLES = (
    ("autoencoder-transposed", None,
     "torchinfo and thop count a ConvTranspose2d by its output"),
    ("convnext-block", None, "a ConvNeXt block written with 1×1 convolutions"),
    ("convnext-block", "convnext",
     "the same block as torchvision writes ConvNeXt: nn.Linear on channels-last data"),
    ("example-tiny", None,
     "batchnorm, relu and pooling: ptflops counts nn.ReLU twice, thop batchnorm four "
     "times per value"),
)
#: Built-ins whose published totals the reference page relates to each convention.
PUBLISHED = ("resnet50", "vgg16")
#: The network the reference page's table of kinds × tools is computed on, one layer each.
_KINDS_SPEC = """
name: one layer of each kind
input: [8, 8, 8]
layers:
  - conv: {name: conv, out: 8, kernel: 3, padding: 1}
  - conv_transpose: {name: conv_transpose, out: 8, kernel: 2, stride: 2}
  - batchnorm: {name: batchnorm}
  - layernorm: {name: layernorm}
  - relu: {name: relu}
  - relu6: {name: relu6}
  - gelu: {name: gelu}
  - silu: {name: silu}
  - sigmoid: {name: sigmoid}
  - maxpool: {name: maxpool, kernel: 2, stride: 2}
  - avgpool: {name: avgpool, kernel: 2, stride: 2}
  - upsample: {name: upsample, scale: 2}
  - add: {name: add, inputs: [avgpool, avgpool]}
  - adaptive_avgpool: {name: adaptive_avgpool, output: 1}
  - flatten
  - linear: {name: linear, out: 8}
  - softmax: {name: softmax}
"""


def _n(value) -> str:
    return count_text(int(value))


def _signed(n: int) -> str:
    return f"+{count_text(n)}" if n >= 0 else f"−{count_text(-n)}"


def _kind_rows(counting: cv.Counting) -> list[dict]:
    """One row per layer kind: how many layers, and each column's operations."""
    by_kind: dict[str, list] = {}
    for row, layer in cv.leaves(counting.table):
        entry = by_kind.setdefault(row.type, [0, cv.Counts()])
        entry[0] += 1
        entry[1] += cv.row_counts(row, layer)
    return [{"kind": kind, "layers": count_text(n),
             "cells": [_n(v) if v else "" for v in c.values()]}
            for kind, (n, c) in by_kind.items()]


def _predictions(table, dialect=None) -> list[dict]:
    macs = table.totals.macs
    out = []
    for p in tools.predict(table, dialect):
        out.append({
            "tool": p.tool, "call": p.call, "unit": p.unit, "value": _n(p.value),
            "si": si_text(int(p.value)), "difference": _signed(int(p.value) - macs),
            "reason": p.reason,
            # kinds are registry names (never a user's text), shown as code
            "parts": [{"kind": kind, "how": how, "delta": _signed(d)}
                      for kind, how, d in p.differences],
        })
    return out


def _conventions(totals: cv.Counts) -> list[dict]:
    rows = [{"name": name, "value": _n(v), "si": si_text(v)}
            for (_, name), v in zip(cv.COLUMNS, totals.cumulative())]
    rows.append({"name": "FLOPs = 2 × weight MACs", "value": _n(totals.flops),
                 "si": si_text(totals.flops)})
    return rows


def network_context(table, page_path: str) -> dict:
    """The values of a network page's counting section (``page_path``: its output path,
    for the link to the reference page)."""
    counting = cv.counting(table)
    dialect = tools.dialect_of(table)
    return {
        "headings": [h for _, h in cv.COLUMNS],
        "kinds": _kind_rows(counting),
        "totals": [_n(v) for v in counting.totals.values()],
        "conventions": _conventions(counting.totals),
        "tools": _predictions(table),
        # an identifier (letters, digits, underscores: the spec format checks it), shown
        # as code
        "torchvision": table.network.torchvision or "",
        "dialect": dialect.note,
        "reference": posixpath.relpath(PAGE, posixpath.dirname(page_path)),
        "input": text.shape(table.input_shape),
    }


def _kinds_table() -> dict:
    """Rows = layer kinds, columns = tools: what each tool counts for one layer of each
    kind, minus its weight MACs, on :data:`_KINDS_SPEC`."""
    table = layer_table(parse_spec(_KINDS_SPEC, "counting-conventions", "kinds"))
    runs = tools.calls(table)
    rows = []
    for row, layer, how in runs:
        weight = row.macs
        cells = []
        for tool in tools.TOOLS:
            n = int(tool.count(row, layer, how))
            cells.append("= weight MACs" if n == weight and weight else
                         "0" if n == 0 else _signed(n - weight))
        rows.append({"kind": row.type, "shape": text.shape(row.output_shape),
                     "weight": count_text(weight) if weight else "0",
                     "own": _n(cv.row_counts(row, layer).all_operations), "cells": cells})
    return {"input": text.shape(table.input_shape), "rows": rows}


def _example(stem: str, dialect_name: str | None, shows: str) -> dict:
    net = load_spec(_EXAMPLE_DIR / f"{stem}.yaml", stem)
    table = layer_table(net)
    dialect = tools.DIALECTS[dialect_name] if dialect_name else None
    return {
        "name": text.markdown(net.name), "file": f"{stem}.yaml", "shows": shows,
        "input": text.shape(table.input_shape), "macs": _n(table.totals.macs),
        "conventions": _conventions(cv.counting(table).totals),
        "tools": _predictions(table, dialect),
        "dialect": tools.DIALECTS[dialect_name].note if dialect_name else "",
    }


def _published(network_id: str) -> list[dict]:
    """Each published MAC figure of a built-in, beside every convention printed at the
    figure's precision."""
    net = load_builtin(network_id)
    table = layer_table(net)
    totals = cv.counting(table).totals
    values = list(zip([h for _, h in cv.COLUMNS], totals.cumulative()))
    values.append(("FLOPs = 2 × weight MACs", totals.flops))
    out = []
    for c in compare(net, table):
        if c.quantity != "macs":
            continue
        fig = c.published
        unit = {1: "", 10**3: "K", 10**6: "M", 10**9: "G"}[fig.unit]
        rows = [{"name": name, "exact": _n(v), "printed": f"{fig.rounded(v)}{unit}",
                 "matches": fig.matches(v)} for name, v in values]
        out.append({
            "network": text.markdown(net.name), "figure": text.markdown(fig.text),
            "source": text.markdown(c.source), "rows": rows,
            "matching": [r["name"] for r in rows if r["matches"]],
        })
    return out


def values() -> dict:
    """The values of the reference page."""
    return {
        "columns": [h for _, h in cv.COLUMNS],
        "costs": {"layernorm": cv.LAYERNORM_COST, "softmax": cv.SOFTMAX_COST,
                  "bilinear": cv.BILINEAR_COST},
        "tools": [{"name": t.name, "call": t.call, "unit": t.unit, "reason": t.reason}
                  for t in tools.TOOLS],
        "kinds": _kinds_table(),
        "dialects": [{"prefix": p, "note": d.note} for p, d in tools.DIALECTS.items()],
        "examples": [_example(*e) for e in EXAMPLES],
        "published": [p for n in PUBLISHED for p in _published(n)],
    }
