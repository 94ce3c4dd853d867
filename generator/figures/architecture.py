"""A network drawn as a flow chart, top to bottom, with the shape on every edge.

The tree comes from :mod:`.architecture_graph` (the layer table, folded): one box
per layer (with the shape-keeping layers after it, such as batchnorm and ReLU,
written into it), parallel paths side by side meeting at their merge, skip
connections as arrows that bypass on the right, and runs of blocks of the same
structure framed once with "× N" on the frame; a later run with the same inside
is one box that names the drawn one, so a 150-layer ResNet fits on a page. Every
edge carries the shape of the tensor on it, written as the tables write shapes
(:func:`generator.text.shape`, C×H×W).

Built-in networks are drawn from their id; a user's spec (``docs/specs/*.yaml``)
from its text (:func:`spec_figures`), so it gets its diagram like the built-ins.
The SVG marks what tests and readers look for by id: ``skip-…`` for a skip arrow,
``shortcut-…`` for a projection shortcut's lane, ``fold-N-…`` for a "× N" label,
``edge-…`` for an edge's shape label.
"""

from __future__ import annotations

import hashlib
import re

from . import encode, style
from .. import text
from ..specs import SPEC_DIR
from .architecture_graph import CHAIN, ENTRY, clip, diagram, walk
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed

#: Files ``prepare`` reads besides code: the built-in specs (in the computed inputs' key).
DATA_FILES = tuple(sorted(SPEC_DIR.glob("*.yaml")))


def figure_id(net_id: str) -> str:
    """The figure id of network ``net_id``'s diagram: ``architecture-<id>`` when the id
    is a valid figure id; otherwise a slug with a short hash (a user's file name may hold
    ``_`` or ``.``, which figure ids do not)."""
    fid = f"architecture-{net_id}"
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fid):
        return fid
    slug = "-".join(re.findall(r"[a-z0-9]+", net_id.lower()))[:40] or "spec"
    digest = hashlib.sha256(net_id.encode("utf-8")).hexdigest()[:8]
    return f"architecture-{slug}-{digest}"


#: The users' specs :func:`spec_figures` read, by the SHA-256 of their text: what
#: ``prepare`` parses. Kept out of the figures' parameters, which the gallery prints.
_USER_SPECS: dict[str, tuple[str, str, str]] = {}


def spec_figures(folder) -> list:
    """The diagrams of the users' specs in ``folder``: catalog entries named by
    :func:`figure_id` whose parameters are the figure id and the SHA-256 of the spec's
    text (so the computed inputs' key changes with it; the text and the file name stay
    out of the parameters, which the gallery prints). A spec that cannot be read is
    left to the page producer, which reports it on one line; one that cannot be parsed
    fails in ``prepare`` with the parser's one line, naming the file as messages do."""
    from ..specs import user_spec_files
    from ..specs.files import shown_path, spec_id
    from .catalog import Figure

    out = []
    for path in user_spec_files(folder):
        try:
            spec = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        digest = hashlib.sha256(spec.encode("utf-8")).hexdigest()
        _USER_SPECS[digest] = (spec, shown_path(path), spec_id(path))
        fid = figure_id(spec_id(path))
        out.append(Figure(fid, "architecture", {"spec": fid, "sha256": digest}))
    return out


def _network(p: dict):
    from ..specs import load_builtin, parse_spec

    if "sha256" in p:
        return parse_spec(*_USER_SPECS[p["sha256"]])
    return load_builtin(p["network"])


def prepare(p: dict) -> Prepared:
    """A network's diagram tree, from its spec and layer table (``generator.tables``).

    Parameters: ``network``, a built-in id (``generator.specs.BUILTINS``); or, for a
    user's spec, ``spec`` (its figure id) and ``sha256`` (of its text, which
    :func:`spec_figures` read).

    facts: ``name``; ``input`` and ``output`` shapes; ``tree`` (see
    :mod:`.architecture_graph`); ``layers``, the rows of the table; ``params``.
    """
    from ..tables import layer_table

    net = _network(p)
    table = layer_table(net)
    return Prepared({}, {"network": net.id, "name": net.name, "user": "sha256" in p,
                         "input": list(table.input_shape),
                         "output": list(table.rows[-1].output_shape) if table.rows
                         else list(table.input_shape),
                         "tree": diagram(table),
                         "layers": sum(1 for _ in table.walk()),
                         "params": table.totals.params})


