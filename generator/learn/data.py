"""The handwritten digits, made into LeNet-5 inputs, and a fixed train/test split.

The images are scikit-learn's copy of the UCI "Optical Recognition of
Handwritten Digits" test set (Alpaydin and Kaynak, 1998): 1,797 digits
written by 43 people, scanned, and reduced to 8x8 blocks counting 0-16 set
pixels. ``sklearn.datasets.load_digits`` reads them from a file inside the
installed package: no download. (:func:`read_digits` reads that same file.)

LeNet-5 reads 32x32 images in which the digit sits inside a 20x20 to 28x28
box. Each 8x8 digit is enlarged three times with bilinear interpolation (a
transposed convolution with a triangle kernel, :func:`upsample3`) to 24x24
and padded with 4 background pixels on every side.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import nn

#: Input side of LeNet-5.
SIDE = 32
#: Enlargement of the 8x8 digits (8 * 3 = 24) and the border that makes 32.
SCALE, BORDER = 3, 4
#: Largest count of an 8x8 block (a 4x4 area of the 32x32 scan: 0-16 pixels set).
MAX_COUNT = 16
#: Share of each digit's images held out for testing.
TEST_FRACTION = 0.2
#: Seed of the split (fixed: every page, test and snippet sees the same split).
SPLIT_SEED = 1998

#: Linear interpolation weights for three output pixels per input pixel.
TRIANGLE = np.array([1, 2, 3, 2, 1], dtype=np.float32) / 3


def upsample3(images: np.ndarray) -> np.ndarray:
    """Bilinear 3x enlargement as a transposed convolution with a triangle kernel.

    images: (N, H, W) -> (N, 3H, 3W). Output pixel 3i+1 is input pixel i,
    pixels 3i and 3i+2 lie a third of the way to the neighbours.
    """
    kernel = np.outer(TRIANGLE, TRIANGLE)[None, None]  # (1, 1, 5, 5)
    x = images[:, None].astype(np.float32)  # (N, H, W) -> (N, 1, H, W)
    # H' = (H - 1)*3 - 2*1 + 5 = 3H
    return nn.conv_transpose2d(x, kernel, stride=SCALE, padding=1)[:, 0]


def to_lenet_input(blocks: np.ndarray) -> np.ndarray:
    """8x8 digits (counts 0-16) -> LeNet-5 images in [0, 1].

    blocks: (N, 8, 8) -> (N, 1, 32, 32), float32.
    """
    big = upsample3(blocks / MAX_COUNT)  # (N, 24, 24)
    big = np.clip(big, 0.0, 1.0)
    padded = nn.pad(big, (BORDER,) * 4)  # (N, 24, 24) -> (N, 32, 32)
    return padded[:, None].astype(np.float32)  # -> (N, 1, 32, 32)


def stratified_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test): ``round(fraction * n)`` of each class's n images go to test.

    Both index arrays are sorted, so the split does not depend on the order
    classes are visited.
    """
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        k = int(round(fraction * members.size))
        test.append(rng.permutation(members)[:k])
    test = np.sort(np.concatenate(test))
    train = np.setdiff1d(np.arange(labels.size), test)
    return train, test


@dataclass(frozen=True)
class Digits:
    """The data set, split; images in [0, 1] and standardised with the training statistics."""

    #: (N, 8, 8) the original blocks, counts 0-16.
    blocks: np.ndarray
    #: (N, 1, 32, 32) LeNet-5 inputs in [0, 1] (background 0).
    images: np.ndarray
    #: (N,) the digit of each image.
    labels: np.ndarray
    #: Sorted indices into the arrays above.
    train_index: np.ndarray
    test_index: np.ndarray
    #: Mean and standard deviation of the training images' pixels.
    mean: float
    std: float

    def standardise(self, images: np.ndarray) -> np.ndarray:
        """(x - mean) / std, the network's input scale (mean 0, variance 1 on the training set)."""
        return ((images - self.mean) / self.std).astype(np.float32)

    @property
    def x_train(self) -> np.ndarray:
        return self.standardise(self.images[self.train_index])

    @property
    def y_train(self) -> np.ndarray:
        return self.labels[self.train_index]

    @property
    def x_test(self) -> np.ndarray:
        return self.standardise(self.images[self.test_index])

    @property
    def y_test(self) -> np.ndarray:
        return self.labels[self.test_index]

    def fingerprint(self) -> str:
        """SHA-256 of everything training reads: images, labels, split, scale."""
        h = hashlib.sha256()
        for a in (self.images, self.labels, self.train_index, self.test_index,
                  np.array([self.mean, self.std])):
            a = np.ascontiguousarray(a)
            h.update(f"{a.dtype.str}{a.shape}".encode())
            h.update(a.tobytes())
        return h.hexdigest()


def bundled_file() -> Path | None:
    """scikit-learn's ``datasets/data/digits.csv.gz``, found without importing scikit-learn."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "digits.csv.gz"
    return path if path.is_file() else None


def read_digits() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 8, 8) float64 counts, targets (1797,) int), as ``load_digits`` gives them.

    Reads the CSV that ``sklearn.datasets.load_digits`` reads (64 counts and the
    digit per row), which spares a build the second it takes to import
    scikit-learn; tests/learn checks that both agree. Falls back to
    ``load_digits`` if the file is not where it was.
    """
    path = bundled_file()
    if path is not None:
        with gzip.open(path, "rt") as f:
            table = np.loadtxt(f, delimiter=",")  # (1797, 65)
        return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    return bunch.images, bunch.target.astype(np.int64)


@lru_cache(maxsize=1)
def load_digits() -> Digits:
    """The 1,797 digits as LeNet-5 inputs with the fixed split (cached per process)."""
    images, targets = read_digits()
    blocks = images.astype(np.float32)  # (1797, 8, 8)
    labels = targets  # (1797,)
    images = to_lenet_input(blocks)
    train, test = stratified_split(labels, TEST_FRACTION, SPLIT_SEED)
    pixels = images[train]
    mean, std = float(pixels.mean(dtype=np.float64)), float(pixels.std(dtype=np.float64))
    for a in (blocks, images, labels, train, test):
        a.setflags(write=False)
    return Digits(blocks, images, labels, train, test, mean, std)
