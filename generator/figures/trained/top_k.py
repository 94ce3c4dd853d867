"""Figure of the page "Top-1 and top-5 accuracy": chosen test digits and their class
probabilities, and the choice of those digits (the page explains the same ones)."""

from __future__ import annotations

import numpy as np

from ... import learn
from ..catalog import Figure
from ..kind import Prepared
from .lab import Lab, shown

K = 5


def _picks(lab: Lab) -> list[tuple[str, int]]:
    """(why it is shown, test index): the surest right answer, the least sure right answer,
    and the wrong answers with the best and the worst rank of the true digit."""
    probs, y = lab.test_probabilities, lab.digits.y_test
    pred = probs.argmax(axis=1)
    top = probs.max(axis=1)
    ranks = learn.rank_of_label(probs, y)
    right, wrong = np.flatnonzero(pred == y), np.flatnonzero(pred != y)
    picks = [("right and sure", int(right[np.argmax(top[right])])),
             ("right but unsure", int(right[np.argmin(top[right])]))]
    if wrong.size:
        picks.append(("wrong, true digit second", int(wrong[np.argmin(ranks[wrong])])))
        worst = int(wrong[np.argmax(ranks[wrong])])
        if worst != picks[-1][1]:
            picks.append(("wrong, true digit ranked lowest", worst))
    return picks


def examples(lab: Lab) -> list[dict]:
    """The shown test digits, each with its scores, probabilities, top ``K`` and ranks."""
    scores, probs, y = lab.test_scores, lab.test_probabilities, lab.digits.y_test
    n_classes = scores.shape[1]
    ranks = learn.rank_of_label(scores, y)
    out = []
    for why, i in _picks(lab):
        order = learn.top_k(probs[i:i + 1], n_classes)[0]  # every class, best first
        place = {int(c): r + 1 for r, c in enumerate(order)}
        top = order[:K]
        out.append({
            "why": why, "index": i, "label": int(y[i]), "rank": int(ranks[i]),
            "scores": [float(v) for v in scores[i]], "probs": [float(v) for v in probs[i]],
            "top": [{"digit": int(c), "p": float(probs[i, c])} for c in top],
            "rows": [{"digit": c, "score": float(scores[i, c]), "p": f"{probs[i, c]:.3f}",
                      "rank": place[c]} for c in range(n_classes)],
            "argmax": int(top[0]), "in_top1": int(top[0]) == int(y[i]),
            "in_top5": int(y[i]) in top})
    return out


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    d = lab.digits
    shown_examples = examples(lab)
    images = np.stack([shown(d.images[d.test_index[e["index"]]]) for e in shown_examples])
    facts = {"k": K, "labels": [e["label"] for e in shown_examples],
             "titles": [f"{e['why']}: true {e['label']}, rank {e['rank']}" for e in shown_examples],
             "list": "; ".join(
                 f"{e['why']}: a {e['label']}, the top class {e['argmax']} with probability "
                 f"{e['top'][0]['p']:.3f}, the true digit ranked {e['rank']}"
                 for e in shown_examples)}
    fig = Figure(
        "lenet5-top-k-scores", "score_bars", {},
        alt=("Rows of test digits, each with a bar chart of the ten class probabilities LeNet-5 "
             "gives it (digits 0 to 9 along the bottom; the true digit's bar in {colour[positive]}, "
             "the top {k} outlined): {list}."),
        caption="Class probabilities of four test digits; outlined bars are each image's top {k}.")
    data = {"images": images, "probs": np.array([e["probs"] for e in shown_examples]),
            "top": np.array([[t["digit"] for t in e["top"]] for e in shown_examples])}
    return [(fig, Prepared(data, facts))]
