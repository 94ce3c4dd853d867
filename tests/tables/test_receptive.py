"""Receptive field, jump and start (Araujo et al., Distill 2019) against known values."""

from __future__ import annotations

from generator.specs import load_builtin, parse_spec
from generator.tables import layer_table
from generator.tables.receptive import INPUT, Field1D, adaptive_window, union, window


def field_of(network: str, name: str):
    table = layer_table(load_builtin(network))
    (row,) = [r for r in table.walk() if r.name == name and r.depth == 0]
    h, w = row.receptive_field
    assert h == w
    return h.size, h.jump, h.start


def test_known_receptive_fields_of_classic_networks():
    assert field_of("vgg16", "conv5_3") == (196, 16, -90)
    assert field_of("vgg16", "pool5") == (212, 32, -90)
    assert field_of("alexnet", "pool5") == (195, 32, -66)
    assert field_of("resnet18", "layer4.1") == (435, 32, -217)
    assert field_of("resnet50", "layer4.2") == (427, 32, -213)


def test_window_arithmetic_one_layer_at_a_time():
    f = window(INPUT, (3, 3), (1, 1), (1, 1))                  # 3x3, stride 1, pad 1
    assert f[0] == Field1D(3, 1, -1)
    f = window(f, (2, 2), (2, 2), (0, 0))                      # 2x2 pool, stride 2
    assert f[0] == Field1D(4, 2, -1)
    f = window(f, (3, 3), (1, 1), (1, 1), dilation=(2, 2))     # dilated: spans 5
    assert f[0] == Field1D(4 + 4 * 2, 2, -1 - 2)


def test_paths_that_meet_take_the_union_and_undefined_fields_propagate():
    a = (Field1D(3, 1, -1), Field1D(3, 1, -1))
    b = (Field1D(5, 1, -2), Field1D(1, 1, 0))
    assert union([a, b]) == (Field1D(5, 1, -2), Field1D(3, 1, -1))
    assert union([a, None]) is None
    assert union([a, (Field1D(3, 2, -1), Field1D(3, 1, -1))]) is None  # jumps differ
    assert window(None, (3, 3), (1, 1), (0, 0)) is None


def test_adaptive_pooling_has_a_window_only_when_its_windows_are_alike():
    assert adaptive_window(7, 1) == (7, 1)
    assert adaptive_window(12, 6) == (2, 2)
    assert adaptive_window(6, 6) == (1, 1)
    assert adaptive_window(5, 3) is None


def test_flatten_sees_the_whole_map_and_transposed_conv_has_no_single_field():
    net = parse_spec(
        "name: t\ninput: [1, 8, 8]\nlayers:\n  - conv: {out: 2, kernel: 3}\n  - flatten\n"
        "  - fc: {out: 3}\n  - relu\n", "t.yaml", "t")
    conv, flat, fc, _ = layer_table(net).rows
    assert conv.receptive_field[0] == Field1D(3, 1, 0)
    assert flat.receptive_field[0] == Field1D(8, 1, 0)   # 3 + (6 - 1) * 1
    assert fc.receptive_field == flat.receptive_field
    up = parse_spec("name: t\ninput: [1, 4, 4]\nlayers:\n"
                    "  - conv_transpose: {out: 2, kernel: 2, stride: 2}\n  - relu\n",
                    "t.yaml", "t")
    assert [r.receptive_field for r in layer_table(up).rows] == [None, None]


def test_a_residual_block_reports_the_union_of_its_paths():
    table = layer_table(load_builtin("resnet50"))
    block = next(r for r in table.rows if r.name == "layer2.0")
    main_end = next(c for c in block.children if c.name == "bn3")
    short_end = next(c for c in block.children if c.name == "downsample.1")
    assert block.receptive_field == union([main_end.receptive_field,
                                           short_end.receptive_field])
    assert block.receptive_field == main_end.receptive_field  # the main path contains the other
