"""Every network runs through the NumPy operators of generator.nn with the shapes its
table computed, row by row (blocks and the layers inside them included).

The fast check runs each built-in on a small input (the smallest from 64 rows by 71
columns up that it accepts: odd and not square, so both floor roundings are exercised);
the full-size one is marked ``slow``.
"""

from __future__ import annotations

import numpy as np
import pytest

from generator.errors import UserError
from generator.specs import BUILTINS, SPEC_DIR, load_builtin, load_spec, parse_spec
from generator.tables import layer_table
from generator.tables.forward import forward


def check(network, input_shape=None):
    table = layer_table(network, input_shape)
    n = 2 if table.totals.macs < 10**9 else 1  # a batch of two where it is cheap
    x = np.random.default_rng(0).standard_normal((n, *table.input_shape)).astype(np.float32)
    y, shapes = forward(network, x)
    assert shapes == [(row.index, row.output_shape) for row in table.walk()]
    assert y.shape == (n, *table.rows[-1].output_shape)
    assert np.isfinite(y).all()


def small_input(network) -> tuple[int, int, int]:
    """The smallest C × h × (h + 7) input from h = 64 up (or the network's own height if
    smaller) that the network's table accepts."""
    c, height, _ = network.input
    for h in range(min(64, height), height + 1):
        try:
            layer_table(network, (c, h, h + 7))
        except UserError:
            continue
        return c, h, h + 7
    raise AssertionError(f"{network.id} accepts no input from {min(64, height)} rows up")


def test_small_inputs_are_small_and_not_square():
    assert [small_input(load_builtin(n)) for n in ("lenet5", "alexnet", "resnet50")] == [
        (1, 32, 39), (3, 64, 71), (3, 64, 71)]


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_forward_shapes_equal_the_table_on_a_small_input(name):
    network = load_builtin(name)
    check(network, small_input(network))


#: U-Net's full-size pass is 150 G multiply-accumulates (13 times ResNet-152's); its
#: small-input pass runs the same layers.
FULL_SIZE = [name for name in BUILTINS if name != "unet"]


@pytest.mark.slow
@pytest.mark.parametrize("name", FULL_SIZE)
def test_builtin_forward_shapes_equal_the_table_at_full_size(name):
    check(load_builtin(name))


def test_example_user_spec_forward_shapes_equal_the_table():
    check(load_spec(SPEC_DIR / "examples" / "example-tiny.yaml"))


def test_every_layer_kind_runs_with_the_table_shapes():
    check(parse_spec(
        "name: all\ninput: [4, 11, 9]\nlayers:\n"
        "  - conv: {out: 8, kernel: [3, 2], stride: [2, 1], padding: [1, 0], dilation: 1}\n"
        "  - conv: {out: 8, kernel: 3, padding: same, groups: 4, bias: false}\n"
        "  - conv: {out: 8, kernel: 3, dilation: 2, padding: 2}\n"
        "  - batchnorm\n  - tanh\n  - sigmoid\n"
        "  - maxpool: {kernel: 3, stride: 2, padding: 1, ceil_mode: true}\n"
        "  - conv_transpose: {out: 6, kernel: 3, stride: 2, padding: 1, output_padding: 1}\n"
        "  - avgpool: {kernel: 2, count_include_pad: false, padding: 1}\n"
        "  - residual:\n      activation: none\n      main: [{conv: {out: 6, kernel: 1}}]\n"
        "  - concat:\n      branches:\n        - [{conv: {out: 2, kernel: 1}}]\n"
        "        - [{residual: {main: [relu], shortcut: [sigmoid]}}]\n"
        "  - adaptive_avgpool: {output: [2, 3]}\n"
        "  - flatten\n  - dropout\n  - fc: {out: 5}\n  - batchnorm\n  - softmax\n",
        "all.yaml", "all"))
