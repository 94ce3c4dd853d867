"""A network's diagram as data: its layer table folded into nodes, groups, lanes and skips.

Pure Python on the rows of :func:`generator.tables.layer_table` (no drawing, no NumPy).
The result is a tree of JSON values, top to bottom:

* ``seq``: ``items`` drawn one under the other, and ``skips``: arrows that bypass
  items (a residual's identity shortcut, a U-Net's skip, a squeeze-and-excitation
  gate), each ``{"from": id or "entry", "to": id, "out": label}``;
* ``node``: one layer, with the layers after it that keep its shape and compute
  nothing (batchnorm, an activation, dropout) written into it (``chain``);
* ``par``: parallel ``lanes`` (a projection shortcut, an Inception module's
  branches) meeting at the ``merge`` node (``add``, ``concat``);
* ``group``: a block drawn framed with its inside (``body``), standing for ``count``
  consecutive blocks of the same structure ("× N");
* ``compact``: a group whose inside has the same structure as a group drawn
  earlier (``same_as``; the same layers that compute, its activations may
  differ): one box, so a 200-layer network stays short.

Every item has ``out``: the label of the edge leaving it, ``{"label", "src",
"src_last"}``: ``label`` is :func:`generator.text.shape` of the output of row
``src`` (the producing row), or ``"first … last"`` when a folded group's
instances differ there (``src_last``, the same place in the last instance).
Which kinds merge or contain other layers comes from the kind registry
(:mod:`generator.specs.kinds`); whether a layer folds into the node before it
comes from its row (same shape in and out, no multiply-accumulates).
"""

from __future__ import annotations

from .. import text
from ..specs import kinds

#: The id of a sequence's own input (where its incoming arrow arrives).
ENTRY = "entry"
#: Longest text of a node before it is cut with an ellipsis (a user's name may be long).
MAX_TEXT = 44
#: The separator of a node's chain of layers.
CHAIN = " \u00b7 "
#: Between the first and the last instance's shapes in a folded group.
RANGE = " \u2026 "
#: Boxes drawn at most: a longer network's diagram ends in one box saying how many
#: more items the layer table lists (drawing time and file size stay bounded).
MAX_BOXES = 200


def clip(s: str, n: int = MAX_TEXT) -> str:
    """``s`` on one line, at most ``n`` characters (an ellipsis marks a cut)."""
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def _kind(row):
    return kinds.get(row.type)


def _is_merge(row) -> bool:
    k = _kind(row)
    return bool(k and (k.spec.MERGE or (k.composite and not row.children)))


def _pointwise(row) -> bool:
    """A layer that keeps its input's shape and computes no sum (batchnorm, an activation,
    dropout): drawn inside the box of the layer before it. A placeholder (an op an import
    skipped) is not: it gets a box of its own, dashed."""
    k = _kind(row)
    return (k is not None and not k.composite and not k.spec.MERGE and not row.sources
            and k.name != "placeholder"
            and row.input_shape == row.output_shape and row.macs == 0)


def _signature(row, fine: bool, base: str = "") -> tuple:
    """The structure of ``row``: kinds, paths, inputs (relative to their list) and nesting;
    with ``fine``, also the settings (``details``) of every layer but a block instance
    (without, the shape-keeping layers are left out: a block with ReLU and one with
    hardswish have the same structure)."""
    sources = tuple(s[len(base):] if base and s.startswith(base) else s for s in row.sources)
    own = (row.type, row.path, sources, len(row.output_shape))
    if fine and row.type != "block":
        own += (row.details,)
    inner = [c for c in row.children if fine or not _pointwise(c)]
    return own + (tuple(_signature(c, fine, row.index + ".") for c in inner),)


class _Seq:
    """A sequence being built: its items, skips and which item gives each row's output."""

    def __init__(self, entry_index: str, entry_out: dict):
        self.items: list[dict] = []
        self.skips: list[dict] = []
        self.out_of: dict[str, str] = {entry_index: ENTRY}
        self.outs: dict[str, dict] = {ENTRY: entry_out}

    def last(self) -> str:
        return self.items[-1]["id"] if self.items else ENTRY

    def add(self, el: dict, takes: list[str] | None) -> None:
        prev = self.last()
        el["from_prev"] = takes is None or prev in takes
        for t in takes or ():
            if t != prev:
                self.skips.append({"from": t, "to": el["id"], "out": dict(self.outs[t])})
        self.items.append(el)
        self.outs[el["id"]] = el["out"]

    def done(self) -> dict:
        return {"t": "seq", "items": self.items, "skips": self.skips}


