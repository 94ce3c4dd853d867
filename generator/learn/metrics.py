"""Scoring a classifier: top-k predictions and accuracy, the confusion matrix."""

from __future__ import annotations

import numpy as np


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` highest-scoring classes of each row, best first.

    scores: (N, K) -> (N, k) int. Ties go to the lower class index (a
    stable sort), as ``torch.topk`` does on CPU for distinct values.
    """
    scores = np.asarray(scores)
    if scores.ndim != 2:
        raise ValueError(f"scores must have shape (N, K), got {scores.shape}")
    if not 1 <= k <= scores.shape[1]:
        raise ValueError(f"k must be between 1 and {scores.shape[1]}, got {k}")
    order = np.argsort(-scores, axis=1, kind="stable")  # (N, K), best first
    return order[:, :k]


def top_k_hits(scores: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """(N,) bool: is the true label among the ``k`` best classes?"""
    return (top_k(scores, k) == np.asarray(labels)[:, None]).any(axis=1)


def top_k_accuracy(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Share of rows whose true label is among their ``k`` best classes; k=1 is plain accuracy."""
    return float(top_k_hits(scores, labels, k).mean())


def rank_of_label(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(N,) int: the position of the true label in each row's ranking (1 = the top)."""
    order = top_k(scores, scores.shape[1])
    return np.argmax(order == np.asarray(labels)[:, None], axis=1) + 1


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(K, K) int: entry [t, p] counts the images of class t predicted as p."""
    m = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(m, (np.asarray(labels), np.asarray(predicted)), 1)
    return m
