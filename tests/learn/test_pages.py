"""The Beyond pages' numbers are the trained networks', checked by other means than the
pages compute them with, and a warm build neither trains nor draws.

Independent checks: the stored weights run through LeNet-5 written out by hand in
PyTorch (not built from the spec, not through ``generator.nn``); parameter counts
worked out by hand from the layer sizes; top-k hits counted from the rank of the
true class (how many classes score higher) instead of sorting; and invariants
that a wrong number would break (a confusion matrix's rows sum to the class
sizes, accuracy grows with k up to 100 %).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.figures import build
from generator.learn import loop, trained
from generator.pages import beyond
from generator.pages.beyond import lab as lab_module
from generator.pages.beyond import top_k, training, transfer
from generator.pipeline import BuildContext, figure_stage
from generator.settings import load_settings
from generator.text import num

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]

#: LeNet-5's parameters by hand: C1 6*(1*5*5)+6, C3 16*(6*5*5)+16, C5 120*(16*5*5)+120,
#: F6 84*120+84, output 10*84+10.
C1, C3, C5, F6, OUTPUT = 156, 2_416, 48_120, 10_164, 850
#: A prediction whose two best PyTorch scores are closer than this could round either way.
NEAR_TIE = 1e-4


@pytest.fixture(scope="module")
def lab():
    return lab_module.Lab(load_settings(ROOT).path("cache_dir"))


def torch_scores(params: dict, x: np.ndarray) -> np.ndarray:
    """LeNet-5's class scores in PyTorch, float64, from the weights by name."""
    t = {k: torch.from_numpy(np.asarray(v, dtype=np.float64)) for k, v in params.items()}
    F = torch.nn.functional
    with torch.no_grad():
        a = torch.from_numpy(np.asarray(x, dtype=np.float64))
        a = F.avg_pool2d(torch.tanh(F.conv2d(a, t["C1.weight"], t["C1.bias"])), 2)
        a = F.avg_pool2d(torch.tanh(F.conv2d(a, t["C3.weight"], t["C3.bias"])), 2)
        a = torch.tanh(F.conv2d(a, t["C5.weight"], t["C5.bias"])).flatten(1)
        a = torch.tanh(F.linear(a, t["F6.weight"], t["F6.bias"]))
        return F.linear(a, t["output.weight"], t["output.bias"]).numpy()


def correct_range(scores: np.ndarray, labels: np.ndarray) -> tuple[int, int]:
    """(fewest, most) correct predictions, allowing near ties to go either way."""
    best2 = np.sort(scores, axis=1)[:, -2:]
    tie = (best2[:, 1] - best2[:, 0]) < NEAR_TIE
    right = scores.argmax(axis=1) == labels
    return int(np.sum(right & ~tie)), int(np.sum(right | tie))


def assert_share(percent: float, fewest: int, most: int, n: int) -> None:
    """``percent`` is 100 * c / n for a whole count c from ``fewest`` to ``most``."""
    c = round(percent * n / 100)
    assert percent == pytest.approx(100 * c / n, abs=1e-9) and fewest <= c <= most, \
        (percent, fewest, most, n)


def test_lenet5_has_the_parameters_counted_by_hand(lab):
    sizes = {k: v.size for k, v in lab.lenet5.params.items()}
    assert sizes["C1.weight"] + sizes["C1.bias"] == C1
    assert sum(sizes.values()) == C1 + C3 + C5 + F6 + OUTPUT == 61_706
    assert training.values(lab)["params"] == "61,706"


def test_training_page_accuracy_is_the_weights_accuracy_in_pytorch(lab):
    v, d = training.values(lab), lab.digits
    fewest, most = correct_range(torch_scores(lab.lenet5.params, d.x_test), d.y_test)
    assert most - fewest <= 2  # the check is sharp
    n = len(d.y_test)
    assert v["n_test"] == n
    assert fewest <= v["correct"] <= most
    assert v["correct"] + v["errors"] == n
    assert_share(v["final"]["test_acc"], v["correct"], v["correct"], n)


