"""Exports shared by the importer tests: each torchvision model a built-in names, as ONNX,
once per session (export_params=False: the graph with the weights' shapes, no weights)."""

from __future__ import annotations

import io
import warnings

import pytest

from tests import torchvision_oracle


@pytest.fixture(scope="session")
def onnx_export(tmp_path_factory):
    """``export(network) -> path``: the network's torchvision model exported to ONNX."""
    pytest.importorskip("onnx", reason="onnx is not installed (optional oracle)")
    folder = tmp_path_factory.mktemp("onnx")
    done = {}

    def export(network):
        if network.id not in done:
            import torch

            model = _build_uninitialised(network)
            buf = io.BytesIO()
            with warnings.catch_warnings():  # the TorchScript exporter is deprecated
                warnings.simplefilter("ignore")
                torch.onnx.export(model, torch.zeros(1, *network.input), buf, dynamo=False,
                                  export_params=False)
            path = folder / f"{network.id}.onnx"
            path.write_bytes(buf.getvalue())
            done[network.id] = path
        return done[network.id]

    return export


def _build_uninitialised(network):
    """The torchvision model without its (slow, unneeded) random initialisation."""
    import torch

    names = [n for n in dir(torch.nn.init) if n.endswith("_") and not n.startswith("_")]
    saved = {n: getattr(torch.nn.init, n) for n in names}
    try:
        for n in names:
            setattr(torch.nn.init, n, lambda tensor, *a, **k: tensor)
        with torch.no_grad():
            return torchvision_oracle.build(network)
    finally:
        for n, f in saved.items():
            setattr(torch.nn.init, n, f)
