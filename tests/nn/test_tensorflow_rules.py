"""generator.nn.tensorflow against TensorFlow's documented rules, restated here independently.

The expected values below follow the words of TensorFlow's and Keras's
documentation (the "SAME" padding note of ``tf.nn``, Keras's
``deconv_output_length``), written as loops or case splits rather than the
closed forms the module uses.  Where TensorFlow is installed the same cases run
through it too (skipped otherwise: it is not a dependency).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import generator.nn as nn
from generator.nn import tensorflow as tfr

N_CASES = 300


def _cases(seed, n=N_CASES):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        size, kernel = int(rng.integers(1, 40)), int(rng.integers(1, 8))
        stride, dilation = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        yield size, kernel, stride, dilation


def _documented_same(size, filt, stride):
    """tf.nn's note on 'SAME': out = ceil(in / stride), pad by the in % stride case split."""
    out = math.ceil(size / stride)
    if size % stride == 0:
        total = max(filt - stride, 0)
    else:
        total = max(filt - size % stride, 0)
    return out, total // 2, total - total // 2


def _count_valid_windows(size, filt, stride):
    """'VALID': windows that start at 0, stride, 2*stride, ... and end inside the input."""
    return sum(1 for start in range(0, size, stride) if start + filt <= size)


def test_conv_same_and_valid_match_documented_rules():
    checked = 0
    for size, kernel, stride, dilation in _cases(1):
        eff = dilation * (kernel - 1) + 1
        assert tfr.conv_output_size(size, kernel, stride, dilation, "SAME") == _documented_same(size, eff, stride)
        assert tfr.conv_output_size(size, kernel, stride, dilation, "same") == _documented_same(size, eff, stride)
        if eff <= size:
            assert tfr.conv_output_size(size, kernel, stride, dilation, "VALID") == (
                _count_valid_windows(size, eff, stride), 0, 0)
            checked += 1
        else:
            with pytest.raises(ValueError, match="larger than padded input"):
                tfr.conv_output_size(size, kernel, stride, dilation, "VALID")
    assert checked > 100


def test_same_puts_the_odd_pixel_bottom_right():
    # n = 7, k = 4, s = 1: 3 pixels of padding, 1 before and 2 after
    assert tfr.conv_output_size(7, 4, 1, 1, "SAME") == (7, 1, 2)
    # n = 7, k = 3, s = 2: out 4, (4-1)*2 + 3 - 7 = 2 -> 1, 1
    assert tfr.conv_output_size(7, 3, 2, 1, "SAME") == (4, 1, 1)
    # n = 6, k = 3, s = 2: out 3, (3-1)*2 + 3 - 6 = 1 -> 0 before, 1 after
    assert tfr.conv_output_size(6, 3, 2, 1, "SAME") == (3, 0, 1)


def test_explicit_padding_is_tf_nn_conv2d_with_any_split():
    rng = np.random.default_rng(2)
    for size, kernel, stride, dilation in _cases(3):
        before, after = (int(v) for v in rng.integers(0, 5, size=2))
        eff = dilation * (kernel - 1) + 1
        padded = size + before + after
        if eff > padded:
            continue
        assert tfr.conv_output_size(size, kernel, stride, dilation, (before, after)) == (
            _count_valid_windows(padded, eff, stride), before, after)
        if before == after:  # symmetric explicit padding is PyTorch's number of pixels
            assert tfr.conv_output_size(size, kernel, stride, dilation, (before, before))[0] == \
                nn.conv_output_size(size, kernel, stride, before, dilation)


def test_pooling_same_rounds_up_where_pytorch_floors():
    differ = 0
    for size, pool, stride, _ in _cases(4):
        out, top, bottom = tfr.pool_output_size(size, pool, stride, "same")
        assert (out, top, bottom) == _documented_same(size, pool, stride)
        if pool <= size:
            assert tfr.pool_output_size(size, pool, stride, "valid") == (
                _count_valid_windows(size, pool, stride), 0, 0)
            differ += out != nn.pool_output_size(size, pool, stride)
    assert differ > 100  # 'same' is not PyTorch's floor
    assert tfr.pool_output_size(7, 2, padding="same") == (4, 0, 1)  # strides default to the pool size
    assert tfr.pool_output_size(7, 2, padding="valid") == (3, 0, 0)


