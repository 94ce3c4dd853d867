"""NumPy reference operators for ConvNet Atlas.

Names, argument names, defaults and results mirror ``torch.nn.functional``.
Arrays are NCHW floats; a single image may be given as CHW where PyTorch
allows it.  Output sizes are computed by :mod:`generator.nn.shapes`; loop
versions of the convolution and pooling operators live in
:mod:`generator.nn.naive`, backward passes in :mod:`generator.nn.grad`.
"""

from .activations import log_softmax, relu, softmax
from .activations import gelu, hardsigmoid, hardswish, relu6, sigmoid, silu
from .conv import conv2d, conv_transpose2d
from .flatten import flatten
from .grad import (
    avg_pool2d_backward,
    conv2d_backward,
    linear_backward,
    max_pool2d_backward,
    relu_backward,
    softmax_cross_entropy,
)
from .linear import linear
from .norm import batch_norm
from .norm import layer_norm_channels, local_response_norm
from .pad import pad
from .resize import adaptive_max_pool2d, center_crop, interpolate, interpolate_output_hw
from .shuffle import broadcast_shape, channel_shuffle
from .split import chunk, chunk_sizes
from .pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from . import tensorflow
from .shapes import (
    ConvGeometry,
    adaptive_pool2d_output_hw,
    conv2d_geometry,
    conv2d_output_hw,
    conv2d_padding,
    conv_output_size,
    conv_transpose2d_geometry,
    conv_transpose2d_output_hw,
    conv_transpose_output_size,
    pair,
    pool2d_output_hw,
    pool_output_size,
    same_padding,
    tf_output_size,
)

__all__ = [
    # operators
    "conv2d",
    "conv_transpose2d",
    "max_pool2d",
    "avg_pool2d",
    "adaptive_avg_pool2d",
    "pad",
    "relu",
    "linear",
    "softmax",
    "log_softmax",
    "flatten",
    "batch_norm",
    # backward passes
    "conv2d_backward",
    "max_pool2d_backward",
    "avg_pool2d_backward",
    "linear_backward",
    "relu_backward",
    "softmax_cross_entropy",
    # output sizes
    "adaptive_pool2d_output_hw",
    "ConvGeometry",
    "conv2d_geometry",
    "conv_transpose2d_geometry",
    "conv2d_output_hw",
    "conv2d_padding",
    "conv_output_size",
    "conv_transpose2d_output_hw",
    "conv_transpose_output_size",
    "pair",
    "pool2d_output_hw",
    "pool_output_size",
    "same_padding",
    "tf_output_size",
]
