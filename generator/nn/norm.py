"""``batch_norm`` (inference and training forms), ``local_response_norm`` and
``layer_norm_channels``."""

from __future__ import annotations

import numpy as np

from . import arrays
from .arrays import cast_like, float_array

__all__ = ["batch_norm", "local_response_norm", "layer_norm_channels"]


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05, inplace=False) -> np.ndarray:
    """Batch normalisation, like ``torch.nn.functional.batch_norm``.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` per channel (axis 1).
    With ``training=False`` mean/var are the running statistics.  With
    ``training=True`` the batch statistics are used (biased variance) and,
    if given, ``running_mean``/``running_var`` are updated in place with
    ``momentum`` (unbiased variance), as PyTorch does.

    Parameters
    ----------
    input : array of shape (N, C) or (N, C, *) e.g. (N, C, H, W)
    running_mean, running_var : arrays of shape (C,) or None (training only)
    weight, bias : None or arrays of shape (C,)

    inplace : write the result into ``input`` (a writable float ndarray; its dtype is
        kept) and return it; torch has no such flag on ``batch_norm``, the forward pass of
        :mod:`generator.tables.forward` uses it on arrays no other layer reads.

    Returns
    -------
    ndarray of the input's shape and float dtype.
    """
    x = float_array(input)
    if inplace and (x is not input or not x.flags.writeable):
        raise ValueError("batch_norm: inplace=True needs a writable float ndarray")
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C, *), got shape {x.shape}")
    c = x.shape[1]

    def per_channel(a, name):
        if a is None:
            return None
        arr = cast_like(a, x.dtype, name)
        if arr.shape != (c,):
            raise ValueError(f"batch_norm: {name} must have shape ({c},), got {arr.shape}")
        return arr

    w, b = per_channel(weight, "weight"), per_channel(bias, "bias")
    if training:
        axes = (0,) + tuple(range(2, x.ndim))
        count = x.size // c
        if count <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input shape {x.shape}")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)
        for stat, new in ((running_mean, mean), (running_var, var * count / (count - 1))):
            if stat is not None:
                per_channel(stat, "running statistics")
                stat *= 1 - momentum
                stat += momentum * new
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are required when not training")
        mean, var = per_channel(running_mean, "running_mean"), per_channel(running_var, "running_var")
    scale = 1 / np.sqrt(var + eps)
    if w is not None:
        scale = scale * w
    # y = x * scale + shift with shift = bias - mean * scale, per channel, as PyTorch's CPU
    # kernel computes it: two passes over the activations (multiply, then add in place)
    # where (x - mean) * scale + bias takes three and two temporaries.
    shift = -mean * scale
    if b is not None:
        shift = shift + b
    # per channel, (C,) broadcast over N and the spatial axes
    y = arrays.per_channel(np.multiply, x, scale.astype(x.dtype, copy=False),
                           out=x if inplace else None)
    return arrays.per_channel(np.add, y, shift.astype(x.dtype, copy=False), out=y)


def local_response_norm(input, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> np.ndarray:
    """Local response normalisation across channels, like
    ``torch.nn.functional.local_response_norm`` (AlexNet).

    ``y_c = x_c / (k + alpha / size * sum(x_j^2))^beta`` where j runs over the ``size``
    channels from ``c - size // 2`` to ``c + (size - 1) // 2`` (missing channels count 0;
    the divisor is always ``size``, as PyTorch's average over zero padding).

    input : (N, C, *) e.g. (N, C, H, W); returns the same shape and float dtype.
    """
    x = float_array(input)
    if x.ndim < 3:
        raise ValueError(f"local_response_norm: expected input of shape (N, C, *) with at "
                         f"least 3 dimensions, got shape {x.shape}")
    c = x.shape[1]
    sq = np.square(x, dtype=np.float64)
    # window sums along the channels by a cumulative sum with size // 2 zeros before
    before, after = size // 2, (size - 1) // 2
    pads = [(0, 0), (before + 1, after)] + [(0, 0)] * (x.ndim - 2)
    cum = np.cumsum(np.pad(sq, pads), axis=1)  # (N, 1 + before + C + after, *)
    sums = cum[:, size:size + c] - cum[:, :c]  # channel c: sq[c - before .. c + after]
    div = (sums * (alpha / size) + k) ** beta
    return (x / div).astype(x.dtype, copy=False)


def layer_norm_channels(input, weight=None, bias=None, eps: float = 1e-5) -> np.ndarray:
    """Layer normalisation over the channels at each position (axis 1), as ConvNeXt's
    ``LayerNorm2d`` (``torch.nn.LayerNorm(C)`` applied to channels-last data):
    ``y = (x - mean_c(x)) / sqrt(var_c(x) + eps) * weight + bias`` (biased variance).

    input : (N, C) or (N, C, *); weight, bias : None or (C,). Returns the input's shape.
    """
    x = float_array(input)
    if x.ndim < 2:
        raise ValueError(f"layer_norm_channels: expected input of shape (N, C, *), got "
                         f"shape {x.shape}")
    c = x.shape[1]
    shape = (1, c) + (1,) * (x.ndim - 2)  # (C,) -> (1, C, 1, ...)
    mean = x.mean(axis=1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=1, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        y = y * cast_like(weight, x.dtype, "weight").reshape(shape)
    if bias is not None:
        y = y + cast_like(bias, x.dtype, "bias").reshape(shape)
    return y.astype(x.dtype, copy=False)
