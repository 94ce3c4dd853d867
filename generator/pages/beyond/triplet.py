"""Triplet loss on embeddings from the trained LeNet-5 (its F6 layer), and the notes' numbers."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.catalog import Figure
from ...figures.prepare import Prepared
from .. import snippets
from .lab import Lab, pct, shown

#: The embedding: F6's 84 outputs after tanh, scaled to unit length.
EMBEDDING_LAYER = "tanh11"
ALPHA = 0.2
#: The anchor is the first test image of this digit.
ANCHOR_DIGIT = 7
#: The course notes' example: d(A, P) = 0.5, d(A, N) = 0.51, margin 0.2.
NOTES = {"d_ap": 0.5, "d_an": 0.51, "alpha": 0.2}
BINS = 40


def embeddings(lab: Lab) -> np.ndarray:
    """(N_test, 84) unit-length F6 codes of the test images."""
    acts = dict(lab.lenet5.activations(lab.digits.x_test))
    return learn.l2_normalise(acts[EMBEDDING_LAYER].astype(np.float64))


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
    d = lab.digits
    y = d.y_test
    f = embeddings(lab)
    dist = learn.embedding.pairwise_squared_distances(f)  # (N, N)
    a = lab.first_test_index(ANCHOR_DIGIT)
    same = np.flatnonzero((y == y[a]) & (np.arange(len(y)) != a))
    other = np.flatnonzero(y != y[a])
    triplets = []
    for name, p, n in (("typical", lab.first_test_index(ANCHOR_DIGIT, 1), int(other[0])),
                       ("hardest", int(same[np.argmax(dist[a, same])]),
                        int(other[np.argmin(dist[a, other])]))):
        d_ap, d_an = float(dist[a, p]), float(dist[a, n])
        triplets.append({"name": name, "p": p, "n": n, "p_digit": int(y[p]), "n_digit": int(y[n]),
                         "d_ap": d_ap, "d_an": d_an, "alpha": ALPHA,
                         "inside": d_ap - d_an + ALPHA,
                         "loss": float(learn.triplet_loss(d_ap, d_an, ALPHA))})
    zero, total = zero_loss_share(dist, y, ALPHA)
    iu = np.triu_indices(len(y), 1)
    pair_same = y[iu[0]] == y[iu[1]]
    d_pairs = dist[iu]
    edges = np.linspace(0, float(d_pairs.max()), BINS + 1)
    share_pos = np.histogram(d_pairs[pair_same], edges)[0] / pair_same.sum()
    share_neg = np.histogram(d_pairs[~pair_same], edges)[0] / (~pair_same).sum()

    images, labels = [], []
    for t in triplets:
        images += [shown(d.images[d.test_index[i]]) for i in (a, t["p"], t["n"])]
        labels += [f"anchor ({t['name']})", f"positive: a {t['p_digit']}\nd = {t['d_ap']:.3f}",
                   f"negative: a {t['n_digit']}\nd = {t['d_an']:.3f}"]
    strip_facts = {"labels": labels, "digit": ANCHOR_DIGIT, "alpha": ALPHA,
                   "list": "; ".join(
                       f"{t['name']} triplet: positive a {t['p_digit']} at squared distance "
                       f"{t['d_ap']:.3f}, negative a {t['n_digit']} at {t['d_an']:.3f}, loss "
                       f"{t['loss']:.3f}" for t in triplets)}
    strip = Figure(
        "triplet-examples", "image_grid", {"cols": 3, "panel_inch": 1.15},
        alt=("Two rows of three test digits: an anchor (a {digit}), a positive (the same digit) "
             "and a negative (another digit), with the squared distance of each to the anchor "
             "in LeNet-5's embedding; {list} (margin {alpha})."),
        caption="Anchor, positive and negative, with squared distances to the anchor.")
    hist_facts = {"mean_same": round(float(d_pairs[pair_same].mean()), 3),
                  "mean_other": round(float(d_pairs[~pair_same].mean()), 3),
                  "n_same": int(pair_same.sum()), "n_other": int((~pair_same).sum())}
    hist = Figure(
        "triplet-distance-histogram", "distance_histogram",
        {"title": "squared distances between test digits' embeddings",
         "xlabel": "‖f(A) − f(B)‖²", "positive": "same digit", "negative": "different digits"},
        alt=("Two overlapping histograms of squared distances between the unit-length "
             "embeddings of pairs of test digits: {n_same} pairs of the same digit, mean "
             "{mean_same}, mostly near zero; {n_other} pairs of different digits, mean "
             "{mean_other}, spread further right. The overlap is where triplets still have a "
             "loss."),
        caption="Same digit against different digits: distances in the learned embedding.")
    notes = dict(NOTES, loss=float(learn.triplet_loss(NOTES["d_ap"], NOTES["d_an"], NOTES["alpha"])),
                 needed=NOTES["d_ap"] + NOTES["alpha"], inside=NOTES["d_ap"] - NOTES["d_an"] + NOTES["alpha"])
    return {
        "dim": f.shape[1], "alpha": ALPHA, "digit": ANCHOR_DIGIT, "triplets": triplets,
        "notes": notes, "n_test": len(y), "zero": zero, "total": total,
        "zero_share": pct(zero / total),
        "code": snippets.run("beyond_triplet"),
        "figures": [(strip, Prepared({"images": np.stack(images)}, strip_facts)),
                    (hist, Prepared({"edges": edges, "positive": share_pos, "negative": share_neg},
                                    hist_facts))],
    }
