"""Distances between embeddings and the triplet loss (Schroff, Kalenichenko and Philbin, 2015)."""

from __future__ import annotations

import numpy as np


def l2_normalise(f: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length: (N, D) -> (N, D), so squared distances lie in [0, 4]."""
    return f / np.linalg.norm(f, axis=-1, keepdims=True)


def squared_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``||a - b||²`` over the last axis; broadcasts, e.g. (D,) with (N, D) -> (N,)."""
    d = np.asarray(a) - np.asarray(b)
    return np.sum(d * d, axis=-1)


def pairwise_squared_distances(f: np.ndarray) -> np.ndarray:
    """``D[i, j] = ||f_i - f_j||²`` for rows of ``f``: (N, D) -> (N, N), zero diagonal.

    Computed as ``|f_i|² + |f_j|² - 2 f_i·f_j`` (one matrix product), clipped at 0
    against rounding.
    """
    sq = np.sum(f * f, axis=1)
    d = sq[:, None] + sq[None, :] - 2 * (f @ f.T)
    np.fill_diagonal(d, 0.0)
    return np.maximum(d, 0.0)


def triplet_loss(d_ap, d_an, alpha):
    """``max(d(A, P) - d(A, N) + alpha, 0)`` from the squared distances; broadcasts.

    Zero once the negative is farther from the anchor than the positive by
    at least the margin ``alpha``.
    """
    return np.maximum(np.asarray(d_ap) - np.asarray(d_an) + alpha, 0.0)
