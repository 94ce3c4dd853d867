"""Transfer learning: LeNet-5's layers learned on digits 0-4, frozen, reused for digits 5-9."""

from __future__ import annotations

import numpy as np

from ...figures.trained.transfer import AMOUNTS
from ...figures.trained.transfer import digits as _digits
from ...learn import trained
from ...tables import layer_table
from ...tables.formats import count_text
from .. import snippets
from .lab import Lab, pct
from .training import layer_rows


def values(lab: Lab) -> dict:
    tr = lab.transfer
    table = layer_table(tr.frozen_network)
    t = table.totals
    runs = []
    for amount, label in AMOUNTS.items():
        head, scratch = tr.head[amount], tr.scratch[amount]
        x_train, _, x_test, _ = tr.data[amount]
        h, s = pct(head.history.test_accuracy[-1]), pct(scratch.history.test_accuracy[-1])
        runs.append({"amount": label, "n_train": len(x_train), "n_test": len(x_test),
                     "epochs": head.config.epochs, "batch": head.config.batch_size,
                     "head": h, "scratch": s, "difference": abs(h - s),
                     "better": "the retrained head" if h > s else "training from scratch" if s > h else "neither"})
    base = tr.base
    return {
        "old": _digits(trained.OLD_DIGITS), "new": _digits(trained.NEW_DIGITS),
        "frozen": list(trained.FROZEN), "few": trained.FEW, "n_old": len(trained.OLD_DIGITS),
        "base": {"acc": pct(base.history.test_accuracy[-1]), "epochs": base.config.epochs,
                 "n_train": int(np.isin(lab.digits.y_train, trained.OLD_DIGITS).sum())},
        "layers": layer_rows(table),
        "params": count_text(t.params), "trainable": count_text(t.trainable_params),
        "non_trainable": count_text(t.non_trainable_params),
        "trainable_share": pct(t.trainable_params / t.params),
        "runs": runs, "head_ahead": any(r["head"] > r["scratch"] for r in runs),
        "c5_features": next(r.output_shape[0] for r in table.rows if r.name == "C5"),
        "imagenet": _imagenet(),
        "code": snippets.run("beyond_transfer"),
    }


def _imagenet() -> dict:
    """ImageNet's counts as the errata quote them from image-net.org (one place), rounded
    as the page says them."""
    from ..errata import IMAGENET

    return IMAGENET | {"images_millions": round(IMAGENET["images"] / 1e6),
                       "synsets_thousands": round(IMAGENET["synsets"] / 1e3)}
