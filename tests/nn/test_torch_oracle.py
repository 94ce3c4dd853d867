"""Cross-check every operator against PyTorch on hundreds of seeded configurations.

Skipped when PyTorch is not installed.  Tolerances: float64 results must
agree to 1e-10 absolute (scaled by the magnitude of the output), float32 to
1e-4; integer indices must be identical.  The largest error of each
operator is printed at the end of the run (see conftest.py).
"""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as nn
from tests.nn import configs

torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
F = torch.nn.functional

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

N_CONFIGS = 300
TOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10}


def _t(a):
    return None if a is None else torch.from_numpy(np.ascontiguousarray(a))


def _check(name, ours, theirs, dtype, record_error, scale=1.0):
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape, name
    assert ours.dtype == theirs.dtype, name
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))  # equal infinities too
    with np.errstate(invalid="ignore"):
        err = float(np.max(np.where(same, 0.0, np.abs(ours - theirs)), initial=0.0))
    record_error(f"{name} ({np.dtype(dtype).name})", err)
    assert err <= TOL[np.dtype(dtype)] * max(1.0, scale), (name, err)


def _scale(a):
    finite = np.abs(a[np.isfinite(a)])
    return float(np.max(finite, initial=1.0))


@pytest.mark.parametrize("op", ["conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d",
                                "adaptive_avg_pool2d"])
def test_matches_torch_on_random_configurations(op, record_error):
    rng = np.random.default_rng(20260101)
    make = getattr(configs, f"random_{op}")
    ours_fn, torch_fn = getattr(nn, op), getattr(F, op)
    for _ in range(N_CONFIGS):
        args, kwargs = make(rng)
        x = args[0]
        ours = ours_fn(*args, **kwargs)
        theirs = torch_fn(*(_t(a) if isinstance(a, np.ndarray) else a for a in args), **kwargs)
        _check(op, ours, theirs, x.dtype, record_error, scale=_scale(ours))
        # the shapes module predicts the shape the op returns
        assert ours.shape[-2:] == configs.output_hw_of(op, x.shape, args, kwargs)


def test_max_pool2d_indices_match_torch():
    rng = np.random.default_rng(7)
    for _ in range(N_CONFIGS):
        (x,), kwargs = configs.random_max_pool2d(rng)
        out, idx = nn.max_pool2d(x, **kwargs, return_indices=True)
        t_out, t_idx = F.max_pool2d(_t(x), **kwargs, return_indices=True)
        np.testing.assert_array_equal(out, t_out.numpy())
        np.testing.assert_array_equal(idx, t_idx.numpy())


