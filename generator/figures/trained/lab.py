"""The trained networks and the data, loaded once per build for the figures and pages
of the Beyond section (``generator.learn`` reads or trains them in the cache folder)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np

from ... import learn, nn


class Lab:
    """Lazy access to the site's trained networks in the cache folder ``cache``."""

    def __init__(self, cache: Path):
        self.cache = Path(cache)

    @cached_property
    def digits(self) -> learn.Digits:
        return learn.load_digits()

    @cached_property
    def lenet5(self) -> learn.Trained:
        return learn.lenet5(self.cache)

    @cached_property
    def transfer(self):
        return learn.transfer(self.cache)

    @cached_property
    def autoencoder(self) -> learn.Trained:
        return learn.autoencoder(self.cache)

    @cached_property
    def test_scores(self) -> np.ndarray:
        """LeNet-5's class scores (logits) of every test image: (N_test, 10)."""
        return self.lenet5.scores(self.digits.x_test)

    @cached_property
    def test_probabilities(self) -> np.ndarray:
        """Softmax of :attr:`test_scores`: (N_test, 10)."""
        return nn.softmax(self.test_scores.astype(np.float64), 1)

    def first_test_index(self, digit: int, k: int = 0) -> int:
        """Position in the test set of the ``k``-th test image of ``digit``."""
        return int(np.flatnonzero(self.digits.y_test == digit)[k])


def pct(x: float) -> float:
    """A share as a percentage (0.98 -> 98.0), for the templates to print."""
    return 100.0 * float(x)


def shown(image: np.ndarray) -> np.ndarray:
    """A (1, 32, 32) input in [0, 1] as the (32, 32) array a figure draws."""
    return np.asarray(image, dtype=np.float64).reshape(image.shape[-2:])
