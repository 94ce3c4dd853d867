"""Winograd's minimal filtering F(2×2, 3×3) for 3×3 convolutions at stride 1.

Every 2×2 block of outputs reads a 4×4 tile of the (padded) input ``d``.
Instead of 2·2·9 = 36 multiplications per channel pair, Winograd computes

    Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A

with the 16 products of the element-wise ``⊙`` (Lavin and Gray, "Fast
Algorithms for Convolutional Neural Networks", 2015)::

         ⎡1  0 -1  0⎤        ⎡1    0    0 ⎤        ⎡1  1  1  0⎤
    Bᵀ = ⎢0  1  1  0⎥    G = ⎢1/2  1/2 1/2⎥   Aᵀ = ⎣0  1 -1 -1⎦
         ⎢0 -1  1  0⎥        ⎢1/2 -1/2 1/2⎥
         ⎣0  1  0 -1⎦        ⎣0    0    1 ⎦

Summed over input channels, the ``⊙`` becomes 16 independent matrix products
``U[ab] @ V[ab]`` of shapes (F, C) @ (C, tiles): 16·F·C·HW/4 = 4·F·C·HW
multiply-adds instead of 9·F·C·HW for im2col, and no 9× copy of the input.
The transforms are additions only (and halvings in ``G``), so the result
differs from the direct sum by rounding alone, a few times more than im2col
in float32 (the transformed values are sums of up to 9 terms).

``U = G g Gᵀ`` depends on the weights only; :func:`weight_transform` caches
it per weight array, checked against a copy of the weights each call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

__all__ = ["winograd_conv3x3", "weight_transform", "clear_cache", "CACHE_BYTES"]

#: Upper bound on the bytes the transform cache holds (transforms plus the
#: copies of the weights they were computed from); least recently used first out.
CACHE_BYTES = 256 * 2**20

_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()  # the cache is shared by every thread of the process


def clear_cache() -> None:
    """Forget every cached weight transform."""
    with _LOCK:
        _CACHE.clear()


#: G of F(2×2, 3×3): the kernel transform U = G g Gᵀ.
G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])


def _transform(w: np.ndarray) -> np.ndarray:
    """G g Gᵀ for every (f, c): (F, C, 3, 3) -> (16, F, C), in ``w``'s dtype.

    ``U[4a + b] = Σ_ij G[a, i] G[b, j] g[i, j]``: one matrix product of the
    (16, 9) Kronecker product ``G ⊗ G`` (its entries 0, ±1/4, ±1/2, 1 are exact
    in any float type) with the flattened kernels.
    """
    f, c = w.shape[:2]
    kron = np.kron(G, G).astype(w.dtype)  # (16, 9)
    g = np.ascontiguousarray(w).reshape(f * c, 9)
    return (kron @ g.T).reshape(16, f, c)  # (16, 9) @ (9, F*C) -> (16, F*C)


def weight_transform(w: np.ndarray) -> np.ndarray:
    """``G g Gᵀ`` of a (F, C, 3, 3) weight as (16, F, C), from the cache when valid.

    The cache is keyed by the array's id, address, shape, strides and dtype,
    and an entry is served only if the weights are still bit for bit those it
    was computed from (compared with a stored copy: one pass over the weights,
    far cheaper than the transform), so changing the weights in place, or a
    new array reusing a freed one's id, never gets a stale transform.
    """
    key = (id(w), w.__array_interface__["data"][0], w.shape, w.strides, w.dtype.str)
    bits = np.dtype(f"u{w.dtype.itemsize}")
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        copy, u = hit
        if np.array_equal(copy.view(bits), w.view(bits)):
            with _LOCK:
                if key in _CACHE:
                    _CACHE.move_to_end(key)
            return u
    u = _transform(w)
    size = u.nbytes + w.nbytes
    with _LOCK:
        _CACHE.pop(key, None)
        if size <= CACHE_BYTES:
            while _CACHE and sum(c.nbytes + t.nbytes for c, t in _CACHE.values()) + size > CACHE_BYTES:
                _CACHE.popitem(last=False)
            _CACHE[key] = (w.copy(), u)
    return u


#: Bytes of transformed input per block of tile rows: the input transform, the
#: 16 matrix products and the output transform of one block stay in cache.
BLOCK_BYTES = 2**20
#: ... but at least this many tiles per block per channel (of the larger of C and F):
#: thinner matrix products run far below the BLAS's peak, and each block reads all
#: 16 transformed weight matrices again (measured, 512 channels at 28×28: blocks of
#: 28 tiles ran 1.21× torch's time, of 196 tiles 0.70×; 64 channels at 224×224 are
#: best with the blocks of BLOCK_BYTES, 224 tiles).
MIN_BLOCK_TILES_PER_CHANNEL = 3


def winograd_conv3x3(x: np.ndarray, w: np.ndarray, padding, bias=None) -> np.ndarray:
    """3×3 convolution at stride 1, dilation 1, groups 1 by F(2×2, 3×3).

    Parameters
    ----------
    x : (N, C, H, W) float array
    w : (F, C, 3, 3) of the same dtype
    padding : ((top, bottom), (left, right)) zero padding
    bias : None or (F,) of the same dtype

    Returns
    -------
    (N, F, H', W') with H' = H + top + bottom - 2 (likewise W').

    Notes
    -----
    Tile (y, x) reads rows 2y..2y+3 and columns 2x..2x+3 of the padded image.
    The padded image is first split by row and column parity into four
    contiguous planes ``E[py, px] = xp[:, py::2, px::2]``; row ``2y + k`` of
    the tiles is then row ``y + k // 2`` of plane ``k % 2``, so every step of
    the transforms reads contiguous rows instead of every other element.
    The tiles are processed in blocks of tile rows (``BLOCK_BYTES``).
    The bias is added to ``M[1, 1]``, which ``Aᵀ M A`` adds to each of the
    four outputs of a tile with coefficient 1 (column 1 of Aᵀ is (1, 1)): no extra
    pass over the output.
    """
    n, c, h, wd = x.shape
    f = w.shape[0]
    dt = x.dtype
    (top, bottom), (left, right) = padding
    oh, ow = h + top + bottom - 2, wd + left + right - 2
    th, tw = -(-oh // 2), -(-ow // 2)  # tiles of 2×2 outputs
    u = weight_transform(w)  # (16, F, C)
    out = np.empty((n, f, th, 2, tw, 2), dtype=dt)  # out[n, f, y, i, x, j] = Y[2y+i, 2x+j]
    nb = max(1, BLOCK_BYTES // (16 * max(c, f) * tw * dt.itemsize),
             -(-MIN_BLOCK_TILES_PER_CHANNEL * max(c, f) // tw))
    nb = min(th, nb)  # tile rows per block
    rows_t = np.empty((4, 2, c, nb, tw + 1), dtype=dt)  # Bᵀ d per column parity
    v_buf = np.empty((16, c, nb * tw), dtype=dt)  # Bᵀ d B
    m_buf = np.empty((16, f, nb * tw), dtype=dt)  # U ⊙ V summed over C
    s_buf = np.empty((2, 4, f, nb * tw), dtype=dt)  # Aᵀ M
    for i in range(n):
        # one zero canvas holds the padding and the extra row/column of an odd size
        xp = np.zeros((c, 2 * th + 2, 2 * tw + 2), dtype=dt)
        xp[:, top : top + h, left : left + wd] = x[i]
        # (C, 2th+2, 2tw+2) -> (2, 2, C, th+1, tw+1): E[py, px] = xp[:, py::2, px::2]
        planes = np.ascontiguousarray(xp.reshape(c, th + 1, 2, tw + 1, 2).transpose(2, 4, 0, 1, 3))
        for y0 in range(0, th, nb):
            b = min(th, y0 + nb) - y0
            q = b * tw  # tiles in this block
            # r[k][px] = rows 2y + k of the tiles, column parity px: (2, C, b, tw+1)
            r = [planes[k % 2, :, :, y0 + k // 2 : y0 + k // 2 + b] for k in range(4)]
            t = rows_t[:, :, :, :b]
            np.subtract(r[0], r[2], out=t[0])
            np.add(r[1], r[2], out=t[1])
            np.subtract(r[2], r[1], out=t[2])
            np.subtract(r[1], r[3], out=t[3])
            v = v_buf[:, :, :q].reshape(4, 4, c, b, tw)  # (16, C, q) -> (4, 4, C, b, tw)
            for a in range(4):
                col = [t[a, k % 2, :, :, k // 2 : k // 2 + tw] for k in range(4)]  # (C, b, tw)
                np.subtract(col[0], col[2], out=v[a, 0])
                np.add(col[1], col[2], out=v[a, 1])
                np.subtract(col[2], col[1], out=v[a, 2])
                np.subtract(col[1], col[3], out=v[a, 3])
            m = m_buf[:, :, :q]
            np.matmul(u, v.reshape(16, c, q), out=m)  # (16, F, C) @ (16, C, q) -> (16, F, q)
            if bias is not None:
                m[5] += bias[:, None]  # M[1, 1] (F, q) += b (F, 1)
            m = m.reshape(4, 4, f, q)
            s = s_buf[:, :, :, :q]  # Aᵀ M: rows of the 2×2 output tiles
            np.add(m[1], m[2], out=s[1])
            np.add(m[0], s[1], out=s[0])
            np.subtract(m[1], m[2], out=s[1])
            s[1] -= m[3]
            dest = out[i, :, y0 : y0 + b]  # (F, b, 2, tw, 2)
            for row in range(2):
                sr = s[row].reshape(4, f, b, tw)
                left_col = dest[:, :, row, :, 0]
                np.add(sr[1], sr[2], out=left_col)
                left_col += sr[0]
                right_col = dest[:, :, row, :, 1]
                np.subtract(sr[1], sr[2], out=right_col)
                right_col -= sr[3]
    out = out.reshape(n, f, 2 * th, 2 * tw)
    if (2 * th, 2 * tw) != (oh, ow):
        out = np.ascontiguousarray(out[:, :, :oh, :ow])
    return out
