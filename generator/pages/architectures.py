"""Architectures section: one page per network (built-ins, then users' specs in
``settings.user_specs``), its table as CSV and JSON beside it, and the spec-format page.

Every number on these pages is computed by :mod:`generator.tables`; this module
only turns it into display strings for the templates.
"""

from __future__ import annotations

import logging
from dataclasses import fields

from ..errors import UserError
from ..figures.library import page_context
from ..render import Output, page
from ..specs import BUILTINS, SPEC_DIR, load_builtin, load_spec, user_spec_paths
from ..specs import parse_spec, schema
from ..tables import compare, layer_table, to_csv, to_json
from ..tables.formats import bytes_text, count_text, display_row, shape_text, si_text
from ..tables.published import QUANTITIES

log = logging.getLogger(__name__)

SECTION = "Architectures"
FOLDER = "architectures"
SPEC_FORMAT = "spec-format"
#: The built-in whose YAML the spec-format page shows as its first example.
EXAMPLE = "lenet5-course"


def outputs(ctx):
    networks = [(load_builtin(i), None) for i in BUILTINS]
    taken = {n.id: f"the built-in {n.id}" for n, _ in networks} | {SPEC_FORMAT: "a page"}
    for path in user_spec_paths(ctx.settings.path("user_specs")):
        net = load_spec(path)
        if net.id in taken:
            raise UserError(f"{net.source}: its page would be {FOLDER}/{net.id}.md, which "
                            f"{taken[net.id]} already uses; rename the file")
        taken[net.id] = net.source
        networks.append((net, path.relative_to(ctx.settings.root).as_posix()))
    for net, user_file in networks:
        table = layer_table(net)
        base = f"{FOLDER}/{net.id}"
        figures = page_context(f"{base}.md")
        diagram = f"architecture-{net.id}"
        yield page(f"{base}.md", "pages/architectures/network.md.j2",
                   **_network_context(net, table, user_file), **figures,
                   diagram=diagram if diagram in figures["figures"] else None)
        yield Output(f"{base}.csv", to_csv(table).encode("utf-8"))
        yield Output(f"{base}.json", to_json(table).encode("utf-8"))
        ctx.add_nav(SECTION, net.name, f"{base}.md")
        log.info("table of %s: %d params, %d MACs", net.id, table.totals.params,
                 table.totals.macs)
    builtins = [{"id": n.id, "name": n.name} for n, user_file in networks if not user_file]
    yield page(f"{FOLDER}/{SPEC_FORMAT}.md", "pages/architectures/spec-format.md.j2",
               **_format_context(builtins))
    ctx.add_nav(SECTION, "Writing a network spec", f"{FOLDER}/{SPEC_FORMAT}.md")


# ------------------------------------------------------------------ network pages


def _network_context(net, table, user_file: str | None) -> dict:
    t = table.totals
    rows = [display_row(r) for r in table.rows]
    blocks = []
    for r in table.rows:
        if not r.children:
            continue
        d = display_row(r)
        title = (f"{r.name or r.type} — {r.type} block, {d['details']}: "
                 f"{shape_text(r.input_shape)} → {d['output']}, {d['params']} parameters")
        children = [display_row(c) | {"indent": "&emsp;" * (c.depth - r.depth - 1)}
                    for c in r.walk() if c is not r]
        blocks.append({"row": d, "title": title.replace('"', "'"), "children": children})
    for b in blocks:  # a lone block (an Inception module) is the whole page: show it open
        b["open"] = len(blocks) == 1
    comparisons = [
        {
            "quantity": QUANTITIES[c.quantity],
            "published": c.published.text,
            "computed": c.computed_as_printed,
            "exact": count_text(c.computed),
            "rounded": not c.published.exact,
            "matches": c.matches,
            "source": c.source,
            "url": c.url,
            "note": c.note,
        }
        for c in compare(net, table)
    ]
    return {
        "id": net.id,
        "name": net.name,
        "description": net.description,
        "user_file": user_file,
        "input": shape_text(table.input_shape),
        "input_values": count_text(_prod(table.input_shape)),
        "input_memory": bytes_text(_prod(table.input_shape) * 4),
        "rows": rows,
        "blocks": blocks,
        "comparisons": comparisons,
        "sources": _unique((c["source"], c["url"], c["note"]) for c in comparisons),
        "totals": {
            "params": count_text(t.params),
            "weights": count_text(t.weights),
            "biases": count_text(t.biases),
            "trainable": count_text(t.trainable_params),
            "non_trainable": count_text(t.non_trainable_params),
            "frozen": t.non_trainable_params > 0,
            "buffers": count_text(t.buffers),
            "has_buffers": t.buffers > 0,
            "macs": count_text(t.macs),
            "macs_si": si_text(t.macs),
            "activations": count_text(t.activations),
            "memory": bytes_text(t.activation_bytes),
        },
        "csv": f"{net.id}.csv",
        "json": f"{net.id}.json",
        "spec_format": f"{SPEC_FORMAT}.md",
    }


