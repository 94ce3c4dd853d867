"""ONNX import of ShuffleNetV2's channel operations on hand-made graphs (no torch needed):
the exporter's ``chunk`` (Slices whose bounds are shape arithmetic: Shape, Gather, Div,
Mul) or a Split become ``channel_split`` layers, its Reshape-Transpose-Reshape a
``channel_shuffle``; the imported spec computes what ONNX's reference evaluator computes.
Anything else done to channels cut into groups stops with one line."""

from __future__ import annotations

import numpy as np
import pytest

from generator.errors import UserError
from generator.importers import load, to_yaml
from generator.specs import parse_spec
from generator.tables import layer_table
from generator.tables.forward import forward

onnx = pytest.importorskip("onnx", reason="onnx is not installed (optional oracle)")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402


def _model(nodes, consts, c=8, out_c=None, opset=17):
    """A graph from ``x`` (1×c×4×4) to ``y``; ``consts``: name -> int64 array."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 4, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    inits = [numpy_helper.from_array(np.asarray(v, np.int64), k) for k, v in consts.items()]
    graph = helper.make_graph(nodes, "channels", [x], [y], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _chunk_nodes(x, out0, out1, prefix):
    """``x.chunk(2, dim=1)`` as torch 2's TorchScript exporter writes it."""
    n = helper.make_node
    return [
        n("Shape", [x], [f"{prefix}s"], name=f"{prefix}Shape"),
        n("Gather", [f"{prefix}s", "one"], [f"{prefix}c"], name=f"{prefix}Gather", axis=0),
        n("Add", [f"{prefix}c", "one"], [f"{prefix}c1"], name=f"{prefix}Add"),
        n("Div", [f"{prefix}c1", "two"], [f"{prefix}half"], name=f"{prefix}Div"),
        n("Mul", [f"{prefix}half", "zero1"], [f"{prefix}a"], name=f"{prefix}Mul"),
        n("Mul", [f"{prefix}half", "one1"], [f"{prefix}b"], name=f"{prefix}Mul_1"),
        n("Mul", [f"{prefix}half", "two1"], [f"{prefix}e"], name=f"{prefix}Mul_2"),
        n("Slice", [x, f"{prefix}a", f"{prefix}b", "one1"], [out0], name=f"{prefix}Slice"),
        n("Slice", [x, f"{prefix}b", f"{prefix}e", "one1"], [out1], name=f"{prefix}Slice_1"),
    ]


CONSTS = {"one": 1, "two": 2, "zero1": [0], "one1": [1], "two1": [2],
          "grouped": [1, 2, 4, 4, 4], "back": [1, 8, 4, 4]}


def _shuffle_nodes(x, perm=(0, 2, 1, 3, 4)):
    n = helper.make_node
    return [n("Reshape", [x, "grouped"], ["g"], name="Reshape"),
            n("Transpose", ["g"], ["t"], name="Transpose", perm=list(perm)),
            n("Reshape", ["t", "back"], ["y"], name="Reshape_1")]


def _unit(split="slice", perm=(0, 2, 1, 3, 4)):
    """A ShuffleNetV2 unit without convolutions: split, relu on one half, concatenate,
    shuffle."""
    n = helper.make_node
    if split == "slice":
        nodes = _chunk_nodes("x", "p0", "p1", "")
        consts = CONSTS
    else:
        nodes = [n("Split", ["x", "sizes"], ["p0", "p1"], name="Split", axis=1)]
        consts = {**CONSTS, "sizes": [4, 4]}
    nodes += [n("Relu", ["p1"], ["r"], name="Relu"),
              n("Concat", ["p0", "r"], ["cat"], name="Concat", axis=1)]
    return _model(nodes + _shuffle_nodes("cat", perm), consts)


def _import(model, tmp_path):
    path = tmp_path / "unit.onnx"
    path.write_bytes(model.SerializeToString())
    return to_yaml(load(str(path)))