class Diagram:
    """Builds the tree of one table (see the module's docstring)."""

    def __init__(self, table):
        self.referenced = {s for r in table.walk() for s in r.sources}
        self.repeat_of: dict[str, str] = {}   # instance index -> the block it instantiates
        self.lone: dict[str, str] = {}        # a repeat's only instance -> the repeat's name
        for r in table.walk():
            if r.type == "repeat":
                block = r.details.partition(" \u00d7 ")[2]
                for c in r.children:
                    self.repeat_of[c.index] = block
                if len(r.children) == 1 and r.name:  # a lone instance goes by the repeat's name
                    self.lone[r.children[0].index] = r.name
        self.shown: dict[tuple, str] = {}    # coarse signature -> title of the drawn group
        self.twin: dict[str, object] = {}    # first instance's row index -> last's row
        self.n = 0
        self.table = table

    # -------------------------------------------------------------- labels

    def out(self, row) -> dict:
        """The label of the edge leaving ``row`` (a range over a folded group's instances)."""
        return self._edge(row, "output_shape", "src")

    def entry_out(self, row) -> dict:
        """The label of the input of block ``row`` (what its entry's skips carry)."""
        return self._edge(row, "input_shape", "input_of")

    def _edge(self, row, shape: str, key: str) -> dict:
        """An edge carrying ``row``'s ``shape`` attribute; when ``row`` stands for a folded
        group whose last instance differs, the label is the range and ``key_last`` names
        that instance."""
        label = text.shape(getattr(row, shape))
        last = self.twin.get(row.index)
        d = {"label": label, key: row.index}
        if last is not None and getattr(last, shape) != getattr(row, shape):
            d["label"] = label + RANGE + text.shape(getattr(last, shape))
            d[f"{key}_last"] = last.index
        return d

    def new_id(self, what: str) -> str:
        self.n += 1
        return f"{what}{self.n}"

    def name(self, row) -> str:
        """A row's name, unless it differs between the instances of a folded group."""
        last = self.twin.get(row.index)
        if not row.name or (last is not None and last.name != row.name):
            return ""
        return clip(row.name)

    # -------------------------------------------------------------- the tree

    def build(self) -> dict:
        t = self.table
        inp = {"t": "node", "id": "input", "kind": "input", "chain": ["input"], "details": "",
               "name": "", "out": {"label": text.shape(t.input_shape), "input_of": "1"}}
        seq = _Seq("0", inp["out"])
        seq.add(inp, None)
        seq.out_of["0"] = "input"
        self.fill(seq, t.rows, top=True)
        tree = seq.done()
        _trim(tree, MAX_BOXES)
        items = tree["items"]
        items.append({"t": "node", "id": "output", "kind": "output", "chain": ["output"],
                      "details": "", "name": "", "out": {"label": "", "src": ""},
                      "from_prev": True})
        return tree

    def takes(self, seq: _Seq, row) -> list[str] | None:
        if not row.sources:
            return None
        return [seq.out_of.get(s, seq.last()) for s in row.sources]

    def units(self, rows, top: bool):
        """``rows`` with each ``repeat`` opened into its instances (a lone instance inside
        a block is spliced in: its layers join the list)."""
        for row in rows:
            if row.type == "repeat" and row.children:
                if top or len(row.children) > 1:
                    for inst in row.children:
                        yield "row", inst
                else:
                    yield "splice", row.children[0]
                yield "alias", row
            else:
                yield "row", row

    def fill(self, seq: _Seq, rows, top: bool = False) -> None:
        units = list(self.units(rows, top))
        i = 0
        while i < len(units):
            what, row = units[i]
            if what == "alias":
                seq.out_of[row.index] = seq.last()
                i += 1
            elif what == "splice":
                seq.out_of[f"{row.index}.0"] = seq.last()
                self.fill(seq, row.children)
                seq.out_of[row.index] = seq.last()
                i += 1
            elif row.children:
                run, aliases, j = [row], [], i + 1
                fine = _signature(row, True)
                while j < len(units) and run[-1].index not in self.referenced:
                    w, nxt = units[j]
                    if w == "alias" and nxt.index not in self.referenced:
                        aliases.append(nxt)
                    elif (w == "row" and nxt.children and not nxt.sources
                          and _signature(nxt, True) == fine):
                        run.append(nxt)
                    else:
                        break
                    j += 1
                takes = self.takes(seq, row)
                el = self.group(run)
                seq.add(el, takes)
                for r in run:
                    seq.out_of[r.index] = el["id"]
                for a in aliases:
                    seq.out_of[a.index] = el["id"]
                i = j
            else:
                self.leaf(seq, row)
                i += 1

    def leaf(self, seq: _Seq, row) -> None:
        last = seq.items[-1] if seq.items else None
        if (last is not None and last["t"] == "node"
                and last["kind"] not in ("input", "output", "placeholder")
                and _pointwise(row) and last["out"].get("src") not in self.referenced):
            last["chain"].append(row.type)
            last["out"] = self.out(row)
            seq.outs[last["id"]] = last["out"]
            seq.out_of[row.index] = last["id"]
            return
        el = {"t": "node", "id": self.new_id("n"), "kind": row.type, "chain": [row.type],
              "details": clip(row.details), "name": self.name(row), "out": self.out(row)}
        seq.add(el, self.takes(seq, row))
        seq.out_of[row.index] = el["id"]

    def merge_node(self, rows) -> dict:
        """The node where paths meet (``add``, ``concat``) with the layers after it."""
        first = rows[0]
        el = {"t": "node", "id": self.new_id("m"), "kind": first.type, "chain": [first.type],
              "details": clip(first.details), "name": "", "out": self.out(first)}
        for r in rows[1:]:
            el["chain"].append(r.type)
            el["out"] = self.out(r)
        return el

    def body(self, row) -> dict:
        """The inside of a block: its paths side by side, or its list of layers."""
        paths = list(dict.fromkeys(c.path for c in row.children if c.path))
        entry = self.entry_out(row)
        if not paths:  # a graph (a repeat's instance, or a block of another kind)
            seq = _Seq(f"{row.index}.0", entry)
            self.fill(seq, row.children)
            return seq.done()
        lanes = []
        for p in paths:
            seq = _Seq(f"{row.index}.0", entry)
            self.fill(seq, [c for c in row.children if c.path == p])
            lanes.append(seq.done())
        rest = [c for c in row.children if not c.path]
        seq = _Seq(f"{row.index}.0", entry)
        if paths == ["main"]:  # an identity shortcut: a skip from the block's input
            self.fill(seq, [c for c in row.children if c.path == "main"])
            merge = self.merge_node(rest) if rest else None
            if merge is not None:
                seq.add(merge, [seq.last(), ENTRY])
                seq.skips[-1]["identity"] = True
            return seq.done()
        merge = self.merge_node(rest)
        par = {"t": "par", "id": self.new_id("p"), "lanes": lanes, "merge": merge,
               "kind": row.type, "out": merge["out"]}
        seq.add(par, None)
        return seq.done()

    def group(self, run) -> dict:
        first, last = run[0], run[-1]
        kind = self.repeat_of.get(first.index) or first.type
        names = [r.name for r in (first, last) if r.name]
        if len(run) > 1 and len(names) == 2 and names[0] != names[1]:
            title = f"{clip(names[0], 20)} \u2013 {clip(names[1], 20)}"
        else:
            title = clip(self.lone.get(first.index) or first.name or kind)
        outer = self.twin
        self.twin = dict(outer)
        out = self.out(last)
        if len(run) > 1:
            self.twin.update({a.index: b for a, b in zip(first.walk(), last.walk())})
        coarse = _signature(first, False)
        el = {"t": "group", "id": self.new_id("g"), "count": len(run), "title": title,
              "kind": clip(kind), "details": "" if first.type == "block" else clip(first.details),
              "out": out}
        body = self.body(first)
        items = body["items"]
        while len(items) == 1 and not body["skips"] and items[0]["t"] == "group" \
                and items[0]["count"] == 1:  # a block that is one block: one frame
            body = items[0]["body"]
            items = body["items"]
        self.twin = outer
        if len(run) == 1 and len(items) == 1 and items[0]["t"] == "node" and not body["skips"]:
            node = items[0]  # a block of one layer (a conv with its batchnorm): a box
            node["name"] = title
            node["out"] = out
            return node
        if coarse in self.shown:
            el["t"] = "compact"
            el["same_as"] = self.shown[coarse]
        else:
            self.shown[coarse] = title
            el["body"] = body
        return el


