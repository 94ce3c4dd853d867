"""The layer kinds of the spec format: which exist, in which order, under which names."""

from __future__ import annotations

from .layers import (
    AdaptiveAvgPool, AvgPool, Basic, BatchNorm, Bottleneck, Concat, Conv, ConvTranspose,
    Dropout, Flatten, Layer, Linear, MaxPool, ReLU, Residual, Sigmoid, Softmax, Tanh,
)

#: Every layer kind, in the order the docs list them.
LAYER_KINDS: dict[str, type[Layer]] = {
    cls.KIND: cls for cls in (
        Conv, ConvTranspose, MaxPool, AvgPool, AdaptiveAvgPool, Linear, ReLU, Tanh, Sigmoid,
        BatchNorm, Dropout, Flatten, Softmax, Residual, Basic, Bottleneck, Concat)
}
#: Other names a spec may use for a kind.
ALIASES: dict[str, str] = {"fc": "linear"}
