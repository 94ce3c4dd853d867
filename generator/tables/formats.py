"""A layer table as JSON, CSV or Markdown, and the display strings pages use.

All counts in JSON and CSV are integers. The same functions serve the CLI
(``python -m generator table``) and the downloads next to each page, so both
give identical bytes.

Names and sources come from a user's spec, so they are data in every format:
Markdown gets :func:`generator.text.markdown` (renders literally, never syntax),
JSON writes ``<``, ``>`` and ``&`` as ``\\u003c`` escapes (safe even if pasted
into an HTML page), and a CSV cell that a spreadsheet would run as a formula
gets a leading apostrophe (:func:`csv_cell`). Shapes are written in the site's one
layout, channels first (:data:`generator.text.SHAPE_LAYOUT`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

from .. import text
from .published import QUANTITIES, compare
from .receptive import Field
from .table import Row, Table

__all__ = [
    "to_json", "to_csv", "to_markdown", "to_text", "table_dict", "md_text", "csv_cell",
    "terminal_text",
    "shape_text", "count_text", "bytes_text", "si_text", "field_texts", "display_row",
    "SHAPE_LAYOUT", "CSV_SHAPE_LAYOUT",
]

#: The layout of every shape these tables show (channels × height × width).
SHAPE_LAYOUT = text.SHAPE_LAYOUT
#: The same layout as the CSV writes shapes, with an ASCII ``x``: ``CxHxW``.
CSV_SHAPE_LAYOUT = SHAPE_LAYOUT.replace(text.TIMES, "x")


# ------------------------------------------------------------------ display strings


#: ``64×56×56`` (channels × height × width), or ``1000`` for a flat vector.
shape_text = text.shape


def count_text(n: int) -> str:
    """``138,357,544``."""
    return f"{n:,}"


def bytes_text(n: int) -> str:
    """``392.0 KiB``: binary units, one decimal."""
    if n < 1024:
        return f"{n} B"
    for unit in ("KiB", "MiB", "GiB"):
        n /= 1024
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}"
    raise AssertionError("unreachable")


def si_text(n: int) -> str:
    """``15.47 G``: three significant digits or more, with a decimal prefix."""
    for value, prefix in ((10**9, "G"), (10**6, "M"), (10**3, "k")):
        if n >= value:
            x = n / value
            return f"{x:.2f} {prefix}" if x < 100 else f"{x:.1f} {prefix}"
    return str(n)


def field_texts(field: Field) -> tuple[str, str, str]:
    """Receptive field ``(size, jump, start)`` as strings; ``—`` where undefined."""
    if field is None:
        return "—", "—", "—"
    h, w = field
    return (text.size2((h.size, w.size)), text.size2((h.jump, w.jump)),
            text.size2((h.start, w.start)))


#: A user's string as Markdown that prints as itself (kept under its old name).
md_text = text.markdown


#: Characters a terminal acts on instead of showing: C0 and C1 controls (``\x1b`` starts
#: an escape sequence), line and paragraph separators, and the bidirectional controls
#: that reorder the text around them. Other format characters (ZWJ, ZWNJ) only join.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")


def _acts_on_terminal(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI_CONTROLS


def terminal_text(value) -> str:
    r"""A user's string as a terminal prints it: every character a terminal would act on
    (:data:`_BIDI_CONTROLS`, controls, separators) written as its Python escape.

    >>> terminal_text("conv\x1b[31m1"), terminal_text("a\u202eb")
    ('conv\\x1b[31m1', 'a\\u202eb')
    """
    def escape(c: str) -> str:
        n = ord(c)
        return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
    return "".join(escape(c) if _acts_on_terminal(c) else c for c in str(value))


def _label(row: Row, escape=md_text) -> str:
    label = escape(row.name) if row.name else row.type
    return f"{row.path}: {label}" if row.path else label


def display_row(row: Row, escape=md_text) -> dict[str, str]:
    """The strings a table shows for ``row`` (templates only print them), a user's strings
    (name, details) through ``escape``: Markdown by default, :func:`terminal_text` for
    the terminal. ``details`` is escaped like a name: today it is computed text, but a
    detail may one day quote a spec's string (a placeholder's ``op`` already does)."""
    rf, jump, start = field_texts(row.receptive_field)
    details = escape(row.details)
    return {
        "index": row.index,
        "depth": row.depth,
        "path": row.path,
        "name": escape(row.name),
        "label": _label(row, escape),
        "type": row.type,
        "details": details,
        "operation": (f"{row.type} block ({details})" if row.children
                      else f"{row.type} {details}".strip()),
        "kind": f"{row.type} block" if row.children else row.type,
        "output": shape_text(row.output_shape),
        "weights": count_text(row.weights),
        "biases": count_text(row.biases),
        "params": count_text(row.params),
        "trainable": count_text(row.trainable_params),
        "buffers": count_text(row.buffers),
        "macs": count_text(row.macs),
        "activations": count_text(row.activations),
        "memory": bytes_text(row.activation_bytes),
        "rf": rf,
        "jump": jump,
        "start": start,
        "block": bool(row.children),
    }


# ------------------------------------------------------------------ JSON


def _field_dict(field: Field):
    if field is None:
        return None
    h, w = field
    return {"size": [h.size, w.size], "jump": [h.jump, w.jump], "start": [h.start, w.start]}


def _row_dict(row: Row) -> dict:
    d = {
        "index": row.index,
        "name": row.name or None,
        "type": row.type,
        "details": row.details,
        "path": row.path or None,
        "input_shape": list(row.input_shape),
        "output_shape": list(row.output_shape),
        "params": row.params,
        "weights": row.weights,
        "biases": row.biases,
        "trainable_params": row.trainable_params,
        "buffers": row.buffers,
        "macs": row.macs,
        "activations": row.activations,
        "activation_bytes": row.activation_bytes,
        "receptive_field": _field_dict(row.receptive_field),
        # the rows this one takes (graph specs), by index; empty: the row before it
        "sources": list(row.sources),
    }
    if row.children:
        d["children"] = [_row_dict(c) for c in row.children]
    return d


def table_dict(table: Table) -> dict:
    """The table as plain data: what :func:`to_json` writes."""
    t = table.totals
    return {
        "model": table.network.id,
        "name": table.network.name,
        # Every shape below is [C, H, W], or [features] once flattened.
        "shape_layout": SHAPE_LAYOUT,
        "input_shape": list(table.input_shape),
        "layers": [_row_dict(r) for r in table.rows],
        "totals": {
            "params": t.params,
            "weights": t.weights,
            "biases": t.biases,
            "trainable_params": t.trainable_params,
            "non_trainable_params": t.non_trainable_params,
            "buffers": t.buffers,
            "macs": t.macs,
            "activations": t.activations,
            "activation_bytes": t.activation_bytes,
        },
        "published": [
            {
                "quantity": c.quantity,
                "published": c.published.text,
                "computed": c.computed,
                "matches": c.matches,
                "source": c.source,
                "url": c.url,
            }
            for c in compare(table.network, table)
        ],
    }


#: A JSON list of integers spread over lines by ``indent``.
_NUMBER_LIST = re.compile(r"\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]")


#: Characters JSON may hold raw but HTML or a JavaScript ``<script>`` block may not:
#: written as ``\\uXXXX`` escapes, which every JSON reader decodes back.
_JSON_HTML_SAFE = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"})


def to_json(table: Table) -> str:
    """The table as JSON: model, shape_layout, input_shape, layers (blocks hold
    ``children``; ``sources``: the indices of the rows a layer takes, empty for the row
    before it), totals, published; every count an integer. Lists of numbers stay on
    one line. ``<``, ``>`` and ``&`` in names are ``\\u003c``-style escapes, so the text
    is also safe inside an HTML ``<script>`` element."""
    out = json.dumps(table_dict(table), indent=1, ensure_ascii=False)
    out = _NUMBER_LIST.sub(
        lambda m: "[" + ", ".join(n.strip() for n in m.group(1).split(",")) + "]", out)
    return out.translate(_JSON_HTML_SAFE) + "\n"


# ------------------------------------------------------------------ CSV

CSV_COLUMNS = [
    "index", "depth", "path", "name", "type", "details", "output_shape",
    "params", "weights", "biases", "trainable_params", "buffers", "macs",
    "activations", "activation_bytes",
    "rf_h", "rf_w", "jump_h", "jump_w", "start_h", "start_w", "shape_layout", "sources",
]
#: How the ``sources`` column joins a row's input indices (empty: the row before it).
CSV_SOURCES_SEPARATOR = " "


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: injection"): such a text cell gets a leading apostrophe, which spreadsheets hide.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """``value`` as a CSV cell: numbers as they are; text that a spreadsheet would run
    as a formula (``=HYPERLINK(...)``, ``+1``, ``-x``, ``@SUM``) behind an apostrophe.

    >>> csv_cell("=1+1"), csv_cell("conv1"), csv_cell(-3)
    ("'=1+1", 'conv1', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_shape(shape) -> str:
    """A shape as the CSV writes it, the site's layout with an ASCII ``x``: ``64x112x112``."""
    return text.shape(shape).replace(text.TIMES, "x")


def to_csv(table: Table) -> str:
    """One line per row, blocks and their inner rows included (``depth`` > 0 inside a
    block): the rows of depth 0 add up to the totals. ``output_shape`` is written
    ``CxHxW`` (``64x112x112``), or one number of features once flattened; the
    ``shape_layout`` column says which. ``sources`` lists the indices of the rows a row
    takes (a graph's ``inputs``; ``5.0`` is block 5's input, ``0`` the network's),
    separated by spaces; empty for the row before it."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in table.walk():
        f = row.receptive_field
        rf = (["", "", "", "", "", ""] if f is None else
              [f[0].size, f[1].size, f[0].jump, f[1].jump, f[0].start, f[1].start])
        layout = CSV_SHAPE_LAYOUT if len(row.output_shape) == 3 else "features"
        writer.writerow([csv_cell(v) for v in [
            row.index, row.depth, row.path, row.name, row.type, row.details,
            csv_shape(row.output_shape),
            row.params, row.weights, row.biases, row.trainable_params, row.buffers, row.macs,
            row.activations, row.activation_bytes, *rf, layout,
            CSV_SOURCES_SEPARATOR.join(row.sources),
        ]])
    return buf.getvalue()


# ------------------------------------------------------------------ Markdown and text

#: The columns ``to_markdown`` and ``to_text`` print: heading, right-aligned, key of
#: :func:`display_row`.
PRINTED_COLUMNS = (
    ("#", True, "index"), ("layer", False, "label"), ("type", False, "type"),
    ("details", False, "details"), (f"output ({SHAPE_LAYOUT})", False, "output"),
    ("params", True, "params"), ("MACs", True, "macs"), ("activations", True, "activations"),
    ("memory", True, "memory"), ("RF", True, "rf"), ("jump", True, "jump"),
    ("start", True, "start"),
)

#: What the table's counts mean, under its title in both printed formats.
_LEGEND = (
    "shapes are {layout} (channels × height × width); MACs count multiply-accumulates of "
    "convolutions and linear layers; memory is float32; RF, jump and start are the "
    "receptive field in input pixels."
).format(layout=SHAPE_LAYOUT)


def _printed_rows(table: Table, escape) -> list[list[str]]:
    """Every row's cells (inner rows of blocks included), then the totals' cells."""
    shown = (display_row(row, escape) for row in table.walk())
    rows = [[str(d[key]) for _, _, key in PRINTED_COLUMNS] for d in shown]
    t = table.totals
    total = {"label": "total", "params": count_text(t.params), "macs": count_text(t.macs),
             "activations": count_text(t.activations), "memory": bytes_text(t.activation_bytes)}
    return rows + [[total.get(key, "") for _, _, key in PRINTED_COLUMNS]]


def _summary(table: Table, escape) -> list[str]:
    """The totals and the published figures, one line each (a Markdown list)."""
    net, t = table.network, table.totals
    lines = [
        f"- parameters: {count_text(t.params)} (weights {count_text(t.weights)}, biases "
        f"{count_text(t.biases)}; trainable {count_text(t.trainable_params)})",
        f"- batchnorm buffers (not parameters): {count_text(t.buffers)}",
        f"- multiply-accumulates: {count_text(t.macs)} ({si_text(t.macs)})",
        f"- activations: {count_text(t.activations)} values, "
        f"{bytes_text(t.activation_bytes)} as float32",
    ]
    for c in compare(net, table):
        verdict = "matches" if c.matches else "differs"
        lines.append(f"- published {QUANTITIES[c.quantity]}: {escape(c.published.text)} "
                     f"({escape(c.source)}); computed {c.computed_as_printed}: {verdict}")
    return lines


def _cells(values) -> str:
    return "| " + " | ".join(map(str, values)) + " |"


def to_markdown(table: Table) -> str:
    """The whole table, inner rows of blocks included, then the totals, as Markdown."""
    net = table.network
    *rows, total = _printed_rows(table, md_text)
    lines = [
        f"# {text.markdown(net.name)} ({net.id})",
        "",
        f"Input {shape_text(table.input_shape)}; {_LEGEND}",
        "",
        _cells([heading for heading, _, _ in PRINTED_COLUMNS]),
        "|" + "|".join("--:" if right else "---" for _, right, _ in PRINTED_COLUMNS) + "|",
        *map(_cells, rows),
        _cells([f"**{cell}**" if cell else "" for cell in total]),
        "",
        *_summary(table, md_text),
    ]
    return "\n".join(lines) + "\n"


def _width(s: str) -> int:
    """Columns ``s`` takes in a terminal: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def to_text(table: Table) -> str:
    """The table of :func:`to_markdown` as plain text for a terminal: the same rows,
    numbers and totals in aligned columns, names as they are written but for the
    characters a terminal would act on (:func:`terminal_text`)."""
    net = table.network
    heading = f"{terminal_text(net.name)} ({terminal_text(net.id)})"
    grid = [[h for h, _, _ in PRINTED_COLUMNS], *_printed_rows(table, terminal_text)]
    widths = [max(_width(r[i]) for r in grid) for i in range(len(PRINTED_COLUMNS))]

    def line(cells) -> str:
        padded = [" " * (w - _width(c)) + c if right else c + " " * (w - _width(c))
                  for c, w, (_, right, _) in zip(cells, widths, PRINTED_COLUMNS)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [heading, "=" * _width(heading), "",
             f"Input {shape_text(table.input_shape)}; {_LEGEND}", "",
             line(grid[0]), rule, *map(line, grid[1:-1]), rule, line(grid[-1]), "",
             *_summary(table, terminal_text)]
    return "\n".join(lines) + "\n"