def boxes(tree: dict) -> int:
    """How many boxes (layers, merges, folded groups) ``tree`` draws."""
    return sum(1 for k, _ in walk(tree) if k in ("node", "compact"))


def _trim(seq: dict, budget: int) -> None:
    """Keep the items of ``seq`` that fit in ``budget`` boxes; the rest become one box
    that says how many items are left out, with the shape of the last one's output."""
    kept, used = [], 0
    for k, item in enumerate(seq["items"]):
        n = boxes({"t": "seq", "items": [item], "skips": []})
        if used + n > budget - 1:
            if item["t"] == "group" and not kept:  # one huge group: trim inside it
                _trim(item["body"], budget - 1)
                kept.append(item)
                k += 1
            rest = seq["items"][k:]
            if rest:
                more = {"t": "node", "id": "more", "kind": "more",
                        "chain": [f"\u2026 {len(rest)} more"], "name": "",
                        "details": "see the layer table", "out": rest[-1]["out"],
                        "from_prev": True}
                kept.append(more)
            break
        kept.append(item)
        used += n
    ids = {i["id"] for i in kept}
    seq["items"] = kept
    seq["skips"] = [s for s in seq["skips"]
                    if s["to"] in ids and (s["from"] in ids or s["from"] == ENTRY)]


def diagram(table) -> dict:
    """The diagram tree of ``table`` (see the module's docstring)."""
    return Diagram(table).build()


def walk(tree: dict):
    """Every item of the tree (nodes, groups, lanes' items), depth first, with each
    sequence's skips as ``("skip", skip)``; yields ``(kind, value)``."""
    if tree["t"] == "seq":
        for item in tree["items"]:
            yield from walk(item)
        for s in tree["skips"]:
            yield "skip", s
    elif tree["t"] == "par":
        yield "par", tree
        for lane in tree["lanes"]:
            yield from walk(lane)
        yield "node", tree["merge"]
    elif tree["t"] == "group":
        yield "group", tree
        yield from walk(tree["body"])
    else:
        yield tree["t"], tree
