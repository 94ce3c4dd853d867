"""The convolutional autoencoder: its shape table and, trained, its reconstructions."""

from __future__ import annotations

import math

import numpy as np

from ... import nn
from ...figures.catalog import Figure
from ...figures.prepare import Prepared
from ...learn import trained
from ...tables.formats import count_text, shape_text
from .. import snippets
from .lab import Lab, shown
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
    code = next(r for r in table.rows if r.name == "code")
    n_in = math.prod(table.input_shape)
    n_code = math.prod(code.output_shape)
    picks = [int(np.flatnonzero(d.y_test == c)[0]) for c in range(10)]
    originals = d.images[d.test_index[picks]]  # (10, 1, 32, 32) in [0, 1]
    rebuilt = ae.model.forward(ae.params, originals)  # sigmoid outputs, same shape
    test_images = d.images[d.test_index]
    test_rebuilt = ae.model.forward(ae.params, test_images)
    mse = float(np.mean((test_rebuilt.astype(np.float64) - test_images) ** 2))
    per_image = np.mean((rebuilt.astype(np.float64) - originals) ** 2, axis=(1, 2, 3))
    images = np.concatenate([[shown(x) for x in originals], [shown(x) for x in rebuilt]])
    labels = [f"test {c}" for c in range(10)] + [f"rebuilt\nMSE {e:.4f}" for e in per_image]
    facts = {"labels": labels, "code": shape_text(code.output_shape), "n_code": n_code,
             "n_in": n_in, "mse": round(mse, 4)}
    recon = Figure(
        "autoencoder-reconstructions", "image_grid", {"cols": 10, "panel_inch": 0.74},
        alt=("Two rows of ten handwritten digits, 0 to 9. Top: test images. Bottom: what the "
             "trained autoencoder rebuilds from each one's code of {n_code} numbers "
             "({code}), with the mean squared error per pixel under each: recognisably the "
             "same digits, a little blurred. The mean over all test images is {mse}."),
        caption="Test digits (top) and their reconstructions (bottom) from {n_code} numbers each.")
    h = ae.history
    curves = Figure(
        "autoencoder-training-curves", "training_curves",
        {"panels": [{"title": "binary cross-entropy per pixel",
                     "series": [["train_loss", "training images"], ["test_loss", "test images"]]}]},
        alt=("A line chart over {epochs} epochs: the reconstruction loss falls from {first} to "
             "{last} on the training images and to {test_last} on the test images."),
        caption="The autoencoder's loss after each epoch.")
    curve_facts = {"epochs": len(h.train_loss), "first": round(h.train_loss[0], 4),
                   "last": round(h.train_loss[-1], 4), "test_last": round(h.test_loss[-1], 4)}
    return {
        "spec_yaml": trained.AUTOENCODER_SPEC.read_text(encoding="utf-8").strip(),
        "spec_file": "generator/learn/autoencoder.yaml",
        "layers": layer_rows(table), "params": count_text(table.totals.params),
        "steps": steps, "n_in": n_in, "n_code": n_code, "ratio": n_in / n_code,
        "input": shape_text(table.input_shape), "code": shape_text(code.output_shape),
        "config": ae.config, "n_train": len(d.train_index), "n_test": len(d.test_index),
        "final": {"train": h.train_loss[-1], "test": h.test_loss[-1]}, "mse": mse,
        "code_snippet": snippets.run("beyond_autoencoder"),
        "figures": [(recon, Prepared({"images": images}, facts)),
                    (curves, Prepared({k: np.asarray(v) for k, v in h.as_arrays().items()},
                                      curve_facts))],
    }
