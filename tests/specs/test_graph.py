"""The graph form of a spec: named inputs, merges, blocks and repeat; each mistake is one
line naming the file, the layer and the field; hostile graphs stay bounded."""

from __future__ import annotations

import time

import pytest

from generator.errors import UserError
from generator.specs import parse_spec
from generator.tables import layer_table
from generator.tables.receptive import Field1D

HEAD = "name: g\ninput: [4, 16, 16]\n"


def table(text: str):
    return layer_table(parse_spec(HEAD + text, "g.yaml", "g"))


def error(text: str) -> str:
    with pytest.raises(UserError) as info:
        table(text)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("layers, expected", [
    ("  - conv: {name: a, out: 4, kernel: 3}\n  - add: {inputs: [a, b]}\n",
     "g.yaml: layer 2 (add): inputs: 'b' is not the name of an earlier layer of this list "
     "(earlier: 'a'; or 'input')"),
    ("  - add: {name: a, inputs: [input, b]}\n  - relu: {name: b}\n",
     "g.yaml: layer 1 'a' (add): inputs: 'b' is layer 2, after this one: a layer takes only "
     "earlier layers' outputs (a graph has no cycle)"),
    ("  - relu: {name: a, inputs: a}\n",
     "g.yaml: layer 1 'a' (relu): inputs: 'a' is this layer itself (a cycle)"),
    ("  - relu: {name: a}\n  - tanh: {name: a}\n  - relu: {inputs: a}\n",
     "g.yaml: layer 3 (relu): inputs: 'a' names 2 earlier layers; give them different names"),
    ("  - add: {inputs: [input]}\n",
     "g.yaml: layer 1 (add): inputs: add needs at least two inputs, found 1"),
    ("  - concat: {inputs: input}\n",
     "g.yaml: layer 1 (concat): inputs: concat needs at least two inputs (or branches), "
     "found 1"),
    ("  - relu: {name: a}\n  - conv: {out: 4, kernel: 1, inputs: [a, input]}\n",
     "g.yaml: layer 2 (conv): inputs: conv takes one input, found 2 (only add, multiply and "
     "concat combine several)"),
    ("  - relu: {inputs: [7]}\n",
     "g.yaml: layer 1 (relu): inputs must be a layer name or a list of them (earlier layers, "
     "or `input`), found the list [7]"),
    ("  - conv: {name: a, out: 8, kernel: 1}\n  - add: {inputs: [input, a]}\n",
     "g.yaml: layer 2 (add): inputs: cannot add 4×16×16 ('input') and 8×16×16 ('a')"),
    ("  - conv: {name: a, out: 4, kernel: 1}\n  - global_pool: {name: p}\n"
     "  - conv: {name: b, out: 4, kernel: 3, inputs: a}\n  - multiply: {inputs: [a, b]}\n",
     "g.yaml: layer 4 (multiply): inputs: cannot multiply 4×16×16 ('a') and 4×14×14 ('b')"),
    ("  - maxpool: {name: a, kernel: 2}\n  - concat: {inputs: [input, a]}\n",
     "g.yaml: layer 2 (concat): inputs: cannot concatenate 4×16×16 ('input') and 4×8×8 ('a') "
     "on the channels: they need the same height and width"),
    ("  - crop: {size: [12, 17]}\n",
     "g.yaml: layer 1 (crop): size: cannot crop 4×16×16 to the larger 12×17 (height × width)"),
    ("  - crop\n", "g.yaml: layer 1 (crop): give size, or two inputs (the map to crop and "
     "the layer whose height and width it takes), found 0"),
    ("  - maxpool: {name: a, kernel: 2}\n  - crop: {inputs: [a, input]}\n",
     "g.yaml: layer 2 (crop): inputs: cannot crop 4×8×8 to the larger 16×16 (height × width)"),
    ("  - upsample: {scale: 2, size: 3}\n", "g.yaml: layer 1 (upsample): give one of scale "
     "and size"),
    ("  - repeat: {block: nope}\n",
     "g.yaml: layer 1 (repeat): block: no block named 'nope' (none are defined under blocks)"),
])
def test_graph_mistakes_are_one_line_naming_the_layer_and_field(layers, expected):
    assert error("layers:\n" + layers) == expected


