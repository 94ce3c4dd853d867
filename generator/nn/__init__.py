"""NumPy reference operators for ConvNet Atlas.

Names, argument names, defaults and results mirror ``torch.nn.functional``.
Arrays are NCHW floats; a single image may be given as CHW where PyTorch
allows it.  Output sizes are computed by :mod:`generator.nn.shapes`.
"""

from .shapes import (
    adaptive_pool2d_output_hw,
    conv2d_output_hw,
    conv2d_padding,
    conv_output_size,
    conv_transpose2d_output_hw,
    conv_transpose_output_size,
    pair,
    pool2d_output_hw,
    pool_output_size,
    same_padding,
    tf_output_size,
)

__all__ = [
    "adaptive_pool2d_output_hw",
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
