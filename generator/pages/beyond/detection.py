"""Object detection: label vectors on a grid, IoU and non-max suppression, on digits placed
on a canvas and scored by the trained LeNet-5 through sliding windows."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.trained.detection import (CANVAS, CELL, DIGIT, IOU_THRESHOLD, OFFSETS,
                                          PC_THRESHOLD, WIDE_OFFSETS, centre, detect, scene)
from ...figures.trained.detection import int_box as _box
from .. import snippets
from .lab import Lab

#: Rows of the worked non-max suppression table.
NMS_ROWS = 8


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
        cx, cy = centre(obj["box"])
        col, row = int(cx // CELL), int(cy // CELL)
        cell = (col * CELL, row * CELL, (col + 1) * CELL, (row + 1) * CELL)
        y = learn.label_vector(obj["box"], obj["digit"], cell, n_classes)
        cells.append({"row": row, "col": col, "digit": obj["digit"], "box": _box(obj["box"]),
                      "centre": (cx, cy), "cell": _box(cell),
                      "y": [None if np.isnan(v) else float(v) for v in y]})
    occupied = {(c["row"], c["col"]) for c in cells}
    empty_rc = next((r, c) for r in range(CANVAS // CELL) for c in range(CANVAS // CELL)
                    if (r, c) not in occupied)
    empty = learn.label_vector(None, None, (0, 0, CELL, CELL), n_classes)
    empty_y = [None if np.isnan(v) else float(v) for v in empty]

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
    }
