"""Figures of the page "Convolutional autoencoder": reconstructions of test digits, and
the training curves."""

from __future__ import annotations

import math

import numpy as np

from ... import text
from ..catalog import Figure
from ..kind import Prepared
from .lab import Lab, shown


def code_row(table):
    """The row of the autoencoder's table named ``code``: the bottleneck."""
    return next(r for r in table.rows if r.name == "code")


def test_mse(lab: Lab) -> float:
    """Mean squared error per pixel of the reconstructions of every test image."""
    ae, d = lab.autoencoder, lab.digits
    test_images = d.images[d.test_index]
    rebuilt = ae.model.forward(ae.params, test_images)
    return float(np.mean((rebuilt.astype(np.float64) - test_images) ** 2))


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    d, ae = lab.digits, lab.autoencoder
    table = ae.model.table
    code = code_row(table)
    picks = [int(np.flatnonzero(d.y_test == c)[0]) for c in range(10)]
    originals = d.images[d.test_index[picks]]  # (10, 1, 32, 32) in [0, 1]
    rebuilt = ae.model.forward(ae.params, originals)  # sigmoid outputs, same shape
    per_image = np.mean((rebuilt.astype(np.float64) - originals) ** 2, axis=(1, 2, 3))
    images = np.concatenate([[shown(x) for x in originals], [shown(x) for x in rebuilt]])
    labels = [f"test {c}" for c in range(10)] + [f"rebuilt\nMSE {e:.4f}" for e in per_image]
    facts = {"labels": labels, "code": text.shape(code.output_shape),
             "n_code": math.prod(code.output_shape), "n_in": math.prod(table.input_shape),
             "mse": round(test_mse(lab), 4)}
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
    return [(recon, Prepared({"images": images}, facts)),
            (curves, Prepared({k: np.asarray(v) for k, v in h.as_arrays().items()}, curve_facts))]
