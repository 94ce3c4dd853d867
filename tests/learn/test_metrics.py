"""Top-k and the confusion matrix on hand-computed cases (and torch.topk where installed)."""

from __future__ import annotations

import numpy as np
import pytest

from generator import learn

SCORES = np.array([[0.1, 2.5, 0.3, 1.9, -1.0],
                   [1.2, 0.4, 0.8, 3.0, 2.9],
                   [5.0, 4.0, 3.0, 2.0, 1.0]])
LABELS = np.array([3, 4, 4])


def test_top_k_by_hand():
    assert learn.top_k(SCORES, 1).tolist() == [[1], [3], [0]]
    assert learn.top_k(SCORES, 3).tolist() == [[1, 3, 2], [3, 4, 0], [0, 1, 2]]


def test_top_k_accuracy_by_hand():
    # ranks of the labels: 2, 2, 5
    assert learn.top_k_accuracy(SCORES, LABELS, 1) == 0.0
    assert learn.top_k_accuracy(SCORES, LABELS, 2) == 2 / 3
    assert learn.top_k_accuracy(SCORES, LABELS, 4) == 2 / 3
    assert learn.top_k_accuracy(SCORES, LABELS, 5) == 1.0
    assert learn.rank_of_label(SCORES, LABELS).tolist() == [2, 2, 5]


def test_ties_go_to_the_lower_class():
    assert learn.top_k(np.array([[1.0, 2.0, 2.0, 0.0]]), 2).tolist() == [[1, 2]]


@pytest.mark.parametrize("k", [0, 6])
def test_k_out_of_range(k):
    with pytest.raises(ValueError, match="k must be between 1 and 5"):
        learn.top_k(SCORES, k)


def test_confusion_matrix_by_hand():
    m = learn.confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_top_k_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(50, 10))
    for k in (1, 3, 5, 10):
        expected = torch.topk(torch.from_numpy(scores), k, dim=1).indices.numpy()
        assert np.array_equal(learn.top_k(scores, k), expected)
