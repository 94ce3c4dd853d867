"""Gram matrix, content and style costs on a hand-computed 2-channel example."""

from __future__ import annotations

import numpy as np
import pytest

from generator import learn

A = np.array([[[1, 0], [2, 1]],
              [[0, 3], [1, 1]]], dtype=float)   # (n_C, n_H, n_W) = (2, 2, 2)
B = np.array([[[1, 1], [2, 0]],
              [[0, 3], [0, 1]]], dtype=float)


def test_gram_by_hand():
    # G11 = 1+0+4+1, G12 = 0+0+2+1, G22 = 0+9+1+1
    assert learn.gram_matrix(A).tolist() == [[6.0, 3.0], [3.0, 11.0]]
    assert learn.gram_matrix(B).tolist() == [[6.0, 3.0], [3.0, 10.0]]


def test_costs_by_hand():
    # differences: channel 1 (0, -1, 0, 1), channel 2 (0, 0, 1, 0): 1/2 * 3
    assert learn.content_cost(A, B) == 1.5
    # Gram difference only in G22: 1^2 = 1, over (2 * 2*2*2)^2 = 256
    assert learn.layer_style_cost(A, B) == 1 / 256
    assert learn.total_cost(1.5, 1 / 256, 10, 40) == 15 + 40 / 256


def test_gram_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(0).normal(size=(6, 7, 5))
    t = torch.from_numpy(a).reshape(6, -1)
    assert np.allclose(learn.gram_matrix(a), (t @ t.T).numpy(), rtol=1e-12, atol=1e-12)