def _keras_transpose_by_scatter(size, eff, stride, padding):
    """Stamp a kernel of length eff at 0, s, 2s, ...: the canvas is (size-1)*s + eff.

    Keras's 'valid' keeps the whole canvas, grown to size*s if it is shorter;
    'same' crops it to exactly size*s.
    """
    canvas = max(i * stride + eff for i in range(size))
    return max(canvas, size * stride) if padding == "valid" else size * stride


def test_keras_conv_transpose_sizes():
    differ = refused = 0
    for size, kernel, stride, dilation in _cases(5):
        eff = dilation * (kernel - 1) + 1
        if stride > 1 and dilation > 1:  # Keras refuses the pair, as for Conv2D
            for padding in ("valid", "same"):
                with pytest.raises(ValueError, match="strides > 1"):
                    tfr.conv_transpose_output_size(size, kernel, stride, padding, dilation=dilation)
            refused += 1
            continue
        for padding in ("valid", "same"):
            ours = tfr.conv_transpose_output_size(size, kernel, stride, padding, dilation=dilation)
            assert ours == _keras_transpose_by_scatter(size, eff, stride, padding)
        torch_size = nn.conv_transpose_output_size(size, kernel, stride, dilation=dilation)
        differ += tfr.conv_transpose_output_size(size, kernel, stride, "valid", dilation=dilation) != torch_size
    assert differ > 15 and refused > 30  # differ: wherever the stride exceeds the dilated kernel
    # the case: H = 4, k = 2, s = 3
    assert tfr.conv_transpose_output_size(4, 2, 3, "valid") == 12
    assert nn.conv_transpose_output_size(4, 2, 3) == 11
    assert tfr.conv_transpose_output_size(4, 2, 3, "same") == 12
    # with an explicit output_padding Keras uses PyTorch's form, cropping k_eff // 2 for 'same'
    assert tfr.conv_transpose_output_size(4, 3, 2, "same", output_padding=1) == \
        nn.conv_transpose_output_size(4, 3, 2, padding=1, output_padding=1)


def test_keras_output_padding_below_the_stride_only():
    # PyTorch takes output_padding 1 with stride 1 and dilation 2; Keras wants it below the stride
    assert nn.conv_transpose_output_size(5, 3, stride=1, output_padding=1, dilation=2) == 10
    with pytest.raises(ValueError, match="strictly less than `strides`"):
        tfr.conv_transpose_output_size(5, 3, 1, "valid", output_padding=1, dilation=2)
    with pytest.raises(ValueError, match="At dimension 1, `output_padding` is 2 but `strides` is 2"):
        tfr.check_keras_conv_transpose((3, 2), 1, (2, 2))
    tfr.check_keras_conv_transpose((3, 2), 1, (2, 1))
    tfr.check_keras_conv_transpose(1, 3)  # no output_padding given: only the stride with the dilation


def test_keras_same_with_output_padding_zero_and_an_even_kernel_cannot_run():
    # (n - 1)*s + k_eff - 2*(k_eff // 2) + 0 = (n - 1)*s: 'SAME' takes that back to n - 1, not n
    for n, k, s in [(4, 2, 2), (3, 4, 1), (5, 2, 3)]:
        with pytest.raises(ValueError, match="TensorFlow fails when it runs it"):
            tfr.conv_transpose_output_size(n, k, s, "same", output_padding=0)
        if s > 1:  # output_padding 1 (below the stride) runs: (n - 1)*s + 1
            assert tfr.conv_transpose_output_size(n, k, s, "same", output_padding=1) == (n - 1) * s + 1
    assert tfr.conv_transpose_output_size(4, 3, 2, "same", output_padding=0) == 7  # odd kernel: fine
    assert tfr.conv_transpose_output_size(4, 4, 2, "same", output_padding=1) == 7


def test_keras_pooling_takes_no_dilation():
    tfr.check_keras_pool(1)
    tfr.check_keras_pool((1, 1))
    with pytest.raises(ValueError, match=r"take no dilation \(dilation=\(1, 2\)\)"):
        tfr.check_keras_pool((1, 2))


