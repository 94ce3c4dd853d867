"""The layer table of a network: per layer, the output shape, parameters, MACs,
activations and receptive field; and the totals.

>>> from generator.specs import load_builtin
>>> t = layer_table(load_builtin("resnet50"))
>>> t.totals.params, t.rows[-1].output_shape
(25557032, (1000,))

Shapes come from :mod:`generator.nn.shapes`, counts from :mod:`.counts`,
receptive fields from :mod:`.receptive`. A shape that does not work out (a
kernel larger than its padded input, a residual whose paths disagree) raises
:class:`~generator.errors.UserError` naming the file and the layer.

Composite blocks (``residual``, ``basic``, ``bottleneck``, ``concat``) are one
row whose ``children`` are the rows inside, in this order: the main path (or
each branch in turn), the shortcut, then the merge (``add`` or ``concat``) and
the activation after an addition. A block's counts are the sums of its
children's; the totals are the sums of the top-level rows. Activations count
every row's output values, the input excluded.
"""

from __future__ import annotations

import math
import dataclasses
from dataclasses import dataclass

from .. import specs as s
from ..errors import UserError
from ..nn import shapes
from ..nn.resize import interpolate_output_hw
from ..nn.shuffle import broadcast_shape
from ..nn.split import chunk_sizes
from ..text import shape as _shape_text  # 64×55×55: the site's one shape format
from ..text import size2 as _hw  # 5 for (5, 5), 5×3 otherwise
from ..specs import kinds
from . import counts, receptive
from .receptive import Field

__all__ = ["Row", "Totals", "Table", "layer_table", "check_input_shape"]


