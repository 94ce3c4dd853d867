"""Object detection: label vectors on a grid, IoU and non-max suppression, on digits placed
on a canvas and scored by the trained LeNet-5 through sliding windows."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.catalog import Figure
from ...figures.prepare import Prepared
from ...learn import data as digits_data
from .. import snippets
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
#: Rows of the worked non-max suppression table.
NMS_ROWS = 8
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


def _box(b) -> list[int]:
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


def values(lab: Lab) -> dict:
    canvas, objects = scene(lab)
    found = detect(lab, canvas, objects, OFFSETS)
    cands, confident, kept, steps = (found[k] for k in ("candidates", "confident", "kept", "steps"))
    wide = detect(lab, canvas, objects, WIDE_OFFSETS)

    # worked IoU: the top kept box and its object
    top = kept[0]
    truth = next(o for o in objects if o["digit"] == top["truth"])
    inter = learn.detection.intersection(top["box"], truth["box"])
    a_inter = learn.detection.area(inter)
    a_box, a_truth = learn.detection.area(top["box"]), learn.detection.area(truth["box"])
    worked_iou = {"box": _box(top["box"]), "truth": _box(truth["box"]), "inter": _box(inter),
                  "iw": inter[2] - inter[0], "ih": inter[3] - inter[1],
                  "a_inter": a_inter, "a_box": a_box, "a_truth": a_truth,
                  "union": a_box + a_truth - a_inter, "iou": learn.iou(top["box"], truth["box"])}

    # worked NMS: the class of the top box, its candidates best first
    step = next(s for s in steps if s["cls"] == top["cls"])
    order = sorted(range(step["n"]), key=lambda i: -step["group"][i]["pc"])
    rows = []
    for i in order:
        c = step["group"][i]
        if i in step["keep"]:
            fate = "kept"
        else:
            by, overlap = step["dropped"][i]
            fate = f"removed: IoU {overlap:.2f} with the box scored {step['group'][by]['pc']:.4f}"
        rows.append({"box": _box(c["box"]), "pc": c["pc"], "fate": fate})

    # label vectors on the grid
    n_classes = lab.test_scores.shape[1]
    cells = []
    for obj in objects:
        x1, y1, x2, y2 = obj["box"]
        col, row = int((x1 + x2) / 2 // CELL), int((y1 + y2) / 2 // CELL)
        cell = (col * CELL, row * CELL, (col + 1) * CELL, (row + 1) * CELL)
        y = learn.label_vector(obj["box"], obj["digit"], cell, n_classes)
        cells.append({"row": row, "col": col, "digit": obj["digit"], "box": _box(obj["box"]),
                      "centre": ((x1 + x2) / 2, (y1 + y2) / 2), "cell": _box(cell),
                      "y": [None if np.isnan(v) else float(v) for v in y]})
    occupied = {(c["row"], c["col"]) for c in cells}
    empty_rc = next((r, c) for r in range(CANVAS // CELL) for c in range(CANVAS // CELL)
                    if (r, c) not in occupied)
    empty = learn.label_vector(None, None, (0, 0, CELL, CELL), n_classes)
    empty_y = [None if np.isnan(v) else float(v) for v in empty]

    roles_all = np.zeros(len(confident), dtype=np.int8)
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
        "centres": np.array([c["centre"] for c in cells]),
        "confident": np.array([c["box"] for c in confident], dtype=float).reshape(-1, 4),
        "confident_roles": roles_all,
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
    return {
        "canvas": CANVAS, "cell": CELL, "grid": CANVAS // CELL, "digit_side": DIGIT,
        "objects": [{"digit": o["digit"], "box": _box(o["box"])} for o in objects],
        "offsets": list(OFFSETS), "per_object": len(OFFSETS) ** 2,
        "n_candidates": len(cands), "n_confident": len(confident),
        "pc_threshold": PC_THRESHOLD, "iou_threshold": IOU_THRESHOLD,
        "kept": [{"cls": k["cls"], "pc": k["pc"], "box": _box(k["box"]), "truth": k["truth"],
                  "iou": k["iou"], "discarded": k["discarded"]} for k in kept],
        "iou": worked_iou,
        "nms": {"cls": step["cls"], "n": step["n"], "rows": rows[:NMS_ROWS],
                "more": len(rows) - NMS_ROWS if len(rows) > NMS_ROWS else 0,
                "more_removed": sum(1 for r in rows[NMS_ROWS:] if r["fate"] != "kept")},
        "cells": cells, "empty": {"row": empty_rc[0], "col": empty_rc[1], "y": empty_y},
        "n_classes": n_classes, "wrong": found["wrong"],
        "wide": {"offsets": list(WIDE_OFFSETS), "n": len(wide["candidates"]),
                 "kept": len(wide["kept"]), "wrong": wide["wrong"]},
        "code": snippets.run("beyond_detection"),
        "figures": [(fig, Prepared(data, facts))],
    }
