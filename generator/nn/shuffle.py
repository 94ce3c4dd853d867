"""``channel_shuffle`` (ShuffleNet) and the merges of a graph: ``broadcast_shape``."""

from __future__ import annotations

import numpy as np

__all__ = ["channel_shuffle", "broadcast_shape"]


def channel_shuffle(input, groups: int) -> np.ndarray:
    """Interleave the channels of ``groups`` groups, like
    ``torch.nn.functional.channel_shuffle``: (N, g·k, *) viewed as (N, g, k, *),
    transposed to (N, k, g, *), flattened back; output channel ``i·g + j`` is input
    channel ``j·k + i``."""
    x = np.asarray(input)
    if x.ndim < 3:
        raise ValueError(f"channel_shuffle: expected (N, C, *) input, got shape {x.shape}")
    n, c = x.shape[:2]
    if groups < 1 or c % groups:
        raise ValueError(f"channel_shuffle: groups {groups} does not divide the {c} channels")
    rest = x.shape[2:]
    y = x.reshape(n, groups, c // groups, *rest).swapaxes(1, 2)  # (N, k, g, *)
    return np.ascontiguousarray(y).reshape(x.shape)


def broadcast_shape(*shapes) -> tuple[int, ...]:
    """The shape of an element-wise result of arrays of ``shapes`` under PyTorch's
    broadcasting (sizes aligned from the right; each pair equal or one of them 1)."""
    out: list[int] = []
    for dims in zip(*(s[::-1] for s in shapes)):
        sizes = set(dims) - {1}
        if len(sizes) > 1:
            raise ValueError("shapes do not broadcast")
        out.append(sizes.pop() if sizes else 1)
    longest = max(shapes, key=len)
    return tuple(longest[:len(longest) - len(out)]) + tuple(out[::-1])
