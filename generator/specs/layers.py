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
    "Residual", "Basic", "Bottleneck", "Concat", "label", "located",
]


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
        T.BRANCHES, "The branches, each a list of layers, in the order of their channels.")



def label(layer_or_name, kind: str | None = None) -> str:
    """`` 'conv1' (conv)`` for a layer, to follow its index in a location."""
    if isinstance(layer_or_name, Layer):
        name, kind = layer_or_name.name, layer_or_name.KIND
    else:
        name = layer_or_name
    text = f" {name!r}" if name else ""
    return text + (f" ({kind})" if kind else "")


def located(layer: Layer, where: str) -> Layer:
    """``layer`` with its place in the spec set (the dataclass is frozen)."""
    object.__setattr__(layer, "where", where)
    return layer
