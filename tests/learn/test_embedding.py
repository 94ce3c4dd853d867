"""Triplet loss and distances: the notes' case and exact hand cases."""

from __future__ import annotations

import numpy as np
import pytest

from generator import learn


def test_the_notes_case():
    # d(A, P) = 0.5, d(A, N) = 0.51, alpha = 0.2: 0.5 - 0.51 + 0.2 = 0.19
    assert float(learn.triplet_loss(0.5, 0.51, 0.2)) == pytest.approx(0.19, abs=1e-15)


def test_exact_cases():
    assert learn.triplet_loss(0.25, 0.5, 0.125) == 0.0       # margin met with room
    assert learn.triplet_loss(0.5, 0.25, 0.125) == 0.375     # negative closer than positive
    assert learn.triplet_loss(0.5, 0.625, 0.125) == 0.0      # exactly on the margin
    assert learn.triplet_loss(np.array([0.5, 0.25]), 0.5, 0.25).tolist() == [0.25, 0.0]


def test_squared_distance_and_normalise():
    a, b = np.array([3.0, 4.0]), np.array([0.0, 0.0])
    assert learn.squared_distance(a, b) == 25.0
    assert learn.l2_normalise(a).tolist() == [0.6, 0.8]
    pts = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    assert learn.squared_distance(pts[0], pts).tolist() == [0.0, 2.0, 4.0]


def test_pairwise_distances_match_the_direct_formula():
    from generator.learn.embedding import pairwise_squared_distances

    f = np.random.default_rng(0).normal(size=(7, 5))
    direct = learn.squared_distance(f[:, None, :], f[None, :, :])
    assert np.allclose(pairwise_squared_distances(f), direct, rtol=0, atol=1e-12)
    assert np.all(np.diag(pairwise_squared_distances(f)) == 0)
