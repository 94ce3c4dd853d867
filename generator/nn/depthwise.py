"""Depthwise convolution (groups == in_channels, out_channels a multiple of them).

A depthwise layer has M KH×KW kernels per input channel (M = out/in, the
channel multiplier; 1 in MobileNet), output channel ``c·M + r`` being kernel
r of channel c:

    out[n, c·M + r, y, x] = Σ_ij  w[c·M + r, i, j] · x[n, c, y·SH + i·DH − PT, x·SW + j·DW − PL]

(zero where the index leaves the image). im2col would make KH·KW copies of
the input for a product of M rows per channel; at stride 1 this module
makes KW copies and lets two matrix products do the rest:

1. **KW column-shifted copies** of the image's rows, read straight from the
   unpadded input. On a flat grid whose pitch is the input's width W, copy j
   of channel c holds ``x_flat[p + j·DW − PL]`` at position p of the
   image: one contiguous run per copy and channel, no padded input. Reads
   that cross the left or right border land on the neighbouring row;
   exactly those entries are the ones padding makes zero, and they are set
   to zero after the copy (a few columns per copy, each one strided run
   through the block's channels).
2. **Each kernel row's sum over its columns**, for every row of the image:
   the (M·KH, KW) kernels times the (KW, H·W) copies, one product per
   channel. The rows of padding above and below the image (PT and PB rows)
   are set to zero in the sums, which are laid out with room for them.
3. **The kernel rows' sums added**, row i moved down by i·DH image rows: the
   KH rows of step 2, each read DH·W values further into its sums than the
   one before, times a row of ones. When the output is as wide as the input (PyTorch's
   ``padding=(K−1)/2``) this product writes the output in its final layout.

That moves about 3 + 3 + 3 + 3 + 1 = 13 input-sized arrays through the
cache for a 3×3 kernel, where im2col's copies and product move 9 + 9 + 1.

A strided layer is first split into its SH×SW **phase planes**
``x[:, :, a::SH, b::SW]`` (one pass over the input, each plane at the
output's pitch); tap i then reads phase ``(i·DH − PT) mod SH`` at row shift
``⌊(i·DH − PT) / SH⌋``, a contiguous run again, so the KH·KW taps are copied
from the planes (zeroed where they leave the image) and one product of M
rows per channel gives the output. When every plane is read unshifted by
some tap (3×3, stride 2, padding 1: taps (1, 1), (1, 2), (2, 1) and (2, 2)),
the split writes each plane in that tap's place and the other five taps are
copied from there: 5 copies instead of 9, a fifth of the layer's time.

Channels go in blocks whose copies take at most ``BLOCK_BYTES``. The copies,
sums and planes live in buffers this thread keeps between calls (up to
``KEEP_BYTES`` each): the first write to a fresh array of a few megabytes
costs a page fault per page the C library has to get from the system,
measured at 1.5 µs each here, 11 times the time of the write itself.

Measured alternatives (one thread, MobileNetV2's layers, time relative to
this module): im2col's KH·KW copies of the padded input and one product,
1.4×; accumulating tap by tap with preallocated ``out=`` buffers in
cache-sized channel blocks (``np.multiply(view, w, out=t)``, ``np.add(acc, t,
out=acc)``), 2–3×: NumPy makes two passes per tap, each at about 7.5 values
per ns whether the block is in L2 or not, so 17 passes cost more than the
products; ``np.einsum`` on the strided windows, 11×. At stride 2: reading
pairs of columns as a transposed (2, N) matrix so that the product does the
de-interleaving, 3× (the product packs such a matrix slowly); complex64
pairs (even, odd column) and one complex product, 1.1×; splitting only the
columns, ``x_flat[e::SW]`` (a third faster than the SH·SW planes, one long
strided copy), and reading each tap's rows SH apart from it, 1.1× (the tap
copies become short rows).

Not done, measured: fusing what follows the layer in a network. With
MobileNetV2's depthwise layers and the batch norm and ReLU6 after each, the
batch norm's multiply and add and the clip applied to each channel block right
after its last product, while the block is in cache (the same operations, so
the same bits as the separate calls), took 1.00–1.05× the time of the same
calls on the whole output afterwards, and one call for the three layers
instead of three saved only its Python overhead (0.94–1.00× per layer, 0.98–
1.02× for the whole network, within the noise). NumPy's element-wise passes
run at about the same speed from cache as from memory (a clip between
scalars 7–9 values per ns from 64 K to 1.2 M values, a per-channel multiply
13–17), while every block costs its own calls, about 2 µs each: MobileNetV2's
52 batch norms and 35 ReLU6 in chunks of 8 K, 32 K and 128 K values took
2.4×, 1.3× and 0.98× the time of whole-array passes.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["depthwise_conv2d", "BLOCK_BYTES", "KEEP_BYTES"]

#: Bytes of copies and row sums per channel block (measured at one thread on
#: MobileNetV2's layers, 1 to 16 MB: from 4 MB on, a layer is one or two blocks, and
#: fewer blocks cost less Python than the cache misses of bigger ones).
BLOCK_BYTES = 2**22
#: The largest scratch buffer a thread keeps for the next call (bigger ones are freed).
KEEP_BYTES = 2**25

_LOCAL = threading.local()


def _scratch(name: str, size: int, dtype) -> np.ndarray:
    """A flat buffer of ``size`` values, kept by this thread for its next call."""
    pool = getattr(_LOCAL, "pool", None)
    if pool is None:
        pool = _LOCAL.pool = {}
    key = (name, np.dtype(dtype))
    buf = pool.get(key)
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype)
        if buf.nbytes <= KEEP_BYTES:
            pool[key] = buf
        else:
            pool.pop(key, None)
    return buf[:size]


def _view(flat: np.ndarray, start: int, shape, strides) -> np.ndarray:
    """The strided view of the contiguous 1-D ``flat`` from element ``start``, strides in
    elements; NumPy checks that it stays inside ``flat`` (and it is read-only if ``flat`` is)."""
    item = flat.itemsize
    return np.ndarray(shape, flat.dtype, buffer=flat, offset=start * item,
                      strides=tuple(s * item for s in strides))


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
    w : (C·M, 1, KH, KW) weights of the same dtype (M kernels per channel)
    stride, dilation, out_hw : pairs of ints
    padding : ((top, bottom), (left, right)); bottom and right only through ``out_hw``

    Returns
    -------
    (N, C·M, OH, OW), no bias
    """
    x = np.ascontiguousarray(x)
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    m = f // c
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    (pt, _), (pl, _) = padding
    dtype = x.dtype
    rows_ = _taps(kh, dh, pt, sh, h)
    cols_ = _taps(kw, dw, pl, sw, wd)
    if (sh, sw) == (1, 1):
        out = _stride1(x, w.reshape(c, m * kh, kw), rows_, cols_, (dh, dw), (oh, ow))
    else:
        out = _strided(x, w.reshape(c, m, kh * kw), rows_, cols_, stride, (dh, dw), (oh, ow))
    pitch = out.shape[-1] // oh
    out = out.reshape(n, f, oh, pitch)
    return out if pitch == ow else np.ascontiguousarray(out[..., :ow])


