"""Neural style transfer's costs (Gatys, Ecker and Bethge, 2016), as the course writes them.

Activations ``a`` of one layer have shape (n_C, n_H, n_W) (one image, NCHW
without the N).
"""

from __future__ import annotations

import numpy as np


def gram_matrix(a: np.ndarray) -> np.ndarray:
    """The style matrix ``G[k, k'] = sum_i sum_j a[k, i, j] a[k', i, j]``.

    a: (n_C, n_H, n_W) -> (n_C, n_C), symmetric; large where channels k and
    k' are active at the same places.
    """
    n_c = a.shape[0]
    flat = a.reshape(n_c, -1).astype(np.float64)  # (n_C, n_H, n_W) -> (n_C, n_H*n_W)
    return flat @ flat.T


def content_cost(a_c: np.ndarray, a_g: np.ndarray) -> float:
    """``J_content(C, G) = 1/2 ||a(C) - a(G)||²`` (the course's form)."""
    d = a_c.astype(np.float64) - a_g.astype(np.float64)
    return float(0.5 * np.sum(d * d))


def layer_style_cost(a_s: np.ndarray, a_g: np.ndarray) -> float:
    """``J_style(S, G) = 1/(2 n_H n_W n_C)² · sum_k sum_k' (G(S)[k,k'] - G(G)[k,k'])²``."""
    n_c, n_h, n_w = a_s.shape
    d = gram_matrix(a_s) - gram_matrix(a_g)
    return float(np.sum(d * d) / (2 * n_h * n_w * n_c) ** 2)


def total_cost(j_content: float, j_style: float, alpha: float, beta: float) -> float:
    """``J(G) = alpha J_content(C, G) + beta J_style(S, G)``."""
    return alpha * j_content + beta * j_style
