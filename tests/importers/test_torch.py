"""PyTorch import through torch.fx: a torchvision model traced and mapped module by module
gives the built-in's table exactly (no batchnorm folding on this path). A subset, for
time: a plain residual network, inverted residuals (ReLU6), squeeze-and-excitation with
SiLU and stochastic depth, dense concatenation, and fire modules."""

from __future__ import annotations

import pytest

from generator.errors import UserError
from generator.importers import load, to_yaml
from generator.specs import load_builtin, parse_spec
from generator.tables import layer_table

FX_SUBSET = ["resnet18", "mobilenet-v2", "efficientnet-b0", "densenet121", "squeezenet1-1"]


@pytest.fixture(scope="module")
def torchvision_available():
    from tests import torchvision_oracle

    torchvision_oracle.models()  # skips, saying why, without torch or torchvision


@pytest.mark.parametrize("id", [pytest.param(i, marks=() if i == "resnet18" else pytest.mark.slow)
                                for i in FX_SUBSET])
def test_fx_import_gives_the_built_in_table(id, torchvision_available):
    network = load_builtin(id)
    text = to_yaml(load(f"torchvision:{network.torchvision}", network.input))
    imported = parse_spec(text, f"{id}.yaml", id)
    ours, theirs = layer_table(network), layer_table(imported)

    def counted(table):
        return [(r.output_shape, r.weights, r.biases, r.buffers, r.macs)
                for r in table.walk() if not r.children and (r.weights or r.macs)]

    assert counted(theirs) == counted(ours) and len(counted(ours)) > 5
    assert theirs.totals == ours.totals
    assert theirs.rows[-1].output_shape == ours.rows[-1].output_shape


def test_fx_unsupported_is_one_line(torchvision_available, tmp_path, monkeypatch):
    import torch

    pkg = tmp_path / "mymodels.py"
    pkg.write_text("import torch\n"
                   "def leaky():\n"
                   "    return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3),\n"
                   "                               torch.nn.LeakyReLU())\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(UserError) as err:
        load("mymodels:leaky", (3, 8, 8))
    assert str(err.value).startswith("mymodels:leaky: node '1' (LeakyReLU): no spec layer")
    text = to_yaml(load("mymodels:leaky", (3, 8, 8), skip_unsupported=True))
    assert "- placeholder: {name: '1', op: LeakyReLU}" in text
    del torch
