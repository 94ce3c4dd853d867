"""Importers: a model from ONNX, PyTorch (torch.fx) or Keras as a network spec.

>>> from generator.importers import load, to_yaml          # doctest: +SKIP
>>> to_yaml(load("model.onnx"))                             # doctest: +SKIP

Each front end reads its source into the neutral :class:`~.model.Imported` form (spec
layer mappings in graph order); :func:`~.emit.to_yaml` writes it as a spec. The front
ends and their optional packages are imported only when used.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from .emit import to_yaml
from .model import Imported

__all__ = ["load", "to_yaml", "Imported", "kind_of_source", "default_id"]

#: What a SOURCE may be, as the command's help and errors say it.
SOURCES = ("a .onnx file", "a Keras .keras file or its .json config",
           "torchvision:NAME", "package.module:factory")


def kind_of_source(source: str) -> str:
    """``'onnx'``, ``'keras'`` or ``'torch'`` for a SOURCE string."""
    suffix = Path(source).suffix.lower()
    if suffix == ".onnx":
        return "onnx"
    if suffix in (".keras", ".json"):
        return "keras"
    if ":" in source and not Path(source).exists():
        return "torch"
    raise UserError(f"{source}: cannot tell what to import; give {', '.join(SOURCES[:-1])} "
                    f"or {SOURCES[-1]}")


def default_id(source: str) -> str:
    """The file name an import is written to by default (without ``.yaml``)."""
    if kind_of_source(source) == "torch":
        return source.rpartition(":")[2]
    return Path(source).stem


def load(source: str, input_shape=None, name=None, skip_unsupported=False) -> Imported:
    """The model ``source`` names (see :func:`kind_of_source`), read into specs' form."""
    kind = kind_of_source(source)
    if kind == "onnx":
        from . import onnx_model
        return onnx_model.read(source, input_shape, name, skip_unsupported)
    if kind == "keras":
        from . import keras_model
        return keras_model.read(source, input_shape, name, skip_unsupported)
    from . import torch_model
    return torch_model.read(source, input_shape, name, skip_unsupported)