BLOCK = ("blocks:\n  b:\n    params: {out: ~, k: 3}\n    layers:\n"
         "      - conv: {name: c, out: $out, kernel: $k, padding: same}\n"
         "      - add: {inputs: [input, c]}\n")


@pytest.mark.parametrize("layers, expected", [
    ("  - repeat: {block: b}\n",
     "g.yaml: layer 1 (repeat): instance 1: no value for the parameter 'out' of block 'b'"),
    ("  - repeat: {block: b, params: {out: 4, size: 2}}\n",
     "g.yaml: layer 1 (repeat): params: block 'b' has no parameter 'size' (it takes: out, k)"),
    ("  - repeat: {block: b, times: 3, each: [{out: 4}, {out: 4}]}\n",
     "g.yaml: layer 1 (repeat): times is 3 but each has 2 entries"),
    ("  - repeat: {block: b, each: [{out: 4}, {out: 5}]}\n",
     "g.yaml: layer 1 (repeat) > instance 2 > layer 2 (add): inputs: cannot add 4×16×16 "
     "('input') and 5×16×16 ('c')"),
    ("  - repeat: {block: b, params: {out: 4, k: two}}\n",
     "g.yaml: layer 1 (repeat) > instance 1 > layer 1 'c' (conv): kernel must be a positive "
     "integer or a pair [height, width] of them, found the string 'two'"),
])
def test_block_mistakes_name_the_instance_and_the_layer_inside(layers, expected):
    assert error(BLOCK + "layers:\n" + layers) == expected


def test_a_block_that_repeats_itself_is_refused():
    text = ("blocks:\n  a:\n    layers: [{repeat: {block: b}}]\n"
            "  b:\n    layers: [relu, {repeat: {block: a}}]\nlayers:\n  - repeat: {block: a}\n")
    assert error(text) == ("g.yaml: layer 1 (repeat) > instance 1 > layer 1 (repeat) > "
                           "instance 1 > layer 2 (repeat): block: 'a' repeats itself "
                           "(a → b → a)")


def test_an_unknown_parameter_reference_names_the_block():
    text = ("blocks:\n  b:\n    layers: [{conv: {out: $width, kernel: 1}}]\n"
            "layers:\n  - repeat: {block: b}\n")
    assert error(text) == ("g.yaml: layer 1 (repeat) > instance 1: $width is not a "
                           "parameter of block 'b' (it takes: none)")


def test_repeat_instances_are_rows_with_their_layers_and_per_instance_values():
    t = table(BLOCK + "layers:\n  - repeat: {name: s, block: b, each: [{out: 4}, {out: 4, k: 5}]}\n")
    (rep,) = t.rows
    assert (rep.type, rep.details, [c.name for c in rep.children]) == (
        "repeat", "2 × b", ["s.0", "s.1"])
    assert [c.details for c in rep.children] == ["out=4, k=3", "out=4, k=5"]
    inner = rep.children[1].children
    assert [r.index for r in inner] == ["1.2.1", "1.2.2"]
    assert inner[0].params == 4 * 4 * 5 * 5 + 4
    assert inner[1].sources == ("1.2.0", "1.2.1")
    assert inner[0].receptive_field[0] == Field1D(7, 1, -3)  # 3 then 5: 3 + 4
    assert rep.children[0].receptive_field[0] == Field1D(3, 1, -1)  # add: union with input


