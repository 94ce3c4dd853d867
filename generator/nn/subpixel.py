"""Transposed convolution by sub-pixel decomposition (groups 1, dilation 1).

A transposed convolution at stride S stamps a copy of the kernel, scaled by
each input pixel, every S output pixels. Output row ``R = m*S + r`` (before
cropping the padding) receives only the kernel rows ``i ≡ r (mod S)``:
``i = r + S*t`` from input row ``m - t``. So each of the S·S output *phases*
``(r, s)`` is an ordinary stride-1 convolution of the input with a small
kernel (``T = ceil(K / S)`` taps per axis, the kernel's rows ``r, r+S, …``
in reverse order, zeros where ``r + S*t ≥ K``). All phases read the same
T×T windows of the input, so they are one convolution with S·S·F output
channels: one im2col of the input (contiguous runs, stride 1), one matrix
product, then a "pixel shuffle" interleaves the phases into the output.

Compared with the adjoint form in :func:`generator.nn.conv.conv_transpose2d`
(a matrix product to F·K·K columns per input pixel, then K·K strided
additions into the canvas), nothing is scattered: every output value is
written once.
"""

from __future__ import annotations

import numpy as np

from .conv_checks import zero_pad_hw
from .windows import flat_im2col

__all__ = ["subpixel_conv_transpose2d", "phase_kernels"]


def phase_kernels(w: np.ndarray, stride) -> np.ndarray:
    """The S·S phase kernels of a transposed-convolution weight.

    w : (C, F, KH, KW) -> (SH, SW, F, C, TH, TW) with ``TH = ceil(KH / SH)``,
    ``k[r, s, f, c, a, b] = w[c, f, r + SH*(TH-1-a), s + SW*(TW-1-b)]`` (zero past the kernel).
    """
    c, f, kh, kw = w.shape
    sh, sw = stride
    th, tw = -(-kh // sh), -(-kw // sw)
    full = np.zeros((c, f, th * sh, tw * sw), dtype=w.dtype)
    full[:, :, :kh, :kw] = w
    # (C, F, TH*SH, TW*SW) -> (C, F, TH, SH, TW, SW): [c, f, t, r, u, s] = full[c, f, t*SH + r, u*SW + s]
    k = full.reshape(c, f, th, sh, tw, sw)[:, :, ::-1, :, ::-1, :]  # t -> a = TH-1-t
    return np.ascontiguousarray(k.transpose(3, 5, 1, 0, 2, 4))  # -> (SH, SW, F, C, TH, TW)


def subpixel_conv_transpose2d(x: np.ndarray, w: np.ndarray, stride, padding, out_hw) -> np.ndarray:
    """``conv_transpose2d`` (groups 1, dilation 1, no bias) by sub-pixel decomposition.

    Parameters
    ----------
    x : (N, C, H, W); w : (C, F, KH, KW) of the same dtype
    stride, padding : pairs of ints; out_hw : (H', W') including output_padding

    Returns
    -------
    (N, F, H', W')
    """
    n, c, h, wd = x.shape
    _, f, kh, kw = w.shape
    (sh, sw), (ph, pw), (oh, ow) = stride, padding, out_hw
    th, tw = -(-kh // sh), -(-kw // sw)
    # phase rows needed to cover canvas rows 0 .. ph+oh-1 (canvas row m*SH + r)
    mh, mw = -(-(ph + oh) // sh), -(-(pw + ow) // sw)
    # a full correlation needs T-1 zeros before the input; after it, enough for mh rows
    bh, bw = max(0, mh - h), max(0, mw - wd)
    xp = zero_pad_hw(x, th - 1, bh, tw - 1, bw)  # (N, C, H+TH-1+bh, W+TW-1+bw)
    hm, wm_ = h + bh, wd + bw  # phase-plane size: >= (mh, mw)
    cols = flat_im2col(xp, (th, tw), (1, 1), (hm, wm_))  # (N, 1, C*TH*TW, Q)
    k = phase_kernels(w, (sh, sw)).reshape(sh * sw * f, c * th * tw)
    y = np.matmul(k, cols)  # (SH*SW*F, C*TH*TW) @ (N, 1, C*TH*TW, Q) -> (N, 1, SH*SW*F, Q)
    wp = xp.shape[3]
    q = y.shape[-1]
    st = y.strides[-1]
    # flat positions -> (N, SH, SW, F, hm, wm) view (row m starts at m*Wp)
    planes = np.lib.stride_tricks.as_strided(
        y, (n, sh, sw, f, hm, wm_),
        (y.strides[0], f * sw * q * st, f * q * st, q * st, wp * st, st), writeable=False)
    canvas = np.empty((n, f, hm, sh, wm_, sw), dtype=x.dtype)
    canvas[...] = planes.transpose(0, 3, 4, 1, 5, 2)  # pixel shuffle: [n, f, m, r, m', s]
    canvas = canvas.reshape(n, f, hm * sh, wm_ * sw)
    return np.ascontiguousarray(canvas[:, :, ph : ph + oh, pw : pw + ow])  # crop the padding