def _loop_pool_same(x, k, s, reduce):
    """Every window of TF's 'SAME' pooling, clipped to the input (the padding never counts)."""
    n, c, h, w = x.shape
    oh, top, _ = _documented_same(h, k, s)
    ow, left, _ = _documented_same(w, k, s)
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s - top, j * s - left
            window = x[:, :, max(r0, 0):r0 + k, max(c0, 0):c0 + k]
            out[:, :, i, j] = reduce(window.reshape(n, c, -1), axis=2)
    return out


def test_avg_pool_same_leaves_padding_out_of_the_divisor():
    rng = np.random.default_rng(6)
    uneven = 0
    for _ in range(200):
        h, w = (int(v) for v in rng.integers(1, 12, size=2))
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        x = rng.standard_normal((2, 3, h, w))
        ours = tfr.avg_pool2d_same(x, k, s)
        np.testing.assert_allclose(ours, _loop_pool_same(x, k, s, np.mean), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(tfr.max_pool2d_same(x, k, s), _loop_pool_same(x, k, s, np.max), rtol=0, atol=0)
        pads = [_documented_same(n, k, s) for n in (h, w)]
        if all(p[1] == p[2] and p[1] <= k // 2 for p in pads):  # even padding: PyTorch's count_include_pad=False
            torch_like = nn.avg_pool2d(x, k, s, padding=(pads[0][1], pads[1][1]), count_include_pad=False)
            np.testing.assert_allclose(ours, torch_like, rtol=1e-12, atol=1e-12)
        else:
            uneven += 1
    assert uneven > 50


def test_avg_pool_same_on_a_known_case():
    # 3x3 of ones..nine, 2x2 stride 2: out 2x2, padding 0 before and 1 after
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    got = tfr.avg_pool2d_same(x, 2, 2)[0, 0]
    np.testing.assert_array_equal(got, [[(1 + 2 + 4 + 5) / 4, (3 + 6) / 2], [(7 + 8) / 2, 9.0]])
    # counting the padding (count_include_pad=True) would give 9/4 in the corner
    assert nn.avg_pool2d(nn.pad(x, (0, 1, 0, 1)), 2, 2)[0, 0, 1, 1] == 9 / 4


def test_zero_padding_then_valid_is_not_same_pooling():
    x = -np.arange(1.0, 17.0).reshape(1, 1, 4, 4)  # all negative
    padded_max = tfr.zero_pad_then_valid(x, 1, 3, 1, kind="max")
    same_max = tfr.max_pool2d_same(x, 3, 1)
    assert padded_max.shape == same_max.shape == (1, 1, 4, 4)
    assert padded_max[0, 0, 0, 0] == 0.0  # a padding zero wins the max
    assert same_max[0, 0, 0, 0] == -1.0
    # the PyTorch layer with padding=1 pads with -inf, as 'SAME' does here
    np.testing.assert_array_equal(nn.max_pool2d(x, 3, 1, padding=1), same_max)
    padded_avg = tfr.zero_pad_then_valid(x, 1, 3, 1, kind="avg")
    np.testing.assert_allclose(padded_avg, nn.avg_pool2d(x, 3, 1, padding=1, count_include_pad=True))
    assert not np.allclose(padded_avg, nn.avg_pool2d(x, 3, 1, padding=1, count_include_pad=False))
    np.testing.assert_allclose(tfr.avg_pool2d_same(x, 3, 1),
                               nn.avg_pool2d(x, 3, 1, padding=1, count_include_pad=False))


def test_keras_refuses_stride_with_dilation_tf_nn_accepts():
    for strides, rate in [(2, 2), ((1, 2), (2, 1)), ((2, 1), 3)]:
        with pytest.raises(ValueError, match="strides > 1"):
            tfr.check_keras_conv(strides, rate)
        with pytest.raises(ValueError, match="strides > 1"):
            tfr.keras_conv2d_output_hw((15, 15), 3, strides, "same", rate)
    tfr.check_keras_conv(1, 4)
    tfr.check_keras_conv(3, 1)
    # tf.nn.conv2d computes it: 15, k 3 dilated 2 (span 5), stride 2 -> VALID 6, SAME 8
    assert tfr.nn_conv2d_output_hw(15, 3, 2, "VALID", 2) == ((6, 6), ((0, 0), (0, 0)))
    assert tfr.nn_conv2d_output_hw(15, 3, 2, "SAME", 2)[0] == (8, 8)
    assert tfr.nn_conv2d_output_hw((15, 10), 3, 2, ((1, 0), (0, 2)), 2)[0] == (6, 4)


def test_keras_takes_no_number_of_pixels():
    with pytest.raises(ValueError, match="ZeroPadding2D"):
        tfr.keras_conv2d_output_hw((32, 32), 5, 1, 2)
    assert tfr.nn_conv2d_output_hw((32, 32), 5, 1, ((2, 2), (2, 2)))[0] == nn.conv2d_output_hw(32, 5, 1, 2)


def test_pytorch_output_padding_below_stride_or_dilation():
    # stride 1, dilation 2: output_padding 1 is allowed (smaller than the dilation)
    assert nn.conv_transpose_output_size(5, 3, stride=1, output_padding=1, dilation=2) == (5 - 1) + 2 * 2 + 1 + 1
    with pytest.raises(ValueError, match="stride or dilation"):
        nn.conv_transpose_output_size(5, 3, stride=2, output_padding=2, dilation=2)


def test_pytorch_accepts_output_padding_below_dilation():
    torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
    layer = torch.nn.ConvTranspose2d(1, 1, 3, stride=1, dilation=2, output_padding=1)
    assert tuple(layer(torch.zeros(1, 1, 5, 5)).shape[-2:]) == (10, 10)
    with pytest.raises(RuntimeError):
        torch.nn.ConvTranspose2d(1, 1, 3, stride=2, dilation=2, output_padding=2)(torch.zeros(1, 1, 5, 5))


# ----------------------------------------------------------- real TensorFlow, where installed


def test_against_tensorflow_itself():
    tf = pytest.importorskip("tensorflow", reason="TensorFlow not installed (not a dependency)")
    rng = np.random.default_rng(7)
    for size, kernel, stride, dilation in list(_cases(8, 60)):
        x = rng.standard_normal((1, size, size, 1)).astype(np.float32)
        w = np.ones((kernel, kernel, 1, 1), np.float32)
        for padding in ("SAME", "VALID"):
            eff = dilation * (kernel - 1) + 1
            if padding == "VALID" and eff > size:
                continue
            if stride > 1 and dilation > 1:
                got = tf.nn.conv2d(x, w, stride, padding, dilations=dilation).shape[1]
            else:
                got = tf.keras.layers.Conv2D(1, kernel, stride, padding.lower(), dilation_rate=dilation)(x).shape[1]
            assert got == tfr.conv_output_size(size, kernel, stride, dilation, padding)[0]
        pooled = tf.nn.avg_pool2d(x, kernel, stride, "SAME").numpy()[..., 0]
        np.testing.assert_allclose(tfr.avg_pool2d_same(x[:, None, :, :, 0], kernel, stride)[:, 0], pooled,
                                   rtol=1e-5, atol=1e-5)
        up = tf.keras.layers.Conv2DTranspose(1, kernel, stride, "valid")(x).shape[1]
        assert up == tfr.conv_transpose_output_size(size, kernel, stride, "valid")


def test_golden_file_is_what_this_tensorflow_gives():
    """tf_golden.json (which the NumPy-only tests read) is what make_tf_golden.py makes here."""
    tf = pytest.importorskip("tensorflow", reason="TensorFlow not installed (not a dependency)")
    from tests.nn import make_tf_golden

    committed = make_tf_golden.OUT.read_text(encoding="utf-8")
    recorded = json.loads(committed)["tensorflow"]
    if tf.__version__ != recorded:
        pytest.skip(f"tf_golden.json records TensorFlow {recorded}, this is {tf.__version__}: "
                    "run tests/nn/make_tf_golden.py and read the diff")
    assert make_tf_golden.dumps(make_tf_golden.golden()) == committed
