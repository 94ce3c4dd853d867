"""Object detection's arithmetic: the label vector, intersection over union, non-max suppression.

Boxes are ``(x1, y1, x2, y2)``: left, top, right, bottom edges in pixels,
with x growing to the right and y downwards, as in an image array.
"""

from __future__ import annotations

import numpy as np


def area(box) -> float:
    """Area of ``(x1, y1, x2, y2)``; an empty box (x2 <= x1 or y2 <= y1) has area 0."""
    x1, y1, x2, y2 = box
    return max(0.0, x2 - x1) * max(0.0, y2 - y1)


def intersection(a, b) -> tuple[float, float, float, float]:
    """The overlap of two boxes, as a box (possibly empty)."""
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def iou(a, b) -> float:
    """Intersection over union: area(a ∩ b) / (area(a) + area(b) - area(a ∩ b)), in [0, 1]."""
    inter = area(intersection(a, b))
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def nms(boxes, scores, threshold: float = 0.5) -> tuple[list[int], dict[int, tuple[int, float]]]:
    """Greedy non-max suppression.

    Repeatedly keep the highest-scoring box left and discard every remaining
    box whose IoU with it is at least ``threshold``.

    boxes: (N, 4); scores: (N,). Returns the kept indices in the order kept,
    and for each discarded index the kept box that discarded it and their IoU.
    """
    order = list(np.argsort(-np.asarray(scores, dtype=float), kind="stable"))
    kept: list[int] = []
    discarded: dict[int, tuple[int, float]] = {}
    while order:
        best = int(order.pop(0))
        kept.append(best)
        remaining = []
        for i in order:
            overlap = iou(boxes[best], boxes[i])
            if overlap >= threshold:
                discarded[int(i)] = (best, overlap)
            else:
                remaining.append(i)
        order = remaining
    return kept, discarded


def label_vector(box, cls: int | None, cell, n_classes: int) -> np.ndarray:
    """The target ``y = (pc, bx, by, bh, bw, c1..cn)`` of one grid cell.

    ``cell`` is the cell's box ``(x1, y1, x2, y2)``. With an object (``cls``
    not None, its centre inside the cell): pc = 1; bx, by the centre relative
    to the cell's top-left corner in cell widths/heights (0 to 1); bh, bw the
    box's height and width in cell heights/widths (may exceed 1); c the
    one-hot class. Without one: pc = 0 and the rest NaN ("don't care": the
    loss ignores them).
    """
    y = np.full(5 + n_classes, np.nan)
    y[0] = 0.0
    if cls is None:
        return y
    cw, ch = cell[2] - cell[0], cell[3] - cell[1]
    x1, y1, x2, y2 = box
    y[0] = 1.0
    y[1] = ((x1 + x2) / 2 - cell[0]) / cw
    y[2] = ((y1 + y2) / 2 - cell[1]) / ch
    y[3] = (y2 - y1) / ch
    y[4] = (x2 - x1) / cw
    y[5:] = 0.0
    y[5 + cls] = 1.0
    return y
