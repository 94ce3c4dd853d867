"""The classic "LeNet picture" of a network: one volume per stage, sizes written on them.

Stages come from :func:`prepare` below (the layer table of the spec):
a volume's front face grows with the log of its height and width, its depth
with the log of its channels, so 224 and 7 both fit; fully connected layers
are bars. Long networks fold onto several rows, one stage never split;
repeated layers of one shape are one volume ("36× bottleneck"). Branches
(an Inception module) are drawn as parallel lanes meeting at the concatenation.
"""

from __future__ import annotations

import math


from . import style
from . import encode
from .boxes import DEPTH, box
from .. import text
from ..specs import SPEC_DIR
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


#: Files ``prepare`` reads besides code: the built-in specs (in the computed inputs' key).
DATA_FILES = tuple(sorted(SPEC_DIR.glob("*.yaml")))

#: Layers that keep the shape and are not drawn as a volume of their own.
ELEMENTWISE = {"relu", "tanh", "sigmoid", "batchnorm", "dropout", "softmax"}


#: Pools that may leave the shape as it is (then drawn as a note on the stage before).
SHAPE_KEEPING_POOLS = {"adaptive_avgpool", "maxpool", "avgpool"}


def _stages(rows, first_shape) -> list[dict]:
    """Consecutive drawn rows folded into stages: one volume per stage.

    Rows of the same kind with the same output shape fold into one stage
    (``count``); a layer that does not change the shape (an adaptive pool to
    the size it already has) joins the stage before it as ``also``.
    """
    stages: list[dict] = []
    prev_shape = list(first_shape)
    for row in rows:
        shape = list(row.output_shape)
        if row.type in ELEMENTWISE:
            prev_shape = shape
            continue
        last = stages[-1] if stages else None
        if last and last["type"] == row.type and last["shape"] == shape and "branches" not in last:
            last["count"] += 1
            last["names"].append(row.name)
            if row.details != last["details"]:
                last["details"] = ""
        elif last and row.type in SHAPE_KEEPING_POOLS and shape == prev_shape == last["shape"]:
            last["also"].append(row.type)
        else:
            stage = {"type": row.type, "shape": shape, "count": 1, "names": [row.name],
                     "details": row.details, "also": []}
            if row.type == "concat" and row.children:
                lanes: dict[str, list] = {}
                for child in row.children:
                    if child.path:
                        lanes.setdefault(child.path, []).append(child)
                stage["branches"] = [_stages(lane, prev_shape) for lane in lanes.values()]
                stage["details"] = row.children[-1].details  # "channels 64 + 128 + ..."
            stages.append(stage)
        prev_shape = shape
    return stages


def prepare(p: dict) -> Prepared:
    """A network's volumes, from its spec (``generator.specs``) and layer table (``generator.tables``).

    Parameters: ``network``, a built-in id (``generator.specs.BUILTINS``).

    facts: ``name``; ``input`` (C, H, W); ``stages``, each {type, shape
    (C, H, W) or (features,), count, names, details, also, [branches]};
    ``layers``, the number of rows of the table; ``params``, the total.
    """
    from ..specs import load_builtin
    from ..tables import layer_table

    net = load_builtin(p["network"])
    table = layer_table(net)
    stages = [{"type": "input", "shape": list(table.input_shape), "count": 1, "names": [],
               "details": "", "also": []}]
    stages += _stages(table.rows, table.input_shape)
    return Prepared({}, {"network": p["network"], "name": net.name,
                         "input": list(table.input_shape), "stages": stages,
                         "layers": sum(1 for _ in table.walk()),
                         "params": table.totals.params})


# ------------------------------------------------------------------ described


BLOCKS = {"basic": "basic residual block", "bottleneck": "bottleneck residual block",
          "residual": "residual block", "linear": "fully connected", "conv": "convolution"}


def _shape(shape) -> str:
    """(C, H, W) as the site writes shapes, C×H×W; (F,) as F (:func:`generator.text.shape`)."""
    return text.shape(shape)


def _stage(st: dict) -> str:
    if st["type"] == "input":
        return f"input {_shape(st['shape'])}"
    kind = BLOCKS.get(st["type"], st["type"])
    what = f"{st['count']}\u00d7 {kind}" if st["count"] > 1 else kind
    if st.get("branches"):
        what = f"{len(st['branches'])} parallel branches concatenated"
    return f"{what} \u2192 {_shape(st['shape'])}"


