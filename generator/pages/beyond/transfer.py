"""Transfer learning: LeNet-5's layers learned on digits 0-4, frozen, reused for digits 5-9."""

from __future__ import annotations

import numpy as np

from ...figures.catalog import Figure
from ...figures.prepare import Prepared
from ...learn import trained
from ...tables import layer_table
from ...tables.formats import count_text
from .. import snippets
from .lab import Lab, pct
from .training import layer_rows

AMOUNTS = {"all": "all training images", "few": f"{trained.FEW} of each digit"}


def _digits(ds) -> str:
    return f"{ds[0]}–{ds[-1]}"


def values(lab: Lab) -> dict:
    tr = lab.transfer
    table = layer_table(tr.frozen_network)
    t = table.totals
    runs = []
    data, series = {}, {}
    for amount, label in AMOUNTS.items():
        head, scratch = tr.head[amount], tr.scratch[amount]
        x_train, _, x_test, _ = tr.data[amount]
        h, s = pct(head.history.test_accuracy[-1]), pct(scratch.history.test_accuracy[-1])
        runs.append({"amount": label, "n_train": len(x_train), "n_test": len(x_test),
                     "epochs": head.config.epochs, "batch": head.config.batch_size,
                     "head": h, "scratch": s, "difference": abs(h - s),
                     "better": "the retrained head" if h > s else "training from scratch" if s > h else "neither"})
        data[f"head_{amount}"] = np.asarray(head.history.test_accuracy)
        data[f"scratch_{amount}"] = np.asarray(scratch.history.test_accuracy)
    facts = {f"{k}_{r}": round(v, 2) for r, run in zip(AMOUNTS, runs) for k, v in run.items()
             if k in ("head", "scratch")}
    facts.update(new=_digits(trained.NEW_DIGITS), few=trained.FEW,
                 epochs_all=runs[0]["epochs"], epochs_few=runs[1]["epochs"])
    fig = Figure(
        "transfer-learning-curves", "training_curves",
        {"panels": [
            {"title": f"{AMOUNTS[a]} of {_digits(trained.NEW_DIGITS)}", "percent": True,
             "series": [[f"head_{a}", "frozen C1–C5, new head"], [f"scratch_{a}", "from scratch"]]}
            for a in AMOUNTS]},
        alt=("Two line charts of test accuracy on digits {new} after each epoch. Left, trained "
             "on all training images of {new} for {epochs_all} epochs: the network with frozen "
             "layers and a retrained head ends at {head_all}%, the network trained from scratch "
             "at {scratch_all}%. Right, trained on {few} images of each digit for {epochs_few} "
             "epochs: frozen layers end at {head_few}%, from scratch at {scratch_few}%."),
        caption="Test accuracy on digits {new}: reusing frozen layers against training everything.")
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
        "code": snippets.run("beyond_transfer"),
        "figures": [(fig, Prepared(data, facts))],
    }
