"""``flatten``: merge a range of dimensions, like ``torch.flatten``."""

from __future__ import annotations

import math

import numpy as np

from .shapes import _is_int

__all__ = ["flatten"]


def _dim(d, ndim: int, name: str) -> int:
    low, high = -max(ndim, 1), max(ndim, 1) - 1
    if not _is_int(d) or not low <= int(d) <= high:
        raise ValueError(
            f"{name}: Dimension out of range (expected to be in range of [{low}, {high}], "
            f"but got {d!r})")
    return int(d) % max(ndim, 1)


def flatten(input, start_dim=0, end_dim=-1) -> np.ndarray:
    """Merge dimensions ``start_dim..end_dim`` (inclusive) into one.

    E.g. (N, C, H, W) with ``start_dim=1`` -> (N, C*H*W).  A 0-d input
    becomes shape (1,), as in PyTorch.
    """
    x = np.asarray(input)
    start, end = _dim(start_dim, x.ndim, "start_dim"), _dim(end_dim, x.ndim, "end_dim")
    if start > end:
        raise ValueError("flatten() has invalid args: start_dim cannot come after end_dim")
    if x.ndim == 0:
        return x.reshape(1)  # () -> (1,)
    merged = math.prod(x.shape[start : end + 1])
    # (a, ..., [start..end], ..., z) -> (a, ..., prod(start..end), ..., z)
    return x.reshape(x.shape[:start] + (merged,) + x.shape[end + 1 :])
