"""The in-place forms of relu, relu6 and batch_norm equal their out-of-place forms bit for bit,
write into their input, and refuse what they cannot write into."""

import numpy as np
import pytest

from generator import nn


def _x(shape=(2, 3, 5, 4), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def test_relu_inplace_equals_relu_and_overwrites_its_input():
    x = _x()
    expected = nn.relu(x)
    y = nn.relu(x, inplace=True)
    assert y is x and np.array_equal(y, expected) and (x >= 0).all()


def test_relu_keeps_nan_and_the_sign_of_zero_as_torch():
    x = np.array([-0.0, 0.0, -2.5, np.nan, 7.0], np.float32)
    for y in (nn.relu(x), nn.relu6(x)):
        assert np.array_equal(np.signbit(y), [True, False, False, False, False])
        assert np.isnan(y[3]) and y[2] == 0
    assert nn.relu(x)[4] == 7 and nn.relu6(x)[4] == 6
    assert np.array_equal(nn.relu(np.array([-3, 0, 4])), [0, 0, 4])  # integers: np.maximum


def test_relu6_inplace_equals_clip_and_overwrites_its_input():
    x = _x() * 8  # values below 0, between 0 and 6, above 6
    expected = np.clip(x, 0, 6)
    assert np.array_equal(nn.relu6(x), expected) and not np.array_equal(x, expected)
    y = nn.relu6(x, inplace=True)
    assert y is x and y.dtype == np.float32 and np.array_equal(y, expected)


@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_inplace_equals_batch_norm(affine):
    rng = np.random.default_rng(1)
    x = _x()
    mean, var = rng.standard_normal(3).astype(np.float32), rng.random(3).astype(np.float32) + .5
    w, b = (rng.standard_normal(3).astype(np.float32) for _ in range(2))
    args = (mean, var, w if affine else None, b if affine else None)
    expected = nn.batch_norm(x, *args)
    y = nn.batch_norm(x, *args, inplace=True)
    assert y is x and y.dtype == np.float32 and np.array_equal(y, expected)


def test_inplace_refuses_what_it_cannot_write():
    ro = _x()
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        nn.relu(ro, inplace=True)
    with pytest.raises(ValueError, match="writable"):
        nn.relu([[1.0, -1.0]], inplace=True)  # a list: nothing to write into
    with pytest.raises(ValueError, match="writable"):
        nn.relu6(ro, inplace=True)
    with pytest.raises(ValueError, match="writable"):
        nn.batch_norm(np.ones((2, 3), np.int64), np.zeros(3), np.ones(3), inplace=True)


def test_batch_norm_matches_torch_formula_order():
    """x * scale + (bias - mean * scale), computed in float32 (PyTorch's CPU order)."""
    x = _x((1, 2, 3, 3))
    mean = np.array([0.5, -1.0], np.float32)
    var = np.array([4.0, 0.25], np.float32)
    w, b = np.array([2.0, 1.0], np.float32), np.array([0.0, 3.0], np.float32)
    scale = (w / np.sqrt(var + np.float32(1e-5))).astype(np.float32)
    shift = (b - mean * scale).astype(np.float32)
    expected = x * scale.reshape(1, 2, 1, 1) + shift.reshape(1, 2, 1, 1)
    assert np.array_equal(nn.batch_norm(x, mean, var, w, b), expected)