def test_max_pool2d_ties_nan_and_padding_only_windows_match_torch():
    """PyTorch keeps the first maximum, the last NaN, and for a window of
    nothing but padding returns -inf with the index of its first in-bounds tap
    (which may lie outside the plane)."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 3, (2, 3, 7, 6)).astype(np.float64)  # many ties
    x[0, 0, 1, 1] = x[0, 1, 3, 2] = x[0, 1, 3, 4] = np.nan
    x[1, 2, :3, :3] = -np.inf
    for kwargs in [dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
                   dict(kernel_size=(3, 2), stride=1, padding=1, dilation=2),
                   dict(kernel_size=2, stride=1)]:
        out, idx = nn.max_pool2d(x, **kwargs, return_indices=True)
        t_out, t_idx = F.max_pool2d(_t(x), **kwargs, return_indices=True)
        np.testing.assert_array_equal(out, t_out.numpy())
        np.testing.assert_array_equal(idx, t_idx.numpy())
    one = np.ones((1, 1, 1, 1))
    kwargs = dict(kernel_size=2, stride=1, padding=1, dilation=2, return_indices=True)
    out, idx = nn.max_pool2d(one, **kwargs)
    t_out, t_idx = F.max_pool2d(_t(one), **kwargs)
    assert out[0, 0, 0, 0] == -np.inf and idx[0, 0, 0, 0] == 2
    np.testing.assert_array_equal(idx, t_idx.numpy())


def test_pad_matches_torch(record_error):
    rng = np.random.default_rng(11)
    for _ in range(N_CONFIGS):
        (x, pad), kwargs = configs.random_pad(rng)
        ours = nn.pad(x, pad, **kwargs)
        theirs = F.pad(_t(x), pad, **kwargs)
        _check(f"pad {kwargs['mode']}", ours, theirs, x.dtype, record_error)


def test_pad_negative_circular_follows_torch_where_torch_is_consistent():
    # torch crops first, then wraps what is left
    x = np.arange(5.0).reshape(1, 1, 5)
    for pad in [(-2, 3), (3, -2), (-4, 1)]:
        np.testing.assert_array_equal(nn.pad(x, pad, mode="circular"),
                                      F.pad(_t(x), pad, mode="circular").numpy())


def test_small_ops_match_torch(record_error):
    rng = np.random.default_rng(5)
    for _ in range(100):
        dtype = configs.DTYPES[rng.integers(2)]
        shape = tuple(int(v) for v in rng.integers(1, 6, rng.integers(1, 5)))
        x = rng.standard_normal(shape).astype(dtype)
        dim = int(rng.integers(-len(shape), len(shape)))
        _check("relu", nn.relu(x), F.relu(_t(x)), dtype, record_error)
        _check("softmax", nn.softmax(x, dim), F.softmax(_t(x), dim), dtype, record_error)
        _check("log_softmax", nn.log_softmax(x, dim), F.log_softmax(_t(x), dim), dtype,
               record_error)
        start = int(rng.integers(-len(shape), len(shape)))
        end = int(rng.integers(start % len(shape), len(shape)))
        np.testing.assert_array_equal(nn.flatten(x, start, end),
                                      torch.flatten(_t(x), start, end).numpy())
        w = rng.standard_normal((int(rng.integers(1, 5)), shape[-1])).astype(dtype)
        b = rng.standard_normal(w.shape[0]).astype(dtype) if rng.random() < 0.5 else None
        _check("linear", nn.linear(x, w, b), F.linear(_t(x), _t(w), _t(b)), dtype, record_error,
               scale=shape[-1])


def test_batch_norm_matches_torch(record_error):
    rng = np.random.default_rng(9)
    for _ in range(100):
        dtype = configs.DTYPES[rng.integers(2)]
        shape = (int(rng.integers(2, 4)), int(rng.integers(1, 5))) + tuple(
            int(v) for v in rng.integers(1, 5, rng.integers(0, 3)))
        x = rng.standard_normal(shape).astype(dtype)
        c = shape[1]
        mean, var = rng.standard_normal(c).astype(dtype), rng.random(c).astype(dtype) + 0.1
        w = rng.standard_normal(c).astype(dtype) if rng.random() < 0.5 else None
        b = rng.standard_normal(c).astype(dtype) if rng.random() < 0.5 else None
        training = bool(rng.random() < 0.3)
        t_mean, t_var = _t(mean.copy()), _t(var.copy())
        ours = nn.batch_norm(x, mean, var, w, b, training=training, momentum=0.2, eps=1e-3)
        theirs = F.batch_norm(_t(x), t_mean, t_var, _t(w), _t(b), training=training,
                              momentum=0.2, eps=1e-3)
        _check("batch_norm", ours, theirs, dtype, record_error, scale=_scale(ours))
        np.testing.assert_allclose(mean, t_mean.numpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(var, t_var.numpy(), rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------ gradients


def _autograd(fn, inputs, grad_output):
    tensors = [None if a is None else _t(a).requires_grad_() for a in inputs]
    out = fn(*tensors)
    out.backward(_t(grad_output))
    return [None if t is None else t.grad.numpy() for t in tensors]


def test_conv2d_backward_matches_autograd(record_error):
    rng = np.random.default_rng(21)
    for _ in range(200):
        (x, w, b), kwargs = configs.random_conv2d(rng)
        if b is None:
            b = np.zeros(w.shape[0], x.dtype)
        out = nn.conv2d(x, w, b, **kwargs)
        go = rng.standard_normal(out.shape).astype(x.dtype)
        gx, gw, gb = nn.conv2d_backward(go, x, w, **kwargs)
        tx, tw, tb = _autograd(lambda x_, w_, b_: F.conv2d(x_, w_, b_, **kwargs), [x, w, b], go)
        scale = float(np.prod(w.shape[1:])) + float(np.prod(out.shape[-2:]))
        _check("conv2d_backward input", gx, torch.from_numpy(tx), x.dtype, record_error, scale)
        _check("conv2d_backward weight", gw, torch.from_numpy(tw), x.dtype, record_error, scale)
        _check("conv2d_backward bias", gb, torch.from_numpy(tb), x.dtype, record_error, scale)


def test_pool_backward_matches_autograd(record_error):
    rng = np.random.default_rng(22)
    for _ in range(200):
        (x,), kwargs = configs.random_max_pool2d(rng)
        out = nn.max_pool2d(x, **kwargs)
        go = rng.standard_normal(out.shape).astype(x.dtype)
        if np.isinf(out).any():
            # A dilated window of padding only: torch's index points outside
            # the plane and its backward writes the gradient into the next
            # channel (or past the tensor); ours drops it.  Not comparable.
            continue
        (tx,) = _autograd(lambda x_: F.max_pool2d(x_, **kwargs), [x], go)
        _check("max_pool2d_backward", nn.max_pool2d_backward(go, x, **kwargs),
               torch.from_numpy(tx), x.dtype, record_error, scale=10)
        (x,), kwargs = configs.random_avg_pool2d(rng)
        go = rng.standard_normal(nn.avg_pool2d(x, **kwargs).shape).astype(x.dtype)
        (tx,) = _autograd(lambda x_: F.avg_pool2d(x_, **kwargs), [x], go)
        _check("avg_pool2d_backward", nn.avg_pool2d_backward(go, x, **kwargs),
               torch.from_numpy(tx), x.dtype, record_error, scale=10)


def test_dense_backward_matches_autograd(record_error):
    rng = np.random.default_rng(23)
    for _ in range(100):
        dtype = configs.DTYPES[rng.integers(2)]
        n, k, m = (int(v) for v in rng.integers(1, 9, 3))
        x = rng.standard_normal((n, k)).astype(dtype)
        w = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal(m).astype(dtype)
        go = rng.standard_normal((n, m)).astype(dtype)
        grads = nn.linear_backward(go, x, w)
        for name, ours, theirs in zip(("input", "weight", "bias"), grads,
                                      _autograd(F.linear, [x, w, b], go)):
            _check(f"linear_backward {name}", ours, torch.from_numpy(theirs), dtype,
                   record_error, scale=max(n, k))
        (tx,) = _autograd(F.relu, [x], x)
        _check("relu_backward", nn.relu_backward(x, x), torch.from_numpy(tx), dtype, record_error)
        targets = rng.integers(0, k, n)
        loss, grad = nn.softmax_cross_entropy(x, targets)
        tx = _t(x).requires_grad_()
        t_loss = F.cross_entropy(tx, torch.from_numpy(targets))
        t_loss.backward()
        _check("softmax_cross_entropy loss", np.asarray(loss), t_loss, dtype, record_error)
        _check("softmax_cross_entropy grad", grad, tx.grad, dtype, record_error)
