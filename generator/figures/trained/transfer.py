"""Figure of the page "Transfer learning": test accuracy after each epoch, frozen layers
with a new head against training from scratch."""

from __future__ import annotations

import numpy as np

from ...learn import trained
from ..catalog import Figure
from ..kind import Prepared
from .lab import Lab, pct

#: How much of the new digits' training set each comparison uses.
AMOUNTS = {"all": "all training images", "few": f"{trained.FEW} of each digit"}


def digits(ds) -> str:
    """``(5, 6, 7, 8, 9)`` -> ``"5–9"``."""
    return f"{ds[0]}–{ds[-1]}"


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    tr = lab.transfer
    data, facts = {}, {}
    for amount in AMOUNTS:
        head, scratch = tr.head[amount], tr.scratch[amount]
        data[f"head_{amount}"] = np.asarray(head.history.test_accuracy)
        data[f"scratch_{amount}"] = np.asarray(scratch.history.test_accuracy)
        facts[f"head_{amount}"] = round(pct(head.history.test_accuracy[-1]), 2)
        facts[f"scratch_{amount}"] = round(pct(scratch.history.test_accuracy[-1]), 2)
        facts[f"epochs_{amount}"] = head.config.epochs
    facts.update(new=digits(trained.NEW_DIGITS), few=trained.FEW)
    fig = Figure(
        "transfer-learning-curves", "training_curves",
        {"panels": [
            {"title": f"{AMOUNTS[a]} of {digits(trained.NEW_DIGITS)}", "percent": True,
             "series": [[f"head_{a}", "frozen C1–C5, new head"], [f"scratch_{a}", "from scratch"]]}
            for a in AMOUNTS]},
        alt=("Two line charts of test accuracy on digits {new} after each epoch. Left, trained "
             "on all training images of {new} for {epochs_all} epochs: the network with frozen "
             "layers and a retrained head ends at {head_all}%, the network trained from scratch "
             "at {scratch_all}%. Right, trained on {few} images of each digit for {epochs_few} "
             "epochs: frozen layers end at {head_few}%, from scratch at {scratch_few}%."),
        caption="Test accuracy on digits {new}: reusing frozen layers against training everything.")
    return [(fig, Prepared(data, facts))]
