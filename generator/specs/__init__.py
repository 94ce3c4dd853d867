"""Network specs: the built-in networks (YAML files in this folder) and users' own.

>>> net = load_builtin("vgg16")
>>> net.name, net.input_shape, len(net.layers)
('VGG-16', (3, 224, 224), 40)

The format is defined, field by field, in :mod:`.fields` (field types),
:mod:`.layers` (one class per layer kind), :mod:`.network` (the top level) and
:mod:`.kinds` (the registry of layer kinds), within the bounds of :mod:`.limits`;
:mod:`.loader` and :mod:`.parse` read a spec, :mod:`.files` finds and opens spec files.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import UserError
from .fields import PublishedCount
from .files import SPEC_SUFFIXES, is_spec_name, load_spec, spec_id, user_spec_files
from .kinds import ALIASES, LAYER_KINDS
from .graph import BlockDef
from .layers import (
    GELU,
    INPUT,
    AdaptiveMaxPool,
    Add,
    ChannelShuffle,
    ChannelSplit,
    Crop,
    GlobalPool,
    Hardsigmoid,
    Hardswish,
    LayerNorm,
    LocalResponseNorm,
    Multiply,
    ReLU6,
    Repeat,
    Scale,
    SiLU,
    Upsample,
    ZeroPad,
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
    Placeholder,
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
    "user_spec_files", "user_spec_paths", "is_spec_name", "SPEC_SUFFIXES", "Network", "Layer",
    "Published", "PublishedCount", "LAYER_KINDS", "ALIASES",
    "Conv", "ConvTranspose", "MaxPool", "AvgPool", "AdaptiveAvgPool", "Linear", "ReLU",
    "Tanh", "Sigmoid", "BatchNorm", "Dropout", "Flatten", "Softmax", "Residual", "Basic",
    "Bottleneck", "Concat", "Add", "Multiply", "Repeat", "LocalResponseNorm", "LayerNorm",
    "Scale", "ReLU6", "Hardswish", "Hardsigmoid", "SiLU", "GELU", "ChannelShuffle", "ChannelSplit",
    "Upsample",
    "Crop", "ZeroPad", "GlobalPool", "AdaptiveMaxPool", "Placeholder", "INPUT",
    "BlockDef",
]

SPEC_DIR = Path(__file__).parent

#: Built-in network ids (the CLI names), in the order the site lists them.
BUILTINS: tuple[str, ...] = (
    "convnet39", "lenet5", "lenet5-course", "alexnet", "alexnet-original", "vgg11", "vgg16",
    "vgg16-bn", "vgg19", "inception3a", "googlenet", "inception-v3", "resnet18", "resnet34",
    "resnet50", "resnet101", "resnet152", "wide-resnet50-2", "resnext50-32x4d",
    "regnet-x-400mf", "convnext-tiny", "mobilenet-v2", "mobilenet-v3-small",
    "mobilenet-v3-large", "mnasnet1-0", "efficientnet-b0", "densenet121", "squeezenet1-0",
    "squeezenet1-1", "shufflenet-v2-x1-0", "unet",
)


def load_builtin(id: str) -> Network:
    """The built-in network ``id`` (one of :data:`BUILTINS`).

    Parsed once per process: a spec is immutable (frozen dataclasses and tuples), the
    built-in files are part of the package, and a build reads them about 270 times
    (network pages, exercises, concept links, Foundations examples), which cost
    seconds of YAML parsing."""
    if id not in BUILTINS:
        raise UserError(f"unknown built-in network '{id}' (built-ins: {', '.join(BUILTINS)})")
    return _parsed_builtin(id)


@lru_cache(maxsize=None)
def _parsed_builtin(id: str) -> Network:
    return load_spec(SPEC_DIR / f"{id}.yaml", id)


#: The former name of :func:`user_spec_files` (it read only ``*.yaml``).
user_spec_paths = user_spec_files
