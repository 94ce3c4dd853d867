"""The shape-dispatched algorithms of conv2d / conv_transpose2d against the loops and PyTorch.

Each algorithm module is called directly on seeded random small configurations
(so every corner of it runs, whatever the dispatch thresholds), in float32
and float64, and compared with :mod:`generator.nn.naive` and with
``torch.nn.functional``; then ``conv2d`` / ``conv_transpose2d`` are checked to
dispatch the layers of the benchmarks to the intended algorithm and to give
the same results there. Tolerances: float64 1e-10 and float32 1e-4, relative
to the largest output magnitude; Winograd in float32 is allowed 1e-3 (its
transformed values are sums of up to nine terms) and the test shows a wrong
transform exceeds that by orders of magnitude.
"""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as nn
from generator.nn import conv, depthwise, naive, subpixel, winograd
from generator.nn.conv_checks import zero_pad_hw
from generator.nn.shapes import conv2d_geometry
from generator.nn.windows import im2col, phase_im2col

torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
F = torch.nn.functional

DTYPES = (np.float32, np.float64)
TOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10}
WINOGRAD_TOL32 = 1e-3


def _t(a):
    return None if a is None else torch.from_numpy(np.ascontiguousarray(a))


def _err(ours, ref):
    ref = np.asarray(ref)
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    return float(np.max(np.abs(ours - ref), initial=0.0)) / max(1.0, float(np.max(np.abs(ref),
                                                                                  initial=0.0)))


def _check(name, ours, naive_out, torch_out, dtype, record_error, tol=None):
    tol = TOL[np.dtype(dtype)] if tol is None else tol
    e_naive, e_torch = _err(ours, naive_out), _err(ours, torch_out)
    record_error(f"{name} ({np.dtype(dtype).name}, relative)", e_torch)
    assert e_naive <= tol and e_torch <= tol, (name, e_naive, e_torch)


# --------------------------------------------------------------------- Winograd


def _winograd_case(rng, dtype):
    n, c, f = int(rng.integers(1, 3)), int(rng.integers(1, 6)), int(rng.integers(1, 6))
    pads = tuple(int(v) for v in rng.integers(0, 3, 4))  # top, bottom, left, right
    h = int(rng.integers(max(1, 3 - pads[0] - pads[1]), 12))
    w = int(rng.integers(max(1, 3 - pads[2] - pads[3]), 12))
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    k = rng.standard_normal((f, c, 3, 3)).astype(dtype)
    return x, k, pads


def _padded_reference(x, k, pads):
    top, bottom, left, right = pads
    xp = zero_pad_hw(x, top, bottom, left, right)
    return naive.conv2d(xp, k), F.conv2d(_t(xp), _t(k)).numpy()


@pytest.mark.parametrize("dtype", DTYPES)
def test_winograd_matches_naive_and_torch(dtype, record_error):
    rng = np.random.default_rng(2020)
    for _ in range(60):
        x, k, (top, bottom, left, right) = _winograd_case(rng, dtype)
        ours = winograd.winograd_conv3x3(x, k, ((top, bottom), (left, right)))
        ref_naive, ref_torch = _padded_reference(x, k, (top, bottom, left, right))
        tol = WINOGRAD_TOL32 if dtype == np.float32 else None
        _check("winograd", ours, ref_naive, ref_torch, dtype, record_error, tol)


