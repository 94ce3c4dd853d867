"""The digits: read as scikit-learn reads them, enlarged and padded to LeNet-5's 32x32, split."""

from __future__ import annotations

import numpy as np

from generator import learn
from generator.learn import data


def test_reading_the_file_matches_load_digits():
    from sklearn.datasets import load_digits

    images, targets = data.read_digits()
    bunch = load_digits()
    assert data.bundled_file() is not None
    assert np.array_equal(images, bunch.images) and np.array_equal(targets, bunch.target)


def test_shapes_and_split():
    d = learn.load_digits()
    assert d.blocks.shape == (1797, 8, 8) and d.images.shape == (1797, 1, 32, 32)
    assert len(np.intersect1d(d.train_index, d.test_index)) == 0
    assert len(d.train_index) + len(d.test_index) == 1797
    # every digit holds back round(20%) of its images
    for c in range(10):
        n = np.sum(d.labels == c)
        assert np.sum(d.y_test == c) == round(0.2 * n)
    x = d.x_train
    assert abs(float(x.mean())) < 1e-5 and abs(float(x.std()) - 1) < 1e-4


def test_upsampling_is_bilinear():
    block = np.zeros((1, 8, 8), dtype=np.float32)
    block[0, 3, 3], block[0, 3, 4] = 3.0, 6.0
    big = data.upsample3(block)[0]
    # output pixel 3i+1 is input pixel i; 3i+2 lies a third of the way to i+1
    assert big[10, 10] == 3.0 and big[10, 13] == 6.0
    assert np.isclose(big[10, 11], 4.0) and np.isclose(big[10, 12], 5.0)
    assert big.shape == (24, 24)


def test_the_border_is_blank():
    d = learn.load_digits()
    b = data.BORDER
    assert not d.images[:, :, :b].any() and not d.images[:, :, -b:].any()
    assert not d.images[:, :, :, :b].any() and not d.images[:, :, :, -b:].any()
