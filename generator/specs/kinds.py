"""The registry of layer kinds: one record per kind, everything that must exist for it.

A record names the spec class (its ``KIND`` is the name a spec writes), the other
names a spec may use, a one-line summary, where the code for the kind lives in the
later stages, and whether the shape calculator handles it::

    >>> conv = get("conv")
    >>> conv.spec.__name__, conv.calculator, conv.trainable
    ('Conv', True, 'generator.learn.layers:Conv')
    >>> get("fc").name
    'linear'

The later stages are named by ``"module:attribute"`` strings, resolved on first use
and cached, so this module imports no stage after specs (imports only go forward).
:func:`Kind.row_builder` and :func:`Kind.forward_op` are the dispatch of
:mod:`generator.tables.table` and :mod:`generator.tables.forward`;
:func:`Kind.trainable_layer` is the one of :mod:`generator.learn`. Adding a layer
kind means: its class in :mod:`.layers`, one record here, its row builder and
forward op (and trainable layer, calculator support) where the record points.
``tests/specs/test_kinds.py`` fails while one of them is missing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

from .layers import (
    GELU,
    AdaptiveAvgPool,
    AdaptiveMaxPool,
    Add,
    AvgPool,
    Basic,
    BatchNorm,
    Bottleneck,
    ChannelShuffle,
    ChannelSplit,
    Concat,
    Conv,
    ConvTranspose,
    Crop,
    Dropout,
    Flatten,
    GlobalPool,
    Hardsigmoid,
    Hardswish,
    Layer,
    LayerNorm,
    Linear,
    LocalResponseNorm,
    MaxPool,
    Multiply,
    Placeholder,
    ReLU,
    ReLU6,
    Repeat,
    Residual,
    Scale,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
    Upsample,
    ZeroPad,
)

__all__ = ["Kind", "KINDS", "LAYER_KINDS", "ALIASES", "get", "of", "resolve"]

_TABLE = "generator.tables.table:_Builder"
_FORWARD = "generator.tables.forward:_Run"
_LEARN = "generator.learn.layers"


@dataclass(frozen=True)
class Kind:
    """One layer kind.

    ``row_builder``, ``forward_op`` and ``trainable_layer`` resolve the strings.
    A leaf's row builder is called as ``build(builder, layer, shape, field)`` and
    returns the leaf's values; a block's as ``build(builder, layer, shape, field,
    prefix, depth, frozen)`` and returns ``(children, shape, field, details)``.
    A leaf's forward op is ``op(run, layer, x)``; a block's ``op(run, layer, x, prefix)``.
    """

    #: The layer class of the spec format; its ``KIND`` is the kind's name.
    spec: type[Layer]
    #: What the kind is, in one line (the class docstring has the details).
    doc: str
    #: Row builder of the layer table: ``"module:attribute"``.
    table: str
    #: Operator of the NumPy forward pass: ``"module:attribute"``.
    forward: str
    #: Trainable layer class (:mod:`generator.learn.layers`), or None if it cannot be trained.
    trainable: str | None = None
    #: Other names a spec may use for this kind.
    aliases: tuple[str, ...] = ()
    #: True when ``docs/javascripts/calculator.js`` computes this kind.
    calculator: bool = False

    @property
    def name(self) -> str:
        return self.spec.KIND

    @property
    def composite(self) -> bool:
        return self.spec.COMPOSITE

    def row_builder(self):
        return resolve(self.table)

    def forward_op(self):
        return resolve(self.forward)

    def trainable_layer(self):
        """The trainable layer class, or None."""
        return None if self.trainable is None else resolve(self.trainable)


def _leaf(spec, doc, table, forward, trainable=None, aliases=()) -> Kind:
    return Kind(spec, doc, f"{_TABLE}.{table}", f"{_FORWARD}.{forward}",
                trainable and f"{_LEARN}:{trainable}", aliases, calculator=True)


def _new(spec, doc, table, forward) -> Kind:
    """A leaf the shape calculator does not compute yet."""
    return Kind(spec, doc, f"{_TABLE}.{table}", f"{_FORWARD}.{forward}")


def _block(spec, doc, table, forward) -> Kind:
    return Kind(spec, doc, f"{_TABLE}.{table}", f"{_FORWARD}.{forward}", calculator=True)


#: Every layer kind, in the order the docs and the calculator's menus list them.
KINDS: tuple[Kind, ...] = (
    _leaf(Conv, "2-D convolution, as torch.nn.Conv2d.", "conv", "conv", "Conv"),
    _leaf(ConvTranspose, "Transposed 2-D convolution, as torch.nn.ConvTranspose2d.",
          "conv_transpose", "conv_transpose", "ConvTranspose"),
    _leaf(MaxPool, "Max pooling, as torch.nn.MaxPool2d.", "pool", "maxpool", "MaxPool"),
    _leaf(AvgPool, "Average pooling, as torch.nn.AvgPool2d.", "pool", "avgpool", "AvgPool"),
    _leaf(AdaptiveAvgPool, "Average pooling to a fixed output size.", "adaptive", "adaptive"),
    _leaf(Linear, "Fully connected layer, as torch.nn.Linear.", "linear", "linear", "Linear",
          aliases=("fc",)),
    _leaf(ReLU, "Rectified linear unit.", "elementwise", "relu", "ReLU"),
    _leaf(Tanh, "Hyperbolic tangent.", "elementwise", "tanh", "Tanh"),
    _leaf(Sigmoid, "Logistic sigmoid.", "elementwise", "sigmoid", "Sigmoid"),
    _leaf(BatchNorm, "Batch normalisation in inference form.", "batchnorm", "batchnorm"),
    _leaf(Dropout, "Dropout: the identity when the network is used.", "elementwise",
          "identity", "Identity"),
    _leaf(Flatten, "C × H × W to one vector of features.", "flatten", "flatten", "Flatten"),
    _leaf(Softmax, "Softmax over the channels.", "elementwise", "softmax", "Softmax"),
    _leaf(Add, "Element-wise sum of the named inputs (broadcasting).", "merge", "add"),
    _leaf(Multiply, "Element-wise product of the named inputs (broadcasting).", "merge",
         "multiply"),
    _leaf(LocalResponseNorm, "Local response normalisation across channels (AlexNet).",
         "elementwise", "lrn"),
    _leaf(LayerNorm, "Layer normalisation over the channels at each position.", "layernorm",
         "layernorm"),
    _leaf(Scale, "A learned scale per channel (layer scale).", "scale", "scale"),
    _leaf(ReLU6, "ReLU clipped at 6.", "elementwise", "relu6"),
    _leaf(Hardswish, "x · relu6(x + 3) / 6.", "elementwise", "hardswish"),
    _leaf(Hardsigmoid, "relu6(x + 3) / 6.", "elementwise", "hardsigmoid"),
    _leaf(SiLU, "x · sigmoid(x), also called swish.", "elementwise", "silu"),
    _leaf(GELU, "Gaussian error linear unit.", "elementwise", "gelu"),
    _leaf(ChannelShuffle, "Interleaves the channels of groups (ShuffleNet).", "shuffle",
         "shuffle"),
    _leaf(ChannelSplit, "One of equal parts of the channels, as torch.chunk (ShuffleNetV2).",
         "split", "split"),
    _leaf(Upsample, "Nearest or bilinear upsampling.", "upsample", "upsample"),
    _leaf(Crop, "Centre crop to a height and width.", "crop", "crop"),
    _leaf(ZeroPad, "Zero padding, as torch.nn.ZeroPad2d.", "pad", "pad"),
    _leaf(GlobalPool, "Average or maximum of each whole map.", "global_pool", "global_pool"),
    _leaf(AdaptiveMaxPool, "Max pooling to a fixed output size.", "adaptive", "adaptive_max"),
    _leaf(Placeholder, "An operation an import could not map: the identity, at no cost.",
          "placeholder", "identity"),
    _block(Residual, "Main path plus shortcut, then an activation.", "residual_block",
           "residual_block"),
    _block(Basic, "ResNet basic block (two 3×3 convolutions).", "residual_block",
           "residual_block"),
    _block(Bottleneck, "ResNet bottleneck block (1×1, 3×3, 1×1 convolutions).",
           "residual_block", "residual_block"),
    _block(Concat, "Parallel branches, or the named inputs, concatenated on the channels.",
           "concat", "concat"),
    _block(Repeat, "Instances of a named block with per-instance parameters.", "repeat",
           "repeat"),
)

_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
_BY_CLASS: dict[type, Kind] = {k.spec: k for k in KINDS}
#: Other names a spec may use for a kind: alias -> kind.
ALIASES: dict[str, str] = {a: k.name for k in KINDS for a in k.aliases}
#: Kind name -> spec class, in the order of :data:`KINDS`.
LAYER_KINDS: dict[str, type[Layer]] = {k.name: k.spec for k in KINDS}

if len(_BY_NAME) != len(KINDS) or set(ALIASES) & set(_BY_NAME) \
        or len(ALIASES) != sum(len(k.aliases) for k in KINDS):
    raise AssertionError("layer kinds: a name or alias is given twice")


def get(name: str) -> Kind | None:
    """The kind a spec names ``name`` (an alias included), or None."""
    return _BY_NAME.get(ALIASES.get(name, name)) if isinstance(name, str) else None


def of(layer: Layer) -> Kind:
    """The kind of a spec layer."""
    return _BY_CLASS[type(layer)]


@lru_cache(maxsize=None)
def resolve(target: str):
    """``"package.module:Attr.attr"`` -> that object (imported on first use, then cached)."""
    module, _, path = target.partition(":")
    obj = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj
