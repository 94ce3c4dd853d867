"""``chunk``: the channels (or any axis) cut into parts, as ShuffleNetV2's channel split."""

from __future__ import annotations

import numpy as np

__all__ = ["chunk", "chunk_sizes"]


def chunk_sizes(size: int, chunks: int) -> list[int]:
    """The lengths of the parts ``torch.chunk`` cuts ``size`` elements into: each
    ⌈size / chunks⌉, the last what is left, so there may be fewer than ``chunks``
    (``chunk_sizes(5, 4) == [2, 2, 1]``)."""
    if chunks < 1:
        raise ValueError(f"chunk: chunks must be at least 1, got {chunks}")
    if size < 1:
        raise ValueError(f"chunk: nothing to cut, the axis has {size} elements")
    step = -(-size // chunks)
    return [min(step, size - start) for start in range(0, size, step)]


def chunk(input, chunks: int, dim: int = 0) -> tuple[np.ndarray, ...]:
    """Views of ``input`` cut along ``dim`` into parts, like ``torch.chunk``; the
    lengths are :func:`chunk_sizes`."""
    x = np.asarray(input)
    if not -x.ndim <= dim < x.ndim:
        raise ValueError(f"chunk: dim {dim} is out of range for {x.ndim} dimensions")
    sizes = chunk_sizes(x.shape[dim], chunks)
    cuts = np.cumsum(sizes)[:-1]
    return tuple(np.split(x, cuts, axis=dim))