def test_winograd_blocks_of_tile_rows_agree(monkeypatch):
    """Blocks of one tile row, and of four (the last block shorter), give the same result."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 4, 11, 9))  # 6 x 5 tiles
    k = rng.standard_normal((3, 4, 3, 3))
    whole = winograd.winograd_conv3x3(x, k, ((1, 1), (1, 1)))
    monkeypatch.setattr(winograd, "BLOCK_BYTES", 1)
    for per_channel in (0, 4):  # 4 * 4 channels = 16 tiles = 4 tile rows of 5
        monkeypatch.setattr(winograd, "MIN_BLOCK_TILES_PER_CHANNEL", per_channel)
        np.testing.assert_array_equal(winograd.winograd_conv3x3(x, k, ((1, 1), (1, 1))), whole)


def test_winograd_float32_tolerance_catches_a_wrong_transform(monkeypatch):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((1, 8, 10, 10)).astype(np.float32)
    k = rng.standard_normal((4, 8, 3, 3)).astype(np.float32)
    ref = F.conv2d(_t(x), _t(k), padding=1).numpy()
    winograd.clear_cache()
    assert _err(winograd.winograd_conv3x3(x, k, ((1, 1), (1, 1))), ref) <= WINOGRAD_TOL32
    right = winograd._transform

    def wrong(w):  # two of the 16 transformed kernels swapped
        u = right(w)
        u[1], u[2] = u[2].copy(), u[1].copy()
        return u

    monkeypatch.setattr(winograd, "_transform", wrong)
    winograd.clear_cache()
    assert _err(winograd.winograd_conv3x3(x, k, ((1, 1), (1, 1))), ref) > 100 * WINOGRAD_TOL32
    winograd.clear_cache()


def test_winograd_cache_never_serves_a_stale_transform():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 3, 6, 6)).astype(np.float32)
    k = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    pad = ((1, 1), (1, 1))
    winograd.clear_cache()
    first = winograd.winograd_conv3x3(x, k, pad)
    assert winograd.weight_transform(k) is winograd.weight_transform(k)  # cached
    for change in (lambda a: a.__setitem__((0, 0, 0, 0), a[0, 0, 0, 0] + 1),
                   lambda a: a.__setitem__((1, 2, 2, 2), np.nextafter(a[1, 2, 2, 2], np.inf)),
                   lambda a: a.__setitem__(Ellipsis, a[::-1].copy()),  # swap the filters
                   lambda a: a.__imul__(-1)):
        change(k)
        ours = winograd.winograd_conv3x3(x, k, pad)
        winograd.clear_cache()
        fresh = winograd.winograd_conv3x3(x, k, pad)
        np.testing.assert_array_equal(ours, fresh)  # same as with an empty cache
    assert not np.array_equal(first, fresh)
    # a float64 array of the same bytes is another transform
    k64 = k.astype(np.float64)
    assert winograd.weight_transform(k64).dtype == np.float64
    winograd.clear_cache()


def test_winograd_cache_is_bounded(monkeypatch):
    rng = np.random.default_rng(8)
    ws = [rng.standard_normal((4, 4, 3, 3)) for _ in range(10)]
    one = 16 * 16 * 8 + ws[0].nbytes  # a transform and its copy of the weights
    monkeypatch.setattr(winograd, "CACHE_BYTES", 3 * one)
    winograd.clear_cache()
    for w in ws:
        winograd.weight_transform(w)
        assert sum(c.nbytes + u.nbytes for c, u in winograd._CACHE.values()) <= 3 * one
    assert len(winograd._CACHE) == 3
    winograd.clear_cache()


# -------------------------------------------------------------------- depthwise


@pytest.mark.parametrize("dtype", DTYPES)
def test_depthwise_matches_naive_and_torch(dtype, record_error, monkeypatch):
    rng = np.random.default_rng(2021)
    paths = {"in place": 0, "planes": 0}  # the two strided paths both run
    real_in_place, real_planes = depthwise._strided_in_place, depthwise._planes

    def in_place(*args):
        paths["in place"] += 1
        return real_in_place(*args)

    def planes(*args):
        paths["planes"] += 1
        return real_planes(*args)

    monkeypatch.setattr(depthwise, "_strided_in_place", in_place)
    monkeypatch.setattr(depthwise, "_planes", planes)
    for trial in range(60):
        # small blocks on some trials, so several channel blocks (and a short last one) run
        monkeypatch.setattr(depthwise, "BLOCK_BYTES", 2**19 if trial % 2 else 64)
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 7))
        m = int(rng.integers(1, 4)) if trial % 3 == 0 else 1  # kernels per channel
        kh, kw = (int(v) for v in rng.integers(1, 5, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))  # up to 3: several phases
        dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
        padding = tuple(int(v) for v in rng.integers(0, 3, 2))
        eff = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
        h = int(rng.integers(max(1, eff[0] - 2 * padding[0]), eff[0] + 8))
        w = int(rng.integers(max(1, eff[1] - 2 * padding[1]), eff[1] + 8))
        x = rng.standard_normal((n, c, h, w)).astype(dtype)
        k = rng.standard_normal((c * m, 1, kh, kw)).astype(dtype)
        b = rng.standard_normal(c * m).astype(dtype)
        kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=c)
        geo = conv2d_geometry((h, w), (kh, kw), stride, padding, dilation)
        if c > 1:
            assert conv.conv2d_algorithm(c, k.shape, geo, c) == "depthwise"
        direct = depthwise.depthwise_conv2d(x, k, geo.stride, geo.dilation, geo.padding,
                                            geo.out_hw)
        _check("depthwise (direct)", direct + b[:, None, None], naive.conv2d(x, k, b, **kwargs),
               F.conv2d(_t(x), _t(k), _t(b), **kwargs).numpy(), dtype, record_error)
        ours = nn.conv2d(x, k, b, **kwargs)
        _check("depthwise", ours, naive.conv2d(x, k, b, **kwargs),
               F.conv2d(_t(x), _t(k), _t(b), **kwargs).numpy(), dtype, record_error)
    assert min(paths.values()) >= 5, paths


def test_depthwise_mobilenet_shapes_match_torch(record_error):
    """MobileNetV2's cases at a small size: 3×3, padding 1, stride 1 and 2, even and odd
    inputs, one block and several."""
    rng = np.random.default_rng(2028)
    for c, h, w, stride in [(16, 14, 14, 1), (16, 14, 14, 2), (8, 15, 13, 2), (8, 9, 16, 2),
                            (24, 7, 7, 1), (3, 1, 1, 1), (3, 2, 1, 2)]:
        x = rng.standard_normal((1, c, h, w)).astype(np.float32)
        k = rng.standard_normal((c, 1, 3, 3)).astype(np.float32)
        kwargs = dict(stride=stride, padding=1, groups=c)
        _check("depthwise 3x3", nn.conv2d(x, k, **kwargs), naive.conv2d(x, k, **kwargs),
               F.conv2d(_t(x), _t(k), **kwargs).numpy(), np.float32, record_error)


def test_depthwise_scratch_never_serves_stale_values(monkeypatch):
    """The buffers a thread keeps between calls: a layer gives the same bits whatever ran
    before it (other shapes, whose copies and planes left other values there), and a buffer
    above KEEP_BYTES is not kept."""
    rng = np.random.default_rng(2029)
    cases = [((1, 5, 9, 8), 1, 1), ((2, 7, 6, 11), 2, 2), ((1, 3, 12, 12), 1, 0),
             ((1, 4, 5, 5), 3, 2), ((1, 6, 4, 4), 2, 1)]
    arrays = [(rng.standard_normal(shape), rng.standard_normal((shape[1], 1, 3, 3)), s, p)
              for shape, s, p in cases]
    first = [nn.conv2d(x, k, stride=s, padding=p, groups=x.shape[1]) for x, k, s, p in arrays]
    for (x, k, s, p), want in reversed(list(zip(arrays, first))):  # buffers now hold others'
        np.testing.assert_array_equal(nn.conv2d(x, k, stride=s, padding=p, groups=x.shape[1]),
                                      want)
    monkeypatch.setattr(depthwise, "KEEP_BYTES", 64)
    depthwise._LOCAL.pool = {}
    x, k, s, p = arrays[2]
    np.testing.assert_array_equal(nn.conv2d(x, k, stride=s, padding=p, groups=3), first[2])
    assert depthwise._LOCAL.pool == {}


def test_depthwise_threads_use_their_own_buffers():
    """Two threads running different depthwise layers at once both get exact results."""
    import threading

    rng = np.random.default_rng(2030)
    jobs = [(rng.standard_normal((1, 8, 20, 20)), rng.standard_normal((8, 1, 3, 3)), 1),
            (rng.standard_normal((1, 6, 17, 15)), rng.standard_normal((6, 1, 3, 3)), 2)]
    want = [nn.conv2d(x, k, stride=s, padding=1, groups=x.shape[1]) for x, k, s in jobs]
    wrong = []

    def run(i):
        x, k, s = jobs[i]
        for _ in range(30):
            if not np.array_equal(nn.conv2d(x, k, stride=s, padding=1, groups=x.shape[1]),
                                  want[i]):
                wrong.append(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


# ------------------------------------------------------- strided im2col, 1×1


def test_phase_im2col_is_the_im2col_matrix():
    rng = np.random.default_rng(2022)
    for _ in range(100):
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 4))
        kernel = tuple(int(v) for v in rng.integers(1, 8, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
        eff = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
        hp, wp = (int(rng.integers(e, e + 9)) for e in eff)
        out_hw = tuple((size - e) // s + 1 for size, e, s in zip((hp, wp), eff, stride))
        xp = rng.standard_normal((n, c, hp, wp))
        np.testing.assert_array_equal(phase_im2col(xp, kernel, stride, dilation, out_hw),
                                      im2col(xp, kernel, stride, dilation, out_hw))


def _im2col_conv(x, w, stride, padding):
    """The single-path conv2d of before the dispatch: im2col + one matrix product."""
    geo = conv2d_geometry(x.shape[2:], w.shape[2:], stride, padding, 1)
    (top, bottom), (left, right) = geo.padding
    cols = im2col(zero_pad_hw(x, top, bottom, left, right), w.shape[2:], geo.stride, (1, 1),
                  geo.out_hw)
    out = np.matmul(w.reshape(1, w.shape[0], -1), cols)
    return out.reshape((x.shape[0], w.shape[0]) + geo.out_hw)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_and_phase_paths_match_torch_and_the_im2col_bits(dtype, record_error):
    """1×1 convolutions, strided convolutions and single-channel banded ones: same
    bits as im2col + matmul (so the trained networks and the figures of the site
    are unchanged), and correct."""
    rng = np.random.default_rng(2023)
    cases = [((2, 8, 9, 7), (5, 8, 1, 1), 1, 0, "matmul"),
             ((1, 6, 10, 11), (4, 6, 1, 1), 2, 0, "matmul"),
             ((1, 6, 10, 11), (4, 6, 1, 1), (3, 2), 0, "matmul"),
             ((2, 3, 32, 32), (8, 3, 3, 3), 2, 1, "phase"),  # the autoencoder's enc1
             ((1, 3, 23, 21), (16, 3, 7, 7), 2, 3, "phase"),  # a small stem
             ((1, 5, 9, 9), (4, 5, 1, 1), 1, 1, "im2col"),  # padded 1×1
             ((1, 1, 70, 80), (4, 1, 3, 3), 1, 1, "banded")]  # edge filters on a photo
    # (strided banded layers, ResNet's stem, differ from im2col in the last bit: no layer
    # of the site's figures and trained networks takes that path; tested below)
    for x_shape, w_shape, stride, padding, algorithm in cases:
        x = rng.standard_normal(x_shape).astype(dtype)
        w = rng.standard_normal(w_shape).astype(dtype)
        geo = conv2d_geometry(x_shape[2:], w_shape[2:], stride, padding, 1)
        assert conv.conv2d_algorithm(x_shape[1], w_shape, geo, 1) == algorithm
        ours = nn.conv2d(x, w, stride=stride, padding=padding)
        np.testing.assert_array_equal(ours, _im2col_conv(x, w, stride, padding))
        _check(algorithm, ours, naive.conv2d(x, w, stride=stride, padding=padding),
               F.conv2d(_t(x), _t(w), stride=stride, padding=padding).numpy(), dtype,
               record_error)


@pytest.mark.parametrize("dtype", DTYPES)
def test_banded_path_matches_naive_and_torch(dtype, record_error, monkeypatch):
    rng = np.random.default_rng(2027)
    monkeypatch.setattr(conv, "BANDED_MIN_OUTPUTS", 60)
    for trial, case in enumerate(
            [((2, 3, 9, 8), (4, 3, 3, 3), 1, 1, 1), ((1, 2, 12, 10), (3, 2, 2, 3), (0, 2), (2, 1), 1),
             ((1, 4, 11, 11), (5, 4, 5, 5), 2, 1, 1),
             # strided: bands copied from the phase planes (odd sizes: a partial phase)
             ((2, 3, 21, 19), (4, 3, 7, 7), 3, 1, 2), ((1, 2, 25, 23), (3, 2, 3, 4), (1, 0), (2, 1), 2),
             ((1, 2, 30, 31), (3, 2, 5, 3), 2, (1, 2), (3, 2))]):
        x_shape, w_shape, padding, dilation, stride = case
        for name in ("BAND_BYTES", "PHASE_BAND_BYTES"):  # 1 row per band, or a few bands
            monkeypatch.setattr(conv, name, 1 if trial % 2 else 2**10)
        x = rng.standard_normal(x_shape).astype(dtype)
        w = rng.standard_normal(w_shape).astype(dtype)
        b = rng.standard_normal(w_shape[0]).astype(dtype) if trial != 1 else None
        geo = conv2d_geometry(x_shape[2:], w_shape[2:], stride, padding, dilation)
        assert conv.conv2d_algorithm(x_shape[1], w_shape, geo, 1) == "banded"
        kwargs = dict(stride=stride, padding=padding, dilation=dilation)
        _check("banded", nn.conv2d(x, w, b, **kwargs), naive.conv2d(x, w, b, **kwargs),
               F.conv2d(_t(x), _t(w), _t(b), **kwargs).numpy(), dtype, record_error)


# ------------------------------------------------------------------ sub-pixel


@pytest.mark.parametrize("dtype", DTYPES)
def test_subpixel_conv_transpose_matches_naive_and_torch(dtype, record_error):
    rng = np.random.default_rng(2024)
    for _ in range(80):
        n, c, f = int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        kh, kw = (int(v) for v in rng.integers(1, 6, 2))
        sh, sw = (int(v) for v in rng.integers(1, 4, 2))
        oph, opw = int(rng.integers(0, sh)), int(rng.integers(0, sw))
        h, w = (int(v) for v in rng.integers(1, 7, 2))
        full_h, full_w = (h - 1) * sh + kh + oph, (w - 1) * sw + kw + opw
        ph = int(rng.integers(0, min(3, (full_h - 1) // 2) + 1))
        pw = int(rng.integers(0, min(3, (full_w - 1) // 2) + 1))
        x = rng.standard_normal((n, c, h, w)).astype(dtype)
        k = rng.standard_normal((c, f, kh, kw)).astype(dtype)
        kwargs = dict(stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw))
        ref_naive = naive.conv_transpose2d(x, k, **kwargs)
        ours = subpixel.subpixel_conv_transpose2d(x, k, (sh, sw), (ph, pw), ref_naive.shape[2:])
        _check("conv_transpose2d subpixel", ours, ref_naive,
               F.conv_transpose2d(_t(x), _t(k), **kwargs).numpy(), dtype, record_error)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv_transpose2d_dispatches_large_layers_to_subpixel(dtype, record_error):
    rng = np.random.default_rng(2025)
    x = rng.standard_normal((2, 32, 5, 6)).astype(dtype)
    k = rng.standard_normal((32, 16, 4, 4)).astype(dtype)
    b = rng.standard_normal(16).astype(dtype)
    assert conv.conv_transpose2d_algorithm(32, k.shape, (1, 1), 1) == "subpixel"
    kwargs = dict(stride=2, padding=1, output_padding=1)
    _check("conv_transpose2d subpixel", nn.conv_transpose2d(x, k, b, **kwargs),
           naive.conv_transpose2d(x, k, b, **kwargs),
           F.conv_transpose2d(_t(x), _t(k), _t(b), **kwargs).numpy(), dtype, record_error)


# ------------------------------------------------------------------- dispatch


def _algorithm(x_shape, w_shape, stride=1, padding=0, groups=1):
    geo = conv2d_geometry(x_shape[1:], w_shape[2:], stride, padding, 1)
    return conv.conv2d_algorithm(x_shape[0], w_shape, geo, groups)


def test_dispatch_of_the_benchmark_and_site_layers():
    assert _algorithm((256, 56, 56), (256, 256, 3, 3), padding=1) == "winograd"  # VGG conv3_2
    assert _algorithm((512, 28, 28), (512, 512, 3, 3), padding=1) == "winograd"  # VGG conv4
    assert _algorithm((512, 14, 14), (512, 512, 3, 3), padding=1) == "im2col"  # too few tiles
    assert _algorithm((64, 16, 16), (64, 64, 3, 3), padding=1) == "winograd"  # the smallest
    assert _algorithm((3, 224, 224), (64, 3, 3, 3), padding=1) == "banded"  # VGG conv1_1
    assert _algorithm((256, 56, 56), (64, 256, 1, 1)) == "matmul"  # ResNet reduce
    assert _algorithm((256, 56, 56), (512, 256, 1, 1), stride=2) == "matmul"  # projection
    assert _algorithm((3, 224, 224), (64, 3, 7, 7), stride=2, padding=3) == "banded"  # stem
    assert _algorithm((128, 56, 56), (128, 128, 3, 3), stride=2, padding=1) == "phase"
    assert _algorithm((256, 28, 28), (256, 1, 3, 3), padding=1, groups=256) == "depthwise"
    assert _algorithm((32, 28, 28), (64, 1, 3, 3), stride=2, padding=1, groups=32) == "depthwise"
    assert _algorithm((8, 5, 5), (8, 4, 3, 3), padding=1, groups=2) == "grouped"
    # the site's trained networks: LeNet-5 stays on im2col, the autoencoder's
    # encoder on the identical strided matrix, its decoder on col2im
    assert _algorithm((1, 32, 32), (6, 1, 5, 5)) == "im2col"
    assert _algorithm((6, 14, 14), (16, 6, 5, 5)) == "im2col"
    assert _algorithm((16, 5, 5), (120, 16, 5, 5)) == "im2col"
    assert _algorithm((1, 32, 32), (8, 1, 3, 3), stride=2, padding=1) == "phase"
    for c, f in ((8, 16), (16, 8), (8, 1), (1, 1)):
        assert conv.conv_transpose2d_algorithm(c, (c, f, 4, 4), (1, 1), 1) == "col2im"
    assert conv.conv_transpose2d_algorithm(64, (64, 32, 4, 4), (1, 1), 1) == "subpixel"
    assert conv.conv_transpose2d_algorithm(64, (64, 32, 4, 4), (2, 1), 1) == "col2im"


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_winograd_dispatch_matches_torch(dtype, record_error):
    rng = np.random.default_rng(2026)
    c = f = conv.WINOGRAD_MIN_CHANNELS
    x = rng.standard_normal((1, c, 17, 16)).astype(dtype)
    k = (rng.standard_normal((f, c, 3, 3)) / 24).astype(dtype)
    b = rng.standard_normal(f).astype(dtype)
    assert _algorithm(x.shape[1:], k.shape, padding=1) == "winograd"
    ours = nn.conv2d(x, k, b, padding=1)
    err = _err(ours, F.conv2d(_t(x), _t(k), _t(b), padding=1).numpy())
    record_error(f"conv2d winograd ({np.dtype(dtype).name}, relative)", err)
    assert err <= (WINOGRAD_TOL32 if dtype == np.float32 else TOL[np.dtype(dtype)])
    assert _err(ours, naive.conv2d(x, k, b, padding=1)) <= (
        WINOGRAD_TOL32 if dtype == np.float32 else TOL[np.dtype(dtype)])


def test_per_channel_is_the_plain_broadcast_and_restores_the_buffer():
    """arrays.per_channel (batch norm, conv biases): the same bits as ``x op v[:, None,
    None]``, in place or not, and NumPy's ufunc buffer size as before, even after an error."""
    from generator.nn.arrays import CHANNEL_BUFSIZE, per_channel

    rng = np.random.default_rng(2031)
    before = np.getbufsize()
    assert before != CHANNEL_BUFSIZE
    for shape in [(1, 144, 56, 56), (2, 5, 3, 7), (3, 4)]:
        x = rng.standard_normal(shape).astype(np.float32)
        v = rng.standard_normal(shape[1]).astype(np.float32)
        plain = x * v.reshape((1, -1) + (1,) * (x.ndim - 2))
        np.testing.assert_array_equal(per_channel(np.multiply, x, v), plain)
        y = x.copy()
        assert per_channel(np.multiply, y, v, out=y) is y
        np.testing.assert_array_equal(y, plain)
        assert np.getbufsize() == before
    with pytest.raises(ValueError):
        per_channel(np.add, np.zeros((1, 3, 2)), np.zeros(4))
    assert np.getbufsize() == before
