"""Figures of the page "Triplet loss": anchor, positive and negative digits, and the
distances in LeNet-5's embedding; and the triplets themselves, which the page explains."""

from __future__ import annotations

import numpy as np

from ... import learn
from ..catalog import Figure
from ..kind import Prepared
from .lab import Lab, shown

#: The embedding: F6's 84 outputs after tanh, scaled to unit length.
EMBEDDING_LAYER = "tanh11"
ALPHA = 0.2
#: The anchor is the first test image of this digit.
ANCHOR_DIGIT = 7
BINS = 40


def embeddings(lab: Lab) -> np.ndarray:
    """(N_test, 84) unit-length F6 codes of the test images."""
    acts = dict(lab.lenet5.activations(lab.digits.x_test))
    return learn.l2_normalise(acts[EMBEDDING_LAYER].astype(np.float64))


def distances(codes: np.ndarray) -> np.ndarray:
    """(N, N) squared distances between the rows of ``codes`` (N, D)."""
    return learn.embedding.pairwise_squared_distances(codes)


def triplets(lab: Lab, dist: np.ndarray) -> tuple[int, list[dict]]:
    """The anchor's test position, and a typical and the hardest triplet for it."""
    y = lab.digits.y_test
    a = lab.first_test_index(ANCHOR_DIGIT)
    same = np.flatnonzero((y == y[a]) & (np.arange(len(y)) != a))
    other = np.flatnonzero(y != y[a])
    out = []
    for name, p, n in (("typical", lab.first_test_index(ANCHOR_DIGIT, 1), int(other[0])),
                       ("hardest", int(same[np.argmax(dist[a, same])]),
                        int(other[np.argmin(dist[a, other])]))):
        d_ap, d_an = float(dist[a, p]), float(dist[a, n])
        out.append({"name": name, "p": p, "n": n, "p_digit": int(y[p]), "n_digit": int(y[n]),
                    "d_ap": d_ap, "d_an": d_an, "alpha": ALPHA,
                    "inside": d_ap - d_an + ALPHA,
                    "loss": float(learn.triplet_loss(d_ap, d_an, ALPHA))})
    return a, out


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    d = lab.digits
    y = d.y_test
    dist = distances(embeddings(lab))
    a, shown_triplets = triplets(lab, dist)
    iu = np.triu_indices(len(y), 1)
    pair_same = y[iu[0]] == y[iu[1]]
    d_pairs = dist[iu]
    edges = np.linspace(0, float(d_pairs.max()), BINS + 1)
    share_pos = np.histogram(d_pairs[pair_same], edges)[0] / pair_same.sum()
    share_neg = np.histogram(d_pairs[~pair_same], edges)[0] / (~pair_same).sum()
    images, labels = [], []
    for t in shown_triplets:
        images += [shown(d.images[d.test_index[i]]) for i in (a, t["p"], t["n"])]
        labels += [f"anchor ({t['name']})", f"positive: a {t['p_digit']}\nd = {t['d_ap']:.3f}",
                   f"negative: a {t['n_digit']}\nd = {t['d_an']:.3f}"]
    strip_facts = {"labels": labels, "digit": ANCHOR_DIGIT, "alpha": ALPHA,
                   "list": "; ".join(
                       f"{t['name']} triplet: positive a {t['p_digit']} at squared distance "
                       f"{t['d_ap']:.3f}, negative a {t['n_digit']} at {t['d_an']:.3f}, loss "
                       f"{t['loss']:.3f}" for t in shown_triplets)}
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
    return [(strip, Prepared({"images": np.stack(images)}, strip_facts)),
            (hist, Prepared({"edges": edges, "positive": share_pos, "negative": share_neg},
                            hist_facts))]
