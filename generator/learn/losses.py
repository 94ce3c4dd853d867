"""Training losses, each returning the mean loss and its gradient w.r.t. the scores."""

from __future__ import annotations

import numpy as np

from .. import nn


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy of class scores (N, K) against int targets (N,); see generator.nn."""
    loss, grad = nn.softmax_cross_entropy(logits, targets)
    return float(loss), grad


def binary_cross_entropy_value(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1], any shape.

    ``-t log p - (1 - t) log(1 - p)`` with ``p = sigmoid(z)`` equals
    ``log(1 + e^z) - t z``, computed stably.
    """
    z = logits
    softplus = np.logaddexp(0, z)  # log(1 + e^z) without overflow
    return float(np.mean(softplus - targets * z, dtype=np.float64))


def binary_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`binary_cross_entropy_value` and its gradient ``(sigmoid(z) - t) / size``."""
    z = logits
    loss = binary_cross_entropy_value(z, targets)
    grad = (1 / (1 + np.exp(-z)) - targets) / z.size
    return loss, grad.astype(z.dtype, copy=False)


LOSSES = {"cross_entropy": cross_entropy, "binary_cross_entropy": binary_cross_entropy}
#: The value alone, for evaluation. Cross-entropy's gradient, (N, classes), costs next to
#: nothing beside its value, so the value comes from the same function.
LOSS_VALUES = {"cross_entropy": lambda z, t: cross_entropy(z, t)[0],
               "binary_cross_entropy": binary_cross_entropy_value}