def _planes(x, b, rows, columns, stride, pitch, plane_rows, lead, size, taps=None):
    """Batch item b of ``x`` split into its phase planes, in a scratch buffer of ``size``
    values: plane (a, e) of channel ch from ``lead + ((a·SW + e)·C + ch)·plane_rows·pitch``,
    ``plane_rows`` rows at ``pitch``, zero outside the image's values."""
    (rphase, _, rheld), (cphase, _, cheld) = rows, columns
    sh, sw = stride
    c = x.shape[1]
    plane = plane_rows * pitch
    src = _scratch("planes", size, x.dtype)
    src[:lead] = 0
    src[lead + sh * sw * c * plane:] = 0
    for a in sorted(set(rphase)):
        for e in sorted(set(cphase)):
            start = lead + (a * sw + e) * c * plane
            dest = src[start: start + c * plane].reshape(c, plane_rows, pitch)
            dest[:, : rheld[a], : cheld[e]] = x[b, :, a::sh, e::sw]
            if rheld[a] < plane_rows:
                dest[:, rheld[a]:] = 0
            if cheld[e] < pitch:
                dest[:, : rheld[a], cheld[e]:] = 0
    return src


def _stride1(x, wm, rows, columns, dilation, out_hw):
    """Steps 1–3 of the module docstring; returns (N, C, M, OH·pitch).

    Per channel, the copies and the sums cover the rows the layer reads, PT above the
    image to PB below, but only the image's rows are copied and multiplied: the rows of
    padding are zeros written into the sums (or, for a one-row kernel, the copies). A
    block's copies are laid out copy by copy, (KW, k, span), and its sums (M·KH, k, span):
    a column to zero is then one strided run through all channels of the block."""
    n, c, h, wd = x.shape
    mkh, kw = wm.shape[1:]
    (rphase, rshift, rheld), (cphase, cshift, cheld) = rows, columns
    kh = len(rshift)
    m = mkh // kh
    (dh, dw), (oh, ow) = dilation, out_hw
    dtype = x.dtype
    item = dtype.itemsize
    direct = ow <= wd  # read the input itself, no padded plane
    pitch = wd if direct else max(cheld[0], ow)
    plane = h * pitch  # the image's rows, on the flat grid
    q = oh * pitch  # output positions per channel on the flat grid
    span = (oh + dh * (kh - 1)) * pitch  # values per copy and per sum
    top = -rshift[0]  # rows of padding above the image (PT), then the image's H rows
    cb = max(1, min(c, BLOCK_BYTES // ((kw + mkh) * span * item)))
    copies = _scratch("copies", kw * cb * span, dtype)
    sums = _scratch("sums", mkh * cb * span, dtype)
    ones = np.ones((1, kh), dtype=dtype)
    out = np.empty((n, c, m, q), dtype=dtype)
    for b in range(n):
        if direct:
            src = x[b].reshape(-1)
        else:  # the output wider than the input: the image at the output's pitch
            src = _planes(x, b, rows, columns, (1, 1), pitch, h, 0, c * plane)
        for c0 in range(0, c, cb):
            k = min(c, c0 + cb) - c0
            # 1. the KW column-shifted copies of the image's rows: (KW, k, span)
            _column_copies(copies, (kw, k, span), cb * span, src, c0 * plane,
                           plane, top * pitch, (cshift, cheld[0]), pitch)
            dest = out[b, c0: c0 + k]  # (k, M, q)
            if kh == 1:  # (k, M, KW) @ (k, KW, Q): the output, once the padding rows are 0
                _zero_padding_rows(copies, kw, k, cb, span, top * pitch, plane,
                                   [(0, q)] * kw)
                np.matmul(wm[c0: c0 + k], np.ndarray((k, kw, span), dtype, buffer=copies,
                                                     strides=(span * item, cb * span * item,
                                                              item)), out=dest)
                continue
            # 2. each kernel row's sum over its columns, on the image's rows:
            #    (k, M·KH, KW) @ (k, KW, H·pitch); the rows of padding set to zero
            image = top * pitch * item
            np.matmul(wm[c0: c0 + k],
                      np.ndarray((k, kw, plane), dtype, buffer=copies, offset=image,
                                 strides=(span * item, cb * span * item, item)),
                      out=np.ndarray((k, mkh, plane), dtype, buffer=sums, offset=image,
                                     strides=(span * item, cb * span * item, item)))
            _zero_padding_rows(sums, mkh, k, cb, span, top * pitch, plane,
                               [(i * dh * pitch, q) for i in range(kh)] * m)
            # 3. the kernel rows' sums added, row i moved up by i·DH image rows: a product
            #    with ones over rows (k·span + DH·pitch) apart: (1, KH) @ (k, M, KH, Q)
            moved = np.ndarray((k, m, kh, q), dtype, buffer=sums,
                               strides=(span * item, kh * cb * span * item,
                                        (cb * span + dh * pitch) * item, item))
            np.matmul(ones, moved, out=dest[:, :, None, :])
    return out


def _zero_padding_rows(buf, count, k, cb, span, above, image, reads):
    """Zero the padding the product reads in the ``count`` arrays (each (k, span),
    ``cb·span`` apart) in ``buf``: per channel, the ``above`` values before the image's
    ``image`` values and those after them, where array t is read from ``reads[t] =
    (first, length)``."""
    grid = buf[: count * cb * span].reshape(count, cb, span)
    for t, (first, length) in enumerate(reads):
        if first < above:
            grid[t, :k, first: min(above, first + length)] = 0
        if first + length > above + image:
            grid[t, :k, max(first, above + image): first + length] = 0


def _strided(x, wm, rows, columns, stride, dilation, out_hw):
    """A strided layer from its phase planes; returns (N, C, M, OH·pitch)."""
    n, c, h, wd = x.shape
    m, kk = wm.shape[1:]
    (rphase, rshift, rheld), (cphase, cshift, cheld) = rows, columns
    kh, kw = len(rshift), len(cshift)
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    dtype = x.dtype
    pitch = max(max(cheld), ow)  # the planes' pitch is the output grid's
    plane_rows = max(max(rheld), 1)
    q = oh * pitch
    # A plane that some tap reads unshifted is split straight into that tap's place
    # among the copies (its "home"), and the plane's other taps are copied from there:
    # possible when every plane has such a tap and fits the OH rows of a tap.
    homes = {}
    for i in range(kh):
        for j in range(kw):
            if rshift[i] == 0 and cshift[j] == 0:
                homes.setdefault((rphase[i], cphase[j]), (i, j))
    used = {(rphase[i], cphase[j]) for i in range(kh) for j in range(kw)}
    if used <= homes.keys() and plane_rows <= oh:
        return _strided_in_place(x, wm, rows, columns, stride, dilation, out_hw, homes, pitch)
    plane = plane_rows * pitch
    # the planes' flat reads, relative to a channel's start: from `low` to `high` (exclusive)
    low = min(rshift) * pitch + min(cshift)
    high = (oh - 1 + max(rshift)) * pitch + pitch + max(cshift)
    lead = max(0, -low)  # margins, so that every read stays inside the planes' buffer
    size = lead + sh * sw * c * plane + max(0, high - plane)
    cb = max(1, min(c, BLOCK_BYTES // (kk * q * dtype.itemsize)))
    copies = _scratch("copies", cb * kk * q, dtype).reshape(cb, kk, q)
    out = np.empty((n, c, m, q), dtype=dtype)
    # taps i0, i0+SH, ... (j0, j0+SW, ...) read one phase plane at row (column) shifts
    # DH (DW) apart: one copy per plane, each a contiguous run of OH·pitch values
    reads = [(slice(i0, None, sh), slice(j0, None, sw),
              lead + (rphase[i0] * sw + cphase[j0]) * c * plane + rshift[i0] * pitch + cshift[j0])
             for i0 in range(min(sh, kh)) for j0 in range(min(sw, kw))]
    for b in range(n):
        src = _planes(x, b, rows, columns, stride, pitch, plane_rows, lead, size)
        for c0 in range(0, c, cb):
            k = min(c, c0 + cb) - c0
            taps = copies[:k].reshape(k, kh, kw, q)
            for rs, cs, start in reads:
                dest = taps[:, rs, cs]
                dest[...] = _view(src, start + c0 * plane, dest.shape, (plane, dh * pitch, dw, 1))
            _zero_outside(copies[:k].reshape(k, kh, kw, oh, pitch), rows, columns)
            np.matmul(wm[c0: c0 + k], copies[:k], out=out[b, c0: c0 + k])  # (k, M, KK) @ (k, KK, Q)
    return out


def _strided_in_place(x, wm, rows, columns, stride, dilation, out_hw, homes, pitch):
    """:func:`_strided` when each phase plane has a tap that reads it unshifted (3×3,
    stride 2, padding 1: four of the nine taps): the split writes each plane into its
    home tap's place among the copies, and only the other taps are copied, from there.

    The copies are stored tap by tap, (KK, k, Q): a tap copied from its home then
    lies apart from it, and NumPy copies it directly (within one channel's taps the two
    ranges would interleave, and NumPy would go through a temporary copy)."""
    n, c, h, wd = x.shape
    m, kk = wm.shape[1:]
    (rphase, rshift, rheld), (cphase, cshift, cheld) = rows, columns
    kh, kw = len(rshift), len(cshift)
    (sh, sw), (oh, ow) = stride, out_hw
    dtype = x.dtype
    item = dtype.itemsize
    q = oh * pitch
    cb = max(1, min(c, BLOCK_BYTES // (kk * q * item)))
    copies = _scratch("copies", kk * cb * q, dtype)
    # tap (i, j) of a block of k channels: (k, Q) from kw·i + j
    others = []
    for i in range(kh):
        for j in range(kw):
            home = homes[rphase[i], cphase[j]]
            if home != (i, j):  # read the home at this shift (from a later or earlier value)
                others.append((kw * i + j, kw * home[0] + home[1],
                               rshift[i] * pitch + cshift[j]))
    out = np.empty((n, c, m, q), dtype=dtype)
    for b in range(n):
        for c0 in range(0, c, cb):
            k = min(c, c0 + cb) - c0
            taps = copies[: kk * k * q].reshape(kk, k, q)
            for (a, e), (i, j) in homes.items():  # the split, into the home taps
                plane = taps[kw * i + j].reshape(k, oh, pitch)
                plane[:, : rheld[a], : cheld[e]] = x[b, c0: c0 + k, a::sh, e::sw]
                if rheld[a] < oh:
                    plane[:, rheld[a]:] = 0
                if cheld[e] < pitch:
                    plane[:, :, cheld[e]:] = 0
            for t, home, shift in others:  # one contiguous run per channel; the values
                # it does not reach lie outside the image, zeroed below
                if abs(shift) >= q:
                    continue
                if shift <= 0:
                    taps[t, :, -shift:] = taps[home, :, : q + shift]
                else:
                    taps[t, :, : q - shift] = taps[home, :, shift:]
            _zero_outside(taps.reshape(kh, kw, k, oh, pitch).transpose(2, 0, 1, 3, 4),
                          rows, columns)
            by_channel = np.ndarray((k, kk, q), dtype, buffer=copies,
                                    strides=(q * item, k * q * item, item))
            np.matmul(wm[c0: c0 + k], by_channel, out=out[b, c0: c0 + k])  # (k, M, KK) @ (k, KK, Q)
    return out


def _zero_outside(grid, rows, columns):
    """Zero the taps' values outside the image in ``grid`` (k, KH, KW, OH, pitch): tap
    (i, j) of output (y, x) reads row ``y + shift`` of phase plane ``phase`` (and column
    ``x + shift``), inside the image while that is below the rows (columns) the plane holds."""
    (rphase, rshift, rheld), (cphase, cshift, cheld) = rows, columns
    oh, pitch = grid.shape[3:]
    for i in range(grid.shape[1]):  # rows that fall outside the image: the zero padding
        top = min(oh, max(0, -rshift[i]))
        bottom = min(oh, max(top, rheld[rphase[i]] - rshift[i]))
        if top:
            grid[:, i, :, :top] = 0
        if bottom < oh:
            grid[:, i, :, bottom:] = 0
    for j in range(grid.shape[2]):  # and columns
        left = min(pitch, max(0, -cshift[j]))
        right = min(pitch, max(left, cheld[cphase[j]] - cshift[j]))
        if left:
            grid[:, :, j, :, 0 if left == 1 else slice(0, left)] = 0
        if right < pitch:
            grid[:, :, j, :, right if right == pitch - 1 else slice(right, None)] = 0


def _column_copies(copies, shape, step, src, start, plane, above, column, pitch):
    """Stride 1: the KW column-shifted copies of a channel block's image rows into
    ``copies`` (``shape`` (KW, k, span), copies ``step`` values apart, channel ch's
    image ``above`` values into its span): copy j of channel ch holds
    ``src[start + ch·plane + p + shift_j]`` at image position p, and zero in the columns
    outside the image (``column``: each copy's column shift and the image's columns).
    Every read stays in the channel's plane; the values a shift does not reach lie
    in those columns."""
    kw, k, span = shape
    dtype = copies.dtype
    item = dtype.itemsize
    cshift, cheld = column
    for j in range(kw):
        s = cshift[j]
        count = plane - abs(s)
        if count > 0:
            dest = np.ndarray((k, count), dtype, buffer=copies,
                              offset=(j * step + above + max(0, -s)) * item,
                              strides=(span * item, item))
            dest[...] = _view(src, start + max(0, s), (k, count), (plane, 1))
    rows = span // pitch
    for j in range(kw):  # the columns outside the image: one strided run per column
        grid = copies[j * step: j * step + k * span].reshape(k * rows, pitch)
        left = min(pitch, max(0, -cshift[j]))
        right = min(pitch, max(left, cheld - cshift[j]))
        for col in (*range(left), *range(right, pitch)):
            grid[:, col] = 0