# ------------------------------------------------------------------ described


def _node_text(n: dict) -> str:
    what = CHAIN.join(n["chain"])
    if n["details"]:
        what += f" ({n['details']})"
    return f"{n['name']}: {what}" if n["name"] else what


def _item_text(it: dict) -> str:
    if it["t"] == "node":
        if it["kind"] == "input":
            return f"input {it['out']['label']}"
        return f"{_node_text(it)} \u2192 {it['out']['label']}"
    if it["t"] == "par":
        lanes = "; ".join(", ".join(_item_text(x) for x in lane["items"]) for lane in it["lanes"])
        return (f"{len(it['lanes'])} parallel paths ({lanes}) meeting at "
                f"{_node_text(it['merge'])} \u2192 {it['out']['label']}")
    times = f"{it['count']}\u00d7 " if it["count"] > 1 else ""
    head = f"{times}{it['kind']} {it['title']}" if it["title"] != it["kind"] else f"{times}{it['kind']}"
    if it["t"] == "compact":
        return f"{head}, with the structure of {it['same_as']} \u2192 {it['out']['label']}"
    return f"{head} [{_seq_text(it['body'])}] \u2192 {it['out']['label']}"


def _seq_text(seq: dict) -> str:
    out = ", ".join(_item_text(i) for i in seq["items"] if i["kind"] != "output")
    n = len(seq["skips"])
    if n:
        out += f", and {n} skip connection{'s' if n > 1 else ''} that bypass{'' if n > 1 else 'es'}"
    return out


def describe(p: dict, f: dict) -> tuple[str, str]:
    skips = sum(1 for k, _ in walk(f["tree"]) if k == "skip")
    folds = [v["count"] for k, v in walk(f["tree"]) if k in ("group", "compact") and v["count"] > 1]
    alt = (f"Diagram of {f['name']}, top to bottom, each edge labelled with its shape "
           f"({text.SHAPE_LAYOUT}): " + _seq_text(f["tree"]) + ".")
    # a caption is Markdown: a user's name is data, printed as itself
    name = text.markdown(f["name"]) if f.get("user") else f["name"]
    caption = (f"{name}: {text.shape(f['input'])} \u2192 {text.shape(f['output'])}; "
               f"each box is a layer with the batchnorm and activation after it, each edge "
               f"is labelled with its shape ({text.SHAPE_LAYOUT})")
    if folds:
        caption += (f"; a frame marked \u00d7 N stands for N blocks in a row with the same "
                    f"inside, drawn once")
    if any(k == "compact" for k, _ in walk(f["tree"])):
        caption += ("; a grey box stands for blocks built like a framed one above, whose "
                    "name it gives (the shapes on its edges are its own)")
    if skips:
        caption += "; arrows on the right are skip connections"
    return alt, caption + "."


# ------------------------------------------------------------------ laid out

#: Sizes in inches; text sizes come from the style module.
PADX, PADY = 0.08, 0.05     #: inside a box, around its text
EDGE_H = 0.32               #: the gap between two items (the arrow and its label)
LABEL_DX = 0.07             #: an edge's label, right of its arrow
TRACK_GAP = 0.08            #: around a skip's vertical line
ENTRY_H = 0.16              #: room for the skips that leave a sequence's input
FORK_H, JOIN_H = 0.26, 0.42  #: above and below parallel lanes
LANE_GAP = 0.22
HEADER = 0.28               #: a group's frame: its title band
FRAME_PAD = 0.12
STACK = 0.05                #: offset of the boxes behind a folded box
MARGIN = 0.15
MAX_TITLE = 70


