"""Architectures section: one page per network (built-ins, then users' specs in
``settings.user_specs``), its table as CSV and JSON beside it; and, for
contributors, the spec-format page with the example spec and its table.

Every number on these pages is computed by :mod:`generator.tables`; this module
only turns it into display strings for the templates. Every string that comes
from a spec (names, descriptions, sources, notes, file names) reaches the
templates escaped by :func:`generator.text.markdown`, so it prints as itself and
is never markup; a source's URL becomes a link only when it is http(s).
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from dataclasses import fields
from urllib.parse import quote, urlsplit

from .. import text
from ..errors import UserError
from ..figures.architecture import figure_id
from ..figures.library import page_context
from ..render import Output, page
from ..specs import BUILTINS, SPEC_DIR, SPEC_SUFFIXES, load_builtin, load_spec, user_spec_files
from ..specs import Layer, Network, Published, parse_spec
from ..specs.fields import default_text, is_required, spec_fields
from ..specs.kinds import ALIASES, LAYER_KINDS
from ..tables import compare, layer_table, to_csv, to_json
from ..tables.formats import bytes_text, count_text, display_row, field_texts, si_text
from ..tables.published import QUANTITIES
from . import concepts, counting, exercises, memory, site_map

log = logging.getLogger(__name__)

SECTION = site_map.ARCHITECTURES.title
FOLDER = site_map.ARCHITECTURES.slug
#: The spec-format page is for contributors, not part of the course path; its title
#: and place are declared in the site map.
FORMAT_SECTION = site_map.CONTRIBUTING.title
FORMAT_TITLE = site_map.page(site_map.CONTRIBUTING.slug, "spec-format").title
FORMAT_PAGE = site_map.CONTRIBUTING.path("spec-format")
#: The complete example spec the spec-format page shows with its computed table.
EXAMPLE_SPEC = SPEC_DIR / "examples" / "example-tiny.yaml"


def outputs(ctx):
    networks = [(load_builtin(i), None) for i in BUILTINS]
    taken = {n.id: f"the built-in {n.id}" for n, _ in networks}
    for path in user_spec_files(ctx.settings.path("user_specs")):
        net = load_spec(path)
        if net.id in taken:
            raise UserError(f"{net.source}: its page would be {FOLDER}/{net.id}.md, which "
                            f"{taken[net.id]} already uses; rename the file")
        taken[net.id] = net.source
        networks.append((net, path.relative_to(ctx.settings.root).as_posix()))
    for net, user_file in networks:
        table = layer_table(net)
        base = f"{FOLDER}/{net.id}"
        figures = page_context(f"{base}.md", ctx.figures)
        diagram = figure_id(net.id)  # users' specs too, when the figure stage drew them
        rendered = page(f"{base}.md", "pages/architectures/network.md.j2",
                        **_network_context(net, table, user_file, f"{base}.md"), **figures,
                        diagram=diagram if diagram in figures["figures"] else None)
        # Built-ins end with questions on their own layers (generator.pages.exercises).
        yield Output(rendered.path, rendered.data + exercises.network_block(net.id, f"{base}.md").encode("utf-8"))
        yield Output(f"{base}.csv", to_csv(table).encode("utf-8"))
        yield Output(f"{base}.json", to_json(table).encode("utf-8"))
        ctx.add_nav(SECTION, net.name, f"{base}.md")  # plain text: the nav writer escapes
        log.info("table of %s: %d params, %d MACs", net.id, table.totals.params,
                 table.totals.macs)
    builtins = [
        {"id": n.id, "name": text.markdown(n.name), "href": _href(FORMAT_PAGE, f"{FOLDER}/{n.id}.md")}
        for n, user_file in networks if not user_file
    ]
    yield page(FORMAT_PAGE, "pages/contributing/spec-format.md.j2",
               meta=site_map.page(site_map.CONTRIBUTING.slug, "spec-format").front_matter(),
               **_format_context(builtins, ctx.settings.user_specs))
    ctx.add_nav(FORMAT_SECTION, FORMAT_TITLE, FORMAT_PAGE)


def _href(source: str, target: str) -> str:
    """The relative link from the page ``source`` to ``target`` (both output paths)."""
    return posixpath.relpath(target, posixpath.dirname(source))


# ------------------------------------------------------------------ users' strings

#: Characters a link target may keep as they are; every other one is percent-encoded,
#: so no Markdown (parentheses, brackets, backticks, backslashes, spaces) or HTML
#: (quotes, angle brackets) syntax survives in it.
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def safe_url(url: str | None) -> str | None:
    """``url`` ready for a Markdown link when it is http(s) with a host, else None.

    >>> safe_url("https://example.org/a b/(x)?q=<y>")
    'https://example.org/a%20b/%28x%29?q=%3Cy%3E'
    >>> safe_url("javascript:alert(1)") is None, safe_url("//example.org") is None
    (True, True)
    """
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(parts.geturl(), safe=_URL_SAFE)


def paragraphs(value: str) -> list[str]:
    """A user's description as escaped paragraphs: split at blank lines, each one's
    whitespace collapsed (so no line can start a heading, list or code block)."""
    parts = (" ".join(p.split()) for p in re.split(r"\n\s*\n", value or ""))
    return [text.markdown(p) for p in parts if p]


def search_tags(net) -> list[str]:
    """Words readers search a network by besides its name: ``vgg16`` and ``vgg`` for
    ``vgg16``; a variant (an id with a dash, ``vgg16-bn``) only its own ``vgg16bn``, so
    the plain network comes first for its family's name; and the counts' names."""
    net_id = net.id
    compact = re.sub(r"[^a-z0-9]", "", net_id.lower())
    family = "" if "-" in net_id else concepts.family(net)  # the one family rule
    return list(dict.fromkeys(t for t in (compact, family, "flops", "macs") if t))


def front_matter_title(value: str, tags: list[str] = ()) -> str:
    """The page's YAML front matter giving its HTML title: the builder's theme prints
    ``page.meta.title`` as markup in ``<title>`` and the header, so it is escaped here
    (non-ASCII as numeric references too, so the YAML is plain ASCII)."""
    escaped = "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text.html(value))
    return f"---\ntitle: {json.dumps(escaped)}\ntags: {json.dumps(list(tags))}\n---\n"


# ------------------------------------------------------------------ network pages


def stages(rows) -> list[list]:
    """Top-level rows in runs: consecutive blocks of one kind after which the output
    keeps its shape (a ResNet stage: its first block may change the shape, the others
    keep it) are one run; any other row is a run of its own."""
    runs: list[list] = []
    for r in rows:
        last = runs[-1] if runs else None
        if (r.children and last and last[-1].children and last[-1].type == r.type
                and r.output_shape == last[-1].output_shape and not r.sources):
            last.append(r)
        else:
            runs.append([r])
    return runs


def _blocks_in(run) -> int:
    """How many blocks a run holds (a ``repeat`` counts its instances)."""
    return sum(len(r.children) if r.type == "repeat" else 1 for r in run)


def _run_row(run) -> dict:
    """The one row a run of blocks shows folded: the names of its first and last blocks,
    how many blocks of which kinds, its output and the sums of its counts."""
    first, last = run[0], run[-1]
    kinds = ", ".join(dict.fromkeys(
        r.details.partition(" × ")[2] or r.type if r.type == "repeat" else r.type for r in run))
    n = _blocks_in(run)
    what = f"{n} × {kinds}" if ", " not in kinds else f"{n} blocks: {kinds}"
    rf, jump, start = field_texts(last.receptive_field)
    name = (f"{text.markdown(first.name)} – {text.markdown(last.name)}"
            if first.name and last.name else f"{first.index} – {last.index}")
    return {
        "name": name, "label": name, "group": True, "block": True,
        "kind": what, "settings": "", "details": "", "operation": what,
        "output": text.shape(last.output_shape),
        "params": count_text(sum(r.params for r in run)),
        "macs": count_text(sum(r.macs for r in run)),
        "activations": count_text(sum(r.activations for r in run)),
        "rf": rf, "jump": jump, "start": start,
    }


def _display_row(row) -> dict:
    """:func:`display_row` (it escapes a placeholder's details, the imported op's name)."""
    return display_row(row)


def _placeholders(table) -> list[dict]:
    """The placeholders of an import (``--skip-unsupported``), for the page's warning."""
    return [{"name": text.markdown(r.name) if r.name else f"layer {r.index}",
             "details": text.markdown(r.details)}
            for r in table.walk() if r.type == "placeholder"]


