"""Changing the size of a map: ``interpolate`` (nearest and bilinear upsampling),
``center_crop``; and ``adaptive_max_pool2d`` (max pooling to a fixed output size).

Zero padding is :func:`generator.nn.pad.pad` with ``mode='constant'``.
"""

from __future__ import annotations

import numpy as np

from .arrays import as_batched, unbatch
from .shapes import _adaptive_bounds, adaptive_pool2d_output_hw, pair

__all__ = ["interpolate", "interpolate_output_hw", "center_crop", "adaptive_max_pool2d"]


def interpolate_output_hw(hw, size=None, scale_factor=None) -> tuple[int, int]:
    """``(H', W')`` of :func:`interpolate`: ``size``, or ``floor(H * scale_factor)``."""
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out = pair(size, "size")
    else:
        factors = scale_factor if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * 2
        out = tuple(int(np.floor(n * float(f))) for n, f in zip(hw, factors))
    if min(out) < 1:
        raise ValueError(f"interpolate: the output size {out[0]}×{out[1]} is empty")
    return out


def _scales(hw, out, scale_factor):
    """The source-per-destination step of each axis, as PyTorch computes it (float32):
    ``1 / scale_factor`` when a factor is given, else ``in / out``."""
    if scale_factor is not None:
        factors = scale_factor if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * 2
        return tuple(np.float32(1.0 / float(f)) for f in factors)
    return tuple(np.float32(n / o) for n, o in zip(hw, out))


def _nearest_index(size, out, scale):
    dst = np.arange(out, dtype=np.float32)
    return np.minimum(np.floor(dst * scale).astype(np.int64), size - 1)


def _linear_weights(size, out, scale):
    """(i0, i1, w0, w1) of linear interpolation with align_corners=False."""
    src = (np.arange(out, dtype=np.float64) + 0.5) * float(scale) - 0.5
    src = np.maximum(src, 0.0)
    i0 = np.floor(src).astype(np.int64)
    i0 = np.minimum(i0, size - 1)
    i1 = np.minimum(i0 + 1, size - 1)
    w1 = src - i0
    return i0, i1, 1.0 - w1, w1


def interpolate(input, size=None, scale_factor=None, mode: str = "nearest",
                align_corners=None) -> np.ndarray:
    """Upsample or downsample (N, C, H, W) like ``torch.nn.functional.interpolate`` with
    ``mode='nearest'`` or ``'bilinear'`` (``align_corners`` False or None only).

    nearest: output pixel i reads input ``min(floor(i * scale), H - 1)``;
    bilinear: it reads ``(i + 0.5) * scale - 0.5`` (clamped at 0) between its two
    neighbours. ``scale`` is ``1 / scale_factor`` if given, else ``H / H'``.
    """
    if align_corners:
        raise ValueError("interpolate: only align_corners=False is implemented")
    x, unbatched = as_batched(input, "interpolate")
    h, w = x.shape[2:]
    oh, ow = interpolate_output_hw((h, w), size, scale_factor)
    sh, sw = _scales((h, w), (oh, ow), scale_factor)
    if mode == "nearest":
        y = x[:, :, _nearest_index(h, oh, sh)][:, :, :, _nearest_index(w, ow, sw)]
    elif mode == "bilinear":
        r0, r1, a0, a1 = _linear_weights(h, oh, sh)
        c0, c1, b0, b1 = _linear_weights(w, ow, sw)
        rows = x[:, :, r0] * a0[:, None] + x[:, :, r1] * a1[:, None]  # (N, C, OH, W)
        y = rows[:, :, :, c0] * b0 + rows[:, :, :, c1] * b1  # (N, C, OH, OW)
    else:
        raise ValueError(f"interpolate: mode must be 'nearest' or 'bilinear', got {mode!r}")
    return unbatch(y.astype(x.dtype, copy=False), unbatched)


def center_crop(input, size) -> np.ndarray:
    """The central ``size`` (H', W') of each map: rows from ``(H - H') // 2`` (an odd
    difference leaves the extra row at the bottom, the extra column at the right)."""
    x, unbatched = as_batched(input, "center_crop")
    h, w = x.shape[2:]
    th, tw = pair(size, "size")
    if th > h or tw > w:
        raise ValueError(f"center_crop: cannot crop {h}×{w} to the larger {th}×{tw}")
    top, left = (h - th) // 2, (w - tw) // 2
    return unbatch(x[:, :, top:top + th, left:left + tw], unbatched)


def adaptive_max_pool2d(input, output_size) -> np.ndarray:
    """Adaptive max pooling, like ``torch.nn.functional.adaptive_max_pool2d`` (values only):
    output cell (i, j) is the largest value of rows ``floor(i*H/OH)`` to
    ``ceil((i+1)*H/OH) - 1`` and the matching columns. A maximum over a rectangle is a
    maximum over its rows of maxima over its columns, so rows and columns are pooled in
    turn."""
    x, unbatched = as_batched(input, "adaptive_max_pool2d")
    n, c, h, w = x.shape
    oh, ow = adaptive_pool2d_output_hw((h, w), output_size)
    rows = np.stack([x[:, :, slice(*_adaptive_bounds(h, oh, i))].max(axis=2)
                     for i in range(oh)], axis=2)  # (N, C, OH, W)
    y = np.stack([rows[:, :, :, slice(*_adaptive_bounds(w, ow, j))].max(axis=3)
                  for j in range(ow)], axis=3)  # (N, C, OH, OW)
    return unbatch(y, unbatched)