def _size(kind: str) -> float:
    return {"main": style.FONT_SIZE, "small": style.NUMBER_SIZE,
            "title": style.TITLE_SIZE}[kind]


def text_w(s: str, kind: str = "small") -> float:
    """The approximate width of ``s`` in inches (DejaVu Sans, about 0.6 em a character)."""
    return 0.62 * _size(kind) / 72 * len(s)


def line_h(kind: str = "small") -> float:
    return 1.25 * _size(kind) / 72


COLOURS = {
    "input": style.INPUT,
    "output": style.INPUT,
    "conv": style.tint(style.OKABE_ITO["blue"], 0.30),
    "conv_transpose": style.tint(style.OKABE_ITO["sky_blue"], 0.45),
    "maxpool": style.tint(style.OKABE_ITO["orange"], 0.40),
    "avgpool": style.tint(style.OKABE_ITO["yellow"], 0.50),
    "adaptive_avgpool": style.tint(style.OKABE_ITO["yellow"], 0.50),
    "adaptive_maxpool": style.tint(style.OKABE_ITO["orange"], 0.40),
    "global_pool": style.tint(style.OKABE_ITO["yellow"], 0.50),
    "add": style.tint(style.OKABE_ITO["reddish_purple"], 0.40),
    "multiply": style.tint(style.OKABE_ITO["reddish_purple"], 0.40),
    "concat": style.tint(style.OKABE_ITO["reddish_purple"], 0.40),
    "linear": style.tint(style.OKABE_ITO["vermillion"], 0.40),
}
FRAME = style.tint(style.MUTED, 0.07, style.CARD)


#: Characters on one line of a box before it wraps (a narrow diagram reads on a phone).
WRAP = 26


def wrap(parts: list[str], sep: str) -> list[str]:
    """``parts`` joined by ``sep`` into lines of at most :data:`WRAP` characters where
    they allow (a part longer than that is a line of its own, cut by :func:`clip`)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1] + sep + part) <= WRAP:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return [clip(line) for line in lines]


def _lines(n: dict) -> list[tuple[str, str]]:
    """A node's text lines with their sizes: what it computes, then its name and settings."""
    out = [(line, "main") for line in wrap(n["chain"], CHAIN)]
    parts = ([n["name"]] if n["name"] else []) + (n["details"].split(", ") if n["details"] else [])
    return out + [(line, "small") for line in wrap(parts, ", ")]


def _compact_lines(g: dict) -> list[tuple[str, str]]:
    times = f"\u00d7 {g['count']}  " if g["count"] > 1 else ""
    what = g["kind"] + (f", {g['details']}" if g["details"] else "")
    return [(clip(times + g["title"]), "main"), (clip(what), "small"),
            (clip(f"structure as {g['same_as']}"), "small")]


class Box:
    """A box of text lines (a node, or a folded group)."""

    def __init__(self, el: dict):
        self.el = el
        self.lines = _compact_lines(el) if el["t"] == "compact" else _lines(el)
        self.stacked = el["t"] == "compact" and el["count"] > 1
        self.w = max(text_w(s, k) for s, k in self.lines) + 2 * PADX
        self.h = sum(line_h(k) for _, k in self.lines) + 2 * PADY
        extra = 2 * STACK if self.stacked else 0.0
        self.left, self.right = self.w / 2, self.w / 2 + extra
        self.top_pad = extra
        self.height = self.h + extra
        self.head = True   # the arrow into it has a head

    def draw(self, d, cx, top):
        from matplotlib.patches import FancyBboxPatch
        kind = self.el["kind"]
        face = FRAME if self.el["t"] == "compact" else COLOURS.get(kind, style.PAPER)
        y0 = top - self.top_pad
        if self.stacked:
            for k in (2, 1):
                d.patch(FancyBboxPatch(
                    (cx - self.w / 2 + k * STACK, y0 - self.h + k * STACK), self.w, self.h,
                    boxstyle="round,pad=0,rounding_size=0.04", facecolor=face,
                    edgecolor=style.MUTED, lw=0.6, zorder=2))
        dashed = kind == "placeholder"  # an op the import could not map: not really there
        d.patch(FancyBboxPatch((cx - self.w / 2, y0 - self.h), self.w, self.h,
                                      boxstyle="round,pad=0,rounding_size=0.04",
                                      facecolor=face, edgecolor=style.INK, lw=0.7, zorder=3,
                                      linestyle=(0, (4, 2)) if dashed else "solid",
                                      gid=f"box-{self.el['id']}"))
        y = y0 - PADY
        for s, k in self.lines:
            d.text(cx, y - line_h(k) / 2, s, k, ha="center",
                   color=style.INK if k == "main" else style.MUTED, zorder=4)
            y -= line_h(k)
        self.cy = y0 - self.h / 2


