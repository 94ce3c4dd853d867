"""Importing a hostile or careless model: one line, exit 2, in bounded time and memory.

Each case here failed before: an ONNX node named ``$p`` made the importer loop for ever
(every renamed candidate still began with ``$``); a graph of 200,000 nodes took 50 s
and 500 MB before the spec's limit of 10,000 layers refused it, naming the spec that
was never written instead of the model; a factory that returned no model was an
internal error (exit 1) and one that called ``sys.exit(0)`` ended the import with exit 0
and nothing written; ``--input`` sized the tensors torch.fx ran the model on, so a large
one took minutes and gigabytes (ResNet-18 at 3×4000×4000: 17 s, 2.5 GB), and a huge one
failed although its table is computed like any other.
"""

from __future__ import annotations

import sys
import types

import pytest

from .helpers import one_line_error, run


def _onnx_graph(nodes, name="g"):
    onnx = pytest.importorskip("onnx", reason="the ONNX importer needs the onnx package")
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    graph = helper.make_graph(nodes, name, [x], [y])
    return onnx, helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _relus(names):
    from onnx import helper

    outs = [f"v{i}" for i in range(1, len(names))] + ["y"]
    return [helper.make_node("Relu", [src], [out], name=n)
            for n, src, out in zip(names, ["x", *outs[:-1]], outs)]


def test_onnx_node_names_that_read_as_block_parameters(tmp_path, capsys):
    pytest.importorskip("onnx", reason="the ONNX importer needs the onnx package")
    onnx, model = _onnx_graph(_relus(["$p", "$p", "$"]))
    onnx.save(model, tmp_path / "m.onnx")
    code, err = run(capsys, "import", str(tmp_path / "m.onnx"), "-o",
                    str(tmp_path / "m.yaml"), seconds=10)
    assert code == 0, err
    text = (tmp_path / "m.yaml").read_text()
    assert "- relu: {name: p}\n  - relu: {name: p#2}\n  - relu: {name: relu3}\n" in text


def test_an_onnx_graph_past_the_layer_limit_stops_at_the_first_layer_too_many(tmp_path,
                                                                            capsys):
    pytest.importorskip("onnx", reason="the ONNX importer needs the onnx package")
    from generator.specs.limits import MAX_LAYERS

    onnx, model = _onnx_graph(_relus([f"r{i}" for i in range(2 * MAX_LAYERS)]))
    onnx.save(model, tmp_path / "big.onnx")
    message = one_line_error(capsys, "import", str(tmp_path / "big.onnx"), "-o",
                             str(tmp_path / "big.yaml"), seconds=8)
    assert message == (f"{tmp_path / 'big.onnx'}: node 'r10000' (Relu): more than 10,000 "
                       "layers, the most a spec may have")
    assert not (tmp_path / "big.yaml").exists()


@pytest.fixture
def factories(monkeypatch):
    """A module of model factories, importable as ``hostile_factories``."""
    torch = pytest.importorskip("torch", reason="the PyTorch importer needs torch")
    module = types.ModuleType("hostile_factories")
    module.number = lambda: 5
    module.leaves = lambda: sys.exit(0)
    module.huge = lambda: torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 1000, stride=1000), torch.nn.ReLU(),
        torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 2))
    monkeypatch.setitem(sys.modules, "hostile_factories", module)
    return module


@pytest.mark.parametrize("factory, expected", [
    ("number", "hostile_factories:number: number() returned int, not a torch.nn.Module"),
    ("leaves", "hostile_factories:leaves: leaves() called sys.exit(0) instead of returning a "
               "model"),
])
def test_a_factory_that_returns_no_model(factories, tmp_path, capsys, factory, expected):
    message = one_line_error(capsys, "import", f"hostile_factories:{factory}", "-o",
                             str(tmp_path / "m.yaml"))
    assert message == expected
    assert not (tmp_path / "m.yaml").exists()


def test_the_input_size_costs_the_trace_nothing(factories, tmp_path, capsys):
    """12 TB of input on the CPU; on the meta device, only its shape."""
    code, err = run(capsys, "import", "hostile_factories:huge", "--input", "3,1000000,1000000",
                    "-o", str(tmp_path / "m.yaml"), seconds=20)
    assert code == 0, err
    params = 3 * 4 * 1000**2 + 4 + 4 * 2 + 2       # conv weights and biases, linear's
    macs = 4 * 1000**2 * 3 * 1000**2 + 4 * 2       # 4×1000×1000 outputs of 3×1000×1000 each
    assert err == (f"wrote {tmp_path / 'm.yaml'}: huge, 5 rows, {params:,} parameters, "
                   f"{macs:,} MACs\n")


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_an_onnx_path_that_is_no_regular_file(tmp_path, capsys, make):
    """A link to /dev/zero was read until memory ran out (24 GB, then killed); a named
    pipe waited for ever. (/dev/null stands for the devices here: safe to read.)"""
    import os

    pytest.importorskip("onnx", reason="the ONNX importer needs the onnx package")
    path = tmp_path / "m.onnx"
    if make == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(os.devnull)
    message = one_line_error(capsys, "import", str(path), "-o", str(tmp_path / "m.yaml"),
                             seconds=5)
    assert message == f"{path}: not a regular file (an ONNX model is a file)"


