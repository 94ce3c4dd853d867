"""IoU, non-max suppression and the label vector on hand-computed boxes."""

from __future__ import annotations

import numpy as np
import pytest

from generator import learn


def test_iou_by_hand():
    # 4x4 boxes overlapping in a 2x3 patch: 6 / (16 + 16 - 6)
    assert learn.iou((0, 0, 4, 4), (2, 1, 6, 5)) == 6 / 26
    assert learn.iou((0, 0, 4, 4), (0, 0, 4, 4)) == 1.0
    assert learn.iou((0, 0, 2, 2), (2, 0, 4, 2)) == 0.0  # touching edges only
    assert learn.iou((0, 0, 2, 2), (5, 5, 6, 6)) == 0.0
    # one box inside another: 4 / 16
    assert learn.iou((0, 0, 4, 4), (1, 1, 3, 3)) == 0.25


def test_nms_by_hand():
    boxes = [(0, 0, 10, 10), (1, 1, 11, 11), (20, 20, 30, 30), (0, 0, 10, 5)]
    scores = [0.9, 0.8, 0.7, 0.95]
    kept, removed = learn.nms(boxes, scores, threshold=0.5)
    # box 3 (0.95) keeps; box 0 overlaps it 50/100 = 0.5 -> removed; box 1 overlaps box 3
    # in 9x4 = 36 of 100 + 50 - 36 = 114: kept; box 2 is far away
    assert kept == [3, 1, 2]
    assert removed == {0: (3, 0.5)}


def test_nms_threshold_is_inclusive_and_order_is_by_score():
    kept, removed = learn.nms([(0, 0, 2, 2), (0, 0, 2, 2)], [0.1, 0.2], threshold=1.0)
    assert kept == [1] and removed == {0: (1, 1.0)}


def test_label_vector_by_hand():
    y = learn.label_vector((40, 8, 64, 32), 3, cell=(32, 0, 64, 32), n_classes=4)
    # centre (52, 20): 20/32 across and 20/32 down the cell; 24/32 high and wide
    assert y.tolist() == [1.0, 0.625, 0.625, 0.75, 0.75, 0.0, 0.0, 0.0, 1.0]


def test_label_vector_without_object():
    y = learn.label_vector(None, None, cell=(0, 0, 32, 32), n_classes=3)
    assert y[0] == 0.0 and np.isnan(y[1:]).all() and len(y) == 8


@pytest.mark.parametrize("seed", range(3))
def test_iou_matches_torchvision_formula(seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    a = np.sort(rng.uniform(0, 10, (2, 2)), axis=0).T.ravel()[[0, 2, 1, 3]]
    b = np.sort(rng.uniform(0, 10, (2, 2)), axis=0).T.ravel()[[0, 2, 1, 3]]
    ta, tb = torch.tensor(a)[None], torch.tensor(b)[None]
    lt = torch.max(ta[:, None, :2], tb[:, :2])
    rb = torch.min(ta[:, None, 2:], tb[:, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])  # noqa: E731
    expected = (inter / (area(ta)[:, None] + area(tb) - inter)).item()
    assert learn.iou(a, b) == pytest.approx(expected, abs=1e-12)