class Seq:
    """Items one under the other, with the skips that bypass some of them."""

    def __init__(self, tree: dict):
        self.tree = tree
        self.items = [make(i) for i in tree["items"]]
        pos = {it.el["id"]: k for k, it in enumerate(self.items)}
        pos[ENTRY] = -1
        self.skips = [dict(s, a=pos[s["from"]], b=pos[s["to"]]) for s in tree["skips"]]
        self.entry_pad = ENTRY_H if any(s["a"] < 0 for s in self.skips) else 0.0
        self.left = max((it.left for it in self.items), default=0.1)
        right = max((it.right for it in self.items), default=0.1)
        for it in self.items[:-1]:
            right = max(right, LABEL_DX + text_w(it.el["out"]["label"]))
        # skips on tracks right of the items: a shorter skip nearer the items
        order = sorted(range(len(self.skips)),
                       key=lambda k: self.skips[k]["b"] - self.skips[k]["a"])
        track: dict[int, int] = {}
        for k in order:
            s = self.skips[k]
            over = [track[o] for o in track if max(s["a"], self.skips[o]["a"])
                    < min(s["b"], self.skips[o]["b"])]
            track[k] = max(over, default=-1) + 1
        widths = [0.0] * (max(track.values(), default=-1) + 1)
        for k, t in track.items():
            widths[t] = max(widths[t], text_w(self.skips[k]["out"]["label"]) + 3 * TRACK_GAP)
        self.track_x = [right + TRACK_GAP + sum(widths[:t]) for t in range(len(widths))]
        for k, t in track.items():
            self.skips[k]["track"] = t
        self.right = right + sum(widths) + (TRACK_GAP if widths else 0.0)
        self.height = self.entry_pad + sum(it.height for it in self.items) + \
            EDGE_H * max(len(self.items) - 1, 0)
        self.head = self.items[0].head if self.items else True

    def draw(self, d, cx, top, arrive=True):
        """Draw with the items' axis at ``cx`` from ``top`` down; with ``arrive``, the
        incoming line (from ``top``) continues to the first item."""
        y = top - self.entry_pad
        if self.entry_pad and arrive:
            d.line([(cx, top), (cx, y)])
        tops = []
        for k, it in enumerate(self.items):
            if k:
                prev = self.items[k - 1]
                y0 = tops[-1] - prev.height
                if it.el.get("from_prev", True):
                    d.arrow((cx, y0), (cx, y0 - EDGE_H), head=it.head)
                    d.edge_label(cx + LABEL_DX, y0 - EDGE_H / 2, prev.el["out"], prev.el["id"])
                y -= EDGE_H
            tops.append(y)
            it.draw(d, cx, y)
            y -= it.height
        for s in self.skips:
            x = cx + self.track_x[s["track"]]
            if s["a"] < 0:
                y1 = top - self.entry_pad / 2
            else:
                y1 = tops[s["a"]] - self.items[s["a"]].height - EDGE_H * 0.15
            target = self.items[s["b"]]
            y2 = target.cy
            gid = f"skip-{s['from']}-{s['to']}" + ("-identity" if s.get("identity") else "")
            d.path([(cx, y1), (x, y1), (x, y2), (cx + target.right, y2)], gid)
            d.dot(cx, y1)
            d.edge_label(x + TRACK_GAP, (y1 + y2) / 2, s["out"], f"skip-{s['to']}")
        self.cy = top - self.height / 2
        self.w = self.left + self.right