@dataclass(frozen=True)
class Row:
    """One layer, or one composite block with its inner rows in ``children``."""

    index: str                     # "5", or "5.3" inside block 5
    depth: int                     # 0 for top-level rows
    path: str                      # "", "main", "shortcut" or "branch 2"
    name: str                      # the spec's name, or ""
    type: str                      # the layer kind, or "add" / "concat" for a merge
    details: str                   # the settings in short, e.g. "f=5, s=1, p=0"
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    weights: int
    biases: int
    trainable_params: int
    buffers: int                   # batchnorm running statistics: not parameters
    macs: int
    activations: int               # values in the output
    receptive_field: Field
    children: tuple["Row", ...] = ()
    #: The rows whose outputs this row takes, when its layer names ``inputs`` (a graph):
    #: their indices, ``<prefix>0`` for the input of the list it is in ("0": the network's
    #: input, "5.0": block 5's). Empty: the row before (or the list's input).
    sources: tuple[str, ...] = ()

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def activation_bytes(self) -> int:
        return self.activations * counts.FLOAT32_BYTES

    def walk(self):
        """This row and every row inside it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Totals:
    weights: int
    biases: int
    trainable_params: int
    buffers: int
    macs: int
    activations: int

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def non_trainable_params(self) -> int:
        """Parameters of frozen layers (buffers are not parameters)."""
        return self.params - self.trainable_params

    @property
    def activation_bytes(self) -> int:
        return self.activations * counts.FLOAT32_BYTES


@dataclass(frozen=True)
class Table:
    network: s.Network
    input_shape: tuple[int, ...]
    rows: tuple[Row, ...]
    totals: Totals

    def walk(self):
        """Every row, blocks and their inner rows included, depth first."""
        for row in self.rows:
            yield from row.walk()


def check_input_shape(shape, what: str = "input") -> tuple[int, ...]:
    """``shape`` as a tuple if it is [C, H, W] or [features] of positive ints."""
    if (isinstance(shape, (tuple, list)) and len(shape) in (1, 3)
            and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shape)):
        return tuple(shape)
    raise UserError(f"{what}: expected C,H,W (or one number of features) as positive "
                    f"integers, found {shape!r}")


def layer_table(network: s.Network, input_shape=None) -> Table:
    """Compute the table of ``network``, on ``input_shape`` (default: the spec's input)."""
    shape = network.input if input_shape is None else check_input_shape(input_shape)
    field = receptive.INPUT if len(shape) == 3 else None
    rows, _, _ = _Builder(network).sequence(network.layers, shape, field, "", "", 0, False)
    totals = Totals(
        weights=sum(r.weights for r in rows),
        biases=sum(r.biases for r in rows),
        trainable_params=sum(r.trainable_params for r in rows),
        buffers=sum(r.buffers for r in rows),
        macs=sum(r.macs for r in rows),
        activations=sum(r.activations for r in rows),
    )
    return Table(network, shape, tuple(rows), totals)


# ------------------------------------------------------------------ formatting helpers


# ------------------------------------------------------------------ the builder


@dataclass(frozen=True)
class _Leaf:
    output_shape: tuple[int, ...]
    details: str = ""
    weights: int = 0
    biases: int = 0
    buffers: int = 0
    macs: int = 0
    field: Field = None


class _Builder:
    def __init__(self, network: s.Network):
        self.network = network

    def fail(self, layer: s.Layer, message: str) -> UserError:
        return UserError(f"{self.network.source}: {layer.where}: {message}")

    def sequence(self, layers, shape, field, prefix, path, depth, frozen, first=1):
        """Rows of the graph ``layers`` (each takes the row before, or the rows its
        ``inputs`` name); returns (rows, output shape, output field): the last row's."""
        rows = []
        for i, layer in enumerate(layers, first):
            if layer.sources:
                got = [(shape, field) if j < 0 else
                       (rows[j].output_shape, rows[j].receptive_field) for j in layer.sources]
                if layer.merges:
                    in_shape, in_field = [g[0] for g in got], [g[1] for g in got]
                else:
                    (in_shape, in_field), = got
                sources = tuple(f"{prefix}0" if j < 0 else rows[j].index
                                for j in layer.sources)
            else:
                in_shape, in_field = ((rows[-1].output_shape, rows[-1].receptive_field)
                                      if rows else (shape, field))
                sources = ()
            row = self.row(layer, in_shape, in_field, f"{prefix}{i}", path, depth, frozen)
            rows.append(dataclasses.replace(row, sources=sources) if sources else row)
        if not rows:  # an identity shortcut
            return rows, shape, field
        return rows, rows[-1].output_shape, rows[-1].receptive_field

    def row(self, layer, shape, field, index, path, depth, frozen) -> Row:
        """The row of ``layer``; a merge gets the list of its inputs' shapes and fields."""
        frozen = frozen or layer.frozen
        if layer.COMPOSITE:
            return self.block(layer, shape, field, index, path, depth, frozen)
        try:
            leaf = kinds.of(layer).row_builder()(self, layer, shape, field)
        except ValueError as exc:  # from generator.nn.shapes or .counts
            raise self.fail(layer, str(exc)) from None
        params = leaf.weights + leaf.biases
        return Row(
            index=index, depth=depth, path=path, name=layer.name or "", type=layer.KIND,
            details=leaf.details, input_shape=shape[0] if layer.merges else shape,
            output_shape=leaf.output_shape, weights=leaf.weights, biases=leaf.biases,
            trainable_params=0 if frozen else params, buffers=leaf.buffers, macs=leaf.macs,
            activations=math.prod(leaf.output_shape), receptive_field=leaf.field,
        )

    # -------------------------------------------------------------- blocks

    def block(self, layer, shape, field, index, path, depth, frozen) -> Row:
        build = kinds.of(layer).row_builder()
        children, out_shape, out_field, details = build(
            self, layer, shape, field, f"{index}.", depth + 1, frozen)
        return self.group_row(index, depth, path, layer.name or "", layer.KIND, details,
                              shape[0] if layer.merges else shape, out_shape, out_field,
                              children)

    def group_row(self, index, depth, path, name, type_, details, in_shape, out_shape, field,
                  children) -> Row:
        """A row holding ``children``: its counts are theirs (a merge without children
        counts its output values)."""
        return Row(
            index=index, depth=depth, path=path, name=name, type=type_,
            details=details, input_shape=in_shape, output_shape=out_shape,
            weights=sum(c.weights for c in children), biases=sum(c.biases for c in children),
            trainable_params=sum(c.trainable_params for c in children),
            buffers=sum(c.buffers for c in children), macs=sum(c.macs for c in children),
            activations=(sum(c.activations for c in children) if children
                         else math.prod(out_shape)),
            receptive_field=field, children=tuple(children),
        )

    def repeat(self, layer: s.Repeat, shape, field, prefix, depth, frozen):
        """Instances of a block in turn; each is a row holding the instance's rows."""
        rows = []
        base = layer.name or layer.block
        for i, (inst, args) in enumerate(zip(layer.instances, layer.arguments), 1):
            children, out, out_field = self.sequence(
                inst, shape, field, f"{prefix}{i}.", "", depth + 1, frozen)
            # only integers, under plain names, are shown: details are not escaped
            details = ", ".join(f"{k}={v}" for k, v in args
                                if k.isascii() and k.isalnum() and type(v) is int)
            rows.append(self.group_row(f"{prefix}{i}", depth, "", f"{base}.{i - 1}", "block",
                                       details, shape, out, out_field, children))
            shape, field = out, out_field
        return rows, shape, field, f"{len(rows)} × {layer.block}"

    def residual_block(self, layer, shape, field, prefix, depth, frozen):
        """A residual block; a basic or bottleneck block is first expanded to one."""
        res = layer
        if not isinstance(layer, s.Residual):
            self.need_map(layer, shape)
            res = layer.expand(shape[0])
        return self.residual(res, layer, shape, field, prefix, depth, frozen)

    def residual(self, res: s.Residual, shown: s.Layer, shape, field, prefix, depth, frozen):
        main, main_shape, main_field = self.sequence(
            res.main, shape, field, prefix, "main", depth, frozen)
        short, short_shape, short_field = self.sequence(
            res.shortcut, shape, field, prefix, "shortcut", depth, frozen, len(main) + 1)
        what = "shortcut" if res.shortcut else "identity shortcut"
        if main_shape != short_shape:
            hint = ""
            if not res.shortcut and len(main_shape) == 3:
                hint = (f" (give it a shortcut that maps {_shape_text(shape)} to "
                        f"{_shape_text(main_shape)}, e.g. a 1×1 conv with out "
                        f"{main_shape[0]} and the main path's stride)")
            raise self.fail(shown, f"cannot add the main path's output "
                                   f"{_shape_text(main_shape)} to the {what}'s "
                                   f"{_shape_text(short_shape)}{hint}")
        merged = receptive.union([main_field, short_field])
        n = len(main) + len(short)
        rows = main + short
        rows.append(self.merge_row(f"{prefix}{n + 1}", depth, "add",
                                   f"main + {what}", shape, main_shape, merged))
        if res.activation != "none":
            rows.append(self.merge_row(f"{prefix}{n + 2}", depth, res.activation, "",
                                       main_shape, main_shape, merged))
        details = "projection shortcut" if res.shortcut else "identity shortcut"
        return rows, main_shape, merged, details

    def concat(self, layer: s.Concat, shape, field, prefix, depth, frozen):
        if layer.merges:
            return self.concat_inputs(layer, shape, field)
        rows, outs, fields = [], [], []
        for b, branch in enumerate(layer.branches, 1):
            branch_rows, out, f = self.sequence(
                branch, shape, field, prefix, f"branch {b}", depth, frozen, len(rows) + 1)
            rows += branch_rows
            outs.append(out)
            fields.append(f)
        first = outs[0]
        for b, out in enumerate(outs[1:], 2):
            if len(out) != len(first) or out[1:] != first[1:]:
                size = (lambda o: _shape_text(o[1:]) if len(o) == 3
                        else f"a flat vector of {o[0]}")
                raise self.fail(layer, f"branch {b} gives {size(out)} but branch 1 gives "
                                       f"{size(first)}; concatenated branches need the "
                                       f"same height and width")
        out_shape = (sum(o[0] for o in outs),) + first[1:]
        merged = receptive.union(fields)
        channels = " + ".join(str(o[0]) for o in outs)
        rows.append(self.merge_row(f"{prefix}{len(rows) + 1}", depth, "concat",
                                   f"channels {channels}", shape, out_shape, merged))
        return rows, out_shape, merged, f"{len(outs)} branches"

    def concat_inputs(self, layer: s.Concat, shapes_, fields):
        """A concat merge: the maps of ``inputs`` stacked on the channels."""
        first = shapes_[0]
        for other, name in zip(shapes_[1:], layer.inputs[1:]):
            if len(other) != len(first) or other[1:] != first[1:]:
                raise self.fail(layer, f"inputs: cannot concatenate {_shape_text(first)} "
                                       f"({layer.inputs[0]!r}) and {_shape_text(other)} "
                                       f"({name!r}) on the channels: they need the same "
                                       "height and width")
        out_shape = (sum(o[0] for o in shapes_),) + first[1:]
        return [], out_shape, receptive.union(fields), f"{len(shapes_)} inputs"

    def merge(self, layer, shapes_, fields) -> _Leaf:
        """``add`` or ``multiply``: element-wise, with PyTorch's broadcasting."""
        verb = "add" if isinstance(layer, s.Add) else "multiply"
        out = shapes_[0]
        for other, name in zip(shapes_[1:], layer.inputs[1:]):
            try:
                if len(other) != len(out):
                    raise ValueError
                out = broadcast_shape(out, other)
            except ValueError:
                raise self.fail(layer, f"inputs: cannot {verb} {_shape_text(out)} "
                                       f"({layer.inputs[0]!r}) and {_shape_text(other)} "
                                       f"({name!r})") from None
        return _Leaf(out, f"{len(shapes_)} inputs", field=receptive.union(fields))

    def merge_row(self, index, depth, type_, details, in_shape, out_shape, field) -> Row:
        return Row(
            index=index, depth=depth, path="", name="", type=type_, details=details,
            input_shape=in_shape, output_shape=out_shape, weights=0, biases=0,
            trainable_params=0, buffers=0, macs=0, activations=math.prod(out_shape),
            receptive_field=field,
        )

    # -------------------------------------------------------------- leaves

    def need_map(self, layer, shape) -> None:
        if len(shape) != 3:
            raise self.fail(layer, f"{layer.KIND} needs a C×H×W input, found a flat vector "
                                   f"of {shape[0]} features (is there a flatten before it?)")

    def conv(self, layer: s.Conv, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        hw = shapes.conv2d_output_hw((h, w), layer.kernel, layer.stride, layer.padding,
                                     layer.dilation)
        (top, _), (left, _) = shapes.conv2d_padding(layer.kernel, layer.padding,
                                                    layer.stride, layer.dilation)
        weights, biases = counts.conv2d_params(c, layer.out, layer.kernel, layer.groups,
                                               layer.bias)
        macs = counts.conv2d_macs(c, layer.out, layer.kernel, hw, layer.groups)
        pad = layer.padding if isinstance(layer.padding, str) else _hw(layer.padding)
        details = f"f={_hw(layer.kernel)}, s={_hw(layer.stride)}, p={pad}"
        details += _extras(layer.dilation, layer.groups, layer.bias)
        return _Leaf((layer.out, *hw), details, weights, biases, 0, macs,
                     receptive.window(field, layer.kernel, layer.stride, (top, left),
                                      layer.dilation))

    def conv_transpose(self, layer: s.ConvTranspose, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        hw = shapes.conv_transpose2d_output_hw((h, w), layer.kernel, layer.stride,
                                               layer.padding, layer.output_padding,
                                               layer.dilation)
        weights, biases = counts.conv_transpose2d_params(c, layer.out, layer.kernel,
                                                         layer.groups, layer.bias)
        macs = counts.conv_transpose2d_macs(c, layer.out, layer.kernel, (h, w), layer.groups)
        details = f"f={_hw(layer.kernel)}, s={_hw(layer.stride)}, p={_hw(layer.padding)}"
        if layer.output_padding != (0, 0):
            details += f", output padding {_hw(layer.output_padding)}"
        details += _extras(layer.dilation, layer.groups, layer.bias)
        return _Leaf((layer.out, *hw), details, weights, biases, 0, macs, None)

    def pool(self, layer, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        dilation = getattr(layer, "dilation", (1, 1))
        hw = shapes.pool2d_output_hw((h, w), layer.kernel, layer.stride, layer.padding,
                                     dilation, layer.ceil_mode)
        stride = layer.kernel if layer.stride is None else layer.stride
        details = f"f={_hw(layer.kernel)}, s={_hw(stride)}"
        if layer.padding != (0, 0):
            details += f", p={_hw(layer.padding)}"
        if dilation != (1, 1):
            details += f", d={_hw(dilation)}"
        if layer.ceil_mode:
            details += ", ceil"
        return _Leaf((c, *hw), details,
                     field=receptive.window(field, layer.kernel, stride, layer.padding,
                                            dilation))

    def global_pool(self, layer: s.GlobalPool, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        return _Leaf((c, 1, 1), layer.mode,
                     field=receptive.window(field, (h, w), (1, 1), (0, 0)))

    def layernorm(self, layer: s.LayerNorm, shape, field) -> _Leaf:
        weights, biases = counts.layernorm_params(shape[0], layer.affine)
        return _Leaf(shape, "over channels" + ("" if layer.affine else ", not affine"),
                     weights, biases, 0, 0, field)

    def scale(self, layer: s.Scale, shape, field) -> _Leaf:
        return _Leaf(shape, "per channel", counts.scale_params(shape[0]), 0, 0, 0, field)

    def shuffle(self, layer: s.ChannelShuffle, shape, field) -> _Leaf:
        if shape[0] % layer.groups:
            raise self.fail(layer, f"groups {layer.groups} does not divide the {shape[0]} "
                                   "channels")
        return _Leaf(shape, f"groups={layer.groups}", field=field)

    def split(self, layer: s.ChannelSplit, shape, field) -> _Leaf:
        sizes = chunk_sizes(shape[0], layer.chunks)
        if layer.index >= len(sizes):
            raise self.fail(layer, f"index: {shape[0]} channels cut into {layer.chunks} "
                                   f"parts of at most {sizes[0]} make {len(sizes)}, "
                                   f"numbered 0 to {len(sizes) - 1}")
        return _Leaf((sizes[layer.index], *shape[1:]),
                     f"part {layer.index + 1} of {len(sizes)}", field=field)

    def upsample(self, layer: s.Upsample, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        hw = interpolate_output_hw((h, w), layer.size, layer.scale)
        how = f"×{_hw(layer.scale)}" if layer.scale else f"to {_hw(hw)}"
        # an output pixel reads one (nearest) or two (bilinear) input pixels per axis, at
        # a place that does not advance by a whole step: no single (r, j, u)
        return _Leaf((c, *hw), f"{layer.mode} {how}", field=None)

    def crop(self, layer: s.Crop, shape, field) -> _Leaf:
        what = "size"
        if layer.merges:  # crop the first input to the second's height and width
            (shape, like), field, what = shape, field[0], "inputs"
            if len(like) != 3:
                raise self.fail(layer, f"inputs: crop takes its size from a C×H×W map, found "
                                       f"a flat vector of {like[0]} features "
                                       f"({layer.inputs[1]!r})")
        self.need_map(layer, shape)
        c, h, w = shape
        th, tw = layer.size or like[1:]
        if th > h or tw > w:
            raise self.fail(layer, f"{what}: cannot crop {_shape_text(shape)} to the larger "
                                   f"{th}×{tw} (height × width)")
        top, left = (h - th) // 2, (w - tw) // 2
        # a crop is a 1×1 window that starts `top` rows in: padding of −top
        return _Leaf((c, th, tw), f"centre {_hw((th, tw))}",
                     field=receptive.window(field, (1, 1), (1, 1), (-top, -left)))

    def pad(self, layer: s.ZeroPad, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        left, right, top, bottom = layer.padding
        out = (c, h + top + bottom, w + left + right)
        details = f"l={left}, r={right}, t={top}, b={bottom}"
        return _Leaf(out, details, field=receptive.window(field, (1, 1), (1, 1), (top, left)))

    def adaptive(self, layer: s.AdaptiveAvgPool, shape, field) -> _Leaf:
        self.need_map(layer, shape)
        c, h, w = shape
        hw = shapes.adaptive_pool2d_output_hw((h, w), layer.output)
        windows = [receptive.adaptive_window(n, o) for n, o in zip((h, w), hw)]
        if None in windows:
            out_field = None
        else:
            (kh, sh), (kw, sw) = windows
            out_field = receptive.window(field, (kh, kw), (sh, sw), (0, 0))
        return _Leaf((c, *hw), f"to {_hw(hw)}", field=out_field)

    def linear(self, layer: s.Linear, shape, field) -> _Leaf:
        if len(shape) != 1:
            raise self.fail(layer, f"linear needs a flat input, found {_shape_text(shape)} "
                                   "(put a flatten before it)")
        weights, biases = counts.linear_params(shape[0], layer.out, layer.bias)
        details = f"{shape[0]} → {layer.out}" + ("" if layer.bias else ", no bias")
        return _Leaf((layer.out,), details, weights, biases, 0,
                     counts.linear_macs(shape[0], layer.out), field)

    def batchnorm(self, layer: s.BatchNorm, shape, field) -> _Leaf:
        weights, biases = counts.batchnorm_params(shape[0], layer.affine)
        return _Leaf(shape, "" if layer.affine else "not affine", weights, biases,
                     counts.batchnorm_buffers(shape[0]), 0, field)

    def flatten(self, layer: s.Flatten, shape, field) -> _Leaf:
        if len(shape) == 1:
            return _Leaf(shape, "", field=field)
        c, h, w = shape
        return _Leaf((c * h * w,), f"{_shape_text(shape)} → {c * h * w}",
                     field=receptive.window(field, (h, w), (1, 1), (0, 0)))

    def placeholder(self, layer: s.Placeholder, shape, field) -> _Leaf:
        return _Leaf(shape, placeholder_text(layer.op), field=field)

    def elementwise(self, layer, shape, field) -> _Leaf:
        details = f"p={layer.p:g}" if isinstance(layer, s.Dropout) else ""
        return _Leaf(shape, details, field=field)


def placeholder_text(op: str | None) -> str:
    """The details of a placeholder's row: what it stands for, and that it is not there."""
    return f"placeholder for {op} (not imported)" if op else "placeholder (not imported)"


def _extras(dilation, groups, bias) -> str:
    text = ""
    if dilation != (1, 1):
        text += f", d={_hw(dilation)}"
    if groups != 1:
        text += f", groups={groups}"
    if not bias:
        text += ", no bias"
    return text