def _rows(table) -> tuple[list[dict], list[dict]]:
    """The rows the layer table shows, and the groups that fold open below it.

    A run of blocks (:func:`stages`) is one row; a lone block is its own row. Each
    becomes a group listing every row inside (each block in bold, then its layers),
    so every row of the table is on the page, folded."""
    rows, blocks = [], []
    for run in stages(table.rows):
        first = run[0]
        if not first.children:
            rows.append(_display_row(first))
            continue
        d = _run_row(run) if len(run) > 1 else _display_row(first)
        rows.append(d)
        what = d["kind"] if len(run) > 1 else f"{first.type} block, {d['details']}"
        title = (f"{d['name'] if len(run) > 1 else text.markdown(first.name or first.type)} — "
                 f"{what}: {text.shape(first.input_shape)} → {d['output']}, "
                 f"{d['params']} parameters")
        children = []
        for r in run:
            for c in r.walk():
                row = _display_row(c) | {"indent": "&emsp;" * (c.depth - first.depth)}
                children.append(row)
        blocks.append({"row": d, "title": title, "children": children,
                       "total": "stage" if len(run) > 1 else "block"})
    for b in blocks:  # a lone block (an Inception module) is the whole page: show it open
        b["open"] = len(blocks) == 1
    return rows, blocks