def _prod(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _unique(items):
    seen, out = set(), []
    for source, url, note in items:
        if source not in seen:
            seen.add(source)
            out.append({"source": source, "url": url, "note": note})
    return out


# ------------------------------------------------------------------ spec format page


def _field_rows(cls, skip=()) -> list[dict]:
    return [
        {
            "name": f.name,
            "type": f.metadata["type"].label,
            "default": schema.default_text(f),
            "required": schema.is_required(f),
            "doc": f.metadata["doc"],
        }
        for f in schema.spec_fields(cls) if f.name not in skip
    ]


def _doc(cls) -> str:
    return " ".join((cls.__doc__ or "").split())


def _format_context(builtins: list[dict]) -> dict:
    common = {f.name for f in fields(schema.Layer)}
    aliases = {}
    for alias, kind in schema.ALIASES.items():
        aliases.setdefault(kind, []).append(alias)
    kinds = [
        {
            "kind": kind,
            "aliases": aliases.get(kind, []),
            "doc": _doc(cls),
            "fields": _field_rows(cls, skip=common),
            "composite": cls.COMPOSITE,
        }
        for kind, cls in schema.LAYER_KINDS.items()
    ]
    return {
        "network_fields": _field_rows(schema.Network),
        "common_fields": _field_rows(schema.Layer),
        "published_fields": _field_rows(schema.Published),
        "layers": [k for k in kinds if not k["composite"]],
        "blocks": [k for k in kinds if k["composite"]],
        "example_id": EXAMPLE,
        "example_yaml": (SPEC_DIR / f"{EXAMPLE}.yaml").read_text(encoding="utf-8").strip(),
        "builtins": builtins,
        "errors": _error_examples(),
    }


#: Wrong specs whose messages the spec-format page shows (computed, so never stale).
_BAD_SPECS = [
    "layers:\n  - conv: {name: conv1, out: 8, kernel: 5}\n"
    "  - conv: {name: conv2, out: 16, kernel: five}\n",
    "layers:\n  - conv: {name: conv1, out: 8, kernel: 5, stride: 2}\n"
    "  - maxpool: {name: pool1, kernel: 2}\n  - conv: {name: conv2, out: 16, kernel: 7}\n",
    "layers:\n  - conv: {out: 8, kernel: 3, padding: 1}\n"
    "  - residual:\n      main:\n        - conv: {out: 16, kernel: 3, stride: 2, padding: 1}\n",
    "layers:\n  - conv: {name: conv1, out: 8, kernal: 3}\n",
    "layers:\n  - convolution: {out: 8, kernel: 3}\n",
]


def _error_examples() -> list[str]:
    messages = []
    for layers in _BAD_SPECS:
        text = f"name: My net\ninput: [1, 28, 28]\n{layers}"
        try:
            layer_table(parse_spec(text, "docs/specs/mynet.yaml", "mynet"))
        except UserError as exc:
            messages.append(str(exc))
        else:
            raise AssertionError(f"this example spec should be rejected:\n{text}")
    return messages
