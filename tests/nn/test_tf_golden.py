"""generator.nn.tensorflow against what real TensorFlow/Keras gave, recorded in tf_golden.json.

The file is written by ``tests/nn/make_tf_golden.py`` under an environment with
TensorFlow (its version is in the file); these tests need only NumPy, so they
hold the rules to TensorFlow itself wherever the suite runs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from generator import nn
from generator.nn import tensorflow as tfr
from generator.tables import counts

GOLDEN = json.loads(Path(__file__).with_name("tf_golden.json").read_text(encoding="utf-8"))


def _raises_like(call, message):
    """``call()`` raises ValueError, and TensorFlow refused the same case (``message`` set)
    or gave an empty output (``message`` is the size 0): a window longer than its input,
    which Keras refuses and the site refuses everywhere."""
    assert message or message == 0, "TensorFlow gave a value where the rule raises"
    with pytest.raises(ValueError):
        call()


def test_golden_file_says_what_made_it():
    assert re.fullmatch(r"2\.\d+\.\d+", GOLDEN["tensorflow"]) and re.fullmatch(r"3\.\d+\.\d+", GOLDEN["keras"])
    sizes = {k: len(v) for k, v in GOLDEN.items() if isinstance(v, list)}
    assert sum(sizes.values()) >= 600 and min(sizes.values()) >= 50, sizes


def test_conv_same_valid_sizes_and_split_are_tensorflows():
    same = refused = 0
    for c in GOLDEN["conv"]:
        n, k, s, d, padding = c["n"], c["k"], c["s"], c["d"], c["padding"]
        if not c["tf_nn"]:
            _raises_like(lambda: tfr.conv_output_size(n, k, s, d, padding), c.get("tf_nn_error", c["tf_nn"]))
        else:
            splits = [tuple(p) for p in c.get("splits", [(0, 0)])]
            for ours in (tfr.conv_output_size(n, k, s, d, padding), nn.tf_output_size(n, k, s, d, padding)):
                assert ours[0] == c["tf_nn"] and ours[1:] in splits, c
            same += len(splits) == 1 and splits[0][0] != splits[0][1]
        if c["keras"] is None:
            refused += "strides > 1" in c.get("keras_error", "")
            _raises_like(lambda: tfr.keras_conv2d_output_hw((n, 1), (k, 1), (s, 1), padding.lower(), (d, 1)),
                         c.get("keras_error"))
        else:
            assert tfr.keras_conv2d_output_hw((n, 1), (k, 1), (s, 1), padding.lower(), (d, 1))[0] == c["keras"], c
    assert same > 10 and refused > 10  # the odd pixel, and Keras's refusal, both exercised


def test_explicit_padding_is_tf_nn_conv2d():
    for c in GOLDEN["explicit"]:
        args = (c["n"], c["k"], c["s"], c["d"], tuple(c["pads"]))
        if not c["tf_nn"]:
            _raises_like(lambda: tfr.conv_output_size(*args), c.get("tf_nn_error", c["tf_nn"]))
        else:
            assert tfr.conv_output_size(*args) == (c["tf_nn"], *c["pads"]), c


def test_pool_sizes_are_keras():
    for c in GOLDEN["pool_sizes"]:
        assert c["max"] == c["avg"], c
        if not c["max"]:
            _raises_like(lambda: tfr.pool_output_size(c["n"], c["k"], c["s"], c["padding"]),
                         c.get("max_error", c["max"]))
        else:
            assert tfr.pool_output_size(c["n"], c["k"], c["s"], c["padding"])[0] == c["max"], c


def test_pooled_values_are_keras():
    uneven = 0
    for c in GOLDEN["pool_values"]:
        x = np.array(c["x"], dtype=float)[None, None]  # (H, W) -> (1, 1, H, W)
        k, s, p = c["k"], c["s"], c["p"]
        np.testing.assert_allclose(tfr.avg_pool2d_same(x, k, s)[0, 0], c["avg_same"], rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(tfr.max_pool2d_same(x, k, s)[0, 0], c["max_same"])
        for kind in ("max", "avg"):
            if kind + "_zero_pad_valid" in c:
                np.testing.assert_allclose(tfr.zero_pad_then_valid(x, p, k, s, kind=kind)[0, 0],
                                           c[kind + "_zero_pad_valid"], rtol=1e-12, atol=1e-12)
        pads = [tfr.pool_output_size(n, k, s, "same")[1:] for n in x.shape[-2:]]
        uneven += any(a != b for a, b in pads)
    assert uneven > 10


def test_conv_transpose_sizes_and_refusals_are_keras():
    kinds = {"value": 0, "refused": 0}
    for c in GOLDEN["conv_transpose"]:
        args = (c["n"], c["k"], c["s"], c["padding"], c["output_padding"], c["d"])
        if not c["keras"]:
            _raises_like(lambda: tfr.conv_transpose_output_size(*args), c.get("keras_error", c["keras"]))
            kinds["refused"] += 1
        else:
            assert tfr.conv_transpose_output_size(*args) == c["keras"], c
            kinds["value"] += 1
    assert min(kinds.values()) > 30, kinds


def test_parameter_counts_are_keras():
    seen = set()
    for c in GOLDEN["params"]:
        kind, cin, bias = c["kind"], c["in"], c.get("bias", True)
        k = tuple(c.get("kernel", (1, 1)))
        if kind == "Conv2D":
            ours = counts.conv2d_params(cin, c["filters"], k, c["groups"], bias)
            assert (sum(ours), 0) == (c["trainable"], c["non_trainable"]), c
        elif kind == "Conv2DTranspose":
            ours = counts.conv_transpose2d_params(cin, c["filters"], k, 1, bias)
            assert (sum(ours), 0) == (c["trainable"], c["non_trainable"]), c
        elif kind == "DepthwiseConv2D":  # groups = channels, depth_multiplier outputs each
            m = c["depth_multiplier"]
            assert sum(counts.conv2d_params(cin, cin * m, k, cin, bias)) == c["total"], c
        elif kind == "SeparableConv2D":  # depthwise without bias, then a 1x1 convolution
            m = c["depth_multiplier"]
            ours = counts.conv2d_params(cin, cin * m, k, cin, False)[0] + \
                sum(counts.conv2d_params(cin * m, c["filters"], (1, 1), 1, bias))
            assert ours == c["total"], c
        elif kind == "Dense":
            assert sum(counts.linear_params(cin, c["units"], bias)) == c["total"], c
        elif kind == "BatchNormalization":  # 4 per channel: 2 learned, 2 moving statistics
            assert sum(counts.batchnorm_params(cin)) == c["trainable"], c
            assert counts.batchnorm_buffers(cin) == c["non_trainable"], c
            assert c["total"] == 4 * cin
        else:
            raise AssertionError(f"unchecked kind {kind}")
        seen.add(kind)
    assert len(seen) == 6


def test_keras_refusal_messages_are_keras():
    refusals = GOLDEN["defaults"]["refusals"]
    with pytest.raises(ValueError) as exc:
        tfr.check_keras_conv((2, 2), (2, 2))
    assert refusals["Conv2D"] == refusals["Conv2DTranspose"] == f"ValueError: {exc.value}"
    with pytest.raises(ValueError) as exc:
        tfr.conv_transpose_output_size(5, 3, 2, "valid", dilation=2)
    assert refusals["Conv2DTranspose"] == f"ValueError: {exc.value}"
    with pytest.raises(ValueError) as exc:
        tfr.check_keras_conv_transpose((2, 2), (1, 1), (2, 2))
    assert refusals["Conv2DTranspose_output_padding"] == f"ValueError: {exc.value}"
    with pytest.raises(ValueError) as exc:
        tfr.check_keras_conv_transpose((1, 1), (1, 1), None, groups=2)
    assert refusals["Conv2DTranspose_groups"] == f"ValueError: {exc.value}"
    tfr.check_keras_conv_transpose((1, 1), (1, 1), None, groups=1)


def test_tf_nn_conv2d_takes_stride_with_dilation():
    got = GOLDEN["defaults"]["tf_nn_conv2d_stride2_dilation2_15"]
    assert {p: tfr.nn_conv2d_output_hw(15, 3, 2, p, 2)[0][0] for p in ("SAME", "VALID")} == got


def test_tensorflow_fails_to_run_exactly_where_the_rule_says():
    """'same' with output_padding 0 and an even dilated kernel: the layer is built and fails
    when called (Keras's shape, (n - 1)*s, is not one 'SAME' takes back to n); only there."""
    at_run = [c for c in GOLDEN["conv_transpose"] if c["keras"] is None
              and not c["keras_error"].startswith("ValueError")]
    rule = [c for c in GOLDEN["conv_transpose"] if c["padding"] == "same" and c["output_padding"] == 0
            and (c["d"] * (c["k"] - 1) + 1) % 2 == 0 and c["n"] > 1 and not (c["s"] > 1 and c["d"] > 1)]
    assert at_run == rule and len(rule) >= 5
