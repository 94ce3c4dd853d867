"""Top-1 and top-5 accuracy from LeNet-5's class scores on the test digits."""

from __future__ import annotations

from ... import learn
from ...figures.trained.top_k import K, examples
from .. import snippets
from .lab import Lab, pct


def values(lab: Lab) -> dict:
    scores, y = lab.test_scores, lab.digits.y_test
    n_classes = scores.shape[1]
    accuracy = [{"k": k, "acc": pct(learn.top_k_accuracy(scores, y, k)),
                 "hits": int(learn.metrics.top_k_hits(scores, y, k).sum())}
                for k in range(1, n_classes + 1)]
    shown_examples = examples(lab)
    by_k = {a["k"]: a for a in accuracy}
    return {
        "n_test": len(y), "n_classes": n_classes, "k": K, "accuracy": accuracy,
        "top1": by_k[1], "top5": by_k[K], "examples": shown_examples,
        "top1_misses": len(y) - by_k[1]["hits"], "recovered_by_top2": by_k[2]["hits"] - by_k[1]["hits"],
        "worked": shown_examples[-1],
        "code": snippets.run("beyond_top_k"),
    }