def test_an_onnx_auto_pad_that_is_no_padding_mode(tmp_path, capsys):
    """ONNX names four auto_pad modes; any other text was read as NOTSET, silently."""
    import numpy as np

    onnx, model = _onnx_graph([])
    from onnx import helper, numpy_helper

    model.graph.node.append(helper.make_node("Conv", ["x", "w"], ["y"], name="c",
                                             auto_pad="SAME"))
    model.graph.initializer.append(numpy_helper.from_array(np.zeros((4, 3, 3, 3), np.float32),
                                                           "w"))
    onnx.save(model, tmp_path / "m.onnx")
    message = one_line_error(capsys, "import", str(tmp_path / "m.onnx"), "-o",
                             str(tmp_path / "m.yaml"))
    assert message.startswith(f"{tmp_path / 'm.onnx'}: node 'c' (Conv): auto_pad 'SAME' is "
                              "none of NOTSET, SAME_UPPER, SAME_LOWER and VALID; supported: ")


@pytest.mark.parametrize("suffix", [".keras", ".json"])
@pytest.mark.parametrize("make", ["fifo", "device", "folder"])
def test_a_keras_path_that_is_no_regular_file(tmp_path, capsys, make, suffix):
    """As for ONNX: a .keras or .json linked to /dev/zero ran out of memory, a named pipe
    waited for ever. (/dev/null stands for the devices here: safe to read.)"""
    import os

    path = tmp_path / f"m{suffix}"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "device":
        path.symlink_to(os.devnull)
    else:
        path.mkdir()
    message = one_line_error(capsys, "import", str(path), "-o", str(tmp_path / "m.yaml"),
                             seconds=5)
    assert message == (f"{path}: is a folder, not a Keras model" if make == "folder" else
                       f"{path}: not a regular file (a Keras model is a file)")


def test_an_import_is_never_written_under_a_name_the_build_refuses(tmp_path, capsys, monkeypatch):
    """``import torchvision:resnet18`` wrote docs/specs/resnet18.yaml, which the next build
    refused (a built-in's id); by default it now goes beside the built-in, and an
    explicit such name is refused before anything is read."""
    from generator.__main__ import main
    from generator.importers import default_id
    from generator.spec_files import builtin_ids

    monkeypatch.chdir(tmp_path)
    assert default_id("torchvision:resnet18") in builtin_ids()
    message = one_line_error(capsys, "import", "torchvision:resnet18", "-o",
                             "docs/specs/resnet18.yaml", seconds=20)
    assert message == ("docs/specs/resnet18.yaml: its id 'resnet18' is the built-in network "
                       "resnet18's, whose page has the same name; rename the file")
    model = tmp_path / "resnet18.json"
    model.write_text('{"class_name": "Sequential", "config": {"name": "s", "layers": ['
                     '{"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 3]}},'
                     '{"class_name": "Conv2D", "config": {"name": "c", "filters": 4, '
                     '"kernel_size": [3, 3], "strides": [1, 1], "padding": "valid"}}]}}')
    (tmp_path / "docs/specs").mkdir(parents=True)
    assert main(["import", str(model)]) == 0
    assert "wrote docs/specs/resnet18-imported.yaml" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "docs/specs").iterdir()] == ["resnet18-imported.yaml"]


def test_a_spec_error_in_an_imported_model_names_the_model(tmp_path, capsys):
    """The spec check runs before anything is written, so its error names the model read,
    not the output file (which was named before, and does not exist)."""
    model = tmp_path / "m.json"
    model.write_text('{"class_name": "Sequential", "config": {"name": "s", "layers": ['
                     '{"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 4]}},'
                     '{"class_name": "Conv2D", "config": {"name": "c", "filters": 6, "groups": 3,'
                     '"kernel_size": [3, 3], "strides": [1, 1], "padding": "valid"}}]}}')
    out = tmp_path / "x.yaml"
    message = one_line_error(capsys, "import", str(model), "-o", str(out), seconds=20)
    assert message.startswith(f"{model}: layer 1 'c' (conv): groups"), message
    assert not out.exists()
