"""Sliding windows (im2col) and their adjoint (col2im) for 2-D operators.

A *window view* of a padded batch ``xp`` of shape (N, C, Hp, Wp) is the
read-only array ``v`` of shape (N, C, KH, KW, OH, OW) with

    v[n, c, i, j, y, x] = xp[n, c, y*SH + i*DH, x*SW + j*DW]

i.e. the kernel taps come before the output positions, so that
``v.reshape(N, C*KH*KW, OH*OW)`` is the im2col matrix whose product with a
(F, C*KH*KW) weight matrix is already in NCHW order.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

__all__ = ["window_view", "im2col", "col2im", "flat_im2col", "unflatten", "phase_im2col",
           "phase_planes"]


def window_view(xp: np.ndarray, kernel, stride, dilation, out_hw) -> np.ndarray:
    """All receptive fields of ``xp`` as a view, without copying.

    Parameters
    ----------
    xp : ndarray of shape (N, C, Hp, Wp), already padded
    kernel, stride, dilation, out_hw : pairs of ints (KH, KW), ...

    Returns
    -------
    ndarray of shape (N, C, KH, KW, OH, OW), read-only view of ``xp``
    """
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    # (N, C, Hp, Wp) -> (N, C, Hp-span_h+1, Wp-span_w+1, span_h, span_w)
    v = sliding_window_view(xp, (span_h, span_w), axis=(2, 3))
    # keep every stride-th window and every dilation-th tap:
    # -> (N, C, OH, OW, KH, KW)
    v = v[:, :, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw, ::dh, ::dw]
    # taps before positions: (N, C, OH, OW, KH, KW) -> (N, C, KH, KW, OH, OW)
    return v.transpose(0, 1, 4, 5, 2, 3)


def im2col(xp: np.ndarray, kernel, stride, dilation, out_hw, groups: int = 1) -> np.ndarray:
    """Contiguous im2col matrix of a padded batch.

    Returns
    -------
    ndarray of shape (N, G, C//G * KH * KW, OH * OW), a copy
    """
    n, c = xp.shape[:2]
    v = window_view(xp, kernel, stride, dilation, out_hw)
    cols = np.ascontiguousarray(v)  # (N, C, KH, KW, OH, OW), one copy
    # (N, C, KH, KW, OH, OW) -> (N, G, C//G*KH*KW, OH*OW)
    return cols.reshape(n, groups, (c // groups) * kernel[0] * kernel[1],
                        out_hw[0] * out_hw[1])


def flat_im2col(xp: np.ndarray, kernel, dilation, out_hw, groups: int = 1) -> np.ndarray:
    """im2col for stride 1, read from the flattened rows of the padded image.

    Output (y, x) is given the flat index ``q = y*Wp + x``; tap (i, j) of
    every output then reads ``xp_flat[q + i*DH*Wp + j*DW]``, so for each
    tap the values of all outputs form ONE contiguous run of
    ``Q = (OH-1)*Wp + OW`` elements, which copies much faster than OH short
    rows.  The ``Wp - OW`` positions per row that wrap around the right
    edge are computed too and dropped by :func:`unflatten`.  Pays off when
    the copy dominates the matrix product (grouped / depthwise convs).

    Returns
    -------
    ndarray of shape (N, G, C//G * KH * KW, Q), a copy
    """
    xp = np.ascontiguousarray(xp)
    n, c, hp, wp = xp.shape
    (kh, kw), (dh, dw), (oh, ow) = kernel, dilation, out_hw
    q = (oh - 1) * wp + ow
    # stride 1 means oh = hp - dh*(kh-1) and ow = wp - dw*(kw-1), so the last
    # element read, (kh-1)*dh*wp + (kw-1)*dw + q - 1, is hp*wp - 1: in bounds.
    assert (kh - 1) * dh * wp + (kw - 1) * dw + q <= hp * wp
    sn, sc, sh, sw = xp.strides
    v = as_strided(xp, (n, c, kh, kw, q), (sn, sc, sh * dh, sw * dw, sw), writeable=False)
    cols = np.ascontiguousarray(v)  # (N, C, KH, KW, Q), one copy
    return cols.reshape(n, groups, (c // groups) * kh * kw, q)  # -> (N, G, C//G*KH*KW, Q)


def unflatten(flat: np.ndarray, out_hw, wp: int) -> np.ndarray:
    """Undo the flat indexing of :func:`flat_im2col`.

    (..., Q) with ``Q = (OH-1)*Wp + OW`` -> (..., OH, OW), dropping the
    wrapped-around positions; returns a new contiguous array.
    """
    oh, ow = out_hw
    assert flat.shape[-1] == (oh - 1) * wp + ow
    st = flat.strides[-1]
    # (..., Q) -> (..., OH, OW) view: row y starts at q = y*Wp
    v = as_strided(flat, flat.shape[:-1] + (oh, ow), flat.strides[:-1] + (wp * st, st),
                   writeable=False)
    return v.copy()  # contiguous and writeable


def col2im(cols: np.ndarray, padded_hw, stride, dilation) -> np.ndarray:
    """Adjoint of :func:`window_view`: add every window back into place.

    Parameters
    ----------
    cols : ndarray of shape (N, C, KH, KW, OH, OW)
    padded_hw : (Hp, Wp) of the canvas to sum into

    Returns
    -------
    ndarray of shape (N, C, Hp, Wp) where overlapping contributions add up

    Notes
    -----
    The loop runs over the KH*KW kernel taps only; each step is one strided,
    vectorised addition covering all N*C*OH*OW positions.
    """
    n, c, kh, kw, oh, ow = cols.shape
    (sh, sw), (dh, dw) = stride, dilation
    canvas = np.zeros((n, c) + tuple(padded_hw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            top, left = i * dh, j * dw
            canvas[:, :, top : top + (oh - 1) * sh + 1 : sh,
                   left : left + (ow - 1) * sw + 1 : sw] += cols[:, :, i, j]
    return canvas


def phase_planes(xp: np.ndarray, stride) -> np.ndarray:
    """The stride's phase planes of a padded batch, contiguous: (N, C, Hp, Wp) ->
    (SH, SW, N, C, ceil(Hp/SH), ceil(Wp/SW)); plane (ry, rx) holds the pixels whose row is
    ry and column rx modulo the stride. A size that is not a whole number of phases is
    padded with zeros that no window reads."""
    n, c, hp, wp = xp.shape
    sh, sw = stride
    hq, wq = -(-hp // sh), -(-wp // sw)  # plane sizes
    if (hq * sh, wq * sw) != (hp, wp):  # pad to whole phases (never read)
        grown = np.zeros((n, c, hq * sh, wq * sw), dtype=xp.dtype)
        grown[:, :, :hp, :wp] = xp
        xp = grown
    # (N, C, Hq*SH, Wq*SW) -> (SH, SW, N, C, Hq, Wq)
    return np.ascontiguousarray(xp.reshape(n, c, hq, sh, wq, sw).transpose(3, 5, 0, 1, 2, 4))


def phase_im2col(xp: np.ndarray, kernel, stride, dilation, out_hw) -> np.ndarray:
    """The same matrix as :func:`im2col` (groups 1), copied from stride phases.

    At stride S, tap (i, j) of output (y, x) reads ``xp[y*SH + i*DH, x*SW + j*DW]``;
    :func:`im2col` copies those values with a step of S between neighbours.
    Here the padded image is first split into its SH·SW phase planes
    ``P[a, b] = xp[:, :, a::SH, b::SW]`` (one copy of the input), in which
    tap (i, j) is the unit-step window of plane ``(i*DH % SH, j*DW % SW)``
    starting at ``(i*DH // SH, j*DW // SW)``: every row is one contiguous run.
    Same values, same layout, so the matrix product gives the same bits.

    Returns
    -------
    ndarray of shape (N, 1, C * KH * KW, OH * OW), a copy
    """
    n, c = xp.shape[:2]
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    planes = phase_planes(xp, stride)  # (SH, SW, N, C, Hq, Wq)
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=xp.dtype)
    for i in range(kh):
        a, ry = divmod(i * dh, sh)
        for j in range(kw):
            b, rx = divmod(j * dw, sw)
            cols[:, :, i, j] = planes[ry, rx, :, :, a : a + oh, b : b + ow]
    return cols.reshape(n, 1, c * kh * kw, oh * ow)