def describe(p: dict, f: dict) -> tuple[str, str]:
    alt = (f"Architecture of {f['name']} drawn as volumes (shapes written {text.SHAPE_LAYOUT}, "
           f"fully connected layers as bars), left to right and folded onto more rows when "
           f"long, each with its size written on it: " + "; ".join(_stage(s) for s in f["stages"])
           + ".")
    caption = (f"{f['name']}: {_shape(f['input'])} \u2192 {_shape(f['stages'][-1]['shape'])}; "
               f"repeated layers of one shape are drawn as one volume, activations and "
               f"normalisation are not drawn.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


ROW_WIDTH = 20.5         #: units per row before folding (7.6 in at 0.37 in per unit)
GAP = 0.9                #: between stages
LABEL = 7.5              #: label font size, points
CHAR = 0.6 * LABEL / 72 / 0.37   #: approximate width of one label character, in units
COLOURS = {
    "input": style.INPUT,
    "conv": style.tint(style.OKABE_ITO["blue"], 0.38),
    "conv_transpose": style.tint(style.OKABE_ITO["blue"], 0.25),
    "maxpool": style.tint(style.OKABE_ITO["orange"], 0.5),
    "avgpool": style.tint(style.OKABE_ITO["yellow"], 0.6),
    "adaptive_avgpool": style.tint(style.OKABE_ITO["yellow"], 0.6),
    "basic": style.tint(style.OKABE_ITO["bluish_green"], 0.4),
    "bottleneck": style.tint(style.OKABE_ITO["bluish_green"], 0.4),
    "residual": style.tint(style.OKABE_ITO["bluish_green"], 0.4),
    "concat": style.tint(style.OKABE_ITO["reddish_purple"], 0.45),
    "linear": style.tint(style.OKABE_ITO["vermillion"], 0.45),
    "flatten": style.tint(style.MUTED, 0.3),
}
NAMES = {"input": "input", "conv": "convolution", "conv_transpose": "transposed conv",
         "maxpool": "max pooling", "avgpool": "average pooling",
         "adaptive_avgpool": "average pooling", "basic": "residual block",
         "bottleneck": "residual block", "residual": "residual block",
         "concat": "concatenation", "linear": "fully connected", "flatten": "flatten"}


def _side(n: int, scale: float) -> float:
    return scale * (0.5 + 0.42 * math.log2(n))


def _depth(c: int, scale: float) -> float:
    return scale * (0.12 + 0.2 * math.log2(c))


def _bar(f: int, scale: float) -> float:
    return scale * (0.5 + 0.33 * math.log2(f))


shape_text = _shape


def labels(stage: dict) -> list[str]:
    """The lines under a stage: what it is, its settings, what joins it."""
    t = stage["type"]
    if t == "input":
        return ["input"]
    name = stage["names"][0] if stage["count"] == 1 and stage["names"][0] else ""
    first = f"{stage['count']}\u00d7 {t}" if stage["count"] > 1 else (f"{name}: {t}" if name else t)
    out = [first]
    if stage["details"] and t != "flatten":  # flatten's details are C×H×W; the bar shows the size
        out.append(stage["details"])
    if stage["also"]:
        out.append("+ " + ", ".join(stage["also"]))
    return out


class Item:
    """One stage laid out: its drawn size, and the room its labels need."""

    def __init__(self, stage: dict, scale: float = 1.0):
        self.stage = stage
        shape = stage["shape"]
        if len(shape) == 3:
            c, h, w = shape
            self.w, self.h, self.d = _side(w, scale), _side(h, scale), _depth(c, scale)
        else:
            self.w, self.h, self.d = 0.3 * scale, _bar(shape[0], scale), 0.0
        self.lines = labels(stage)
        text_w = max(len(s) for s in self.lines + [shape_text(shape)]) * CHAR
        self.body_w = self.w + DEPTH[0] * self.d
        self.width = max(self.body_w, text_w)
        self.height = self.h + DEPTH[1] * self.d

    def draw(self, ax, cx, cy):
        """Draw centred on (cx, cy) (the front face's centre); returns (left, right) anchors."""
        x = cx - self.body_w / 2
        y = cy - self.h / 2
        box(ax, x, y, self.w, self.h, self.d, COLOURS.get(self.stage["type"], style.PAPER),
            lw=0.7)
        top = y + self.height + 0.3
        ax.text(cx, top, shape_text(self.stage["shape"]), ha="center", va="bottom",
                fontsize=LABEL, weight="bold", clip_on=False)
        for i, line in enumerate(self.lines):
            ax.text(cx, y - 0.3 - 0.42 * i, line, ha="center", va="top", clip_on=False,
                    fontsize=LABEL, color=style.INK if i == 0 else style.MUTED)
        return (x, cy), (x + self.w, cy)

    @property
    def below(self) -> float:
        return 0.4 + 0.42 * len(self.lines)


class Lanes:
    """The branches of a concatenation, one lane each, stacked."""

    SCALE = 0.75

    def __init__(self, stage: dict):
        self.lanes = [[Item(s, self.SCALE) for s in lane] for lane in stage["branches"]]
        self.lane_h = [max(i.height for i in lane) + 0.7 + max(i.below for i in lane)
                       for lane in self.lanes]
        self.width = max(sum(i.width for i in lane) + GAP * (len(lane) - 1) for lane in self.lanes)
        self.height = sum(self.lane_h)
        self.below = 0.2

    def draw(self, ax, cx, cy):
        """Draw centred at (cx, cy); returns the lanes' (first left, last right) anchors."""
        y = cy + self.height / 2
        ends = []
        for lane, lh in zip(self.lanes, self.lane_h):
            below = max(i.below for i in lane)
            mid = y - 0.7 - (lh - 0.7 - below) / 2
            x = cx - self.width / 2
            prev = first = None
            for item in lane:
                left, right = item.draw(ax, x + item.width / 2, mid)
                if prev is not None:
                    arrow(ax, prev, left)
                first = first or left
                prev = right
                x += item.width + GAP
            # short lanes run on to the block's right edge, so arrows do not cross volumes
            edge = (cx + self.width / 2, mid)
            if edge[0] - prev[0] > 0.3:
                ax.plot([prev[0], edge[0]], [mid, mid], color=style.MUTED, lw=0.8, zorder=1)
            ends.append((first, edge))
            y -= lh
        return ends


def arrow(ax, a, b, rad=0.0):
    from matplotlib.patches import FancyArrowPatch
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=7, lw=0.8,
                                 color=style.MUTED, shrinkA=2, shrinkB=2, zorder=1,
                                 connectionstyle=f"arc3,rad={rad}"))


