"""ONNX import: every built-in with a torchvision counterpart, exported by torch.onnx and
imported, gives the built-in's table (batch normalisation folded by the exporter
accounted for); bad files stop with one line, exit 2, nothing written."""

from __future__ import annotations

import pytest

from generator.__main__ import main
from generator.importers import load, to_yaml
from generator.specs import BUILTINS, load_builtin, parse_spec
from generator.tables import layer_table

TORCHVISION = [i for i in BUILTINS if load_builtin(i).torchvision]
#: The round trips the fast lane runs; the others are its slow, full-size twin.
FAST = {"resnet18", "mobilenet-v2", "squeezenet1-1"}


def counted_rows(table, fold_batchnorm):
    """(output shape, weights, biases, MACs) of every leaf with weights or MACs, in order;
    with ``fold_batchnorm`` a batchnorm right after a convolution is gone and the
    convolution has one bias per channel, as the exporter folds it."""
    rows = []
    for r in table.walk():
        if r.children:
            continue
        prev = rows[-1] if rows else None
        if fold_batchnorm and r.type == "batchnorm" and prev and prev[0] == "conv" \
                and prev[2] == r.output_shape:
            rows[-1] = (*prev[:4], r.output_shape[0], prev[5], "folded")
            continue
        rows.append((r.type, r.name, r.output_shape, r.weights, r.biases, r.macs, ""))
    return [(shape, w, b, m) for _, _, shape, w, b, m, _ in rows if w or m]


def test_the_round_trip_covers_the_torchvision_built_ins():
    assert len(TORCHVISION) >= 17 and {"resnet50", "mobilenet-v2", "densenet121",
                                       "efficientnet-b0", "vgg16-bn"} <= set(TORCHVISION)


@pytest.mark.parametrize("id", [pytest.param(i, marks=() if i in FAST else pytest.mark.slow)
                                for i in TORCHVISION])
def test_onnx_round_trip_gives_the_built_in_table(id, onnx_export):
    network = load_builtin(id)
    path = onnx_export(network)
    text = to_yaml(load(str(path)))
    imported = parse_spec(text, f"{id}.yaml", id)
    ours, theirs = layer_table(network), layer_table(imported)
    expected = counted_rows(ours, fold_batchnorm=True)
    got = counted_rows(theirs, fold_batchnorm=False)
    assert len(got) == len(expected) > 0
    for i, (e, g) in enumerate(zip(expected, got)):
        assert g == e, f"{id}: counted row {i}: {g} != {e}"
    folded = len(counted_rows(ours, False)) - len(expected)
    assert theirs.totals.params == sum(w + b for _, w, b, _ in expected)
    assert theirs.totals.macs == ours.totals.macs
    assert theirs.rows[-1].output_shape == ours.rows[-1].output_shape
    assert imported.input == network.input
    if folded:
        assert "folded" in imported.description


def test_import_is_byte_identical_and_folds_repeats(onnx_export):
    path = str(onnx_export(load_builtin("resnet50")))
    first, second = to_yaml(load(path)), to_yaml(load(path))
    assert first == second
    net = parse_spec(first, "r.yaml", "r")
    # each stage's identity bottlenecks (all but its first) are one block, repeated, named
    # after the modules they stand for; the first blocks of stages 2 to 4 (projection
    # shortcut, stride 2) are another; layer1.0 stays as layers: its stride-1 convolutions
    # omit the stride the others give
    repeats = [layer for layer in net.layers if layer.KIND == "repeat"]
    assert [(r.name, r.block, len(r.instances)) for r in repeats] == [
        ("/layer1/layer1.1-2", "block1", 2), ("/layer2/layer2.0", "block2", 1),
        ("/layer2/layer2.1-3", "block1", 3), ("/layer3/layer3.0", "block2", 1),
        ("/layer3/layer3.1-5", "block1", 5), ("/layer4/layer4.0", "block2", 1),
        ("/layer4/layer4.1-2", "block1", 2)]
    assert "      - add: {name: Add, inputs: [conv3/Conv, input]}\n" in first
    assert "/layer1/layer1.0/conv1/Conv" in first  # node names kept


# ------------------------------------------------------------------ bad inputs


