"""The convolutional autoencoder: its shape table and, trained, its reconstructions."""

from __future__ import annotations

import math

import numpy as np

from ... import nn
from ...figures.trained.autoencoder import code_row, test_mse
from ...learn import data as digits_data
from ...learn import trained
from ...tables.formats import count_text, shape_text
from .. import snippets
from .lab import Lab
from .training import layer_rows


def _size_steps(table) -> list[dict]:
    """For each (transposed) convolution: its input and output side by the size formula."""
    steps = []
    for row, layer in zip(table.rows, table.network.layers):
        if row.type not in ("conv", "conv_transpose"):
            continue
        n, k, s, p = row.input_shape[1], layer.kernel[0], layer.stride[0], layer.padding[0]
        if row.type == "conv":
            out = nn.conv2d_output_hw((n, n), k, s, p)[0]
        else:
            out = nn.conv_transpose2d_output_hw((n, n), k, s, p)[0]
        steps.append({"name": row.name, "type": row.type, "n": n, "k": k, "s": s, "p": p,
                      "out": out, "channels": row.output_shape[0]})
    return steps


def values(lab: Lab) -> dict:
    d, ae = lab.digits, lab.autoencoder
    table = ae.model.table
    steps = _size_steps(table)
    code = code_row(table)
    n_in = math.prod(table.input_shape)
    n_code = math.prod(code.output_shape)
    mse = test_mse(lab)
    # the input is a linear enlargement of an 8x8 block: its rank is the number of real values
    basis = np.eye(d.blocks[0].size, dtype=np.float32).reshape((-1, *d.blocks.shape[1:]))
    n_real = int(np.linalg.matrix_rank(digits_data.to_lenet_input(basis).reshape(len(basis), -1)))
    h = ae.history
    return {
        "spec_yaml": trained.AUTOENCODER_SPEC.read_text(encoding="utf-8").strip(),
        "spec_file": "generator/learn/autoencoder.yaml",
        "layers": layer_rows(table), "params": count_text(table.totals.params),
        "steps": steps, "n_in": n_in, "n_code": n_code, "ratio": n_in / n_code,
        "n_real": n_real, "block": shape_text(d.blocks.shape[1:]), "code_per_real": n_code / n_real,
        "input": shape_text(table.input_shape), "code": shape_text(code.output_shape),
        "config": ae.config, "n_train": len(d.train_index), "n_test": len(d.test_index),
        "final": {"train": h.train_loss[-1], "test": h.test_loss[-1]}, "mse": mse,
        "code_snippet": snippets.run("beyond_autoencoder"),
    }
