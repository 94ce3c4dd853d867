"""The Beyond pages' numbers come from the trained networks, and a warm build neither
trains nor draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator import learn
from generator.figures import build
from generator.learn import loop, trained
from generator.pages import beyond
from generator.pages.beyond import lab as lab_module
from generator.pages.beyond import top_k, training, transfer
from generator.pipeline import BuildContext
from generator.settings import load_settings
from generator.tables import layer_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lab():
    return lab_module.Lab(load_settings(ROOT).path("cache_dir"))


def test_training_page_values_are_the_models(lab):
    v = training.values(lab)
    d = lab.digits
    predicted = lab.lenet5.predict(d.x_test)
    assert v["final"]["test_acc"] == 100 * np.mean(predicted == d.y_test)
    assert v["errors"] == int(np.sum(predicted != d.y_test))
    assert v["correct"] + v["errors"] == v["n_test"] == len(d.test_index)
    assert v["params"] == f"{layer_table(lab.lenet5.model.network).totals.params:,}"
    figure_ids = [f.id for f, _ in v["figures"]]
    assert "lenet5-confusion" in figure_ids
    cm = dict((f.id, p) for f, p in v["figures"])["lenet5-confusion"].data["matrix"]
    assert np.array_equal(cm, learn.confusion_matrix(d.y_test, predicted, 10))


def test_top_k_page_values_are_the_models(lab):
    v = top_k.values(lab)
    scores = lab.lenet5.scores(lab.digits.x_test)
    for row in v["accuracy"]:
        assert row["acc"] == 100 * learn.top_k_accuracy(scores, lab.digits.y_test, row["k"])
    for e in v["examples"]:
        assert e["argmax"] == int(np.argmax(scores[e["index"]]))


def test_transfer_page_values_are_the_models(lab):
    v = transfer.values(lab)
    tr = lab.transfer
    t = layer_table(tr.frozen_network).totals
    assert v["trainable"] == f"{t.trainable_params:,}"
    for run, amount in zip(v["runs"], ("all", "few")):
        x_test, y_test = tr.data[amount][2:]
        acc = np.mean(tr.head[amount].predict(x_test) == y_test)
        assert run["head"] == 100 * acc


def test_the_page_prints_the_accuracy(lab):
    ctx = BuildContext(load_settings(ROOT))
    pages = {o.path: o.data.decode() for o in beyond.outputs(ctx) if o.path.endswith(".md")}
    acc = training.values(lab)["final"]["test_acc"]
    from generator.render import num

    assert f"**{num(acc, 2)}% on the" in pages["beyond/training-lenet5.md"]
    assert [title for title, _ in ctx.nav["Beyond"]][0] == "Training LeNet-5"
    assert len(ctx.nav["Beyond"]) == len(beyond.TOPICS)


def test_a_warm_build_neither_trains_nor_draws(monkeypatch):
    settings = load_settings(ROOT)
    first = list(beyond.outputs(BuildContext(settings)))  # fills the caches if needed

    def forbidden(*args, **kwargs):
        raise AssertionError("a warm build must not train or draw")

    trained._cached.cache_clear()  # load from disk again, as a new build process would
    monkeypatch.setattr(trained, "train", forbidden)
    monkeypatch.setattr(loop, "train", forbidden)
    monkeypatch.setattr(build, "_timed_draw", forbidden)
    monkeypatch.setattr(build, "draw", forbidden)
    second = list(beyond.outputs(BuildContext(settings)))
    assert [(o.path, o.data) for o in second] == [(o.path, o.data) for o in first]
