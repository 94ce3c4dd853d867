"""Training LeNet-5: the data, the settings, the curves, what it learned and where it errs."""

from __future__ import annotations

import math

import numpy as np

from ... import learn
from ...figures.trained.training import misclassified, traced
from ...learn import data as digits_data
from ...tables.formats import count_text, shape_text
from .. import snippets
from .lab import Lab, pct


def layer_rows(table) -> list[dict]:
    """The top-level rows of a layer table as display strings."""
    return [{"name": r.name or "", "type": r.type, "details": r.details,
             "output": shape_text(r.output_shape), "params": count_text(r.params),
             "trainable": count_text(r.trainable_params)} for r in table.rows]


def values(lab: Lab) -> dict:
    d, run = lab.digits, lab.lenet5
    config = run.config
    h = run.history
    wrong = misclassified(lab)
    cm = learn.confusion_matrix(d.y_test, lab.test_scores.argmax(axis=1), 10)
    per_class = np.bincount(d.y_test)
    steps_per_epoch = math.ceil(len(d.train_index) / config.batch_size)
    return {
        "n_images": len(d.labels), "n_train": len(d.train_index), "n_test": len(d.test_index),
        "test_share": pct(digits_data.TEST_FRACTION), "per_class": (int(per_class.min()), int(per_class.max())),
        "block": d.blocks.shape[-1], "max_count": digits_data.MAX_COUNT,
        "scale": digits_data.SCALE, "enlarged": d.blocks.shape[-1] * digits_data.SCALE,
        "border": digits_data.BORDER, "side": digits_data.SIDE,
        "triangle": [int(round(v * digits_data.SCALE)) for v in digits_data.TRIANGLE],
        "framed": d.images.shape[-1], "split_seed": digits_data.SPLIT_SEED,
        "maps": {r.name: r.output_shape[0] for r in run.model.table.rows if r.name},
        "c1_kernel": "×".join(str(k) for k in run.params["C1.weight"].shape[-2:]),
        "mean": d.mean, "std": d.std,
        "layers": layer_rows(run.model.table), "params": count_text(run.model.table.totals.params),
        "config": config, "steps_per_epoch": steps_per_epoch,
        "steps": steps_per_epoch * config.epochs,
        "first": {"test_acc": pct(h.test_accuracy[0])},
        "final": {"train_loss": h.train_loss[-1], "test_loss": h.test_loss[-1],
                  "train_acc": pct(h.train_accuracy[-1]), "test_acc": pct(h.test_accuracy[-1])},
        "errors": len(wrong), "correct": int(np.trace(cm)), "traced": traced(lab),
        "key": run.key[:12],
        "code": snippets.run("beyond_training"),
    }
