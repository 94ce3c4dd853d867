"""Vectorised ``max_pool2d``, ``avg_pool2d`` and ``adaptive_avg_pool2d``."""

from __future__ import annotations

import numpy as np

from .arrays import as_batched, unbatch
from .shapes import _adaptive_bounds, _is_int, adaptive_pool2d_output_hw, pair, pool2d_output_hw
from .windows import window_view

__all__ = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "pool_args", "avg_divisors",
           "check_divisor", "padded_hw"]


def pool_args(kernel_size, stride, padding, dilation=1):
    """Normalise pooling arguments to pairs; ``stride=None`` means the kernel size."""
    k = pair(kernel_size, "kernel_size")
    s = k if stride is None else pair(stride, "stride")
    return k, s, pair(padding, "padding"), pair(dilation, "dilation")


def padded_hw(hw, k, s, p, d, out_hw):
    """(Hp, Wp) of the canvas that holds all OH x OW pooling windows.

    Top/left padding is ``p``; bottom/right is whatever the last window
    needs, which with ``ceil_mode`` can exceed ``p`` (the "overhang").
    """
    return tuple(max((o - 1) * ss + dd * (kk - 1) + 1, n + pp)
                 for n, o, ss, dd, kk, pp in zip(hw, out_hw, s, d, k, p))


def _pool_pad(x, k, s, p, d, out_hw, fill):
    """Pad (N, C, H, W) with ``fill`` to (N, C, Hp, Wp), see :func:`padded_hw`."""
    n, c, h, w = x.shape
    hp, wp = padded_hw((h, w), k, s, p, d, out_hw)
    if (hp, wp) == (h, w):
        return x
    xp = np.full((n, c, hp, wp), fill, dtype=x.dtype)
    xp[:, :, p[0] : p[0] + h, p[1] : p[1] + w] = x
    return xp


def _windows(xp, k, s, d, out_hw):
    """Contiguous copy of all pooling windows, shape (N, C, KH*KW, OH, OW).

    Reducing over the tap axis of this copy is many times faster than
    reducing the strided window view directly.
    """
    n, c = xp.shape[:2]
    v = window_view(xp, k, s, d, out_hw)  # (N, C, KH, KW, OH, OW), a view
    return np.ascontiguousarray(v).reshape(n, c, k[0] * k[1], *out_hw)  # -> (N, C, KH*KW, OH, OW)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """2-D max pooling, like ``torch.nn.functional.max_pool2d``.

    Parameters
    ----------
    input : array of shape (N, C, H, W) or (C, H, W)
    kernel_size, stride, padding, dilation : int or (int, int)
        ``stride=None`` means ``stride=kernel_size``; padding counts as -inf
        and may be at most half the kernel.
    ceil_mode : bool
        Round the output size up (the last window must still start inside
        the input or the left padding).
    return_indices : bool
        Also return, for each output, the flat index ``row * W + col`` of the
        chosen element in its (H, W) plane, as int64.

    Returns
    -------
    ndarray of shape (N, C, H', W') (and the int64 indices of that shape),
    ``H'`` from :func:`generator.nn.shapes.pool2d_output_hw`.

    Notes
    -----
    Ties pick the first maximum; a NaN wins (the last NaN, as PyTorch's CPU
    kernel); a window whose maximum is -inf reports its first in-bounds tap.
    """
    x, unbatched = as_batched(input, "max_pool2d")
    k, s, p, d = pool_args(kernel_size, stride, padding, dilation)
    n, c, h, w = x.shape
    oh, ow = pool2d_output_hw((h, w), k, s, p, d, ceil_mode)
    xp = _pool_pad(x, k, s, p, d, (oh, ow), -np.inf)
    flat = _windows(xp, k, s, d, (oh, ow))  # (N, C, KH*KW, OH, OW)
    out = flat.max(axis=2)  # (N, C, OH, OW)
    if not return_indices:
        return unbatch(out, unbatched)
    taps = k[0] * k[1]
    tap = np.arange(taps, dtype=np.min_scalar_type(taps))[:, None, None]  # (KK, 1, 1)
    # first tap holding the maximum; a max-reduction, as argmax over a middle
    # axis is an order of magnitude slower: (N, C, KK, OH, OW) -> (N, C, OH, OW)
    arg = (taps - 1) - ((flat == out[:, :, None]) * (taps - 1 - tap)).max(axis=2)
    nan = np.isnan(out)
    if nan.any():  # PyTorch keeps the last NaN of the window
        arg = np.where(nan, (np.isnan(flat) * tap).max(axis=2), arg)
    ki, kj = np.divmod(arg, k[1])
    row0 = (np.arange(oh) * s[0] - p[0])[:, None]  # (OH, 1): window's top row
    col0 = (np.arange(ow) * s[1] - p[1])[None, :]  # (1, OW): window's left column
    rows, cols = row0 + ki * d[0], col0 + kj * d[1]
    neg_inf = out == -np.inf
    if neg_inf.any():  # PyTorch: first in-bounds tap (it starts there and never moves)
        first_row = row0 + (-(row0 // d[0])).clip(min=0) * d[0]
        first_col = col0 + (-(col0 // d[1])).clip(min=0) * d[1]
        rows = np.where(neg_inf, first_row, rows)
        cols = np.where(neg_inf, first_col, cols)
    indices = (rows * w + cols).astype(np.int64)
    return unbatch(out, unbatched), unbatch(indices, unbatched)


def _divisors_1d(size, out, k, s, p, include_pad):
    """Per-output window length along one dimension, PyTorch's avg_pool rule."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)  # clip the ceil_mode overhang only
    if include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)


