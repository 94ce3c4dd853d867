"""Figures of the page "Training LeNet-5": the data, the curves, the filters, one digit
through every layer, the confusion matrix and the misclassified digits."""

from __future__ import annotations

import numpy as np

from ... import learn, text
from ...learn import data as digits_data
from ..catalog import Figure
from ..kind import Prepared
from .lab import Lab, pct, shown

#: The test digit followed through every layer (the first test image of this digit).
TRACED_DIGIT = 4
#: Layers whose outputs the feature-map figure shows, with how to draw them.
TRACE = [("tanh2", "C1 → tanh", "maps"), ("S2", "S2 (average pool)", "maps"),
         ("tanh5", "C3 → tanh", "maps"), ("S4", "S4 (average pool)", "maps"),
         ("tanh8", "C5 → tanh", "vector"), ("tanh11", "F6 → tanh", "vector"),
         ("output", "output → softmax", "bars")]


def traced(lab: Lab) -> dict:
    """The traced test digit, LeNet-5's answer and its probability."""
    probs = lab.test_probabilities[lab.first_test_index(TRACED_DIGIT)]
    return {"digit": TRACED_DIGIT, "predicted": int(np.argmax(probs)), "p": float(probs.max())}


def misclassified(lab: Lab) -> np.ndarray:
    """Test-set positions of the digits LeNet-5 gets wrong, in order."""
    return np.flatnonzero(lab.test_scores.argmax(axis=1) != lab.digits.y_test)


def _curves(h: learn.loop.History) -> tuple[Figure, Prepared]:
    data = {k: np.asarray(v) for k, v in h.as_arrays().items()}
    facts = {"epochs": len(h.train_loss),
             "train_loss_first": round(h.train_loss[0], 3), "train_loss_last": round(h.train_loss[-1], 4),
             "test_loss_first": round(h.test_loss[0], 3), "test_loss_last": round(h.test_loss[-1], 3),
             "train_acc_last": round(pct(h.train_accuracy[-1]), 2),
             "test_acc_first": round(pct(h.test_accuracy[0]), 2),
             "test_acc_last": round(pct(h.test_accuracy[-1]), 2)}
    fig = Figure(
        "lenet5-training-curves", "training_curves",
        {"panels": [
            {"title": "cross-entropy loss", "log": True,
             "series": [["train_loss", "training images"], ["test_loss", "test images"]]},
            {"title": "accuracy", "percent": True,
             "series": [["train_accuracy", "training images"], ["test_accuracy", "test images"]]},
        ]},
        alt=("Two line charts over {epochs} epochs. Left, the cross-entropy loss on a "
             "logarithmic scale: on the training images it falls from {train_loss_first} to "
             "{train_loss_last}, on the test images from {test_loss_first} to {test_loss_last}. "
             "Right, the accuracy: on the test images it rises from {test_acc_first}% after the "
             "first epoch to {test_acc_last}%, on the training images to {train_acc_last}%."),
        caption=("Loss and accuracy after each of the {epochs} epochs, measured on all training "
                 "and all test images."))
    return fig, Prepared(data, facts)


def _inputs(lab: Lab) -> tuple[Figure, Prepared]:
    d = lab.digits
    idx = [lab.first_test_index(c) for c in (0, 3, 7)]
    scale = digits_data.SIDE // d.blocks.shape[-1]
    images, labels = [], []
    for i in idx:
        block = d.blocks[d.test_index[i]] / digits_data.MAX_COUNT
        images.append(np.kron(block, np.ones((scale, scale))))  # 8x8 drawn at 32x32, blocky
        images.append(shown(d.images[d.test_index[i]]))
        labels += ["8×8 as stored", "32×32 input"]
    facts = {"labels": labels, "digits": [int(d.y_test[i]) for i in idx]}
    fig = Figure(
        "digits-8-to-32", "image_grid", {"cols": 6, "panel_inch": 1.15},
        alt=("Three handwritten digits ({digits}), each twice: as stored, 8×8 blocks of grey "
             "levels, and as LeNet-5 reads it, enlarged to 24×24 by bilinear interpolation and "
             "framed by 4 blank pixels to 32×32: the same strokes, smoothed."),
        caption="The digits as the data set stores them, and as the network reads them.")
    return fig, Prepared({"images": np.stack(images)}, facts)