def layout(stages: list[dict]):
    """Items in rows: [[item, ...], ...], folding when a row is full."""
    items = []
    for s in stages:
        if s.get("branches"):
            items.append(Lanes(s))
            items.append(Item({**s, "details": s["details"], "names": [""]}))
        else:
            items.append(Item(s))
    greedy = _fold(items, ROW_WIDTH)
    # as many rows as greedy filling needs, but balanced: no lone stage on the last row
    total = sum(i.width for i in items) + GAP * (len(items) - 1)
    target = total / len(greedy)
    while target < ROW_WIDTH:
        balanced = _fold(items, target)
        if len(balanced) <= len(greedy):
            return balanced
        target += 0.5
    return greedy


def _fold(items, limit: float):
    """Rows of items, each row at most ``limit`` wide (an item wider than that alone)."""
    rows, row, x = [], [], 0.0
    for it in items:
        if row and x + it.width > limit:
            rows.append(row)
            row, x = [], 0.0
        row.append(it)
        x += it.width + GAP
    rows.append(row)
    return rows


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    rows = layout(facts["stages"])
    heights = [max(i.height for i in r) + 0.8 + max(i.below for i in r) + 0.3 for r in rows]
    width = ROW_WIDTH + 1.2
    types = []
    for s in facts["stages"]:
        for t in [b["type"] for lane in s.get("branches", []) for b in lane] + [s["type"]]:
            if NAMES.get(t, t) not in [NAMES.get(x, x) for x in types]:
                types.append(t)
    height = 1.0 + sum(heights) + 1.0
    fig = Figure(figsize=(width * 0.37, height * 0.37), dpi=style.GIF_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    last = facts["stages"][-1]["shape"]
    ax.text(width / 2, height - 0.5, f"{facts['name']}: {shape_text(facts['input'])} \u2192 "
            f"{shape_text(last)} ({text.SHAPE_LAYOUT})", ha="center", va="center", fontsize=style.TITLE_SIZE,
            weight="bold")
    y_top = height - 1.0
    prev = None
    for r, hrow in zip(rows, heights):
        top_room = 0.8
        below = max(i.below for i in r)
        cy = y_top - top_room - (hrow - top_room - below - 0.3) / 2
        used = sum(i.width for i in r) + GAP * (len(r) - 1)
        x = (width - used) / 2
        if prev is not None:  # a folded row: continue from the left edge
            arrow(ax, (x - 0.8, cy), (x, cy))
            prev = None
        for it in r:
            anchors = it.draw(ax, x + it.width / 2, cy)
            if isinstance(it, Lanes):
                for (first, _), in zip(anchors):
                    if prev is not None:
                        arrow(ax, prev, first, rad=0.0)
                prev = anchors
            else:
                left, right = anchors
                if isinstance(prev, list):  # lanes meet here
                    for _, end in prev:
                        arrow(ax, end, left)
                elif prev is not None:
                    arrow(ax, prev, left)
                prev = right
            x += it.width + GAP
        y_top -= hrow
    handles = [Patch(facecolor=COLOURS.get(t, style.PAPER), edgecolor=style.INK, lw=0.6,
                     label=NAMES.get(t, t)) for t in types]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
              frameon=False, fontsize=LABEL, handlelength=1.1, columnspacing=1.0)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("architecture", short(__name__), "Architectures", prepare, describe)