def avg_divisors(hw, out_hw, k, s, p, count_include_pad=True, divisor_override=None):
    """Divisor of every avg-pool output, shape (OH, OW).

    Windows running past the padded end (``ceil_mode``) are clipped there;
    ``count_include_pad`` counts the padding inside the window but never the
    overhang; ``divisor_override`` replaces everything.
    """
    if divisor_override is not None:
        return np.full(tuple(out_hw), divisor_override)
    dh = _divisors_1d(hw[0], out_hw[0], k[0], s[0], p[0], count_include_pad)
    dw = _divisors_1d(hw[1], out_hw[1], k[1], s[1], p[1], count_include_pad)
    return np.outer(dh, dw)  # (OH,) x (OW,) -> (OH, OW)


def check_divisor(divisor_override):
    """PyTorch accepts a non-zero int or None."""
    if divisor_override is None:
        return None
    if not _is_int(divisor_override) or int(divisor_override) == 0:
        raise ValueError(f"divisor_override must be a non-zero int, got {divisor_override!r}")
    return int(divisor_override)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """2-D average pooling, like ``torch.nn.functional.avg_pool2d``.

    Parameters
    ----------
    input : array of shape (N, C, H, W) or (C, H, W)
    kernel_size, stride, padding : int or (int, int); ``stride=None`` means
        ``stride=kernel_size``; padding (zeros) at most half the kernel.
    ceil_mode : bool
    count_include_pad : bool
        Divide by the window area including zero padding (but never the
        part of a ceil_mode window that runs past the padding).
    divisor_override : None or non-zero int

    Returns
    -------
    ndarray of shape (N, C, H', W') in the input's float dtype.
    """
    x, unbatched = as_batched(input, "avg_pool2d")
    divisor_override = check_divisor(divisor_override)
    k, s, p, _ = pool_args(kernel_size, stride, padding)
    n, c, h, w = x.shape
    oh, ow = pool2d_output_hw((h, w), k, s, p, 1, ceil_mode)
    xp = _pool_pad(x, k, s, p, (1, 1), (oh, ow), 0)
    sums = _windows(xp, k, s, (1, 1), (oh, ow)).sum(axis=2)  # (N, C, KH*KW, OH, OW) -> (N, C, OH, OW)
    div = avg_divisors((h, w), (oh, ow), k, s, p, count_include_pad, divisor_override)
    out = (sums / div.astype(x.dtype)).astype(x.dtype, copy=False)
    return unbatch(out, unbatched)


def _averaging_matrix(size: int, out: int, dtype) -> np.ndarray:
    """(out, size) matrix whose row i averages PyTorch's adaptive window i."""
    bounds = np.array([_adaptive_bounds(size, out, i) for i in range(out)])  # (out, 2)
    idx = np.arange(size)
    inside = (idx >= bounds[:, :1]) & (idx < bounds[:, 1:])  # (out, size)
    return (inside / (bounds[:, 1:] - bounds[:, :1])).astype(dtype)


def adaptive_avg_pool2d(input, output_size):
    """Adaptive average pooling, like ``torch.nn.functional.adaptive_avg_pool2d``.

    Output cell i averages rows ``floor(i*H/OH)`` to ``ceil((i+1)*H/OH) - 1``
    (likewise columns).

    Parameters
    ----------
    input : array of shape (N, C, H, W) or (C, H, W)
    output_size : int or (int or None, int or None); None keeps the size

    Returns
    -------
    ndarray of shape (N, C, OH, OW): ``A_h @ x @ A_w.T`` with averaging
    matrices A_h (OH, H) and A_w (OW, W).
    """
    x, unbatched = as_batched(input, "adaptive_avg_pool2d")
    n, c, h, w = x.shape
    oh, ow = adaptive_pool2d_output_hw((h, w), output_size)
    a_h = _averaging_matrix(h, oh, x.dtype)  # (OH, H)
    a_w = _averaging_matrix(w, ow, x.dtype)  # (OW, W)
    out = np.matmul(x, a_w.T)  # (N, C, H, W) @ (W, OW) -> (N, C, H, OW)
    out = np.matmul(a_h, out)  # (OH, H) @ (N, C, H, OW) -> (N, C, OH, OW)
    return unbatch(out, unbatched)
