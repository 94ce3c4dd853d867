"""NumPy helpers shared by the kinds that draw grids of cells: the cell codes, the cells
each output reads, and checked matrices from a catalog entry. Nothing here plots."""

from __future__ import annotations

import numpy as np

from ..nn.windows import window_view

#: Cell codes of the grids the sliding-window figures draw.
PAD, INPUT, ZERO = 0, 1, 2


def taps(grid_hw, kernel, stride, dilation, out_hw):
    """Rows and columns of the cells each output position reads.

    Returns two int arrays of shape (OH*OW, KH*KW), outputs in row-major order.
    """
    hp, wp = grid_hw
    rows = np.broadcast_to(np.arange(hp)[:, None], (hp, wp)).astype(float)
    cols = np.broadcast_to(np.arange(wp)[None, :], (hp, wp)).astype(float)
    out = []
    for index in (rows, cols):
        v = window_view(index[None, None], kernel, stride, dilation, out_hw)  # (1, 1, KH, KW, OH, OW)
        v = v[0, 0].transpose(2, 3, 0, 1)  # -> (OH, OW, KH, KW)
        out.append(v.reshape(out_hw[0] * out_hw[1], kernel[0] * kernel[1]).astype(np.int16))
    return out


def torch_pad(top, bottom, left, right):
    """Padding in the order of ``torch.nn.functional.pad``: (left, right, top, bottom)."""
    return (left, right, top, bottom)


def matrix(v, name: str) -> np.ndarray:
    """A catalog entry's 2-D list as a float array (H, W); anything else is a ValueError."""
    a = np.asarray(v, dtype=float)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D list of numbers, got shape {a.shape}")
    return a
