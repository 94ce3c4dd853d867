"""The site's trained networks, from the project's cache (trained once if missing)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator import learn
from generator.learn import trained
from generator.settings import load_settings
from generator.tables import layer_table

ROOT = Path(__file__).resolve().parents[2]
TARGET = 0.97


@pytest.fixture(scope="module")
def cache() -> Path:
    return load_settings(ROOT).path("cache_dir")


def test_lenet5_meets_the_target(cache):
    run, d = learn.lenet5(cache), learn.load_digits()
    accuracy = float(np.mean(run.predict(d.x_test) == d.y_test))
    assert accuracy >= TARGET
    # the recorded history is what the stored weights give
    assert run.history.test_accuracy[-1] == accuracy
    assert len(run.history.test_loss) == run.config.epochs


def test_transfer_really_freezes(cache):
    tr = learn.transfer(cache)
    for amount in ("all", "few"):
        head = tr.head[amount]
        for name in ("C1.weight", "C1.bias", "C3.weight", "C5.weight", "C5.bias"):
            assert np.array_equal(head.params[name], tr.base.params[name]), name
        assert not np.array_equal(head.params["F6.weight"], tr.base.params["F6.weight"])
    t = layer_table(tr.frozen_network).totals
    assert t.trainable_params == sum(tr.head["all"].params[k].size
                                     for k in tr.head["all"].model.trainable())
    # digits 5-9 only, in training and test
    for x_train, y_train, x_test, y_test in tr.data.values():
        assert set(y_train) == set(y_test) == set(trained.NEW_DIGITS)
    assert len(tr.data["few"][1]) == trained.FEW * len(trained.NEW_DIGITS)
    # evaluated only for what the page shows: the base's last test accuracy, test curves
    assert tr.base.history.train_loss == [] and len(tr.base.history.test_accuracy) == 1
    for run in (*tr.head.values(), *tr.scratch.values()):
        assert run.history.train_loss == [] and len(run.history.test_accuracy) == run.config.epochs


def test_autoencoder_reconstructs(cache):
    ae, d = learn.autoencoder(cache), learn.load_digits()
    x = d.images[d.test_index]
    out = ae.model.forward(ae.params, x)
    assert out.shape == x.shape
    # far better than predicting the mean image
    mean = d.images[d.train_index].mean(axis=0)
    assert np.mean((out - x) ** 2) < 0.25 * np.mean((mean - x) ** 2)
    assert ae.history.test_loss[-1] < ae.history.test_loss[0]


def test_the_default_cache_is_the_projects_not_the_working_folders(tmp_path, monkeypatch):
    """Called without a cache folder (a reader's snippet), from another project's folder."""
    (tmp_path / "pyproject.toml").write_text('[tool.convnet-atlas]\ncache_dir = "elsewhere"\n')
    monkeypatch.chdir(tmp_path)
    asked = []
    monkeypatch.setattr(trained, "_cached", lambda cache, which: asked.append((cache, which)))
    learn.lenet5(), learn.transfer(), learn.autoencoder()
    project = str(load_settings(ROOT).path("cache_dir"))
    assert asked == [(project, "lenet5"), (project, "transfer"), (project, "autoencoder")]
    learn.lenet5(tmp_path / "given")
    assert asked[-1] == (str(tmp_path / "given"), "lenet5")


def test_the_jobs_train_every_network_the_build_reads(tmp_path, monkeypatch):
    """After every job of learn.jobs.JOBS (each alone, as in the pool's processes), the
    networks the pages read all come from the cache: the transfer runs' two jobs cover
    them all. One epoch each, to keep it short."""
    from dataclasses import replace

    from generator.learn import config, jobs

    for name in ("LENET5", "BASE", "AUTOENCODER"):
        monkeypatch.setattr(config, name, replace(getattr(config, name), epochs=1))
    monkeypatch.setattr(config, "TRANSFER",
                        {k: replace(c, epochs=1) for k, c in config.TRANSFER.items()})
    trained._cached.cache_clear()
    fits = []
    plain = trained.train
    monkeypatch.setattr(trained, "train", lambda *a: fits.append(a[0]) or plain(*a))
    for job in jobs.JOBS:
        job(tmp_path)
        trained._cached.cache_clear()  # nothing shared between jobs but the cache folder
    assert len(fits) == 7  # LeNet-5, the autoencoder, the base, two heads, two from scratch

    monkeypatch.setattr(trained, "train", lambda *a: pytest.fail("trained again"))
    tr = learn.transfer(tmp_path)
    assert tr.base is not None and len(tr.head) == len(tr.scratch) == 2
    learn.lenet5(tmp_path), learn.autoencoder(tmp_path)
    trained._cached.cache_clear()
