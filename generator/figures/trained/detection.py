"""Figure of the page "Object detection": digits on a canvas, the windows LeNet-5 scores,
and what non-max suppression keeps; and the detection itself, which the page explains."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...learn import data as digits_data
from ..catalog import Figure
from ..kind import Prepared
from .lab import Lab

#: The canvas and its grid of cells (the label vector is per cell).
CANVAS, CELL = 96, 32
#: Which digits go where: (digit, left, top) of each 24x24 digit on the canvas.
PLACED = [(2, 5, 10), (6, 38, 56), (4, 66, 18)]
#: Window offsets around each digit (pixels, in x and in y): 5 x 5 candidate windows.
OFFSETS = (-2, -1, 0, 1, 2)
#: Wider offsets, to show what happens when LeNet-5 sees digits far off-centre.
WIDE_OFFSETS = (-4, -2, 0, 2, 4)
#: Keep candidates whose pc reaches this, then suppress overlaps with IoU at least this.
PC_THRESHOLD, IOU_THRESHOLD = 0.6, 0.5
DIGIT = digits_data.SIDE - 2 * digits_data.BORDER  # 24: the digit inside a 32x32 input


def scene(lab: Lab) -> tuple[np.ndarray, list[dict]]:
    """The canvas (CANVAS, CANVAS) in [0, 1] and its objects (digit, box)."""
    d = lab.digits
    canvas = np.zeros((CANVAS, CANVAS))
    objects = []
    b = digits_data.BORDER
    for digit, x, y in PLACED:
        img = d.images[d.test_index[lab.first_test_index(digit)], 0, b:b + DIGIT, b:b + DIGIT]
        canvas[y:y + DIGIT, x:x + DIGIT] = np.maximum(canvas[y:y + DIGIT, x:x + DIGIT], img)
        objects.append({"digit": digit, "box": (x, y, x + DIGIT, y + DIGIT)})
    return canvas, objects


def candidates(lab: Lab, canvas: np.ndarray, objects: list[dict], offsets) -> list[dict]:
    """Windows around each object, classified by LeNet-5: box (the window's digit area), pc, class."""
    side, b = digits_data.SIDE, digits_data.BORDER
    padded = np.pad(canvas, side)  # windows may reach past the edge: blank there
    windows, boxes = [], []
    for obj in objects:
        x1, y1 = obj["box"][:2]
        for dy in offsets:
            for dx in offsets:
                wx, wy = x1 - b + dx, y1 - b + dy  # window's top-left on the canvas
                windows.append(padded[wy + side:wy + 2 * side, wx + side:wx + 2 * side])
                boxes.append((wx + b, wy + b, wx + b + DIGIT, wy + b + DIGIT))
    x = lab.digits.standardise(np.stack(windows)[:, None])  # (M, 32, 32) -> (M, 1, 32, 32)
    probs = lab.lenet5.probabilities(x).astype(np.float64)
    return [{"box": box, "pc": float(p.max()), "cls": int(p.argmax())}
            for box, p in zip(boxes, probs)]


def int_box(b) -> list[int]:
    return [int(v) for v in b]


def detect(lab: Lab, canvas: np.ndarray, objects: list[dict], offsets) -> dict:
    """Candidates, those with pc >= PC_THRESHOLD, and per-class NMS; each kept box with its
    best-matching true object and their IoU."""
    cands = candidates(lab, canvas, objects, offsets)
    confident = [c for c in cands if c["pc"] >= PC_THRESHOLD]
    kept, steps = [], []
    for cls in sorted({c["cls"] for c in confident}):
        group = [c for c in confident if c["cls"] == cls]
        keep, dropped = learn.nms([c["box"] for c in group], [c["pc"] for c in group], IOU_THRESHOLD)
        kept += [group[i] | {"discarded": sum(1 for j in dropped if dropped[j][0] == i)} for i in keep]
        steps.append({"cls": cls, "n": len(group), "kept": len(keep), "group": group,
                      "keep": keep, "dropped": dropped})
    for k in kept:
        best = max(objects, key=lambda o: learn.iou(o["box"], k["box"]))
        k["truth"], k["iou"] = best["digit"], learn.iou(best["box"], k["box"])
    kept.sort(key=lambda k: -k["pc"])
    return {"candidates": cands, "confident": confident, "kept": kept, "steps": steps,
            "wrong": sum(1 for k in kept if k["cls"] != k["truth"])}


def centre(box) -> tuple[float, float]:
    """The centre (x, y) of a box (x1, y1, x2, y2)."""
    x1, y1, x2, y2 = box
    return (x1 + x2) / 2, (y1 + y2) / 2


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    canvas, objects = scene(lab)
    found = detect(lab, canvas, objects, OFFSETS)
    cands, confident, kept = found["candidates"], found["confident"], found["kept"]
    facts = {
        "panels": [
            {"title": f"ground truth on a {CANVAS // CELL}×{CANVAS // CELL} grid", "grid": CELL,
             "boxes": "truth", "roles": "truth_roles", "centres": "centres",
             "labels": [str(o["digit"]) for o in objects]},
            {"title": f"{len(confident)} windows with pc ≥ {PC_THRESHOLD}",
             "boxes": "confident", "roles": "confident_roles"},
            {"title": f"after non-max suppression: {len(kept)}",
             "boxes": "after", "roles": "after_roles",
             "labels": [""] * len(objects) + [f"{k['cls']} {k['pc']:.2f}" for k in kept]},
        ],
        "n_candidates": len(cands), "n_confident": len(confident), "n_kept": len(kept),
        "digits": ", ".join(str(o["digit"]) for o in objects),
        "kept": "; ".join(f"a {k['cls']} with pc {k['pc']:.2f} (IoU {k['iou']:.2f} with the true "
                          f"box of the {k['truth']})" for k in kept),
        "pc": PC_THRESHOLD, "iou": IOU_THRESHOLD,
    }
    data = {
        "image": canvas,
        "truth": np.array([o["box"] for o in objects], dtype=float),
        "truth_roles": np.full(len(objects), 2, dtype=np.int8),
        "centres": np.array([centre(o["box"]) for o in objects]),
        "confident": np.array([c["box"] for c in confident], dtype=float).reshape(-1, 4),
        "confident_roles": np.zeros(len(confident), dtype=np.int8),
        "after": np.array([o["box"] for o in objects] + [k["box"] for k in kept], dtype=float),
        "after_roles": np.array([2] * len(objects) + [1] * len(kept), dtype=np.int8),
    }
    fig = Figure(
        "detection-nms", "detection_boxes", {},
        alt=("Three copies of a {0}×{0} canvas with the handwritten digits {{digits}}. Left: "
             "a grid of {1}×{1}-pixel cells, each digit's true box dashed and its centre "
             "dotted. Middle: the {{n_confident}} of {{n_candidates}} sliding windows that "
             "LeNet-5 scores with pc at least {{pc}}, as thin boxes crowding around each "
             "digit. Right: the {{n_kept}} boxes left after non-max suppression with IoU "
             "threshold {{iou}}: {{kept}}.").format(CANVAS, CELL),
        caption=("Candidates, and what non-max suppression keeps (solid) against the true "
                 "boxes (dashed)."))
    return [(fig, Prepared(data, facts))]