def test_a_graph_takes_named_outputs_and_the_field_is_the_union_of_its_paths():
    t = table("layers:\n  - conv: {name: a, out: 4, kernel: 3, padding: 1}\n"
              "  - conv: {name: b, out: 4, kernel: 5, padding: 2}\n"
              "  - add: {name: s, inputs: [a, b]}\n"
              "  - concat: {inputs: [s, input, a]}\n")
    a, b, s, cat = t.rows
    assert b.input_shape == (4, 16, 16) and b.sources == ()
    assert s.sources == ("1", "2") and s.output_shape == (4, 16, 16)
    # b sees a's 3 pixels through its 5: 7; the sum sees the larger path
    assert a.receptive_field[0] == Field1D(3, 1, -1)
    assert b.receptive_field[0] == Field1D(7, 1, -3)
    assert s.receptive_field[0] == Field1D(7, 1, -3)
    assert cat.sources == ("3", "0", "1") and cat.output_shape == (12, 16, 16)
    assert cat.activations == 12 * 16 * 16 and cat.params == 0
    assert t.totals.activations == (4 + 4 + 4 + 12) * 256


def test_squeeze_and_excitation_multiplies_a_gate_over_the_map():
    t = table("layers:\n  - conv: {name: x, out: 8, kernel: 1}\n  - global_pool\n"
              "  - conv: {out: 2, kernel: 1}\n  - silu\n  - conv: {out: 8, kernel: 1}\n"
              "  - sigmoid: {name: gate}\n  - multiply: {inputs: [x, gate]}\n")
    assert [r.output_shape for r in t.rows] == [(8, 16, 16), (8, 1, 1), (2, 1, 1), (2, 1, 1),
                                                (8, 1, 1), (8, 1, 1), (8, 16, 16)]
    assert t.totals.params == 40 + 18 + 24
    assert t.rows[1].receptive_field[0] == Field1D(16, 1, 0)  # the whole map
    assert t.rows[-1].receptive_field[0] == Field1D(16, 1, 0)


@pytest.mark.parametrize("layer, shape, params, field", [
    ("layernorm: {eps: 1.0e-6}", (4, 16, 16), 8, Field1D(1, 1, 0)),
    ("scale", (4, 16, 16), 4, Field1D(1, 1, 0)),
    ("lrn: {size: 5}", (4, 16, 16), 0, Field1D(1, 1, 0)),
    ("channel_shuffle: {groups: 2}", (4, 16, 16), 0, Field1D(1, 1, 0)),
    ("crop: {size: [9, 10]}", (4, 9, 10), 0, Field1D(1, 1, 3)),
    ("pad: {padding: [1, 2, 3, 4]}", (4, 23, 19), 0, Field1D(1, 1, -3)),
    ("upsample: {scale: [2, 3], mode: bilinear}", (4, 32, 48), 0, None),
    ("upsample: {size: 20}", (4, 20, 20), 0, None),
    ("global_pool: {mode: max}", (4, 1, 1), 0, Field1D(16, 1, 0)),
    ("adaptive_maxpool: {output: [4, 3]}", (4, 4, 3), 0, Field1D(4, 4, 0)),
])
def test_each_new_kind_has_its_shape_parameters_and_field(layer, shape, params, field):
    (row,) = table(f"layers:\n  - {layer}\n").rows
    assert row.output_shape == shape and row.params == params and row.macs == 0
    assert (row.receptive_field and row.receptive_field[0]) == field


def test_a_repeat_bomb_stops_at_the_layer_limit_quickly():
    text = ("blocks:\n  a:\n    layers: [{repeat: {block: b, times: 1000}}]\n"
            "  b:\n    layers: [{repeat: {block: c, times: 1000}}]\n"
            "  c:\n    layers: [relu]\n"
            "layers:\n  - repeat: {block: a, times: 1000}\n")
    start = time.perf_counter()
    message = error(text)
    assert "more than 10,000 layers" in message
    assert time.perf_counter() - start < 5


def test_a_merge_of_many_inputs_counts_towards_the_layer_limit():
    text = ("blocks:\n  a:\n    layers: [relu, {add: {inputs: [" + ", ".join(["input"] * 5000)
            + "]}}]\nlayers:\n  - repeat: {block: a, times: 3}\n")
    assert "more than 10,000 layers" in error(text)