class Par:
    """Parallel lanes from one input, meeting at a merge node."""

    def __init__(self, el: dict):
        self.el = el
        self.lanes = [Seq(l) for l in el["lanes"]]
        self.merge = Box(el["merge"])
        widths = [l.left + l.right for l in self.lanes]
        total = sum(widths) + LANE_GAP * (len(widths) - 1)
        if len(self.lanes) == 2:   # a main path and its shortcut: the main path on the axis
            xs = [0.0, self.lanes[0].right + LANE_GAP + self.lanes[1].left]
        else:
            x, xs = -total / 2, []
            for l, w in zip(self.lanes, widths):
                xs.append(x + l.left)
                x += w + LANE_GAP
        self.xs = xs
        self.left = max(max(-x + l.left for x, l in zip(xs, self.lanes)), self.merge.left)
        lane_right = max(x + l.right for x, l in zip(xs, self.lanes))
        labels = max(x + LABEL_DX + text_w(l.tree["items"][-1]["out"]["label"])
                     for x, l in zip(xs, self.lanes))
        self.right = max(lane_right, labels, self.merge.right)
        self.lane_h = max(l.height for l in self.lanes)
        self.height = FORK_H + self.lane_h + JOIN_H + self.merge.height
        self.head = False
        self.w = self.merge.w

    def draw(self, d, cx, top):
        fork = top - FORK_H / 2
        d.line([(cx, top), (cx, fork)])
        d.line([(cx + min(self.xs), fork), (cx + max(self.xs), fork)])
        join = top - FORK_H - self.lane_h - JOIN_H / 2
        for k, (x, lane) in enumerate(zip(self.xs, self.lanes)):
            gid = f"shortcut-{self.el['id']}" if self.el["kind"] in ("residual", "basic", "bottleneck") and k else None
            lane_top = top - FORK_H
            d.arrow((cx + x, fork), (cx + x, lane_top), head=lane.head, gid=gid)
            lane.draw(d, cx + x, lane_top)
            bottom = lane_top - lane.height
            d.line([(cx + x, bottom), (cx + x, join)], gid=gid)
            last = lane.items[-1].el
            d.edge_label(cx + x + LABEL_DX, bottom - (JOIN_H / 2) / 2, last["out"], last["id"])
        d.line([(cx + min(self.xs + [0.0]), join), (cx + max(self.xs + [0.0]), join)])
        d.arrow((cx, join), (cx, top - FORK_H - self.lane_h - JOIN_H))
        self.merge.draw(d, cx, top - FORK_H - self.lane_h - JOIN_H)
        self.cy = self.merge.cy


class Group:
    """A framed block ("× N" on the frame) with its inside."""

    def __init__(self, el: dict):
        self.el = el
        self.body = Seq(el["body"])
        self.times = f"\u00d7 {el['count']}" if el["count"] > 1 else ""
        what = el["title"] if el["title"] == el["kind"] else f"{el['title']} ({el['kind']})"
        self.title = clip(what, 30)
        head_w = LABEL_DX + text_w(self.times + "  ", "main") + text_w(self.title)
        self.left = self.body.left + FRAME_PAD
        self.right = max(self.body.right, head_w) + FRAME_PAD
        self.height = HEADER + self.body.height + FRAME_PAD
        self.head = False
        self.w = self.left + self.right

    def draw(self, d, cx, top):
        from matplotlib.patches import FancyBboxPatch
        d.patch(FancyBboxPatch((cx - self.left, top - self.height), self.w, self.height,
                                      boxstyle="round,pad=0,rounding_size=0.06",
                                      facecolor=FRAME, edgecolor=style.MUTED, lw=0.8,
                                      linestyle=(0, (4, 2)), zorder=0, gid=f"frame-{self.el['id']}"))
        y = top - HEADER / 2
        x = cx + LABEL_DX
        if self.times:
            d.text(x, y, self.times, "main", ha="left", weight="bold", color=style.INK,
                   gid=f"fold-{self.el['count']}-{self.el['id']}")
            x += text_w(self.times + "  ", "main")
        d.text(x, y, self.title, "small", ha="left", color=style.MUTED)
        inner = top - HEADER
        d.arrow((cx, top), (cx, inner - self.body.entry_pad), head=self.body.head)
        self.body.draw(d, cx, inner, arrive=False)
        self.cy = top - self.height / 2


