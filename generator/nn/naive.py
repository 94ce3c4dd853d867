"""Convolution and pooling as plain loops over output positions.

These are the definitions the site prints ("this is all a convolution
is"): slow, but each output is visibly one window of the input combined
with the kernel.  They take the same arguments as the vectorised versions
in :mod:`generator.nn.conv` and :mod:`generator.nn.pool`, validate them the
same way, and the tests check that both agree.
"""

from __future__ import annotations

import numpy as np

from .arrays import as_batched, unbatch
from .conv_checks import conv_operands, zero_pad_hw
from .pool import check_divisor, pool_args
from .shapes import conv2d_geometry, conv_transpose2d_geometry, pool2d_output_hw

__all__ = ["conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d"]


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Loop version of :func:`generator.nn.conv2d` (same arguments and result).

    x: (N, C, H, W); weight: (F, C // groups, KH, KW); returns (N, F, H', W').
    """
    x, unbatched, weight, bias, groups = conv_operands(input, weight, bias, groups, "conv2d")
    F, Cg, KH, KW = weight.shape
    geo = conv2d_geometry(x.shape[2:], (KH, KW), stride, padding, dilation)
    (sh, sw), (dh, dw), (OH, OW) = geo.stride, geo.dilation, geo.out_hw
    (top, bottom), (left, right) = geo.padding
    xp = zero_pad_hw(x, top, bottom, left, right)
    out = np.zeros((x.shape[0], F, OH, OW), dtype=x.dtype)
    for f in range(F):
        g = f // (F // groups)  # the group filter f belongs to
        channels = xp[:, g * Cg : (g + 1) * Cg]  # the input channels it sees
        for i in range(OH):
            for j in range(OW):
                window = channels[:, :, i * sh : i * sh + dh * (KH - 1) + 1 : dh,
                                  j * sw : j * sw + dw * (KW - 1) + 1 : dw]
                out[:, f, i, j] = np.sum(window * weight[f], axis=(1, 2, 3))
        if bias is not None:
            out[:, f] += bias[f]
    return unbatch(out, unbatched)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    """Loop version of :func:`generator.nn.conv_transpose2d`.

    Every input pixel stamps a copy of its kernel, scaled by the pixel, into
    the output; then ``padding`` is cropped from each border.
    x: (N, C, H, W); weight: (C, F // groups, KH, KW); returns (N, F, H', W').
    """
    x, unbatched, weight, bias, groups = conv_operands(
        input, weight, bias, groups, "conv_transpose2d", transposed=True)
    N, C, H, W = x.shape
    _, Fg, KH, KW = weight.shape
    geo = conv_transpose2d_geometry((H, W), (KH, KW), stride, padding, output_padding, dilation)
    (sh, sw), (dh, dw), (OH, OW) = geo.stride, geo.dilation, geo.out_hw
    (ph, _), (pw, _) = geo.padding
    canvas = np.zeros((N, Fg * groups) + geo.padded_hw((OH, OW)), dtype=x.dtype)
    for c in range(C):
        g = c // (C // groups)  # the group input channel c belongs to
        outputs = slice(g * Fg, (g + 1) * Fg)
        for i in range(H):
            for j in range(W):
                canvas[:, outputs, i * sh : i * sh + dh * (KH - 1) + 1 : dh,
                       j * sw : j * sw + dw * (KW - 1) + 1 : dw] += (
                    x[:, c, i, j, None, None, None] * weight[c])  # (N, 1, 1, 1) * (F/G, KH, KW)
    out = canvas[:, :, ph : ph + OH, pw : pw + OW].copy()
    if bias is not None:
        out += bias[:, None, None]  # (F,) -> (F, 1, 1) broadcast
    return unbatch(out, unbatched)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Loop version of :func:`generator.nn.max_pool2d`.

    x: (N, C, H, W); returns (N, C, H', W'), and with ``return_indices`` the
    flat index ``row * W + col`` of each maximum.  (Ties and NaNs are not
    treated PyTorch's way here; the fast version does that.)
    """
    x, unbatched = as_batched(input, "max_pool2d")
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = pool_args(kernel_size, stride, padding, dilation)
    N, C, H, W = x.shape
    OH, OW = pool2d_output_hw((H, W), (KH, KW), (sh, sw), (ph, pw), (dh, dw), ceil_mode)
    out = np.empty((N, C, OH, OW), dtype=x.dtype)
    indices = np.empty((N, C, OH, OW), dtype=np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    rows = [r for r in range(i * sh - ph, i * sh - ph + dh * KH, dh) if 0 <= r < H]
                    cols = [q for q in range(j * sw - pw, j * sw - pw + dw * KW, dw) if 0 <= q < W]
                    window = x[n, c][np.ix_(rows, cols)]
                    if window.size == 0:  # a dilated window can hold only padding
                        out[n, c, i, j], indices[n, c, i, j] = -np.inf, -1
                        continue
                    r, q = np.unravel_index(np.argmax(window), window.shape)
                    out[n, c, i, j] = window[r, q]
                    indices[n, c, i, j] = rows[r] * W + cols[q]
    if return_indices:
        return unbatch(out, unbatched), unbatch(indices, unbatched)
    return unbatch(out, unbatched)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Loop version of :func:`generator.nn.avg_pool2d`.

    x: (N, C, H, W); returns (N, C, H', W').  The divisor rule is spelled out
    per window: clip the window at the end of the padding, count the padding
    only if ``count_include_pad``, never count what lies beyond.
    """
    x, unbatched = as_batched(input, "avg_pool2d")
    divisor_override = check_divisor(divisor_override)
    (KH, KW), (sh, sw), (ph, pw), _ = pool_args(kernel_size, stride, padding)
    N, C, H, W = x.shape
    OH, OW = pool2d_output_hw((H, W), (KH, KW), (sh, sw), (ph, pw), 1, ceil_mode)
    out = np.empty((N, C, OH, OW), dtype=x.dtype)
    for i in range(OH):
        for j in range(OW):
            top, left = i * sh - ph, j * sw - pw
            bottom, right = min(top + KH, H + ph), min(left + KW, W + pw)
            with_padding = (bottom - top) * (right - left)
            top, left, bottom, right = max(top, 0), max(left, 0), min(bottom, H), min(right, W)
            total = x[:, :, top:bottom, left:right].sum(axis=(2, 3))
            if divisor_override is not None:
                divisor = divisor_override
            elif count_include_pad:
                divisor = with_padding
            else:
                divisor = (bottom - top) * (right - left)
            out[:, :, i, j] = total / divisor
    return unbatch(out, unbatched)