def test_the_confusion_matrix_adds_up(lab):
    """Rows sum to the number of test images of each digit; the diagonal holds the hits."""
    from generator import learn

    d = lab.digits
    predicted = lab.lenet5.predict(d.x_test)
    cm = learn.confusion_matrix(d.y_test, predicted, 10)
    for digit in range(10):
        assert cm[digit].sum() == sum(1 for y in d.y_test if y == digit)
        assert cm[:, digit].sum() == sum(1 for p in predicted if p == digit)
    assert np.trace(cm) == training.values(lab)["correct"]


def test_top_k_accuracy_by_rank_counting(lab):
    """Hit at k when fewer than k classes score above the true one (no sorting)."""
    v = top_k.values(lab)
    scores, y = lab.test_scores, lab.digits.y_test
    above = (scores > scores[np.arange(len(y)), y][:, None]).sum(axis=1)
    rows = {row["k"]: row for row in v["accuracy"]}
    assert sorted(rows) == list(range(1, 11))
    for k, row in rows.items():
        assert row["hits"] == int(np.sum(above < k)), k
        assert_share(row["acc"], row["hits"], row["hits"], len(y))
    accs = [rows[k]["acc"] for k in sorted(rows)]
    assert accs == sorted(accs) and accs[-1] == 100
    assert rows[1]["hits"] == training.values(lab)["correct"]
    assert v["top1_misses"] == len(y) - rows[1]["hits"]


def test_transfer_page_counts_and_accuracies(lab):
    v, tr = transfer.values(lab), lab.transfer
    # only F6 and the output layer learn
    assert v["trainable"] == f"{F6 + OUTPUT:,}" == "11,014"
    assert v["non_trainable"] == f"{C1 + C3 + C5:,}" == "50,692"
    assert [r["amount"] for r in v["runs"]] == [transfer.AMOUNTS[a] for a in ("all", "few")]
    for run, amount in zip(v["runs"], ("all", "few")):
        x_test, y_test = tr.data[amount][2:]
        fewest, most = correct_range(torch_scores(tr.head[amount].params, x_test), y_test)
        assert_share(run["head"], fewest, most, len(y_test))
        fewest, most = correct_range(torch_scores(tr.scratch[amount].params, x_test), y_test)
        assert_share(run["scratch"], fewest, most, len(y_test))


def _context(settings) -> BuildContext:
    """A build context as the pipeline makes it: the figure stage has run."""
    ctx = BuildContext(settings)
    ctx.figures = figure_stage(settings)[1]
    return ctx


def test_the_page_prints_the_pytorch_accuracy(lab):
    ctx = _context(load_settings(ROOT))
    pages = {o.path: o.data.decode() for o in beyond.outputs(ctx) if o.path.endswith(".md")}
    (page,) = [text for path, text in pages.items() if path.endswith("training-lenet5.md")]
    d = lab.digits
    fewest, most = correct_range(torch_scores(lab.lenet5.params, d.x_test), d.y_test)
    printed = {f"**{num(100 * c / len(d.y_test), 2)}% on the" for c in range(fewest, most + 1)}
    assert any(p in page for p in printed), printed


def test_a_warm_build_neither_trains_nor_draws(monkeypatch):
    settings = load_settings(ROOT)
    def build_once():
        files, refs = figure_stage(settings)
        ctx = BuildContext(settings)
        ctx.figures = refs
        return [(o.path, o.data) for o in [*files, *beyond.outputs(ctx)]]

    first = build_once()  # fills the caches if needed

    def forbidden(*args, **kwargs):
        raise AssertionError("a warm build must not train or draw")

    trained._cached.cache_clear()  # load from disk again, as a new build process would
    monkeypatch.setattr(trained, "train", forbidden)
    monkeypatch.setattr(loop, "train", forbidden)
    monkeypatch.setattr(build, "_timed_draw", forbidden)
    monkeypatch.setattr(build, "draw", forbidden)
    assert build_once() == first
