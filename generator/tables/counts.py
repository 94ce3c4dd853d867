"""Parameter and multiply-accumulate counts of each layer kind: one function each.

Everything on the site that counts parameters or MACs calls these, so a page,
a table and a test cannot use two different formulas.

Conventions
-----------
* Parameters are the learned tensors, weights and biases reported apart.
  Batchnorm's running mean and variance are *buffers*: saved with the model
  but not learned, so they are not parameters (torchvision's published counts
  agree: they count only batchnorm's weight and bias).
* A MAC is one multiplication added into a sum. Only convolutions and linear
  layers count MACs; the bias additions are not counted, nor are pooling,
  normalisation, activations or the additions of residual blocks (the
  convention behind "ResNet-50: 4.09 G").
"""

from __future__ import annotations

__all__ = [
    "FLOAT32_BYTES",
    "conv2d_params",
    "conv2d_macs",
    "conv_transpose2d_params",
    "conv_transpose2d_macs",
    "linear_params",
    "linear_macs",
    "batchnorm_params",
    "batchnorm_buffers",
    "layernorm_params",
    "scale_params",
]

#: Bytes per activation value (float32).
FLOAT32_BYTES = 4


def _check_groups(in_channels: int, out_channels: int, groups: int) -> None:
    if in_channels % groups:
        raise ValueError(f"groups {groups} does not divide the {in_channels} input channels")
    if out_channels % groups:
        raise ValueError(f"groups {groups} does not divide the {out_channels} output channels")


def conv2d_params(in_channels: int, out_channels: int, kernel_size: tuple[int, int],
                  groups: int = 1, bias: bool = True) -> tuple[int, int]:
    """``(weights, biases)`` of a 2-D convolution.

    weight: (out_channels, in_channels // groups, KH, KW); bias: (out_channels,).

    >>> conv2d_params(3, 10, (3, 3))
    (270, 10)
    """
    _check_groups(in_channels, out_channels, groups)
    kh, kw = kernel_size
    return out_channels * (in_channels // groups) * kh * kw, out_channels if bias else 0


def conv2d_macs(in_channels: int, out_channels: int, kernel_size: tuple[int, int],
                output_hw: tuple[int, int], groups: int = 1) -> int:
    """MACs of a 2-D convolution: each of the out_channels × H' × W' outputs is a dot
    product of (in_channels // groups) × KH × KW terms."""
    _check_groups(in_channels, out_channels, groups)
    kh, kw = kernel_size
    h, w = output_hw
    return out_channels * h * w * (in_channels // groups) * kh * kw


def conv_transpose2d_params(in_channels: int, out_channels: int,
                            kernel_size: tuple[int, int], groups: int = 1,
                            bias: bool = True) -> tuple[int, int]:
    """``(weights, biases)`` of a transposed convolution.

    weight: (in_channels, out_channels // groups, KH, KW); bias: (out_channels,).
    """
    _check_groups(in_channels, out_channels, groups)
    kh, kw = kernel_size
    return in_channels * (out_channels // groups) * kh * kw, out_channels if bias else 0


def conv_transpose2d_macs(in_channels: int, out_channels: int, kernel_size: tuple[int, int],
                          input_hw: tuple[int, int], groups: int = 1) -> int:
    """MACs of a transposed convolution: each of the in_channels × H × W inputs is
    multiplied into (out_channels // groups) × KH × KW outputs."""
    _check_groups(in_channels, out_channels, groups)
    kh, kw = kernel_size
    h, w = input_hw
    return in_channels * h * w * (out_channels // groups) * kh * kw


def linear_params(in_features: int, out_features: int, bias: bool = True) -> tuple[int, int]:
    """``(weights, biases)`` of a linear layer: weight (out, in), bias (out,).

    >>> linear_params(400, 120)
    (48000, 120)
    """
    return in_features * out_features, out_features if bias else 0


def linear_macs(in_features: int, out_features: int) -> int:
    """MACs of a linear layer: out_features dot products of in_features terms."""
    return in_features * out_features


def batchnorm_params(num_features: int, affine: bool = True) -> tuple[int, int]:
    """``(weights, biases)`` of batchnorm: a learned scale and shift per channel."""
    return (num_features, num_features) if affine else (0, 0)


def batchnorm_buffers(num_features: int) -> int:
    """Values batchnorm keeps but does not learn: running mean and running variance.

    (PyTorch also keeps a one-value step counter, ``num_batches_tracked``; it is
    a bookkeeping integer, not a statistic, and is not counted.)
    """
    return 2 * num_features


def layernorm_params(num_channels: int, affine: bool = True) -> tuple[int, int]:
    """``(weights, biases)`` of layer normalisation over the channels: a learned scale and
    shift per channel (no running statistics)."""
    return (num_channels, num_channels) if affine else (0, 0)


def scale_params(num_channels: int) -> int:
    """Weights of a per-channel scale (ConvNeXt's layer scale, a C×1×1 tensor)."""
    return num_channels
