"""Validation of convolution operands (shared by fast, naive and backward code)."""

from __future__ import annotations

import numpy as np

from .arrays import as_batched, cast_like
from .shapes import _is_int

__all__ = ["check_groups", "conv_operands", "zero_pad_hw"]


def check_groups(groups) -> int:
    """Return ``groups`` as an int >= 1 or raise ValueError."""
    if not _is_int(groups) or int(groups) < 1:
        raise ValueError(f"groups must be a positive int, got {groups!r}")
    return int(groups)


def conv_operands(input, weight, bias, groups, op: str, transposed: bool = False):
    """Check and coerce the operands of ``conv2d`` / ``conv_transpose2d``.

    Parameters
    ----------
    input : (N, C, H, W) or (C, H, W)
    weight : (F, C // groups, KH, KW), or for ``transposed``
        (C, F // groups, KH, KW)
    bias : None or (F,)

    Returns
    -------
    x : (N, C, H, W) float array
    unbatched : bool
    weight, bias : arrays cast to ``x.dtype`` (bias may be None)
    groups : int
    """
    x, unbatched = as_batched(input, op)
    dtype = x.dtype
    w = cast_like(weight, dtype, "weight")
    groups = check_groups(groups)
    layout = "(C_in, C_out // groups, KH, KW)" if transposed else "(C_out, C_in // groups, KH, KW)"
    if w.ndim != 4:
        raise ValueError(f"{op}: weight must be 4-D {layout}, got shape {w.shape}")
    if min(w.shape) < 1:
        raise ValueError(f"{op}: weight must not be empty, got shape {w.shape}")
    in_channels = x.shape[1]
    if in_channels % groups:
        raise ValueError(f"in_channels {in_channels} is not divisible by groups {groups}")
    if transposed:
        if w.shape[0] != in_channels:
            raise ValueError(
                f"{op}: weight of shape {w.shape} expects input with {w.shape[0]} channels, "
                f"got {in_channels}")
        out_channels = w.shape[1] * groups
    else:
        out_channels = w.shape[0]
        if out_channels % groups:
            raise ValueError(f"out_channels {out_channels} is not divisible by groups {groups}")
        if w.shape[1] * groups != in_channels:
            raise ValueError(
                f"{op}: weight of shape {w.shape} with groups={groups} expects input with "
                f"{w.shape[1] * groups} channels, got {in_channels}")
    b = None
    if bias is not None:
        b = cast_like(bias, dtype, "bias")
        if b.shape != (out_channels,):
            raise ValueError(
                f"{op}: bias must have shape ({out_channels},), got {b.shape}")
    return x, unbatched, w, b, groups


def zero_pad_hw(x: np.ndarray, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """Zero-pad the last two axes: (N, C, H, W) -> (N, C, H+top+bottom, W+left+right)."""
    if not (top or bottom or left or right):
        return x
    n, c, h, w = x.shape
    out = np.zeros((n, c, h + top + bottom, w + left + right), dtype=x.dtype)
    out[:, :, top : top + h, left : left + w] = x
    return out
