"""``batch_norm`` (inference and training forms)."""

from __future__ import annotations

import numpy as np

from .arrays import cast_like, float_array

__all__ = ["batch_norm"]


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05) -> np.ndarray:
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

    Returns
    -------
    ndarray of the input's shape and float dtype.
    """
    x = float_array(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C, *), got shape {x.shape}")
    c = x.shape[1]
    shape = (1, c) + (1,) * (x.ndim - 2)  # (C,) -> (1, C, 1, ...) broadcast shape

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
    # per-channel (C,) -> (1, C, 1, ...) so it broadcasts over N and the spatial axes
    y = (x - mean.reshape(shape)) * scale.reshape(shape)
    if b is not None:
        y = y + b.reshape(shape)  # (C,) -> (1, C, 1, ...)
    return y.astype(x.dtype, copy=False)