def _same_as_onnx(model, text):
    from onnx.reference import ReferenceEvaluator

    x = np.random.default_rng(0).standard_normal((1, 8, 4, 4)).astype(np.float32)
    (want,) = ReferenceEvaluator(model).run(None, {"x": x})
    net = parse_spec(text, "unit.yaml", "unit")
    got, _ = forward(net, x)
    np.testing.assert_array_equal(got, want)
    return net


@pytest.mark.parametrize("split", ["slice", "split"])
def test_chunk_and_shuffle_become_channel_split_and_channel_shuffle(split, tmp_path):
    model = _unit(split)
    text = _import(model, tmp_path)
    first = "Slice" if split == "slice" else "Split"
    second = "Slice_1" if split == "slice" else "Split#2"
    assert (f"  - channel_split: {{name: {first}, chunks: 2, index: 0}}\n"
            f"  - channel_split: {{name: {second}, inputs: [input], chunks: 2, index: 1}}\n"
            "  - relu: {name: Relu}\n"
            f"  - concat: {{name: Concat, inputs: [{first}, Relu]}}\n"
            "  - channel_shuffle: {name: Reshape_1, groups: 2}\n") in text
    net = _same_as_onnx(model, text)
    table = layer_table(net)
    assert [r.output_shape for r in table.rows] == [(4, 4, 4), (4, 4, 4), (4, 4, 4),
                                                    (8, 4, 4), (8, 4, 4)]
    assert table.totals.params == table.totals.macs == 0


def test_a_channel_slice_is_the_part_torch_chunk_cuts(tmp_path):
    # channels 8 and 9 of 10: x.chunk(3, 1)[2] (parts of 4, 4, 2), the fewest chunks
    n = helper.make_node
    nodes = [n("Slice", ["x", "eight", "big", "one1"], ["y"], name="part")]
    model = _model(nodes, {"eight": [8], "big": [1 << 40], "one1": [1]}, c=10)
    assert "- channel_split: {name: part, chunks: 3, index: 2}" in _import(model, tmp_path)
    # channels 1 to 4 of 10: no chunk is that
    nodes = [n("Slice", ["x", "one1", "five", "one1"], ["y"], name="odd")]
    model = _model(nodes, {"five": [5], "one1": [1]}, c=10)
    with pytest.raises(UserError) as err:
        _import(model, tmp_path)
    assert str(err.value).endswith(
        "node 'odd' (Slice): channels 1 to 5 of 10: only a part as torch.chunk cuts "
        "them; supported: " + ", ".join(__import__(
            "generator.importers.onnx_model", fromlist=["SUPPORTED"]).SUPPORTED))


def test_anything_else_on_channels_cut_into_groups_is_one_line(tmp_path):
    with pytest.raises(UserError) as err:
        _import(_unit(perm=(0, 1, 2, 4, 3)), tmp_path)
    assert "node 'Transpose' (Transpose): a transpose of channels cut into groups: only " \
           "a channel shuffle [0, 2, 1, 3, 4]" in str(err.value)
    n = helper.make_node
    nodes = [n("Reshape", ["x", "grouped"], ["g"], name="Reshape"),
             n("Relu", ["g"], ["y"], name="act")]
    with pytest.raises(UserError) as err:
        _import(_model(nodes, CONSTS), tmp_path)
    message = str(err.value)
    assert "\n" not in message and "node 'act' (Relu): it works on channels cut into " \
                                   "groups" in message


def test_shape_arithmetic_out_of_range_is_one_line_not_a_traceback(tmp_path):
    # a Gather past the end of the shape: not computed; the Slice after it has no
    # constant bounds and says so
    n = helper.make_node
    nodes = [n("Shape", ["x"], ["s"], name="Shape"),
             n("Gather", ["s", "nine"], ["c"], name="Gather", axis=0),
             n("Unsqueeze", ["c", "zero1"], ["end"], name="Unsqueeze"),
             n("Slice", ["x", "zero1", "end", "one1"], ["y"], name="cut")]
    model = _model(nodes, {"nine": 9, "zero1": [0], "one1": [1]})
    with pytest.raises(UserError) as err:
        _import(model, tmp_path)
    assert "\n" not in str(err.value) and "node 'cut' (Slice)" in str(err.value)
