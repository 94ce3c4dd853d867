"""Network specs: the built-in networks (YAML files in this folder) and users' own.

>>> net = load_builtin("vgg16")
>>> net.name, net.input_shape, len(net.layers)
('VGG-16', (3, 224, 224), 40)

The format is defined, field by field, in :mod:`.fields` (field types),
:mod:`.layers` (one class per layer kind), :mod:`.network` (the top level) and
:mod:`.kinds` (the registry of layer kinds); :mod:`.parse` reads a spec.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import UserError
from .fields import PublishedCount
from .kinds import ALIASES, LAYER_KINDS
from .layers import (
    AdaptiveAvgPool,
    AvgPool,
    Basic,
    BatchNorm,
    Bottleneck,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    Layer,
    Linear,
    MaxPool,
    ReLU,
    Residual,
    Sigmoid,
    Softmax,
    Tanh,
)
from .network import Network, Published
from .parse import parse_spec

__all__ = [
    "BUILTINS", "SPEC_DIR", "load_builtin", "load_spec", "parse_spec", "spec_id",
    "user_spec_paths", "Network", "Layer", "Published", "PublishedCount", "LAYER_KINDS",
    "ALIASES",
    "Conv", "ConvTranspose", "MaxPool", "AvgPool", "AdaptiveAvgPool", "Linear", "ReLU",
    "Tanh", "Sigmoid", "BatchNorm", "Dropout", "Flatten", "Softmax", "Residual", "Basic",
    "Bottleneck", "Concat",
]

SPEC_DIR = Path(__file__).parent

#: Built-in network ids (the CLI names), in the order the site lists them.
BUILTINS: tuple[str, ...] = (
    "convnet39", "lenet5", "lenet5-course", "alexnet", "vgg11", "vgg16", "vgg19",
    "inception3a", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
)


def _shown(path: Path) -> str:
    """``path`` as error messages show it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def spec_id(path: Path) -> str:
    """The id of a user's spec: its file name without ``.yaml``, as a URL-safe slug."""
    slug = re.sub(r"[^a-z0-9_.-]+", "-", Path(path).stem.lower()).strip("-.")
    return slug or "spec"


def load_spec(path, id: str | None = None) -> Network:
    """Read and validate the spec at ``path``; its id defaults to :func:`spec_id`."""
    path = Path(path)
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: is a folder, not a spec file") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_spec(text, shown, id or spec_id(path))


def load_builtin(id: str) -> Network:
    """The built-in network ``id`` (one of :data:`BUILTINS`)."""
    if id not in BUILTINS:
        raise UserError(f"unknown built-in network '{id}' (built-ins: {', '.join(BUILTINS)})")
    return load_spec(SPEC_DIR / f"{id}.yaml", id)


def user_spec_paths(folder: Path) -> list[Path]:
    """Every ``*.yaml`` in ``folder`` (not its subfolders), sorted; none if it is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())
