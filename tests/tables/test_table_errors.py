"""Specs whose shapes do not work out: one line naming the file, the layer and the problem."""

from __future__ import annotations

import pytest

from generator.errors import UserError
from generator.specs import parse_spec
from generator.tables import layer_table


def table_error(layers: str, input_: str = "[3, 32, 32]") -> str:
    net = parse_spec(f"name: My net\ninput: {input_}\nlayers:\n{layers}",
                     "specs/mynet.yaml", "mynet")
    with pytest.raises(UserError) as info:
        layer_table(net)
    message = str(info.value)
    assert "\n" not in message and message.startswith("specs/mynet.yaml: layer ")
    return message


@pytest.mark.parametrize("layers, input_, expected", [
    # kernel larger than the padded input
    ("  - conv: {out: 4, kernel: 3}\n  - maxpool: {kernel: 2}\n"
     "  - conv: {name: conv2, out: 8, kernel: 7}\n", "[3, 10, 10]",
     "specs/mynet.yaml: layer 3 'conv2' (conv): kernel size 7 is larger than padded input 4x4"),
    ("  - conv: {out: 4, kernel: 5, padding: 1}\n", "[3, 2, 2]",
     "layer 1 (conv): kernel size 5 is larger than padded input 4x4"),
    ("  - maxpool: {name: p, kernel: 3}\n", "[3, 2, 2]",
     "layer 1 'p' (maxpool): kernel size 3 is larger than padded input 2x2"),
    # pooling padding beyond half the window
    ("  - maxpool: {kernel: 2, padding: 2}\n", "[3, 8, 8]",
     "layer 1 (maxpool): pad should be at most half of effective kernel size"),
    # 'same' with a stride
    ("  - conv: {out: 4, kernel: 3, stride: 2, padding: same}\n", "[3, 8, 8]",
     "layer 1 (conv): padding='same' is not supported for strided convolutions"),
    # groups must divide the input channels
    ("  - conv: {name: g, out: 8, kernel: 3, groups: 2}\n", "[3, 8, 8]",
     "layer 1 'g' (conv): groups 2 does not divide the 3 input channels"),
    # layer kinds that need a map or a vector
    ("  - fc: {name: fc1, out: 10}\n", "[3, 8, 8]",
     "layer 1 'fc1' (linear): linear needs a flat input, found 3×8×8 (put a flatten before it)"),
    ("  - flatten\n  - conv: {out: 4, kernel: 1}\n", "[3, 8, 8]",
     "layer 2 (conv): conv needs a C×H×W input, found a flat vector of 192 features"),
    ("  - flatten\n  - basic: {name: b, out: 4}\n", "[3, 8, 8]",
     "layer 2 'b' (basic): basic needs a C×H×W input"),
    # a residual whose paths cannot be added
    ("  - conv: {out: 8, kernel: 3, padding: 1}\n"
     "  - residual:\n      name: layer2.0\n      main:\n"
     "        - conv: {out: 16, kernel: 3, stride: 2, padding: 1}\n", "[3, 8, 8]",
     "layer 2 'layer2.0' (residual): cannot add the main path's output 16×4×4 to the identity "
     "shortcut's 8×8×8 (give it a shortcut that maps 8×8×8 to 16×4×4, e.g. a 1×1 conv with "
     "out 16 and the main path's stride)"),
    ("  - residual:\n      main: [{conv: {out: 4, kernel: 3, padding: 1}}]\n"
     "      shortcut: [{conv: {out: 4, kernel: 1, stride: 2}}]\n", "[3, 8, 8]",
     "layer 1 (residual): cannot add the main path's output 4×8×8 to the shortcut's 4×4×4"),
    # branches whose maps differ in size
    ("  - concat:\n      name: mixed\n      branches:\n"
     "        - [{conv: {out: 4, kernel: 1}}]\n        - [{conv: {out: 4, kernel: 3}}]\n",
     "[3, 8, 8]",
     "layer 1 'mixed' (concat): branch 2 gives 6×6 but branch 1 gives 8×8; concatenated "
     "branches need the same height and width"),
    # errors inside blocks name the path
    ("  - conv: {out: 8, kernel: 1}\n"
     "  - residual:\n      name: layer2.0\n      main:\n        - relu\n"
     "        - conv: {out: 8, kernel: 9}\n", "[3, 8, 8]",
     "layer 2 'layer2.0' (residual) > main 2 (conv): kernel size 9 is larger than padded "
     "input 8x8"),
    ("  - concat:\n      branches:\n        - [relu]\n"
     "        - [relu, {maxpool: {name: p, kernel: 16}}]\n", "[3, 8, 8]",
     "layer 1 (concat) > branch 2, layer 2 'p' (maxpool): kernel size 16 is larger"),
])
def test_impossible_shapes_are_one_line_naming_the_layer(layers, input_, expected):
    assert expected in table_error(layers, input_)


def test_an_input_override_is_checked():
    net = parse_spec("name: x\ninput: [1]\nlayers: [relu]\n", "x.yaml", "x")
    with pytest.raises(UserError, match=r"input: expected C,H,W .* found \(3, 0, 2\)"):
        layer_table(net, (3, 0, 2))


def test_frozen_layers_leave_the_trainable_count():
    net = parse_spec(
        "name: x\ninput: [3, 8, 8]\nlayers:\n"
        "  - basic: {out: 3, frozen: true}\n  - flatten\n  - fc: {out: 2}\n", "x.yaml", "x")
    t = layer_table(net).totals
    fc = 3 * 8 * 8 * 2 + 2
    assert t.trainable_params == fc
    assert t.non_trainable_params == t.params - fc > 0


def test_the_largest_sizes_a_spec_allows_are_tabulated_at_once():
    """Every size at the bound of generator.specs.limits: exact counts, no per-position work
    (an adaptive pooling to 999,999 of 1,000,000 used to build a million windows)."""
    import time

    net = parse_spec(
        "name: x\ninput: [1, 1000000, 1000000]\nlayers:\n"
        "  - adaptive_avgpool: {output: 999999}\n"
        "  - conv: {out: 1000000, kernel: 1}\n"
        "  - adaptive_avgpool: {output: [1000000, 1]}\n", "x.yaml", "x")
    start = time.perf_counter()
    table = layer_table(net)
    assert time.perf_counter() - start < 2
    pool, conv, stretch = table.rows
    assert pool.output_shape == (1, 999_999, 999_999)
    assert (conv.weights, conv.biases) == (1_000_000, 1_000_000)
    assert conv.macs == 1_000_000 * 999_999 * 999_999 == 999_998_000_001_000_000
    assert stretch.output_shape == (1_000_000, 1_000_000, 1)
    assert table.totals.activations == (1 + 1_000_000) * 999_999**2 + 10**12
