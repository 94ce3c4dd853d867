"""The network spec format: typed layer classes, each field documented where it is defined.

A spec is a YAML file::

    name: LeNet-5
    input: [1, 32, 32]
    layers:
      - conv: {name: C1, out: 6, kernel: 5}
      - tanh
      - avgpool: {kernel: 2, stride: 2}

Every layer is a one-key mapping ``kind: {field: value, ...}`` (or just
``kind`` when it needs no field). :func:`parse_spec` turns the YAML text into
a :class:`Network` of frozen dataclasses and rejects, on one line naming the
file, the layer and the field, anything the format does not allow. Whether
the shapes work out (a kernel larger than its input, a residual whose two
paths disagree) needs the shapes, so :mod:`generator.tables` checks that.

The documentation of every field lives in the ``doc`` of its ``spec_field``;
the spec-format page of the site is generated from it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import MISSING, dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable, ClassVar

import yaml

from ..errors import UserError

__all__ = [
    "Layer", "Conv", "ConvTranspose", "MaxPool", "AvgPool", "AdaptiveAvgPool", "Linear",
    "ReLU", "Tanh", "Sigmoid", "BatchNorm", "Dropout", "Flatten", "Softmax",
    "Residual", "Basic", "Bottleneck", "Concat", "Figure", "Published", "Network",
    "LAYER_KINDS", "ALIASES", "FieldType", "spec_fields", "parse_spec",
]


# ------------------------------------------------------------------ field types


class Mismatch(Exception):
    """A value that does not have its field's type (the caller names the field)."""


@dataclass(frozen=True)
class FieldType:
    """What a field accepts: ``expected`` reads as 'must be <expected>'."""

    label: str          # short, for the docs table
    expected: str       # for error messages and the docs
    convert: Callable[[Any], Any]


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _positive(v):
    if _is_int(v) and v >= 1:
        return v
    raise Mismatch


def _non_negative(v):
    if _is_int(v) and v >= 0:
        return v
    raise Mismatch


def _pair(convert):
    def pair(v):
        if isinstance(v, list) and len(v) == 2:
            return convert(v[0]), convert(v[1])
        x = convert(v)
        return x, x
    return pair


def _padding(v):
    if v in ("same", "valid"):
        return v
    return _pair(_non_negative)(v)


def _bool(v):
    if isinstance(v, bool):
        return v
    raise Mismatch


