"""A network's stages: consecutive top-level rows of the layer table that work at one
resolution, with their MACs and parameters (where the compute goes, by stage).

>>> from generator.specs import load_builtin
>>> from generator.tables import layer_table
>>> [s.resolution for s in stages(layer_table(load_builtin("resnet50")))]
['112×112', '56×56', '28×28', '14×14', '7×7', 'flat']

Rules, in order: top-level rows whose outputs have the same height and width (or are
all flat vectors) form a stage; a stage between two of one resolution joins them (a
gate computed at 1×1); a stage without MACs or parameters (a pooling to 1×1)
joins the stage before it (the first one, the stage after); a network of one block (an
Inception module) is split by its paths instead; more than :data:`MAX_STAGES` stages
are merged in equal runs. Every row is in exactly one stage, so the stages' sums are
the table's totals.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text import shape as _shape_text
from .table import Row, Table

__all__ = ["Stage", "stages", "MAX_STAGES"]

#: At most this many stages (a chart row each).
MAX_STAGES = 16


@dataclass(frozen=True)
class Stage:
    resolution: str          #: "56×56", "flat", or a path ("branch 2") inside one block
    rows: tuple[Row, ...]

    @property
    def macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def first(self) -> str:
        return _label(self.rows[0])

    @property
    def last(self) -> str:
        return _label(self.rows[-1])


def _label(row: Row) -> str:
    return row.name or row.type


def _key(row: Row) -> str:
    shape = row.output_shape
    return _shape_text(shape[1:]) if len(shape) == 3 else "flat"


def _runs(rows, key) -> list[Stage]:
    out: list[Stage] = []
    for row in rows:
        k = key(row)
        if out and out[-1].resolution == k:
            out[-1] = Stage(k, out[-1].rows + (row,))
        else:
            out.append(Stage(k, (row,)))
    return out


def _rejoin(groups: list[Stage]) -> list[Stage]:
    """A stage between two of one resolution is a side path of theirs (a squeeze-and-
    excitation gate at 1×1): the three are one stage."""
    out: list[Stage] = []
    for g in groups:
        if len(out) >= 2 and out[-2].resolution == g.resolution:
            side = out.pop()
            out[-1] = Stage(g.resolution, out[-1].rows + side.rows + g.rows)
        else:
            out.append(g)
    return out


def _absorb_empty(groups: list[Stage]) -> list[Stage]:
    """Stages with no MACs and no parameters joined to a neighbour (the one before)."""
    out: list[Stage] = []
    pending: tuple[Row, ...] = ()
    for g in groups:
        if g.macs == 0 and g.params == 0 and len(groups) > 1:
            if out:
                out[-1] = Stage(out[-1].resolution, out[-1].rows + g.rows)
            else:
                pending += g.rows
            continue
        out.append(Stage(g.resolution, pending + g.rows))
        pending = ()
    if pending:  # every stage was empty
        out.append(Stage(groups[0].resolution, pending))
    return out


def _merge(groups: list[Stage], limit: int) -> list[Stage]:
    """At most ``limit`` stages: consecutive ones merged in runs of equal length."""
    if len(groups) <= limit:
        return groups
    size = -(-len(groups) // limit)
    out = []
    for i in range(0, len(groups), size):
        run = groups[i:i + size]
        res = run[0].resolution if len(run) == 1 else f"{run[0].resolution} … {run[-1].resolution}"
        out.append(Stage(res, tuple(r for g in run for r in g.rows)))
    return out


def stages(table: Table, limit: int = MAX_STAGES) -> list[Stage]:
    """The stages of ``table`` (see the module's rules)."""
    groups = _absorb_empty(_rejoin(_runs(table.rows, _key)))
    if len(groups) == 1 and len(table.rows) == 1 and table.rows[0].children:
        groups = _absorb_empty(_runs(table.rows[0].children, lambda r: r.path or "merge"))
    return _merge(groups, limit)
