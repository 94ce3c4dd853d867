"""Layer tables: per-layer shapes, parameters, MACs, activations and receptive fields.

>>> from generator.specs import load_builtin
>>> from generator.tables import layer_table, to_json
>>> table = layer_table(load_builtin("vgg16"))
>>> table.totals.params
138357544

Counting conventions are in :mod:`generator.tables.counts`, receptive-field
definitions in :mod:`generator.tables.receptive`.
"""

from .counts import (
    FLOAT32_BYTES,
    batchnorm_buffers,
    batchnorm_params,
    conv2d_macs,
    conv2d_params,
    conv_transpose2d_macs,
    conv_transpose2d_params,
    linear_macs,
    linear_params,
)
from .formats import to_csv, to_json, to_markdown
from .published import Comparison, compare
from .table import Row, Table, Totals, layer_table

__all__ = [
    "layer_table", "Table", "Row", "Totals", "compare", "Comparison",
    "to_json", "to_csv", "to_markdown", "FLOAT32_BYTES",
    "conv2d_params", "conv2d_macs", "conv_transpose2d_params", "conv_transpose2d_macs",
    "linear_params", "linear_macs", "batchnorm_params", "batchnorm_buffers",
]