def _probability(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1:
        return float(v)
    raise Mismatch


def _positive_number(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
        return float(v)
    raise Mismatch


def _text(v):
    if isinstance(v, str) and v.strip():
        return v.strip()
    raise Mismatch


def _choice(*options):
    def choose(v):
        if isinstance(v, str) and v in options:
            return v
        raise Mismatch
    return choose


def _shape(v):
    if isinstance(v, list) and len(v) in (1, 3):
        return tuple(_positive(x) for x in v)
    raise Mismatch


_FIGURE = re.compile(r"^(\d+(?:\.\d+)?)\s*([KMG])$")
_UNITS = {"K": 10**3, "M": 10**6, "G": 10**9}


@dataclass(frozen=True)
class Figure:
    """A published number, exact (``138357544``) or rounded as printed (``'4.089G'``)."""

    text: str
    value: Decimal
    unit: int = 1          # 1, 10**3, 10**6 or 10**9
    decimals: int = 0      # digits printed after the point

    @property
    def exact(self) -> bool:
        return self.unit == 1

    def rounded(self, computed: int) -> Decimal:
        """``computed`` in this figure's unit, rounded to the digits it was printed with."""
        step = Decimal(1).scaleb(-self.decimals)
        return (Decimal(computed) / self.unit).quantize(step, rounding=ROUND_HALF_UP)

    def matches(self, computed: int) -> bool:
        return self.rounded(computed) == self.value


def _figure(v):
    if _is_int(v) and v >= 0:
        return Figure(f"{v:,}", Decimal(v))
    if isinstance(v, str):
        m = _FIGURE.match(v.strip())
        if m:
            number, unit = m.groups()
            decimals = len(number.partition(".")[2])
            try:
                return Figure(v.strip(), Decimal(number), _UNITS[unit], decimals)
            except InvalidOperation:
                pass
    raise Mismatch


class T:
    """The field types of the format."""

    COUNT = FieldType("int ≥ 1", "a positive integer", _positive)
    SIZE = FieldType("int or [h, w]", "a positive integer or a pair [height, width] of them",
                     _pair(_positive))
    PAD = FieldType("int or [h, w]", "a non-negative integer or a pair [height, width] of them",
                    _pair(_non_negative))
    CONV_PAD = FieldType("int, [h, w], same, valid",
                         "a non-negative integer, a pair [height, width] of them, "
                         "'same' or 'valid'", _padding)
    BOOL = FieldType("true/false", "true or false", _bool)
    PROB = FieldType("number in [0, 1]", "a number from 0 to 1", _probability)
    POSITIVE = FieldType("number > 0", "a positive number", _positive_number)
    TEXT = FieldType("text", "a non-empty string", _text)
    ACTIVATION = FieldType("relu, tanh, sigmoid, none", "one of relu, tanh, sigmoid, none",
                           _choice("relu", "tanh", "sigmoid", "none"))
    SHAPE = FieldType("[C, H, W]", "a list [C, H, W] (or [features]) of positive integers",
                      _shape)
    FIGURE = FieldType("int or '4.09G'",
                       "an exact integer or a rounded figure as printed, like '4.089G', "
                       "'128M' or '159K'", _figure)
    # Nested values are parsed by the parser itself (they need the location).
    LAYERS = FieldType("list of layers", "a non-empty list of layers", lambda v: v)
    BRANCHES = FieldType("list of lists of layers",
                         "a list of at least two branches, each a non-empty list of layers",
                         lambda v: v)
    PUBLISHED = FieldType("list of sources", "a list of mappings with source, params, macs",
                          lambda v: v)


def spec_field(type_: FieldType, doc: str, default: Any = MISSING):
    """A dataclass field that a spec sets; ``doc`` is its documentation on the site."""
    meta = {"type": type_, "doc": doc}
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


def spec_fields(cls) -> list:
    """The dataclass fields of ``cls`` that a spec may set, in order."""
    return [f for f in fields(cls) if "type" in f.metadata]


def is_required(f) -> bool:
    """True for a field that a spec must give (it has no default)."""
    return f.default is MISSING


# ------------------------------------------------------------------ layers


@dataclass(frozen=True, kw_only=True)
class Layer:
    """Fields every layer accepts."""

    KIND: ClassVar[str] = ""
    #: True for layers that contain other layers.
    COMPOSITE: ClassVar[bool] = False

    name: str | None = spec_field(
        T.TEXT, "A label shown in the table and in error messages (e.g. `conv1`).", None)
    frozen: bool = spec_field(
        T.BOOL, "Exclude this layer's parameters from the trainable count (transfer "
        "learning). On a block it freezes every layer inside.", False)
    #: Where the layer is in its spec, e.g. ``layer 5 'layer2.0' (basic) > main 1 (conv)``.
    where: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Conv(Layer):
    """2-D convolution (cross-correlation), as `torch.nn.Conv2d`. Weights have shape
    (out, in / groups, kernel height, kernel width)."""

    KIND: ClassVar[str] = "conv"
    out: int = spec_field(T.COUNT, "Number of filters: the output channels.")
    kernel: tuple[int, int] = spec_field(T.SIZE, "Filter height and width.")
    stride: tuple[int, int] = spec_field(T.SIZE, "Step between filter positions.", (1, 1))
    padding: tuple[int, int] | str = spec_field(
        T.CONV_PAD, "Zeros added on each side; `same` keeps the size (stride 1 only; an "
        "odd total puts the extra zero at the bottom/right), `valid` means 0.", (0, 0))
    dilation: tuple[int, int] = spec_field(
        T.SIZE, "Spacing between filter taps; the filter spans dilation × (kernel − 1) + 1.",
        (1, 1))
    groups: int = spec_field(
        T.COUNT, "Split input and output channels into this many independent groups; both "
        "must be divisible by it.", 1)
    bias: bool = spec_field(T.BOOL, "Add one learned bias per filter.", True)


@dataclass(frozen=True, kw_only=True)
class ConvTranspose(Layer):
    """Transposed convolution, as `torch.nn.ConvTranspose2d`: each input pixel scatters
    a weighted copy of the filter into the output (upsampling when stride > 1)."""

    KIND: ClassVar[str] = "conv_transpose"
    out: int = spec_field(T.COUNT, "Number of output channels.")
    kernel: tuple[int, int] = spec_field(T.SIZE, "Filter height and width.")
    stride: tuple[int, int] = spec_field(T.SIZE, "Upsampling factor.", (1, 1))
    padding: tuple[int, int] = spec_field(
        T.PAD, "Rows/columns removed from each side of the full output.", (0, 0))
    output_padding: tuple[int, int] = spec_field(
        T.PAD, "Extra rows/columns added at the bottom/right; smaller than stride or "
        "dilation.", (0, 0))
    dilation: tuple[int, int] = spec_field(T.SIZE, "Spacing between filter taps.", (1, 1))
    groups: int = spec_field(T.COUNT, "Independent channel groups.", 1)
    bias: bool = spec_field(T.BOOL, "Add one learned bias per output channel.", True)


@dataclass(frozen=True, kw_only=True)
class MaxPool(Layer):
    """Max pooling, as `torch.nn.MaxPool2d`: the largest value of each window."""

    KIND: ClassVar[str] = "maxpool"
    kernel: tuple[int, int] = spec_field(T.SIZE, "Window height and width.")
    stride: tuple[int, int] | None = spec_field(
        T.SIZE, "Step between windows; default: the kernel size.", None)
    padding: tuple[int, int] = spec_field(
        T.PAD, "Implicit −∞ padding on each side; at most half the kernel.", (0, 0))
    dilation: tuple[int, int] = spec_field(T.SIZE, "Spacing between window taps.", (1, 1))
    ceil_mode: bool = spec_field(
        T.BOOL, "Round the output size up, keeping a last partial window.", False)


@dataclass(frozen=True, kw_only=True)
class AvgPool(Layer):
    """Average pooling, as `torch.nn.AvgPool2d`: the mean of each window."""

    KIND: ClassVar[str] = "avgpool"
    kernel: tuple[int, int] = spec_field(T.SIZE, "Window height and width.")
    stride: tuple[int, int] | None = spec_field(
        T.SIZE, "Step between windows; default: the kernel size.", None)
    padding: tuple[int, int] = spec_field(
        T.PAD, "Zero padding on each side; at most half the kernel.", (0, 0))
    ceil_mode: bool = spec_field(
        T.BOOL, "Round the output size up, keeping a last partial window.", False)
    count_include_pad: bool = spec_field(
        T.BOOL, "Count padding zeros in the divisor of the mean.", True)


@dataclass(frozen=True, kw_only=True)
class AdaptiveAvgPool(Layer):
    """Adaptive average pooling, as `torch.nn.AdaptiveAvgPool2d`: windows chosen so the
    output has a fixed size whatever the input size (`output: 1` is global pooling)."""

    KIND: ClassVar[str] = "adaptive_avgpool"
    output: tuple[int, int] = spec_field(T.SIZE, "Output height and width.")


@dataclass(frozen=True, kw_only=True)
class Linear(Layer):
    """Fully connected layer, as `torch.nn.Linear` (alias `fc`). Its input must be flat:
    put a `flatten` before it."""

    KIND: ClassVar[str] = "linear"
    out: int = spec_field(T.COUNT, "Number of output features.")
    bias: bool = spec_field(T.BOOL, "Add one learned bias per output feature.", True)


@dataclass(frozen=True, kw_only=True)
class ReLU(Layer):
    """Rectified linear unit, max(0, x), element by element."""

    KIND: ClassVar[str] = "relu"


@dataclass(frozen=True, kw_only=True)
class Tanh(Layer):
    """Hyperbolic tangent, element by element."""

    KIND: ClassVar[str] = "tanh"


@dataclass(frozen=True, kw_only=True)
class Sigmoid(Layer):
    """Logistic sigmoid 1 / (1 + e^−x), element by element."""

    KIND: ClassVar[str] = "sigmoid"


@dataclass(frozen=True, kw_only=True)
class BatchNorm(Layer):
    """Batch normalisation, as `torch.nn.BatchNorm2d` (or `BatchNorm1d` on a flat input),
    in inference form. Learns a scale (weight) and a shift (bias) per channel and keeps a
    running mean and variance per channel, which are buffers, not parameters."""

    KIND: ClassVar[str] = "batchnorm"
    eps: float = spec_field(T.POSITIVE, "Added to the variance before the square root.",
                            1e-5)
    affine: bool = spec_field(T.BOOL, "Learn the per-channel scale and shift.", True)


@dataclass(frozen=True, kw_only=True)
class Dropout(Layer):
    """Dropout: zeroes each value with probability `p` while training; the identity
    when the network is used."""

    KIND: ClassVar[str] = "dropout"
    p: float = spec_field(T.PROB, "Probability of zeroing a value.", 0.5)


@dataclass(frozen=True, kw_only=True)
class Flatten(Layer):
    """Flattens C × H × W into one vector of C·H·W features (channel-major, as
    `torch.flatten(x, 1)`)."""

    KIND: ClassVar[str] = "flatten"


@dataclass(frozen=True, kw_only=True)
class Softmax(Layer):
    """Softmax over the channels (the features of a flat input): outputs sum to 1."""

    KIND: ClassVar[str] = "softmax"


@dataclass(frozen=True, kw_only=True)
class Residual(Layer):
    """Residual block: `activation(main(x) + shortcut(x))`. The two paths must give the
    same shape; an empty shortcut is the identity."""

    KIND: ClassVar[str] = "residual"
    COMPOSITE: ClassVar[bool] = True
    main: tuple[Layer, ...] = spec_field(T.LAYERS, "The layers of the main path.")
    shortcut: tuple[Layer, ...] = spec_field(
        T.LAYERS, "The layers of the shortcut path; omit it for the identity.", ())
    activation: str = spec_field(T.ACTIVATION, "Applied after the addition.", "relu")


@dataclass(frozen=True, kw_only=True)
class Basic(Layer):
    """ResNet basic block (ResNet-18/34), as torchvision's `BasicBlock`: 3×3 conv (with
    the stride), batchnorm, relu, 3×3 conv, batchnorm, added to the shortcut, relu. The
    shortcut is the identity, or a 1×1 conv with the stride and a batchnorm (the
    projection) when the shape changes. Convolutions have no bias."""

    KIND: ClassVar[str] = "basic"
    COMPOSITE: ClassVar[bool] = True
    out: int = spec_field(T.COUNT, "Output channels of both 3×3 convolutions.")
    stride: int = spec_field(T.COUNT, "Stride of the first 3×3 conv and of the projection.",
                             1)

    def expand(self, in_channels: int) -> Residual:
        """The block as a :class:`Residual`, given the channels that come in."""
        main = [
            _inner(Conv, self, "main", 1, name="conv1", out=self.out, kernel=(3, 3),
                   stride=(self.stride,) * 2, padding=(1, 1), bias=False),
            _inner(BatchNorm, self, "main", 2, name="bn1"),
            _inner(ReLU, self, "main", 3, name="relu"),
            _inner(Conv, self, "main", 4, name="conv2", out=self.out, kernel=(3, 3),
                   padding=(1, 1), bias=False),
            _inner(BatchNorm, self, "main", 5, name="bn2"),
        ]
        return _block(self, main, _projection(self, in_channels, self.out, self.stride))


@dataclass(frozen=True, kw_only=True)
class Bottleneck(Layer):
    """ResNet bottleneck block (ResNet-50/101/152), as torchvision's `Bottleneck`
    ("ResNet v1.5": the stride is on the 3×3 conv): 1×1 conv to `width`, 3×3 conv, 1×1
    conv to `width × expansion`, each followed by batchnorm (and relu, except the last),
    added to the shortcut, relu. The shortcut is the identity, or a 1×1 conv with the
    stride and a batchnorm when the shape changes. Convolutions have no bias."""

    KIND: ClassVar[str] = "bottleneck"
    COMPOSITE: ClassVar[bool] = True
    width: int = spec_field(T.COUNT, "Channels of the 1×1 reduction and the 3×3 conv.")
    stride: int = spec_field(T.COUNT, "Stride of the 3×3 conv and of the projection.", 1)
    expansion: int = spec_field(T.COUNT, "Output channels are width × expansion.", 4)

    def expand(self, in_channels: int) -> Residual:
        """The block as a :class:`Residual`, given the channels that come in."""
        out = self.width * self.expansion
        main = [
            _inner(Conv, self, "main", 1, name="conv1", out=self.width, kernel=(1, 1),
                   bias=False),
            _inner(BatchNorm, self, "main", 2, name="bn1"),
            _inner(ReLU, self, "main", 3, name="relu"),
            _inner(Conv, self, "main", 4, name="conv2", out=self.width, kernel=(3, 3),
                   stride=(self.stride,) * 2, padding=(1, 1), bias=False),
            _inner(BatchNorm, self, "main", 5, name="bn2"),
            _inner(ReLU, self, "main", 6, name="relu"),
            _inner(Conv, self, "main", 7, name="conv3", out=out, kernel=(1, 1), bias=False),
            _inner(BatchNorm, self, "main", 8, name="bn3"),
        ]
        return _block(self, main, _projection(self, in_channels, out, self.stride))


def _inner(cls, parent: Layer, path: str, index: int, **values) -> Layer:
    layer = cls(**values)
    return _located(layer, f"{parent.where} > {path} {index}{_label(layer)}")


def _projection(block: Layer, in_channels: int, out: int, stride: int) -> tuple[Layer, ...]:
    if stride == 1 and in_channels == out:
        return ()
    return (
        _inner(Conv, block, "shortcut", 1, name="downsample.0", out=out, kernel=(1, 1),
               stride=(stride, stride), bias=False),
        _inner(BatchNorm, block, "shortcut", 2, name="downsample.1"),
    )


def _block(block: Layer, main: list, shortcut: tuple) -> Residual:
    res = Residual(name=block.name, frozen=block.frozen, main=tuple(main), shortcut=shortcut)
    return _located(res, block.where)


@dataclass(frozen=True, kw_only=True)
class Concat(Layer):
    """Parallel branches on the same input, concatenated on the channels (an Inception
    module). Every branch must give the same height and width."""

    KIND: ClassVar[str] = "concat"
    COMPOSITE: ClassVar[bool] = True
    branches: tuple[tuple[Layer, ...], ...] = spec_field(
        T.BRANCHES, "The branches, each a list of layers, in the order of their channels.")


#: Every layer kind, in the order the docs list them.
LAYER_KINDS: dict[str, type[Layer]] = {
    cls.KIND: cls for cls in (
        Conv, ConvTranspose, MaxPool, AvgPool, AdaptiveAvgPool, Linear, ReLU, Tanh, Sigmoid,
        BatchNorm, Dropout, Flatten, Softmax, Residual, Basic, Bottleneck, Concat)
}
#: Other names a spec may use for a kind.
ALIASES: dict[str, str] = {"fc": "linear"}


# ------------------------------------------------------------------ the network


@dataclass(frozen=True, kw_only=True)
class Published:
    """Totals published by a reference, compared with the computed ones on the page."""

    source: str = spec_field(T.TEXT, "Who published the figures, and where (paper, table, "
                             "library version).")
    url: str | None = spec_field(T.TEXT, "A link to the source.", None)
    params: Figure | None = spec_field(T.FIGURE, "The published parameter count.", None)
    macs: Figure | None = spec_field(
        T.FIGURE, "The published multiply-accumulate count (many sources call it FLOPs "
        "or ops).", None)
    note: str | None = spec_field(T.TEXT, "One line shown with the comparison.", None)


@dataclass(frozen=True, kw_only=True)
class Network:
    """A network spec: the top level of the YAML file."""

    name: str = spec_field(T.TEXT, "The title of the page, e.g. `VGG-16`.")
    input: tuple[int, ...] = spec_field(
        T.SHAPE, "The shape of one input, channels first: `[3, 224, 224]`.")
    layers: tuple[Layer, ...] = spec_field(T.LAYERS, "The layers, in order.")
    description: str = spec_field(T.TEXT, "Markdown shown at the top of the page.", "")
    published: tuple[Published, ...] = spec_field(
        T.PUBLISHED, "Published totals to compare with (see below).", ())
    #: The id: built-in name or file stem; the page is ``architectures/<id>.md``.
    id: str = field(default="", compare=False)
    #: The file, as shown in error messages.
    source: str = field(default="", compare=False, repr=False)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.input


# ------------------------------------------------------------------ parsing


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (YAML keeps the last)."""


def _mapping_without_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.MarkedYAMLError(
                problem=f"the key '{key}' is given twice in one mapping", problem_mark=mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _found(v) -> str:
    """How a value the spec gave is described in 'found ...'."""
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return f"{str(v).lower()}"
    if isinstance(v, str):
        return f"the string {v!r}"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        shown = yaml.safe_dump(v, default_flow_style=True, width=10**6).strip()
        return f"the list {shown[:60]}"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _label(layer_or_name, kind: str | None = None) -> str:
    """`` 'conv1' (conv)`` for a layer, to follow its index in a location."""
    if isinstance(layer_or_name, Layer):
        name, kind = layer_or_name.name, layer_or_name.KIND
    else:
        name = layer_or_name
    text = f" {name!r}" if name else ""
    return text + (f" ({kind})" if kind else "")


def _located(layer: Layer, where: str) -> Layer:
    object.__setattr__(layer, "where", where)
    return layer


class _Parser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> UserError:
        return UserError(f"{self.source}: {where}: {message}" if where
                         else f"{self.source}: {message}")

    def values(self, cls, data: dict, where: str, what: str) -> dict:
        """Check ``data`` against the spec fields of ``cls``; return converted values."""
        known = {f.name: f for f in spec_fields(cls)}
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1)
                did = f"did you mean '{hint[0]}'? " if hint else ""
                raise self.fail(where, f"unknown field '{key}' ({did}{what} takes: "
                                       f"{', '.join(known)})")
        out = {}
        for name, f in known.items():
            if name not in data:
                if is_required(f):
                    raise self.fail(where, f"missing field '{name}' ({_lower(f.metadata['doc'])})")
                continue
            out[name] = self.value(f, data[name], where)
        return out

    def value(self, f, raw, where: str):
        ftype: FieldType = f.metadata["type"]
        if ftype is T.LAYERS:
            return self.layers(raw, where, f.name)
        if ftype is T.BRANCHES:
            return self.branches(raw, where)
        if ftype is T.PUBLISHED:
            return self.published(raw, where)
        try:
            return ftype.convert(raw)
        except Mismatch:
            raise self.fail(where, f"{f.name} must be {ftype.expected}, found {_found(raw)}") \
                from None

    def layers(self, raw, where: str, path: str) -> tuple[Layer, ...]:
        nested = bool(where)
        if not isinstance(raw, list) or not raw:
            what = f"{path}" if nested else "layers"
            raise self.fail(where, f"{what} must be a non-empty list of layers, found "
                                   f"{_found(raw)}")
        prefix = f"{where} > {path} " if nested else "layer "
        return tuple(self.layer(entry, prefix, i) for i, entry in enumerate(raw, 1))

    def branches(self, raw, where: str) -> tuple[tuple[Layer, ...], ...]:
        if not isinstance(raw, list) or len(raw) < 2:
            raise self.fail(where, f"branches must be {T.BRANCHES.expected}, found "
                                   f"{_found(raw)}")
        out = []
        for b, branch in enumerate(raw, 1):
            if not isinstance(branch, list) or not branch:
                raise self.fail(where, f"branch {b} must be a non-empty list of layers, "
                                       f"found {_found(branch)}")
            prefix = f"{where} > branch {b}, layer "
            out.append(tuple(self.layer(entry, prefix, i) for i, entry in enumerate(branch, 1)))
        return tuple(out)

    def layer(self, entry, prefix: str, index: int) -> Layer:
        here = f"{prefix}{index}"
        if isinstance(entry, str):
            entry = {entry: None}
        if not isinstance(entry, dict) or len(entry) != 1:
            raise self.fail(here, "expected a one-key mapping like 'conv: {out: 6, kernel: 5}' "
                                  f"or a bare kind like 'relu', found {_found(entry)}")
        (kind, data), = entry.items()
        kind = ALIASES.get(kind, kind)
        if kind not in LAYER_KINDS:
            names = list(LAYER_KINDS) + list(ALIASES)
            hint = difflib.get_close_matches(str(kind), names, n=1)
            did = f"did you mean '{hint[0]}'? " if hint else ""
            raise self.fail(here, f"unknown layer type '{kind}' ({did}known types: "
                                  f"{', '.join(names)})")
        cls = LAYER_KINDS[kind]
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise self.fail(f"{here}{_label(None, kind)}",
                            f"the fields of a {kind} layer must be a mapping like "
                            f"'{kind}: {{{_example(cls)}}}', found {_found(data)}")
        name = data.get("name")
        where = f"{here}{_label(name if isinstance(name, str) else None, kind)}"
        values = self.values(cls, data, where, kind)
        layer = _located(cls(**values), where)
        self.check(layer)
        return layer

    def check(self, layer: Layer) -> None:
        """Checks between fields of one layer (shapes are checked by the tables)."""
        if isinstance(layer, (Conv, ConvTranspose)) and layer.out % layer.groups:
            raise self.fail(layer.where, f"out {layer.out} is not divisible by groups "
                                         f"{layer.groups}")

    def published(self, raw, where: str) -> tuple[Published, ...]:
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list):
            raise self.fail(where or "published",
                            f"published must be {T.PUBLISHED.expected}, found {_found(raw)}")
        out = []
        for i, entry in enumerate(raw, 1):
            here = f"published {i}"
            if not isinstance(entry, dict):
                raise self.fail(here, f"expected a mapping with source, params, macs, found "
                                      f"{_found(entry)}")
            values = self.values(Published, entry, here, "published")
            if values.get("params") is None and values.get("macs") is None:
                raise self.fail(here, "give at least one of params and macs")
            out.append(Published(**values))
        return tuple(out)


def _lower(doc: str) -> str:
    first = doc.split(". ")[0].rstrip(".")
    return first[:1].lower() + first[1:]


def _example(cls) -> str:
    required = [f.name for f in spec_fields(cls) if is_required(f)]
    return ", ".join(f"{n}: ..." for n in required) or "name: ..."


def parse_spec(text: str, source: str, id: str) -> Network:
    """Parse the YAML ``text`` of a spec; ``source`` names the file in error messages.

    Raises
    ------
    UserError
        One line naming the file, the layer (index, name, type) and the field, with
        what was expected and what was found.
    """
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = (exc.problem or exc.context or "cannot be read").replace(
            "'<stream end>'", "the end of the file")
        if exc.problem and exc.context and exc.context_mark:
            c = exc.context_mark
            problem += f" ({exc.context} at line {c.line + 1}, column {c.column + 1})"
        raise UserError(f"{source}: {where}not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise UserError(f"{source}: not valid YAML: {exc}") from None
    parser = _Parser(source)
    if not isinstance(data, dict):
        raise parser.fail("", "expected a mapping with name, input and layers at the top, "
                              f"found {_found(data)}")
    values = parser.values(Network, data, "", "a network spec")
    return Network(**values, id=id, source=source)


def field_type_of(cls, name: str) -> FieldType:
    """The :class:`FieldType` of field ``name`` of ``cls`` (for the docs)."""
    return next(f.metadata["type"] for f in spec_fields(cls) if f.name == name)


def default_text(f) -> str:
    """A field's default as a spec would write it, or '' when the field is required."""
    if is_required(f):
        return ""
    value = f.default
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple) and len(value) == 2 and value[0] == value[1] \
            and all(map(_is_int, value)):
        return str(value[0])
    if value == ():
        return "[]"
    if value == "":
        return '""'
    return str(value)

