"""Element-wise and softmax activations: ``relu``, ``softmax``, ``log_softmax``, and the
modern ones: ``sigmoid``, ``relu6``, ``hardsigmoid``, ``hardswish``, ``silu``, ``gelu``."""

from __future__ import annotations

import numpy as np

from .arrays import float_array
from .shapes import _is_int

__all__ = ["relu", "softmax", "log_softmax", "sigmoid", "relu6", "hardsigmoid", "hardswish", "silu",
           "gelu"]


def relu(input, inplace: bool = False) -> np.ndarray:
    """``max(x, 0)`` element-wise; any shape, dtype kept (NaN stays NaN).

    ``inplace=True`` writes the result into ``input`` (a writable ndarray) and returns
    it, like ``torch.nn.functional.relu(x, inplace=True)``.
    """
    x = np.asarray(input)
    if inplace and (x is not input or not x.flags.writeable):
        raise ValueError("relu: inplace=True needs a writable ndarray")
    out = x if inplace else None
    if x.dtype.kind == "f":
        # np.clip between scalars of x's dtype: one pass a third the time of np.maximum with a
        # scalar (NumPy 2.4, one thread), and -0.0 stays -0.0 as in torch.relu
        return np.clip(x, x.dtype.type(0), x.dtype.type(np.inf), out=out)
    return np.maximum(x, np.zeros((), dtype=x.dtype), out=out)


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


# ------------------------------------------------------------------ the modern activations
# Each mirrors the torch.nn.functional function of the same name; any shape, float dtype kept.


def sigmoid(input) -> np.ndarray:
    """``1 / (1 + exp(-x))``, computed without overflow for large negative x."""
    x = float_array(input)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def relu6(input, inplace: bool = False) -> np.ndarray:
    """``min(max(x, 0), 6)`` (MobileNetV2); ``inplace=True`` as for :func:`relu`."""
    x = float_array(input)
    if inplace and (x is not input or not x.flags.writeable):
        raise ValueError("relu6: inplace=True needs a writable float ndarray")
    return np.clip(x, x.dtype.type(0), x.dtype.type(6), out=x if inplace else None)


def hardsigmoid(input) -> np.ndarray:
    """``relu6(x + 3) / 6`` (MobileNetV3's gate)."""
    x = float_array(input)
    return (np.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)


def hardswish(input) -> np.ndarray:
    """``x * relu6(x + 3) / 6`` (MobileNetV3)."""
    x = float_array(input)
    return (x * np.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)


def silu(input) -> np.ndarray:
    """``x * sigmoid(x)``, also called swish (EfficientNet)."""
    x = float_array(input)
    return (x * sigmoid(x)).astype(x.dtype, copy=False)


def gelu(input, approximate: str = "none") -> np.ndarray:
    """``x * Φ(x)`` with Φ the standard normal CDF (ConvNeXt); ``approximate='tanh'`` uses
    ``0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³)))``."""
    from math import erf, pi, sqrt

    x = float_array(input)
    if approximate == "tanh":
        y = 0.5 * x * (1 + np.tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))
    elif approximate == "none":
        # erf element by element in float64: NumPy has no vectorised erf
        flat = x.astype(np.float64).ravel()
        phi = 0.5 * (1 + np.fromiter((erf(v / sqrt(2)) for v in flat), np.float64, flat.size))
        y = flat * phi
    else:
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return np.asarray(y).reshape(x.shape).astype(x.dtype, copy=False)
