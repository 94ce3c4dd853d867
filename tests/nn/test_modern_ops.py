"""The operators added for graph specs against PyTorch (skipped where torch is absent):
activations, local response norm, layer norm over channels, channel shuffle, nearest and
bilinear interpolation, adaptive max pooling; and centre crop, broadcasting by their rules.
"""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(15)
X = (RNG.standard_normal((2, 6, 7, 9)) * 4).astype(np.float32)  # values around ±3 and far


def close(ours, theirs, record_error, name, atol=1e-6):
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    err = float(np.abs(ours - theirs).max())
    record_error(name, err)
    assert err <= atol, (name, err)


@pytest.mark.parametrize("name, ours, theirs", [
    ("relu6", F.relu6, TF.relu6),
    ("hardswish", F.hardswish, TF.hardswish),
    ("hardsigmoid", F.hardsigmoid, TF.hardsigmoid),
    ("silu", F.silu, TF.silu),
    ("sigmoid", F.sigmoid, torch.sigmoid),
    ("gelu", F.gelu, TF.gelu),
    ("gelu tanh", lambda x: F.gelu(x, "tanh"), lambda x: TF.gelu(x, approximate="tanh")),
])
def test_activations_equal_torch(record_error, name, ours, theirs):
    x = np.concatenate([X.ravel(), np.float32([-3, 3, 0, -6, 6, -100, 100])])
    close(ours(x), theirs(torch.from_numpy(x)), record_error, name)


def test_sigmoid_does_not_overflow():
    with np.errstate(over="raise", invalid="raise"):
        y = F.sigmoid(np.float32([-1000, 1000]))
    assert y.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("size, alpha, beta, k", [(5, 1e-4, 0.75, 2.0), (2, 0.5, 0.5, 1.0),
                                                  (1, 1.0, 1.0, 1.0), (9, 0.1, 0.75, 1.0)])
def test_local_response_norm_equals_torch(record_error, size, alpha, beta, k):
    ours = F.local_response_norm(X, size, alpha, beta, k)
    theirs = TF.local_response_norm(torch.from_numpy(X), size, alpha, beta, k)
    close(ours, theirs, record_error, "local_response_norm", 1e-5)


def test_layer_norm_over_channels_equals_torch_layer_norm_on_channels_last(record_error):
    w = RNG.standard_normal(6).astype(np.float32)
    b = RNG.standard_normal(6).astype(np.float32)
    ours = F.layer_norm_channels(X, w, b, 1e-6)
    t = torch.from_numpy(X).permute(0, 2, 3, 1)  # N, H, W, C
    theirs = TF.layer_norm(t, (6,), torch.from_numpy(w), torch.from_numpy(b), 1e-6)
    close(ours, theirs.permute(0, 3, 1, 2), record_error, "layer_norm_channels", 1e-5)


@pytest.mark.parametrize("groups", [1, 2, 3, 6])
def test_channel_shuffle_equals_torch(groups):
    ours = F.channel_shuffle(X, groups)
    theirs = TF.channel_shuffle(torch.from_numpy(X), groups).numpy()
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("kw", [{"scale_factor": 2}, {"scale_factor": 3}, {"size": (14, 18)},
                                {"size": (10, 13)}, {"size": (4, 5)}, {"size": (7, 9)}])
def test_interpolate_equals_torch(record_error, mode, kw):
    ours = F.interpolate(X, mode=mode, **kw)
    extra = {"align_corners": False} if mode == "bilinear" else {}
    theirs = TF.interpolate(torch.from_numpy(X), mode=mode, **kw, **extra)
    close(ours, theirs, record_error, f"interpolate {mode}", 1e-5)
    assert ours.shape[2:] == F.interpolate_output_hw(X.shape[2:], kw.get("size"),
                                                    kw.get("scale_factor"))


@pytest.mark.parametrize("out", [1, (1, 1), (3, 4), (7, 9), (5, 2), (7, 1)])
def test_adaptive_max_pool_equals_torch(out):
    ours = F.adaptive_max_pool2d(X, out)
    theirs = TF.adaptive_max_pool2d(torch.from_numpy(X), out).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_center_crop_takes_the_middle_extra_row_at_the_bottom():
    x = np.arange(2 * 5 * 6, dtype=np.float32).reshape(1, 2, 5, 6)
    y = F.center_crop(x, (2, 3))
    np.testing.assert_array_equal(y, x[:, :, 1:3, 1:4])  # (5-2)//2 = 1, (6-3)//2 = 1
    with pytest.raises(ValueError, match="cannot crop 5×6 to the larger 6×3"):
        F.center_crop(x, (6, 3))


@pytest.mark.parametrize("a, b, out", [((8, 5, 5), (8, 1, 1), (8, 5, 5)),
                                       ((1, 5, 1), (8, 1, 4), (8, 5, 4)),
                                       ((4,), (4,), (4,))])
def test_broadcast_shape_is_torchs(a, b, out):
    assert F.broadcast_shape(a, b) == out
    assert tuple((torch.zeros(a) + torch.zeros(b)).shape) == out


def test_broadcast_shape_refuses_what_torch_refuses():
    with pytest.raises(ValueError):
        F.broadcast_shape((8, 5, 5), (4, 5, 5))
    with pytest.raises(RuntimeError):
        torch.zeros(8, 5, 5) + torch.zeros(4, 5, 5)
