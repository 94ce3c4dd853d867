"""Element-wise and softmax activations: ``relu``, ``softmax``, ``log_softmax``."""

from __future__ import annotations

import numpy as np

from .arrays import float_array
from .shapes import _is_int

__all__ = ["relu", "softmax", "log_softmax"]


def relu(input) -> np.ndarray:
    """``max(x, 0)`` element-wise; any shape, dtype kept (NaN stays NaN)."""
    x = np.asarray(input)
    return np.maximum(x, np.zeros((), dtype=x.dtype))


def _axis(dim, ndim: int) -> int:
    """Check a torch-style dim (negative counts from the end)."""
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not _is_int(dim) or not low <= int(dim) <= high:
        raise ValueError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim!r})")
    return int(dim) % max(ndim, 1)


def log_softmax(input, dim) -> np.ndarray:
    """``x - log(sum(exp(x)))`` along ``dim``, computed stably (max subtracted).

    input: any shape; returns the same shape and float dtype.
    """
    x = float_array(input)
    if x.ndim == 0:
        return np.zeros_like(x) if _axis(dim, 0) == 0 else x
    axis = _axis(dim, x.ndim)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(input, dim) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably.

    input: any shape; returns the same shape and float dtype.
    """
    x = float_array(input)
    if x.ndim == 0:
        _axis(dim, 0)
        return np.ones_like(x)
    axis = _axis(dim, x.ndim)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
