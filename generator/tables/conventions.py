"""Counting conventions: what a layer costs beyond its weight multiply-accumulates.

The site counts **weight MACs** (:mod:`.counts`): one per product of a weight and a
value, in convolutions and fully connected layers. Other sources add more. This
module counts, per row of a layer table, the operations each wider convention adds,
every one in the same unit as a MAC (one operation per value per step below):

=================  =====================================================================
column             what it adds, per output value of the layer
=================  =====================================================================
bias additions     1 for a convolution, transposed convolution or linear layer with bias
normalisation      batchnorm at inference 1 (x·a + b, a and b folded from the statistics);
                   layer normalisation 4 (mean, variance, normalise, scale and shift; 3
                   without the scale and shift); local response normalisation `size` + 1
                   (the sum of squares over `size` channels, the division); a layer
                   scale 1
activations        1 for relu, relu6, tanh, sigmoid, silu, gelu, hardswish,
                   hardsigmoid (one evaluation each); softmax 3 (exponential, sum,
                   division)
pooling, merges    max or average pooling: the window's size (each value read once);
                   adaptive and global pooling: the input values over the output values;
                   bilinear upsampling 4; `add` and `multiply`: the number of inputs − 1
=================  =====================================================================

Copies cost nothing: nearest upsampling, concatenation, flatten, crop, padding, channel
shuffle, dropout. **FLOPs** are 2 × weight MACs (a multiply and an add each), the
convention behind "ResNet-50: 8.2 GFLOPs"; "ResNet-50: 4.1 GFLOPs" is the weight MACs
called FLOPs.

>>> from generator.specs import load_builtin
>>> from generator.tables import layer_table
>>> c = counting(layer_table(load_builtin("lenet5")))
>>> c.totals.weight_macs == c.table.totals.macs, c.totals.flops == 2 * c.totals.weight_macs
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import specs as s
from .table import Row, Table

__all__ = ["COLUMNS", "Counts", "Counting", "counting", "leaves", "row_counts",
           "POOLING_KINDS", "ACTIVATION_KINDS"]

#: The columns, in order: (attribute, heading). Each adds one kind of work to the last.
COLUMNS = (
    ("weight_macs", "weight MACs"),
    ("bias", "+ bias additions"),
    ("normalisation", "+ normalisation"),
    ("activations", "+ activations"),
    ("pooling", "+ pooling and merges"),
)

#: Element-wise activations: one evaluation per value.
ACTIVATION_KINDS = frozenset({"relu", "relu6", "tanh", "sigmoid", "silu", "gelu",
                              "hardswish", "hardsigmoid"})
#: Operations per value of softmax: an exponential, its share of the sum, a division.
SOFTMAX_COST = 3
#: Operations per value of layer normalisation: mean, variance, normalise, scale-and-shift.
LAYERNORM_COST = 4
#: Operations per output value of bilinear upsampling (four weighted neighbours).
BILINEAR_COST = 4
#: Pooling kinds with a window (the cost per output value is the window's size).
POOLING_KINDS = frozenset({"maxpool", "avgpool", "adaptive_avgpool", "adaptive_maxpool",
                           "global_pool"})


@dataclass(frozen=True)
class Counts:
    """The operations of one row (or the totals), column by column (see the module)."""

    weight_macs: int = 0
    bias: int = 0
    normalisation: int = 0
    activations: int = 0
    pooling: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(self.values(), other.values())))

    def values(self) -> tuple[int, ...]:
        return (self.weight_macs, self.bias, self.normalisation, self.activations,
                self.pooling)

    def cumulative(self) -> tuple[int, ...]:
        """Each convention's total: weight MACs, then with each column added in turn."""
        return tuple(sum(self.values()[:i + 1]) for i in range(len(COLUMNS)))

    @property
    def all_operations(self) -> int:
        return sum(self.values())

    @property
    def flops(self) -> int:
        """2 × weight MACs."""
        return 2 * self.weight_macs


@dataclass(frozen=True)
class Counting:
    table: Table
    rows: tuple[tuple[Row, Counts], ...]   # every top-level row with its counts
    totals: Counts


def leaves(table: Table):
    """``(row, layer)`` for every leaf row of ``table`` in table order; ``layer`` is the
    spec layer, or None for a row a block adds (its addition, its activation, a concat
    of branches)."""
    yield from _pair(table.rows, table.network.layers)


def _pair(rows, layers):
    for row, layer in zip(rows, layers):
        if not layer.COMPOSITE:
            yield row, layer
        elif isinstance(layer, s.Repeat):
            for inst_row, inst in zip(row.children, layer.instances):
                yield from _pair(inst_row.children, inst)
        elif isinstance(layer, s.Concat):
            if layer.merges:
                yield row, layer
                continue
            n = 0
            for branch in layer.branches:
                yield from _pair(row.children[n:n + len(branch)], branch)
                n += len(branch)
            for extra in row.children[n:]:
                yield extra, None
        else:  # residual, basic, bottleneck
            res = layer if isinstance(layer, s.Residual) else layer.expand(row.input_shape[0])
            n = len(res.main) + len(res.shortcut)
            yield from _pair(row.children[:len(res.main)], res.main)
            yield from _pair(row.children[len(res.main):n], res.shortcut)
            for extra in row.children[n:]:
                yield extra, None


def inputs_of(row: Row, layer) -> int:
    """How many tensors a merge row combines."""
    return len(row.sources) if layer is not None and layer.merges else 2


def row_counts(row: Row, layer) -> Counts:
    """The counts of one leaf row (``layer`` from :func:`leaves`)."""
    out = math.prod(row.output_shape)
    kind = row.type
    if kind in ("conv", "conv_transpose", "linear"):
        return Counts(weight_macs=row.macs, bias=out if row.biases else 0)
    if kind == "batchnorm":
        return Counts(normalisation=out)
    if kind == "layernorm":
        return Counts(normalisation=out * (LAYERNORM_COST - (0 if row.weights else 1)))
    if kind == "lrn":
        return Counts(normalisation=out * (layer.size + 1))
    if kind == "scale":
        return Counts(normalisation=out)
    if kind in ACTIVATION_KINDS:
        return Counts(activations=out)
    if kind == "softmax":
        return Counts(activations=out * SOFTMAX_COST)
    if kind in ("maxpool", "avgpool"):
        kh, kw = layer.kernel
        return Counts(pooling=out * kh * kw)
    if kind in ("adaptive_avgpool", "adaptive_maxpool", "global_pool"):
        return Counts(pooling=math.prod(row.input_shape))
    if kind == "upsample":
        return Counts(pooling=out * BILINEAR_COST if layer.mode == "bilinear" else 0)
    if kind in ("add", "multiply"):
        return Counts(pooling=out * (inputs_of(row, layer) - 1))
    return Counts()  # copies: concat, flatten, crop, pad, shuffle; dropout, placeholder


def counting(table: Table) -> Counting:
    """The counts of every top-level row of ``table`` and the totals."""
    per_leaf = {id(row): row_counts(row, layer) for row, layer in leaves(table)}

    def of(row: Row) -> Counts:
        if id(row) in per_leaf:
            return per_leaf[id(row)]
        total = Counts()
        for child in row.children:
            total += of(child)
        return total

    rows = tuple((row, of(row)) for row in table.rows)
    totals = Counts()
    for _, c in rows:
        totals += c
    return Counting(table, rows, totals)
