"""Triplet loss on embeddings from the trained LeNet-5 (its F6 layer), and the notes' numbers."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.trained.triplet import (ALPHA, ANCHOR_DIGIT, distances, embeddings,
                                        triplets)
from .. import snippets
from .lab import Lab, pct

#: The course notes' example: d(A, P) = 0.5, d(A, N) = 0.51, margin 0.2.
NOTES = {"d_ap": 0.5, "d_an": 0.51, "alpha": 0.2}


def zero_loss_share(dist: np.ndarray, y: np.ndarray, alpha: float) -> tuple[int, int]:
    """(triplets with zero loss, all triplets) over every anchor, positive and negative."""
    zero = total = 0
    for a in range(len(y)):
        same = (y == y[a])
        same[a] = False
        d_ap, d_an = dist[a, same], np.sort(dist[a, y != y[a]])
        # negatives at least d_ap + alpha away: loss max(d_ap - d_an + alpha, 0) = 0
        zero += int(np.sum(len(d_an) - np.searchsorted(d_an, d_ap + alpha, side="left")))
        total += len(d_ap) * len(d_an)
    return zero, total


def values(lab: Lab) -> dict:
    y = lab.digits.y_test
    codes = embeddings(lab)
    dist = distances(codes)
    _, shown_triplets = triplets(lab, dist)
    zero, total = zero_loss_share(dist, y, ALPHA)
    notes = dict(NOTES, loss=float(learn.triplet_loss(NOTES["d_ap"], NOTES["d_an"], NOTES["alpha"])),
                 needed=NOTES["d_ap"] + NOTES["alpha"], inside=NOTES["d_ap"] - NOTES["d_an"] + NOTES["alpha"])
    return {
        "dim": codes.shape[1], "alpha": ALPHA, "digit": ANCHOR_DIGIT, "triplets": shown_triplets,
        "notes": notes, "n_test": len(y), "zero": zero, "total": total,
        "zero_share": pct(zero / total),
        "code": snippets.run("beyond_triplet"),
    }