def _totals(table) -> dict:
    t = table.totals
    return {
        "input": text.shape(table.input_shape),
        "input_values": count_text(_prod(table.input_shape)),
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
    }


def _network_context(net, table, user_file: str | None, path: str) -> dict:
    rows, blocks = _rows(table)
    comparisons = [
        {
            "quantity": QUANTITIES[c.quantity],
            "published": text.markdown(c.published.text),
            "computed": c.computed_as_printed,
            "exact": count_text(c.computed),
            "rounded": not c.published.exact,
            "matches": c.matches,
            "source": text.markdown(c.source),
            "url": safe_url(c.url),
            "note": text.markdown(c.note) if c.note else None,
        }
        for c in compare(net, table)
    ]
    return {
        "front_matter": front_matter_title(net.name, search_tags(net)),
        "id": net.id,
        "name": text.markdown(net.name),
        "description": paragraphs(net.description),
        "user_file": text.markdown(user_file) if user_file else None,
        "placeholders": _placeholders(table),
        "placeholder_count": count_text(sum(r.type == "placeholder" for r in table.walk())),
        "layout": text.SHAPE_LAYOUT,
        "input_memory": bytes_text(_prod(table.input_shape) * 4),
        "rows": rows,
        "blocks": blocks,
        "comparisons": comparisons,
        "sources": _unique((c["source"], c["url"], c["note"]) for c in comparisons),
        "totals": _totals(table),
        "memory": memory.context(table),
        "counting": counting.network_context(table, path),
        "concepts": concepts.context(net.id, table, path),
        "csv": f"{net.id}.csv",
        "json": f"{net.id}.json",
        "spec_format": _href(path, FORMAT_PAGE),
        "format_title": FORMAT_TITLE,
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
            "default": default_text(f),
            "required": is_required(f),
            "doc": f.metadata["doc"],
        }
        for f in spec_fields(cls) if f.name not in skip
    ]


def _doc(cls) -> str:
    return " ".join((cls.__doc__ or "").split())


def _example() -> dict:
    """The example spec: its YAML as written, and its table as a network page shows it."""
    net = parse_spec(EXAMPLE_SPEC.read_text(encoding="utf-8"),
                     EXAMPLE_SPEC.relative_to(SPEC_DIR.parent.parent).as_posix(), "example")
    table = layer_table(net)
    rows, _ = _rows(table)
    return {
        "yaml": EXAMPLE_SPEC.read_text(encoding="utf-8").strip(),
        "name": text.markdown(net.name),
        "rows": rows,
        "totals": _totals(table),
    }


def _format_context(builtins: list[dict], user_specs: str) -> dict:
    common = {f.name for f in fields(Layer)}
    aliases = {}
    for alias, kind in ALIASES.items():
        aliases.setdefault(kind, []).append(alias)
    kinds = [
        {
            "kind": kind,
            "aliases": aliases.get(kind, []),
            "doc": _doc(cls),
            "fields": _field_rows(cls, skip=common),
            "composite": cls.COMPOSITE,
        }
        for kind, cls in LAYER_KINDS.items()
    ]
    return {
        "title": FORMAT_TITLE,
        "user_specs": user_specs,
        "suffixes": [f"*{s}" for s in SPEC_SUFFIXES],
        "layout": text.SHAPE_LAYOUT,
        "network_fields": _field_rows(Network),
        "common_fields": _field_rows(Layer),
        "published_fields": _field_rows(Published),
        "layers": [k for k in kinds if not k["composite"]],
        "blocks": [k for k in kinds if k["composite"]],
        "example": _example(),
        "builtins": builtins,
        "errors": _error_examples(f"{user_specs}/mynet.yaml"),
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


def _error_examples(where: str) -> list[str]:
    messages = []
    for layers in _BAD_SPECS:
        spec = f"name: My net\ninput: [1, 28, 28]\n{layers}"
        try:
            layer_table(parse_spec(spec, where, "mynet"))
        except UserError as exc:
            messages.append(str(exc))
        else:
            raise AssertionError(f"this example spec should be rejected:\n{spec}")
    return messages