def make(el: dict):
    if el["t"] == "seq":
        return Seq(el)
    if el["t"] == "par":
        return Par(el)
    if el["t"] == "group":
        return Group(el)
    return Box(el)


# ------------------------------------------------------------------ drawn (matplotlib)


class _Drawer:
    """Drawing primitives in inches (y up), every style from the style module."""

    def __init__(self, ax):
        self.ax = ax

    def patch(self, p) -> None:
        """Add a patch. The axes' limits are fixed (the diagram's size in inches), so
        ``add_patch``'s update of the data limits (a tenth of a diagram's time) is skipped."""
        self.ax.add_artist(p)

    def text(self, x, y, s, kind, gid=None, **kw):
        kw.setdefault("va", "center")
        self.ax.text(x, y, s, fontsize=_size(kind), parse_math=False, clip_on=False,
                     gid=gid, **kw)

    def edge_label(self, x, y, out: dict, owner: str):
        if out.get("label"):
            self.text(x, y, out["label"], "small", ha="left", color=style.INK,
                      gid=f"edge-{owner}", zorder=5)

    def line(self, pts, gid=None):
        xs, ys = zip(*pts)
        self.ax.plot(xs, ys, color=style.MUTED, lw=0.9, zorder=1, solid_capstyle="butt",
                     gid=gid)

    def arrow(self, a, b, head=True, gid=None):
        if not head:
            self.line([a, b], gid)
            return
        from matplotlib.patches import FancyArrowPatch
        self.patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=8, lw=0.9,
                                          color=style.MUTED, shrinkA=0, shrinkB=0, zorder=1,
                                          gid=gid))

    def path(self, pts, gid):
        from matplotlib.patches import FancyArrowPatch
        from matplotlib.path import Path
        codes = [Path.MOVETO] + [Path.LINETO] * (len(pts) - 1)
        self.patch(FancyArrowPatch(path=Path(pts, codes), arrowstyle="-|>",
                                          mutation_scale=8, lw=0.9,
                                          color=style.OKABE_ITO["reddish_purple"], zorder=1,
                                          gid=gid))

    def dot(self, x, y):
        self.ax.plot([x], [y], marker="o", ms=3, color=style.MUTED, zorder=2)


def render_figure(params: dict, data: dict, facts: dict):
    from matplotlib.figure import Figure
    top = Seq(facts["tree"])
    title = clip(f"{facts['name']}: {text.shape(facts['input'])} \u2192 "
                 f"{text.shape(facts['output'])} ({text.SHAPE_LAYOUT})", MAX_TITLE)
    content = top.left + top.right
    width = max(content, text_w(title, "title")) + 2 * MARGIN
    title_h = 2 * line_h("title")
    height = MARGIN + title_h + top.height + MARGIN
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    d = _Drawer(ax)
    d.text(width / 2, height - MARGIN - line_h("title") / 2, title, "title", ha="center",
           weight="bold", color=style.INK)
    cx = MARGIN + top.left + (width - 2 * MARGIN - content) / 2
    top.draw(d, cx, height - MARGIN - title_h)
    return fig


#: White space between two SVG elements (matplotlib indents every element): none of it
#: is drawn, and a long network's diagram holds thousands of elements.
_BETWEEN = re.compile(rb">\s+<")


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": _BETWEEN.sub(b"><", encode.svg(render_figure(params, data, facts)))}


KIND = Kind("architecture", short(__name__), "Architectures", prepare, describe)
