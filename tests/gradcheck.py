"""Numerical gradients by centred differences: the one check of every backward pass.

For a scalar function ``loss()`` of an array ``a`` (read at call time, so the
check can change ``a`` in place), each partial derivative is estimated as

    (loss(a + h e_i) - loss(a - h e_i)) / 2h

whose error is O(h^2) for smooth functions. In float64 with ``h = 1e-6`` that
leaves about 1e-9 of truncation and 1e-10 of rounding error (eps / h), far
below the tolerance :func:`assert_close` uses.
"""

from __future__ import annotations

import numpy as np

#: Step of the centred differences.
H = 1e-6
#: Largest accepted |analytic - numeric| / max(1, |numeric|).
TOL = 1e-6


def numeric_grad(loss, a: np.ndarray, entries=None, h: float = H) -> np.ndarray:
    """Centred differences of ``loss()`` with respect to ``a``.

    ``entries``: flat indices to estimate (all by default). Returns an array
    shaped like ``a`` when all are estimated, else one value per entry. ``a``
    is changed in place during the check and restored exactly.
    """
    if a.dtype != np.float64:
        raise TypeError(f"check gradients in float64, not {a.dtype}")
    flat = a.reshape(-1)
    if not np.shares_memory(flat, a):
        raise ValueError("the array must be contiguous, so that the loss sees each change")
    indices = range(a.size) if entries is None else entries
    out = np.empty(len(indices))
    for n, i in enumerate(indices):
        old = flat[i]
        flat[i] = old + h
        up = loss()
        flat[i] = old - h
        down = loss()
        flat[i] = old
        out[n] = (up - down) / (2 * h)
    return out.reshape(a.shape) if entries is None else out


def assert_close(analytic, numeric, tol: float = TOL) -> None:
    """Every analytic value within ``tol`` of the estimate, relative where |numeric| > 1."""
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    assert analytic.shape == numeric.shape, (analytic.shape, numeric.shape)
    err = np.abs(analytic - numeric) / np.maximum(1.0, np.abs(numeric))
    assert err.max() <= tol, f"largest error {err.max():.3g} at {np.unravel_index(err.argmax(), err.shape)}"


def check_grad(loss, a: np.ndarray, analytic, entries=None, tol: float = TOL) -> None:
    """Assert that ``analytic`` (shaped like ``a``) is the gradient of ``loss()`` w.r.t. ``a``."""
    analytic = np.asarray(analytic)
    assert analytic.shape == a.shape, (analytic.shape, a.shape)
    picked = analytic if entries is None else analytic.reshape(-1)[list(entries)]
    assert_close(picked, numeric_grad(loss, a, entries), tol)
