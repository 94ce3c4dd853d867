"""The names of the former ``schema`` module, for code that still imports them from here.

The spec format now lives in modules by job: :mod:`.fields` (field types), :mod:`.layers`
(layer classes), :mod:`.network` (the top level), :mod:`.kinds` (the registry of layer
kinds) and :mod:`.parse` (YAML to a :class:`Network`). New code imports from
:mod:`generator.specs`.
"""

from __future__ import annotations

from .fields import (
    FieldType,
    Mismatch,
    PublishedCount,
    T,
    default_text,
    field_type_of,
    is_required,
    spec_field,
    spec_fields,
)
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

#: The old name of :class:`PublishedCount` (it collided with ``figures.catalog.Figure``).
Figure = PublishedCount

__all__ = [
    "Layer", "Conv", "ConvTranspose", "MaxPool", "AvgPool", "AdaptiveAvgPool", "Linear",
    "ReLU", "Tanh", "Sigmoid", "BatchNorm", "Dropout", "Flatten", "Softmax",
    "Residual", "Basic", "Bottleneck", "Concat", "PublishedCount", "Figure", "Published",
    "Network", "LAYER_KINDS", "ALIASES", "FieldType", "Mismatch", "T", "spec_field",
    "spec_fields", "is_required", "field_type_of", "default_text", "parse_spec",
]