def _filters(run: learn.Trained) -> tuple[Figure, Prepared]:
    w = run.params["C1.weight"][:, 0].astype(np.float64)  # (6, 1, 5, 5) -> (6, 5, 5)
    b = run.params["C1.bias"]
    labels = [f"filter {i + 1}\nbias {b[i]:+.2f}".replace("-", "\u2212") for i in range(len(w))]
    facts = {"labels": labels, "n": len(w), "low": round(float(w.min()), 2),
             "high": round(float(w.max()), 2)}
    fig = Figure(
        "lenet5-c1-filters", "image_grid", {"cols": 6, "cmap": "signed", "panel_inch": 1.15},
        alt=("The {n} learned 5×5 filters of LeNet-5's first layer C1, as small colour grids: "
             "{colour[negative]} weights are negative, {colour[positive]} positive, white near zero; the weights "
             "range from {low} to {high}. They started as random numbers; these are their values "
             "after training."),
        caption="What C1 learned: its {n} filters, each scaled to its own largest weight.")
    return fig, Prepared({"images": w}, facts)


def _trace(lab: Lab) -> tuple[Figure, Prepared]:
    d, run = lab.digits, lab.lenet5
    i = lab.first_test_index(TRACED_DIGIT)
    x = d.x_test[i:i + 1]
    acts = dict(run.activations(x))
    probs = lab.test_probabilities[i]
    rows = [{"key": "input", "label": f"input {text.shape(d.images.shape[1:])}", "type": "image"}]
    data = {"input": shown(d.images[d.test_index[i]])}
    for name, label, kind in TRACE:
        a = acts[name][0]
        value = probs if kind == "bars" else a.reshape(-1) if kind == "vector" else a
        rows.append({"key": name, "type": kind, "label": f"{label}\n{text.shape(a.shape)}",
                     **({"best": int(np.argmax(probs))} if kind == "bars" else {})})
        data[name] = np.asarray(value, dtype=np.float64)
    facts = {"rows": rows, "digit": TRACED_DIGIT, "predicted": int(np.argmax(probs)),
             "p": round(float(probs.max()), 4),
             "shapes": "; ".join(f"{label} {text.shape(acts[n][0].shape)}" for n, label, _ in TRACE)}
    fig = Figure(
        "lenet5-feature-maps", "layer_activations",
        {"title": "one test digit through LeNet-5"},
        alt=("A test image of the digit {digit} and, row by row below it, what each stage of "
             "LeNet-5 makes of it: {shapes}. Maps are small images, {colour[negative]} negative "
             "and {colour[positive]} positive; the two flat layers are strips of cells; the last row is a "
             "bar chart of the ten class probabilities, tallest at {predicted} "
             "(probability {p})."),
        caption="The feature maps of one test digit, layer by layer: each row is one layer's output.")
    return fig, Prepared(data, facts)


def _confusion(cm: np.ndarray, n_test: int, errors: int) -> tuple[Figure, Prepared]:
    off = [(int(t), int(p), int(cm[t, p])) for t, p in zip(*np.nonzero(cm)) if t != p]
    facts = {"n": n_test, "correct": int(np.trace(cm)), "errors": errors,
             "pairs": "; ".join(f"{c}× a {t} read as {p}" for t, p, c in off) or "none"}
    fig = Figure(
        "lenet5-confusion", "heatmap",
        {"xlabel": "predicted digit", "ylabel": "true digit", "digits": 0, "diagonal": True},
        alt=("A 10 by 10 table of counts, true digit down the side and predicted digit along "
             "the top, over the {n} test images: {correct} on the diagonal (right) and "
             "{errors} off it (wrong): {pairs}."),
        caption="Confusion matrix of the {n} test images: row = true digit, column = prediction.")
    return fig, Prepared({"matrix": cm}, facts)


def _misclassified(lab: Lab, wrong: np.ndarray) -> tuple[Figure, Prepared]:
    d, probs = lab.digits, lab.test_probabilities
    pred = probs.argmax(axis=1)
    images = np.stack([shown(d.images[d.test_index[i]]) for i in wrong])
    labels = [f"a {d.y_test[i]}\nread as {pred[i]}\np = {probs[i, pred[i]]:.2f}" for i in wrong]
    facts = {"labels": labels, "marked": list(range(len(wrong))), "n": len(wrong),
             "list": "; ".join(f"a {d.y_test[i]} read as {pred[i]} with probability "
                               f"{probs[i, pred[i]]:.2f}" for i in wrong)}
    fig = Figure(
        "lenet5-misclassified", "image_grid", {"cols": min(len(wrong), 7), "panel_inch": 1.0},
        alt="The {n} test digits LeNet-5 gets wrong, each with its label: {list}.",
        caption="Every misclassified test digit, with the network's answer and its probability.")
    return fig, Prepared({"images": images}, facts)


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    d = lab.digits
    wrong = misclassified(lab)
    cm = learn.confusion_matrix(d.y_test, lab.test_scores.argmax(axis=1), 10)
    return [_inputs(lab), _curves(lab.lenet5.history), _filters(lab.lenet5), _trace(lab),
            _confusion(cm, len(d.y_test), len(wrong)), _misclassified(lab, wrong)]