def _tiny(op="Relu", dims=(1, 3, 8, 8), attrs=None):
    onnx = pytest.importorskip("onnx", reason="onnx is not installed (optional oracle)")
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, list(dims))
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    node = helper.make_node(op, ["x"], ["y"], name="the_node", **(attrs or {}))
    graph = helper.make_graph([node], "tiny", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return onnx._serialize(model) if hasattr(onnx, "_serialize") else model.SerializeToString()


def _run(args, capsys):
    code = main(["import", *args])
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize("case", ["truncated", "not onnx", "unsupported", "dynamic"])
def test_bad_onnx_one_line_exit_2_nothing_written(case, tmp_path, capsys):
    # without onnx every case stops earlier, at "needs the onnx package" (test_without_the_onnx_package_...)
    pytest.importorskip("onnx", reason="onnx is not installed (optional oracle)")
    src = tmp_path / "model.onnx"
    if case == "truncated":
        data = _tiny()
        src.write_bytes(data[: len(data) // 2])
    elif case == "not onnx":
        src.write_text("name: not a model\n")
    elif case == "unsupported":
        src.write_bytes(_tiny("LeakyRelu"))
    else:
        src.write_bytes(_tiny(dims=(1, 3, "H", "W")))
    out = tmp_path / "specs" / "model.yaml"
    code, err = _run([str(src), "-o", str(out)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    assert not out.exists() and not (tmp_path / "specs").exists()
    expected = {
        "truncated": "not an ONNX model", "not onnx": "not an ONNX model",
        "unsupported": "node 'the_node' (LeakyRelu): no spec layer represents it; "
                       "supported: Conv, ConvTranspose",
        "dynamic": "has no static shape (1×3×?×?)",
    }[case]
    assert expected in err, err


def test_dynamic_sizes_import_with_input(tmp_path, capsys):
    src = tmp_path / "model.onnx"
    src.write_bytes(_tiny(dims=(1, 3, "H", "W")))
    out = tmp_path / "m.yaml"
    code, err = _run([str(src), "-o", str(out), "--input", "3,16,12"], capsys)
    assert code == 0, err
    text = out.read_text()
    assert "input: [3, 16, 12]" in text and "- relu: {name: the_node}" in text


def test_skip_unsupported_marks_a_placeholder(tmp_path, capsys):
    src = tmp_path / "model.onnx"
    src.write_bytes(_tiny("LeakyRelu"))
    out = tmp_path / "m.yaml"
    code, err = _run([str(src), "-o", str(out), "--skip-unsupported"], capsys)
    assert code == 0, err
    net = parse_spec(out.read_text(), "m.yaml", "m")
    assert net.layers[0].name == "the_node"
    assert net.layers[0].KIND == "placeholder" and net.layers[0].op == "LeakyRelu"
    assert "- placeholder: {name: the_node, op: LeakyRelu}" in out.read_text()
    assert ("1 operation(s) the importer could not map stand as placeholders (layers of "
            "kind placeholder)") in net.description
    assert net.description.endswith(": the_node (LeakyRelu).")
    row = layer_table(net).rows[0]
    assert (row.type, row.details, row.params, row.macs) == (
        "placeholder", "placeholder for LeakyRelu (not imported)", 0, 0)
    assert row.output_shape == row.input_shape


def test_an_existing_file_not_written_by_import_needs_force(tmp_path, capsys):
    src = tmp_path / "model.onnx"
    src.write_bytes(_tiny())
    out = tmp_path / "m.yaml"
    out.write_text("name: mine\n")
    code, err = _run([str(src), "-o", str(out)], capsys)
    assert code == 2 and "give --force" in err and out.read_text() == "name: mine\n"
    assert _run([str(src), "-o", str(out), "--force"], capsys)[0] == 0
    assert _run([str(src), "-o", str(out)], capsys)[0] == 0  # ours now: replaced freely


def test_without_the_onnx_package_one_line_exit_2_nothing_written(tmp_path, capsys, monkeypatch):
    """A machine without onnx (it is optional) gets one line saying how to install it."""
    import sys

    monkeypatch.setitem(sys.modules, "onnx", None)  # `import onnx` raises ImportError
    src = tmp_path / "model.onnx"
    src.write_text("name: not a model\n")
    out = tmp_path / "specs" / "model.yaml"
    code, err = _run([str(src), "-o", str(out)], capsys)
    assert code == 2
    assert err == "error: reading ONNX needs the onnx package: pip install '.[onnx]'\n"
    assert not out.exists() and not (tmp_path / "specs").exists()
