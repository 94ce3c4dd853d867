"""Fully connected layer: ``linear``."""

from __future__ import annotations

import numpy as np

from .arrays import cast_like, float_array

__all__ = ["linear"]


def linear(input, weight, bias=None) -> np.ndarray:
    """``input @ weight.T + bias``, like ``torch.nn.functional.linear``.

    Parameters
    ----------
    input : array of shape (*, in_features)
    weight : array of shape (out_features, in_features)
    bias : None or array of shape (out_features,)

    Returns
    -------
    ndarray of shape (*, out_features) in the input's float dtype.
    """
    x = float_array(input)
    w = cast_like(weight, x.dtype, "weight")
    if w.ndim not in (1, 2):
        raise ValueError(f"linear: weight must be 2-D (out_features, in_features), got shape {w.shape}")
    if x.ndim < 1:
        raise ValueError("linear: input must have at least one dimension, got a scalar")
    if x.shape[-1] != w.shape[-1]:
        raise ValueError(
            f"linear: input has {x.shape[-1]} features but weight of shape {w.shape} "
            f"expects {w.shape[-1]}")
    out = x @ w.T  # (*, in) @ (in, out) -> (*, out)
    if bias is not None:
        b = cast_like(bias, x.dtype, "bias")
        expected = w.shape[:1] if w.ndim == 2 else ()
        if b.shape != expected:
            raise ValueError(f"linear: bias must have shape {expected}, got {b.shape}")
        out = out + b
    return out
