"""Depthwise convolution (groups == in_channels == out_channels), blocked by channel.

A depthwise layer has one KH×KW kernel per channel:

    out[n, c] = Σ_ij  w[c, i, j] · xp[n, c, i·DH : … : SH, j·DW : … : SW]

so im2col makes KH·KW copies of the input to feed one matrix product of a
single row per channel, and for large layers the copies leave the cache
before the products read them. Here the channels are processed in blocks
small enough (``BLOCK_BYTES`` of columns) that a block's columns are still in
cache when its products run. At stride 1 every tap of a block copies one
contiguous run of the flattened padded rows (the ``Wp − OW`` wrapped-around
values per row are dropped at the end), as in
:func:`generator.nn.windows.flat_im2col`.

Measured alternative: accumulating tap by tap (``acc += w[:, i, j] · view``,
nine multiply-add passes per block) took 2.4× as long in NumPy as the
blocked copy and product, because NumPy makes two passes (multiply, then add)
per tap where the matrix product makes one.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .windows import unflatten, window_view

__all__ = ["depthwise_conv2d", "BLOCK_BYTES"]

#: Bytes of im2col columns per channel block (measured for 256 channels of 28×28 on
#: one thread: 2 MB, about 64 channels, beat 128 KB by 1.9× and 8 MB by 1.5×).
BLOCK_BYTES = 2**21


def depthwise_conv2d(xp: np.ndarray, w: np.ndarray, stride, dilation, out_hw) -> np.ndarray:
    """Depthwise convolution of an already padded batch.

    Parameters
    ----------
    xp : (N, C, Hp, Wp) padded input
    w : (C, 1, KH, KW) weights of the same dtype
    stride, dilation, out_hw : pairs of ints

    Returns
    -------
    (N, C, OH, OW), no bias
    """
    xp = np.ascontiguousarray(xp)
    n, c, hp, wp = xp.shape
    _, _, kh, kw = w.shape
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    kk = kh * kw
    wm = w.reshape(c, 1, kk)  # (C, 1, KK): one row per channel
    flat = (sh, sw) == (1, 1)
    q = (oh - 1) * wp + ow if flat else oh * ow  # output positions per channel
    cb = max(1, min(c, BLOCK_BYTES // (kk * q * xp.dtype.itemsize)))  # channels per block
    out = np.empty((n, c, 1, q), dtype=xp.dtype)
    cols = np.empty((cb, kk, q), dtype=xp.dtype)
    sn, sc, srow, scol = xp.strides
    for i in range(n):
        for c0 in range(0, c, cb):
            c1 = min(c, c0 + cb)
            block = cols[: c1 - c0]
            if flat:
                # tap (i, j) of output q reads xp_flat[q + i*DH*Wp + j*DW]: (cb, KH, KW, Q)
                v = as_strided(xp[i, c0:], (c1 - c0, kh, kw, q), (sc, srow * dh, scol * dw, scol),
                               writeable=False)
            else:
                v = window_view(xp[i : i + 1, c0:c1], (kh, kw), (sh, sw), (dh, dw), (oh, ow))[0]
            block.reshape(v.shape)[...] = v  # the copy, (cb, KH, KW, Q) or (cb, KH, KW, OH, OW)
            # (cb, 1, KK) @ (cb, KK, Q) -> (cb, 1, Q)
            np.matmul(wm[c0:c1], block, out=out[i, c0:c1])
    out = out.reshape(n, c, q)
    if flat:
        return unflatten(out, (oh, ow), wp)  # (N, C, Q) -> (N, C, OH, OW)
    return out.reshape(n, c, oh, ow)
