"""Concatenation on the channels: the volumes a network's first concatenation joins, each
drawn as a box as deep as its channels, and the output volume they make, stacked in order
(channels first: the depth of a box is its channels).

Every shape is a row of the network's layer table (:func:`generator.tables.layer_table`):
:func:`concat_parts` finds each concatenation and the channels of its parts.
"""

from __future__ import annotations

from . import encode, style
from .. import text
from ..specs import SPEC_DIR, kinds
from .kind import Kind, Prepared, short
from .wording import dims

#: The figure is computed from the specs: their bytes are part of its cache key.
DATA_FILES = tuple(sorted(SPEC_DIR.glob("*.yaml")))
_CONCAT = kinds.get("concat").name

# ------------------------------------------------------------------ computed


def concat_parts(table) -> list[tuple]:
    """``(row, channels of each part)`` for every concatenation row of ``table`` (a leaf row
    of kind ``concat``): a block's branches (the last row of each), or a merge's named
    inputs (their rows; ``<block>.0`` is the block's input, ``0`` the network's)."""
    from ..tables.conventions import leaves

    rows = {r.index: r for top in table.rows for r in top.walk()}
    parents = {c.index: r for top in table.rows for r in top.walk() for c in r.children}

    def channels_of(index: str) -> int:
        if index == "0":
            return table.network.input[0]
        if index.endswith(".0"):
            return rows[index[:-2]].input_shape[0]
        return rows[index].output_shape[0]

    out = []
    for row, _ in leaves(table):
        if row.type != _CONCAT:
            continue
        if row.sources:
            parts = [channels_of(i) for i in row.sources]
        else:  # a block's branches come before its concat row: the last row of each
            last: dict[str, int] = {}
            for sibling in parents[row.index].children:
                if sibling.path.startswith("branch"):
                    last[sibling.path] = sibling.output_shape[0]
            parts = list(last.values())
        if sum(parts) != row.output_shape[0]:
            raise ValueError(f"row {row.index}: parts {parts} do not sum to {row.output_shape[0]}")
        out.append((row, parts))
    return out


def prepare(p: dict) -> Prepared:
    """Parameters: ``network`` (a built-in with a concatenation).

    facts: ``network`` (its name), ``parts`` (C, H, W) of each joined volume, ``output``
    (C, H, W), from the first concatenation of the network's table.
    """
    from ..specs import load_builtin
    from ..tables import layer_table

    net = load_builtin(p["network"])
    found = concat_parts(layer_table(net))
    if not found:
        raise ValueError(f"network {p['network']!r} has no concatenation")
    row, parts = found[0]
    hw = list(row.output_shape[1:])
    return Prepared({}, {"network": net.name, "parts": [[c, *hw] for c in parts],
                         "output": list(row.output_shape)})


def describe(p: dict, f: dict) -> tuple[str, str]:
    parts = ", ".join(dims(s) for s in f["parts"])
    sums = " + ".join(str(s[0]) for s in f["parts"])
    alt = (f"The first concatenation of {f['network']}: {len(f['parts'])} volumes ({parts}; "
           f"shapes {text.SHAPE_LAYOUT}), each a box as deep as its channels and each in its own "
           f"colour, stacked one behind the other into one volume {dims(f['output'])}: the "
           f"same height and width, {sums} = {f['output'][0]} channels.")
    caption = (f"Concatenation in {f['network']}: {sums} = {f['output'][0]} channels, one "
               f"{dims(f['output'])} volume ({text.SHAPE_LAYOUT}).")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    from .boxes import DEPTH, box, canvas
    parts, out = facts["parts"], facts["output"]
    total = out[0]
    side, full = 2.2, 4.0                       # front face; depth of the output volume
    depths = [full * s[0] / total for s in parts]
    colours = [style.tint(style.FILTERS[i % len(style.FILTERS)], 0.55) for i in range(len(parts))]
    base, gap = 1.5, 0.9
    x, xs = 0.6, []
    for d in depths:
        xs.append(x)
        x += side + DEPTH[0] * d + gap
    x_out = x + 0.5
    width = x_out + side + DEPTH[0] * full + 0.6
    height = base + side + DEPTH[1] * full + 1.2
    fig, ax = canvas(width, height, style.CELL_INCH * 2.2)
    txt = dict(ha="center", va="center", fontsize=style.FONT_SIZE, clip_on=False)
    for i, (xi, d, s) in enumerate(zip(xs, depths, parts)):
        box(ax, xi, base, side, side, d, colours[i])
        ax.text(xi + (side + DEPTH[0] * d) / 2, base - 0.45, f"{s[0]} channels", weight="bold", **txt)
        sign = "+" if i < len(parts) - 1 else "="
        ax.text(xi + side + DEPTH[0] * d + gap / 2 + (0.25 if sign == "=" else 0), base + side / 2,
                sign, fontsize=style.TITLE_SIZE * 1.6, ha="center", va="center")
    for i in reversed(range(len(parts))):      # the first part in front
        start = sum(depths[:i])
        box(ax, x_out + DEPTH[0] * start, base + DEPTH[1] * start, side, side, depths[i],
            colours[i], zorder=2 + (len(parts) - i) * 0.01)
    ax.text(x_out + (side + DEPTH[0] * full) / 2, base - 0.45, f"{text.shape(out)}",
            weight="bold", **txt)
    ax.text(x_out + (side + DEPTH[0] * full) / 2, base - 0.95, f"({text.SHAPE_LAYOUT})",
            color=style.MUTED, **txt)
    ax.text(width / 2, height - 0.4, f"{facts['network']}: concatenation on the channels",
            weight="bold", ha="center", va="center", fontsize=style.TITLE_SIZE)
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"svg": encode.svg(render_figure(params, data, facts))}


KIND = Kind("concat_volumes", short(__name__), "Volumes", prepare, describe)
