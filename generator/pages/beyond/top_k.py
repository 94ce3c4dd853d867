"""Top-1 and top-5 accuracy from LeNet-5's class scores on the test digits."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.catalog import Figure
from ...figures.prepare import Prepared
from .. import snippets
from .lab import Lab, pct, shown

K = 5


def _examples(lab: Lab) -> list[tuple[str, int]]:
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


def values(lab: Lab) -> dict:
    d = lab.digits
    scores, probs, y = lab.test_scores, lab.test_probabilities, d.y_test
    n_classes = scores.shape[1]
    accuracy = [{"k": k, "acc": pct(learn.top_k_accuracy(scores, y, k)),
                 "hits": int(learn.metrics.top_k_hits(scores, y, k).sum())}
                for k in range(1, n_classes + 1)]
    ranks = learn.rank_of_label(scores, y)
    examples = []
    for why, i in _examples(lab):
        order = learn.top_k(probs[i:i + 1], n_classes)[0]  # every class, best first
        place = {int(c): r + 1 for r, c in enumerate(order)}
        top = order[:K]
        examples.append({
            "why": why, "index": i, "label": int(y[i]), "rank": int(ranks[i]),
            "scores": [float(v) for v in scores[i]], "probs": [float(v) for v in probs[i]],
            "top": [{"digit": int(c), "p": float(probs[i, c])} for c in top],
            "rows": [{"digit": c, "score": float(scores[i, c]), "p": f"{probs[i, c]:.3f}",
                      "rank": place[c]} for c in range(n_classes)],
            "argmax": int(top[0]), "in_top1": int(top[0]) == int(y[i]),
            "in_top5": int(y[i]) in top})
    images = np.stack([shown(d.images[d.test_index[e["index"]]]) for e in examples])
    facts = {"k": K, "labels": [e["label"] for e in examples],
             "titles": [f"{e['why']}: true {e['label']}, rank {e['rank']}" for e in examples],
             "list": "; ".join(
                 f"{e['why']}: a {e['label']}, the top class {e['argmax']} with probability "
                 f"{e['top'][0]['p']:.3f}, the true digit ranked {e['rank']}" for e in examples)}
    fig = Figure(
        "lenet5-top-k-scores", "score_bars", {},
        alt=("Rows of test digits, each with a bar chart of the ten class probabilities LeNet-5 "
             "gives it (digits 0 to 9 along the bottom; the true digit's bar in vermillion, "
             "the top {k} outlined): {list}."),
        caption="Class probabilities of four test digits; outlined bars are each image's top {k}.")
    data = {"images": images, "probs": np.array([e["probs"] for e in examples]),
            "top": np.array([[t["digit"] for t in e["top"]] for e in examples])}
    by_k = {a["k"]: a for a in accuracy}
    return {
        "n_test": len(y), "n_classes": n_classes, "k": K, "accuracy": accuracy,
        "top1": by_k[1], "top5": by_k[K], "examples": examples,
        "top1_misses": len(y) - by_k[1]["hits"], "recovered_by_top2": by_k[2]["hits"] - by_k[1]["hits"],
        "worked": examples[-1],
        "code": snippets.run("beyond_top_k"),
        "figures": [(fig, Prepared(data, facts))],
    }
