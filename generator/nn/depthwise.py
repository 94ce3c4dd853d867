"""Depthwise convolution (groups == in_channels == out_channels), blocked by channel.

A depthwise layer has one KH×KW kernel per channel:

    out[n, c, y, x] = Σ_ij  w[c, i, j] · x[n, c, y·SH + i·DH − PT, x·SW + j·DW − PL]

(zero where the index leaves the image). im2col would make KH·KW copies of
the input for a product of one row per channel; at stride 1 this module
makes KW copies and lets two matrix products do the rest:

1. **KW column-shifted copies**, read straight from the unpadded input. On
   a flat grid whose pitch is the input's width W, copy j of channel c holds
   ``x_flat[r·W + x + j·DW − PL]`` for the OH + DH·(KH−1) rows r the layer
   reads: one contiguous run per copy, no padded input. Reads that cross
   the image's border land on a neighbouring row or channel; exactly those
   entries are the ones padding makes zero, and they are set to zero after
   the copy (a few rows, and a few columns per copy).
2. **Each kernel row's sum over its columns**, for every row of the copies:
   the (KH, KW) kernel times the (KW, rows·W) copies, one product per channel.
3. **The kernel rows' sums added**, row i moved down by i·DH image rows: the
   KH rows of step 2, read ``rows·W + DH·W`` values apart, times a row of
   ones. When the output is as wide as the input (PyTorch's
   ``padding=(K−1)/2``) this product writes the output in its final layout.

That moves about 3 + 3 + 3 + 3 + 1 = 13 input-sized arrays through the
cache for a 3×3 kernel, where im2col's copies and product move 9 + 9 + 1.

A strided layer is first split into its SH×SW **phase planes**
``x[:, :, a::SH, b::SW]`` (one pass over the input, each plane at the
output's pitch); tap i then reads phase ``(i·DH − PT) mod SH`` at row shift
``⌊(i·DH − PT) / SH⌋``, a contiguous run again, so all KH·KW taps are copied
from the planes (zeroed where they leave the image) and one product of a
single row per channel gives the output.

Channels go in blocks whose copies take ``BLOCK_BYTES``, so a block's copies
are still in cache when its products read them.

Measured alternatives (one thread, 256 channels at 28×28, time relative to
this module): im2col's KH·KW copies of the padded input and one product,
1.4×; accumulating tap by tap (``acc += w[:, i, j] · view``), 6×, because
NumPy makes two passes (multiply, then add) per tap; ``np.einsum`` on the
strided windows, 11×.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["depthwise_conv2d", "BLOCK_BYTES"]

#: Bytes of copies and row sums per channel block (measured at one thread, 1 to 8 MB,
#: on a 1 MB-L2 core: 2 MB fastest, fewer blocks cost less Python than more cache misses).
BLOCK_BYTES = 2**21


def _taps(k: int, d: int, pad: int, s: int, size: int):
    """Along one axis: per tap, the phase plane it reads and the row (or column)
    shift within it; per phase, how many rows (columns) of the input it holds."""
    offsets = [i * d - pad for i in range(k)]
    phase = [o % s for o in offsets]
    shift = [o // s for o in offsets]
    held = [max(0, -(-(size - p) // s)) for p in range(s)]  # ceil((size - p) / s)
    return phase, shift, held


def depthwise_conv2d(x: np.ndarray, w: np.ndarray, stride, dilation, padding,
                     out_hw) -> np.ndarray:
    """Depthwise convolution of an unpadded batch.

    Parameters
    ----------
    x : (N, C, H, W) input
    w : (C, 1, KH, KW) weights of the same dtype
    stride, dilation, out_hw : pairs of ints
    padding : ((top, bottom), (left, right)); bottom and right only through ``out_hw``

    Returns
    -------
    (N, C, OH, OW), no bias
    """
    x = np.ascontiguousarray(x)
    n, c, h, wd = x.shape
    _, _, kh, kw = w.shape
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    (pt, _), (pl, _) = padding
    dtype = x.dtype
    rphase, rshift, rheld = _taps(kh, dh, pt, sh, h)
    cphase, cshift, cheld = _taps(kw, dw, pl, sw, wd)
    direct = (sh, sw) == (1, 1) and ow <= wd  # read the input itself, no phase planes
    pitch = wd if direct else max(max(cheld), ow)
    rows = h if direct else max(max(rheld), 1)
    plane = rows * pitch  # values per channel of a phase plane
    q = oh * pitch  # output positions per channel on the flat grid
    # the planes' flat reads, relative to a channel's start: from `low` to `high` (exclusive)
    low = min(rshift) * pitch + min(cshift)
    high = (oh - 1 + max(rshift)) * pitch + pitch + max(cshift)
    lead = max(0, -low)  # margins, so that every read stays inside the planes' buffer
    size = lead + sh * sw * c * plane + max(0, high - plane)
    item = dtype.itemsize
    strided = (sh, sw) != (1, 1)
    span = q if strided else (oh + dh * (kh - 1)) * pitch  # values per copy
    copies_per_channel = kh * kw if strided else kw
    sums_per_channel = 0 if strided else kh
    cb = max(1, min(c, BLOCK_BYTES // ((copies_per_channel + sums_per_channel) * span * item)))
    copies = np.empty((cb, copies_per_channel, span), dtype=dtype)
    sums = np.empty((cb, kh, span), dtype=dtype) if not strided else None
    wm = w.reshape(c, 1, kh * kw) if strided else w.reshape(c, kh, kw)
    out = np.empty((n, c, 1, q), dtype=dtype)
    for b in range(n):
        if direct:
            src, origin = x[b].reshape(-1), 0
        else:  # the phase planes (one at stride 1 if the output is wider than the input)
            src, origin = np.empty(size, dtype=dtype), lead
            for a in sorted(set(rphase)):
                for e in sorted(set(cphase)):
                    start = origin + (a * sw + e) * c * plane
                    dest = src[start : start + c * plane].reshape(c, rows, pitch)
                    dest[:, : rheld[a], : cheld[e]] = x[b, :, a::sh, e::sw]
        for c0 in range(0, c, cb):
            c1 = min(c, c0 + cb)
            k = c1 - c0
            if strided:  # all KH·KW taps from the phase planes, one product per channel
                _tap_copies(copies[:k].reshape(k, kh, kw, oh, pitch), src, origin + c0 * plane,
                            c * plane, pitch, plane, (rphase, rshift, rheld),
                            (cphase, cshift, cheld), stride, dilation)
                np.matmul(wm[c0:c1], copies[:k], out=out[b, c0:c1])  # (k, 1, KK) @ (k, KK, Q)
                continue
            # 1. the KW column-shifted copies of the rows the layer reads: (k, KW, span)
            _column_copies(copies[:k], src, origin + c0 * plane + rshift[0] * pitch + cshift[0],
                           plane, dw, (rshift[0], rheld[0]), (cshift, cheld[0]), pitch)
            if kh == 1:  # (k, 1, KW) @ (k, KW, Q): the output
                np.matmul(wm[c0:c1], copies[:k], out=out[b, c0:c1])
                continue
            # 2. each kernel row's sum over its columns: (k, KH, KW) @ (k, KW, span)
            np.matmul(wm[c0:c1], copies[:k], out=sums[:k])
            # 3. the kernel rows' sums added, row i moved up by i*DH image rows: a product
            #    with ones over rows (span + DH*pitch) apart: (1, KH) @ (k, KH, Q)
            np.matmul(np.ones((1, kh), dtype=dtype),
                      as_strided(sums[:k], (k, kh, q), (kh * span * item,
                                                        (span + dh * pitch) * item, item),
                                 writeable=False), out=out[b, c0:c1])
    out = out.reshape(n, c, oh, pitch)
    return out if pitch == ow else np.ascontiguousarray(out[..., :ow])


def _tap_copies(grid, src, origin, phase_step, pitch, plane, rows, columns, stride, dilation):
    """The KH·KW shifted copies of a strided layer's channel block, ``grid`` (k, KH, KW, OH,
    pitch), read from the phase planes in ``src`` (channel block from ``origin``; plane
    (a, b) ``(a·SW + b)·phase_step`` further), zero where a tap leaves the image."""
    (rphase, rshift, rheld), (cphase, cshift, cheld) = rows, columns
    (sh, sw), (dh, dw) = stride, dilation
    k, kh, kw, oh, _ = grid.shape
    item = grid.dtype.itemsize
    taps = grid.reshape(k, kh, kw, oh * pitch)
    for i0 in range(min(sh, kh)):
        for j0 in range(min(sw, kw)):
            # taps i0, i0+SH, ... read one phase plane at row shifts DH apart
            start = (origin + (rphase[i0] * sw + cphase[j0]) * phase_step
                     + rshift[i0] * pitch + cshift[j0])
            dest = taps[:, i0::sh, j0::sw]
            dest[...] = as_strided(src[start:], dest.shape,
                                   (plane * item, dh * pitch * item, dw * item, item),
                                   writeable=False)
    for i in range(kh):  # rows that fall outside the image: the zero padding
        top = min(oh, max(0, -rshift[i]))
        bottom = min(oh, max(top, rheld[rphase[i]] - rshift[i]))
        if top:
            grid[:, i, :, :top] = 0
        if bottom < oh:
            grid[:, i, :, bottom:] = 0
    for j in range(kw):  # and columns
        left = min(pitch, max(0, -cshift[j]))
        right = min(pitch, max(left, cheld[cphase[j]] - cshift[j]))
        if left:
            grid[:, :, j, :, 0 if left == 1 else slice(0, left)] = 0
        if right < pitch:
            grid[:, :, j, :, right if right == pitch - 1 else slice(right, None)] = 0


def _column_copies(cols, src, start, plane, dw, row, column, pitch):
    """Stride 1: the KW column-shifted copies of a channel block, ``cols`` (k, KW, span),
    copy j of channel ch read from ``src[start + ch·plane + j·DW:]``, zero where it
    leaves the image (``row``: the copies' first row's shift and the image's rows;
    ``column``: each copy's column shift and the image's columns)."""
    k, kw, span = cols.shape
    item = cols.dtype.itemsize
    reach = (kw - 1) * dw + span
    # channels whose reads stay inside src: one strided copy; the others (a few at either
    # end of the layer) clipped: what they miss lies outside the image and is zeroed below
    first = min(k, max(0, -(start // plane)))
    last = max(first, min(k, (src.size - start - reach) // plane + 1))
    cols[first:last] = as_strided(src[start + first * plane :], (last - first, kw, span),
                                  (plane * item, dw * item, item), writeable=False)
    for ch in (*range(first), *range(last, k)):
        for j in range(kw):
            at = start + ch * plane + j * dw
            lo, hi = max(0, -at), min(span, src.size - at)
            if hi > lo:
                cols[ch, j, lo:hi] = src[at + lo : at + hi]
    (shift, held), (cshift, cheld) = row, column
    grid = cols.reshape(k, kw, span // pitch, pitch)
    top = min(grid.shape[2], max(0, -shift))  # rows outside the image: the zero padding
    bottom = min(grid.shape[2], max(top, held - shift))
    if top:
        grid[:, :, :top] = 0
    if bottom < grid.shape[2]:
        grid[:, :, bottom:] = 0
    for j in range(kw):  # and columns
        left = min(pitch, max(0, -cshift[j]))
        right = min(pitch, max(left, cheld - cshift[j]))
        if left:  # an index for one column: NumPy's inner loop then runs down the rows
            grid[:, j, :, 0 if left == 1 else slice(0, left)] = 0
        if right < pitch:
            grid[:, j, :, right if right == pitch - 1 else slice(right, None)] = 0
