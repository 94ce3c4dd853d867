"""The layer classes of the spec format: one frozen dataclass per layer kind, each field
documented where it is defined (see :mod:`.fields`). Which kinds exist, under which
names, is declared once in :mod:`.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .fields import T, spec_field

__all__ = [
    "Layer", "Conv", "ConvTranspose", "MaxPool", "AvgPool", "AdaptiveAvgPool", "Linear",
    "ReLU", "Tanh", "Sigmoid", "BatchNorm", "Dropout", "Flatten", "Softmax",
    "Residual", "Basic", "Bottleneck", "Concat", "Add", "Multiply", "Repeat",
    "LocalResponseNorm", "LayerNorm", "Scale", "ReLU6", "Hardswish", "Hardsigmoid", "SiLU",
    "GELU", "ChannelShuffle", "ChannelSplit", "Upsample", "Crop", "ZeroPad", "GlobalPool",
    "AdaptiveMaxPool", "Placeholder",
    "INPUT", "label", "located", "quoted", "QUOTED_CHARS",
]

#: The name by which a layer's ``inputs`` names the input of its graph (the network's
#: input, or a block's).
INPUT = "input"


@dataclass(frozen=True, kw_only=True)
class Layer:
    """Fields every layer accepts."""

    KIND: ClassVar[str] = ""
    #: True for layers that contain other layers.
    COMPOSITE: ClassVar[bool] = False
    #: How many layers it counts towards :data:`~.limits.MAX_LAYERS`, besides the
    #: layers written inside it.
    COUNTS_AS: ClassVar[int] = 1

    name: str | None = spec_field(
        T.TEXT, "A label shown in the table and in error messages (e.g. `conv1`).", None)
    frozen: bool = spec_field(
        T.BOOL, "Exclude this layer's parameters from the trainable count (transfer "
        "learning). On a block it freezes every layer inside.", False)
    inputs: tuple[str, ...] = spec_field(
        T.NAMES, "The layers whose outputs this layer takes: names of earlier layers of the "
        f"same list, or `{INPUT}` for the list's own input (the network's, or a block's); "
        "default: the layer before. Only `add`, `multiply` and `concat` take more than one.",
        ())
    #: Where the layer is in its spec, e.g. ``layer 5 'layer2.0' (basic) > main 1 (conv)``.
    where: str = field(default="", compare=False, repr=False)
    #: The positions of :attr:`inputs` in the layer's list (-1: the list's input); empty
    #: for the layer before. Set by the parser, which checks the names.
    sources: tuple[int, ...] = field(default=(), compare=False, repr=False)
    #: True for a layer that combines several inputs.
    MERGE: ClassVar[bool] = False

    @property
    def merges(self) -> bool:
        """True when this layer combines the outputs of several layers."""
        return self.MERGE


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
    COUNTS_AS: ClassVar[int] = 0
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
    COUNTS_AS: ClassVar[int] = 7  # the layers of its expansion, with a projection
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
    COUNTS_AS: ClassVar[int] = 10  # the layers of its expansion, with a projection
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
    return located(layer, f"{parent.where} > {path} {index}{label(layer)}")


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
    return located(res, block.where)


@dataclass(frozen=True, kw_only=True)
class Concat(Layer):
    """Parallel branches on the same input, concatenated on the channels (an Inception
    module). Every branch must give the same height and width."""

    KIND: ClassVar[str] = "concat"
    COMPOSITE: ClassVar[bool] = True
    COUNTS_AS: ClassVar[int] = 0
    branches: tuple[tuple[Layer, ...], ...] = spec_field(
        T.BRANCHES, "The branches, each a list of layers, in the order of their channels; "
        "omit them to concatenate the layers named by `inputs` (a merge).", ())

    @property
    def merges(self) -> bool:
        return not self.branches


@dataclass(frozen=True, kw_only=True)
class Add(Layer):
    """Element-wise sum of the outputs of the layers named by `inputs` (two or more), with
    PyTorch's broadcasting: a residual connection written as a graph."""

    KIND: ClassVar[str] = "add"
    MERGE: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class Multiply(Layer):
    """Element-wise product of the outputs of the layers named by `inputs`, with PyTorch's
    broadcasting: a C×1×1 gate scales a C×H×W map (squeeze-and-excitation)."""

    KIND: ClassVar[str] = "multiply"
    MERGE: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class Repeat(Layer):
    """Instances of a block defined under `blocks`, one after the other, each with its own
    values of the block's parameters (a `$name` in the block stands for the value)."""

    KIND: ClassVar[str] = "repeat"
    COMPOSITE: ClassVar[bool] = True
    COUNTS_AS: ClassVar[int] = 0
    block: str = spec_field(T.ID, "The name of the block, as defined under `blocks`.")
    times: int | None = spec_field(
        T.COUNT, "How many instances; default: one per entry of `each`, or 1.", None)
    params: tuple[tuple[str, object], ...] = spec_field(
        T.PARAMS, "Parameter values for every instance.", ())
    each: tuple[tuple[tuple[str, object], ...], ...] = spec_field(
        T.EACH, "Parameter values per instance, one mapping each (they override `params`).",
        ())
    #: The instances, each a list of layers, as the parser expanded them.
    instances: tuple[tuple[Layer, ...], ...] = field(default=(), compare=False, repr=False)
    #: Each instance's parameter values, ((name, value), ...), defaults included.
    arguments: tuple[tuple[tuple[str, object], ...], ...] = field(
        default=(), compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class LocalResponseNorm(Layer):
    """Local response normalisation across channels, as `torch.nn.LocalResponseNorm`
    (AlexNet): each value divided by (k + alpha / size × sum of squares over `size`
    neighbouring channels) ^ beta."""

    KIND: ClassVar[str] = "lrn"
    size: int = spec_field(T.COUNT, "How many neighbouring channels are summed.")
    alpha: float = spec_field(T.POSITIVE, "Multiplier of the mean square.", 1e-4)
    beta: float = spec_field(T.POSITIVE, "Exponent of the divisor.", 0.75)
    k: float = spec_field(T.POSITIVE, "Added before the power.", 1.0)


@dataclass(frozen=True, kw_only=True)
class LayerNorm(Layer):
    """Layer normalisation over the channels at each position, as ConvNeXt's `LayerNorm2d`
    (`torch.nn.LayerNorm(C)` on channels-last data); learns a scale and a shift per
    channel."""

    KIND: ClassVar[str] = "layernorm"
    eps: float = spec_field(T.POSITIVE, "Added to the variance before the square root.",
                            1e-5)
    affine: bool = spec_field(T.BOOL, "Learn the per-channel scale and shift.", True)


@dataclass(frozen=True, kw_only=True)
class Scale(Layer):
    """A learned scale per channel, no shift (ConvNeXt's layer scale: a C×1×1 parameter)."""

    KIND: ClassVar[str] = "scale"


@dataclass(frozen=True, kw_only=True)
class ReLU6(Layer):
    """min(max(0, x), 6), element by element (MobileNetV2)."""

    KIND: ClassVar[str] = "relu6"


@dataclass(frozen=True, kw_only=True)
class Hardswish(Layer):
    """x · relu6(x + 3) / 6, element by element (MobileNetV3)."""

    KIND: ClassVar[str] = "hardswish"


@dataclass(frozen=True, kw_only=True)
class Hardsigmoid(Layer):
    """relu6(x + 3) / 6, element by element (MobileNetV3's gate)."""

    KIND: ClassVar[str] = "hardsigmoid"


@dataclass(frozen=True, kw_only=True)
class SiLU(Layer):
    """x · sigmoid(x), element by element; also called swish (EfficientNet)."""

    KIND: ClassVar[str] = "silu"


@dataclass(frozen=True, kw_only=True)
class GELU(Layer):
    """x · Φ(x) with Φ the standard normal distribution function, as `torch.nn.GELU`
    (ConvNeXt)."""

    KIND: ClassVar[str] = "gelu"
    approximate: str = spec_field(T.APPROXIMATE, "`tanh` for the tanh approximation.",
                                  "none")


@dataclass(frozen=True, kw_only=True)
class ChannelShuffle(Layer):
    """Interleaves the channels of `groups` groups, as `torch.nn.ChannelShuffle`
    (ShuffleNet)."""

    KIND: ClassVar[str] = "channel_shuffle"
    groups: int = spec_field(T.COUNT, "Number of groups; it must divide the channels.")


@dataclass(frozen=True, kw_only=True)
class ChannelSplit(Layer):
    """One part of the channels, as `x.chunk(chunks, dim=1)[index]` (ShuffleNetV2 splits
    its input in two: one half goes through the block, the other around it). Each part
    has ⌈C / chunks⌉ channels, the last one what is left; like `torch.chunk`, that can be
    fewer parts than `chunks`."""

    KIND: ClassVar[str] = "channel_split"
    chunks: int = spec_field(T.COUNT, "Number of parts the channels are cut into.")
    index: int = spec_field(T.INDEX, "Which part to keep, counted from 0.")


@dataclass(frozen=True, kw_only=True)
class Upsample(Layer):
    """Upsampling, as `torch.nn.Upsample` (align_corners false): by an integer `scale`,
    or to a `size`; nearest copies pixels, bilinear interpolates between the four
    nearest."""

    KIND: ClassVar[str] = "upsample"
    scale: tuple[int, int] | None = spec_field(
        T.SIZE, "Upsampling factor (height, width); give this or size.", None)
    size: tuple[int, int] | None = spec_field(
        T.SIZE, "Output height and width; give this or scale.", None)
    mode: str = spec_field(T.UPSAMPLE_MODE, "How new pixels are computed.", "nearest")


@dataclass(frozen=True, kw_only=True)
class Crop(Layer):
    """The central part of each map (U-Net's skip connections), to a `size` or to the size
    of a second input: rows from (H − height) // 2, the extra row of an odd difference at
    the bottom (columns alike)."""

    KIND: ClassVar[str] = "crop"
    size: tuple[int, int] | None = spec_field(
        T.SIZE, "Output height and width; omit it and name two `inputs` to crop the first "
        "to the height and width of the second.", None)

    @property
    def merges(self) -> bool:
        return self.size is None


@dataclass(frozen=True, kw_only=True)
class ZeroPad(Layer):
    """Zeros around each map, as `torch.nn.ZeroPad2d`."""

    KIND: ClassVar[str] = "pad"
    padding: tuple[int, int, int, int] = spec_field(
        T.PAD4, "Zeros added on each side: one number, [height, width], or [left, right, "
        "top, bottom] as ZeroPad2d.")


@dataclass(frozen=True, kw_only=True)
class GlobalPool(Layer):
    """Average or maximum of each whole map: C×H×W to C×1×1 (as adaptive pooling to 1)."""

    KIND: ClassVar[str] = "global_pool"
    mode: str = spec_field(T.POOL_MODE, "Average or maximum.", "avg")


@dataclass(frozen=True, kw_only=True)
class AdaptiveMaxPool(Layer):
    """Adaptive max pooling, as `torch.nn.AdaptiveMaxPool2d`: the windows of adaptive
    average pooling, their maximum."""

    KIND: ClassVar[str] = "adaptive_maxpool"
    output: tuple[int, int] = spec_field(T.SIZE, "Output height and width.")


@dataclass(frozen=True, kw_only=True)
class Placeholder(Layer):
    """Stands for an operation an import could not map (``python -m generator import
    --skip-unsupported``): the identity, with no parameters and no cost, so the layers
    around it keep their shapes. The network's page lists every placeholder: the numbers
    leave out what the missing operation does."""

    KIND: ClassVar[str] = "placeholder"
    op: str | None = spec_field(
        T.TEXT, "The operation it stands for, as the imported model names it (e.g. `Einsum`).",
        None)


def label(layer_or_name, kind: str | None = None) -> str:
    """`` 'conv1' (conv)`` for a layer, to follow its index in a location."""
    if isinstance(layer_or_name, Layer):
        name, kind = layer_or_name.name, layer_or_name.KIND
    else:
        name = layer_or_name
    text = f" {quoted(name)}" if name else ""
    return text + (f" ({kind})" if kind else "")


#: The most characters of a user's text an error message quotes.
QUOTED_CHARS = 60


def quoted(text: str) -> str:
    """``text`` as an error message quotes it: its repr (control characters escaped),
    cut after :data:`QUOTED_CHARS` characters, so that one line stays readable whatever
    the spec holds."""
    if len(text) <= QUOTED_CHARS:
        return repr(text)
    return f"{text[:QUOTED_CHARS]!r}… ({len(text):,} characters)"


def located(layer: Layer, where: str) -> Layer:
    """``layer`` with its place in the spec set (the dataclass is frozen)."""
    object.__setattr__(layer, "where", where)
    return layer
