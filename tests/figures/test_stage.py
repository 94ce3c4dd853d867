"""The figure stage: every figure, catalog and trained, drawn before the pages; pages and
the gallery only look figures up."""

from __future__ import annotations

import re

import numpy as np
import pytest

from generator import closure, learn
from generator.figures import catalog, stage
from generator.figures.catalog import Figure
from generator.figures.library import page_context
from generator.pages import gallery
from generator.render import TEMPLATES, render
from generator.settings import load_settings

from .conftest import ROOT

SMALL = [
    Figure("t-conv", "sliding_window", {"size": 4, "kernel": 3}),
    Figure("t-volume", "volume_conv", {"input": [6, 6, 3], "kernel": 3, "filters": 2}),
    Figure("t-arch", "architecture", {"network": "lenet5"}),
]


@pytest.fixture(scope="module")
def full():
    """The whole stage on the project's cache (trained networks and figures cached there)."""
    return stage.render(load_settings(ROOT).path("cache_dir"))


def test_small_stage_outputs_are_the_refs_files(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "FIGURES", SMALL)
    monkeypatch.chdir(tmp_path)  # nothing is looked up from the working folder
    cache = tmp_path / "cache"
    first = stage.render(cache, jobs=2, with_trained=False)
    paths = [o.path for o in first.outputs]
    light = ["figures/t-conv.gif", "figures/t-conv.svg", "figures/t-conv-last.svg",
             "figures/t-volume.svg", "figures/t-arch.svg"]
    assert paths == sorted(light + [p.replace(".", "-dark.") for p in light])
    data = {o.path: o.data for o in first.outputs}
    for ref in first.refs.values():
        assert {ref.files[p]: n for p, n in ref.sizes.items()} == {
            path: len(data[path]) for path in ref.files.values()}
    assert first.refs["t-arch"].section == "Architectures"
    assert first.refs["t-conv"].params == {"size": 4, "kernel": 3}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
    assert sorted(p.name for p in cache.iterdir()) == ["figures", "prepared"]
    again = stage.render(cache, jobs=2, with_trained=False)
    assert again.outputs == first.outputs and again.refs == first.refs


def test_figures_never_import_pages():
    mods = closure.modules("generator.figures.stage")
    assert "generator.figures.trained.training" in mods  # the closure is the real one
    assert [m for m in mods if m.startswith("generator.pages")] == []


def test_every_figure_a_template_embeds_is_in_the_stage(full):
    used = set()
    for path in TEMPLATES.rglob("*.j2"):
        used |= set(re.findall(r"""figure\(\s*["']([a-z0-9-]+)["']""", path.read_text("utf-8")))
    used.discard("its-id")  # the gallery's example of the macro
    assert used and used <= set(full.refs)
    trained = {r.id for r in full.refs.values() if r.section == "Trained networks"}
    assert {"lenet5-top-k-scores", "detection-nms", "lenet5-feature-maps",
            "lenet5-confusion", "style-photo-gram"} <= trained


def test_outputs_hold_every_file_of_every_figure(full):
    data = {o.path: o.data for o in full.outputs}
    assert len(data) == len(full.outputs)
    expected = {p for ref in full.refs.values() for p in ref.files.values()}
    assert set(data) == expected
    assert all(re.fullmatch(r"figures/[a-z0-9-]+\.(gif|svg|png)", p) for p in data)
    assert all(len(data[p]) > 100 for p in data)


def test_trained_figure_data_are_the_models(full):
    """The confusion matrix drawn is the one of the trained LeNet-5's predictions."""
    from generator.figures import trained
    from generator.figures.trained.lab import Lab

    lab = Lab(load_settings(ROOT).path("cache_dir"))
    figs = {f.id: p for _, f, p in trained.figures(lab)}
    d = lab.digits
    predicted = lab.lenet5.predict(d.x_test)
    assert np.array_equal(figs["lenet5-confusion"].data["matrix"],
                          learn.confusion_matrix(d.y_test, predicted, 10))
    assert figs["lenet5-misclassified"].facts["n"] == int(np.sum(predicted != d.y_test))
    assert "lenet5-confusion" in full.refs


def test_pages_link_figures_relative_to_their_own_path(full):
    ref = full.refs["architecture-alexnet"]
    assert ref.src("architectures/alexnet.md") == "../figures/architecture-alexnet.svg"
    assert ref.src("calculator.md") == "figures/architecture-alexnet.svg"
    src = ('{% from "macros/figures.md.j2" import figure with context %}'
           '{{ figure("detection-nms") }}')
    from generator.render import _ENV

    md = _ENV.from_string(src).render(**page_context("beyond/object-detection.md", full.refs))
    assert "](../figures/detection-nms.png)" in md


def test_gallery_lists_every_figure_with_its_files(full):
    path, template, context = gallery.gallery(full.refs)
    assert path == "contributing/gallery.md"
    md = render(template, **context)
    for ref in full.refs.values():
        assert re.search(rf"^### {re.escape(ref.id)}$", md, re.M), ref.id
        for part, file in ref.files.items():
            assert f"]({'../' + file})" in md, file
    total = sum(n for ref in full.refs.values() for n in ref.sizes.values())
    assert f"{len(full.refs)} figures, {len(full.outputs)} files" in md
    assert f"{total / 1024 / 1024:.2f} MB in all" in md


def test_warm_stage_imports_no_matplotlib_and_draws_nothing(full):
    """With every figure cached, the whole stage (trained networks included) draws nothing."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from generator.figures import stage\n"
            "from generator.settings import load_settings\n"
            f"r = stage.render(load_settings({str(ROOT)!r}).path('cache_dir'))\n"
            "assert len(r.refs) > 50, len(r.refs)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
            "assert not bad, bad[:3]\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# ------------------------------------------------------------ training jobs in the pool


def _job_note(cache, name: str) -> None:
    """What a job saw: its process and the thread count of every BLAS library."""
    import os

    from threadpoolctl import threadpool_info

    blas = sorted({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
    (cache / f"{name}.ran").write_text(f"{os.getpid()} {blas}\n")


def fake_long(cache) -> None:
    _job_note(cache, "fake_long")


def fake_short(cache) -> None:
    _job_note(cache, "fake_short")


def test_training_jobs_run_in_the_pool_with_one_blas_thread(tmp_path, monkeypatch):
    """Due jobs go to the pool ahead of the figures, run in a worker with one BLAS
    thread, and are recorded; then they are no longer due, until the code changes."""
    import os

    from generator.figures import build
    from generator.figures.trained import pool
    from generator.learn import jobs

    monkeypatch.setattr(jobs, "JOBS", (fake_long, fake_short))
    monkeypatch.setattr(catalog, "FIGURES", SMALL[:1])
    monkeypatch.setattr(stage, "_trained", lambda cache: [])
    cache = tmp_path / "cache"
    cache.mkdir()
    assert pool.due(cache) == [fake_long, fake_short]
    submitted = []
    real_submit = build.Renderer.submit
    monkeypatch.setattr(build.Renderer, "submit",
                        lambda self, fn, *a: submitted.append(a[0]) or real_submit(self, fn, *a))
    first = stage.render(cache, jobs=2)
    assert submitted == [fake_long, fake_short]
    for name in ("fake_long", "fake_short"):
        pid, blas = (cache / f"{name}.ran").read_text().split(" ", 1)
        assert int(pid) != os.getpid() and blas.strip() == "[1]", (name, pid, blas)
        assert (cache / pool.RECORDS / name).read_text() == pool.code_key() + "\n"
        (cache / f"{name}.ran").unlink()
    assert pool.due(cache) == []
    # warm: nothing due, every figure cached: no pool at all
    monkeypatch.setattr(build.Renderer, "_executor", lambda self: pytest.fail("a pool started"))
    again = stage.render(cache, jobs=2)
    assert again.outputs == first.outputs and submitted == [fake_long, fake_short]
    assert not list(cache.glob("*.ran"))
    # a record of other code, or a damaged one, is due again
    (cache / pool.RECORDS / "fake_short").write_text("0" * 64 + "\n")
    (cache / pool.RECORDS / "fake_long").write_bytes(b"\xff\xfe")
    assert pool.due(cache) == [fake_long, fake_short]


def test_one_worker_trains_in_this_process(tmp_path, monkeypatch):
    """With one worker nothing starts a pool: ``Lab`` trains in the main process."""
    from generator.figures import build
    from generator.learn import jobs

    monkeypatch.setattr(jobs, "JOBS", (fake_long,))
    with build.Renderer(tmp_path / "figures", jobs=1) as renderer:
        assert stage._start_training(renderer, tmp_path) == []
        assert renderer._pool is None
    assert not list(tmp_path.glob("*.ran"))


def _embed_all(refs) -> str:
    """A page embedding every figure of ``refs`` with the site's ``figure`` macro."""
    from generator.render import _ENV

    page = _ENV.from_string('{% from "macros/figures.md.j2" import figure with context %}'
                            '{% for id in figures %}{{ figure(id) }}{% endfor %}')
    return page.render(**page_context("foundations/page.md", refs))


def test_pages_written_before_the_drawing_fill_to_the_drawn_bytes(tmp_path, monkeypatch):
    """A page written with the pending refs, filled, is byte for byte the page written
    with the drawn ones; what only the drawing knows is not guessed."""
    monkeypatch.setattr(catalog, "FIGURES", SMALL)
    with stage.Stage(tmp_path / "cache", jobs=2, with_trained=False) as st:
        pending = st.resolve()
        early = _embed_all(pending).encode()
        with pytest.raises(RuntimeError, match="AFTER_DRAWING"):
            pending["t-arch"].sizes
        result = st.finish()
        filled = st.fill(early)
    drawn = _embed_all(result.refs).encode()
    assert filled == drawn and early != drawn
    # the drawn SVGs keep their images legible on a phone: the fill put real widths in
    widths = re.findall(rb"--atlas-legible: (\d+)px", drawn)
    assert len(widths) == 2 * len(SMALL) and all(int(w) > 0 for w in widths)  # light, dark
    assert b"atlas-pending" not in filled
    assert st.fill(b"no token here") == b"no token here"
    # a token that is not this stage's is left alone: it is no token of this build
    other = early.replace(st._nonce.encode(), b"0" * 16)
    assert st.fill(other) == other


def test_the_stage_prunes_only_what_no_build_used_for_keep_days(tmp_path, monkeypatch):
    """After drawing, the stage removes cache entries unused for ``KEEP_DAYS`` days; an
    old entry this build reads stays (it is used again) and is not drawn again."""
    import os
    import time

    from generator.figures import build, cache

    monkeypatch.setattr(catalog, "FIGURES", SMALL[1:2])
    store = tmp_path / "cache"
    first = stage.render(store, jobs=1, with_trained=False)
    old = time.time() - (cache.KEEP_DAYS + 1) * 86400
    used = [p for p in (store / "figures").glob("??/*") if p.is_dir()]
    forgotten = store / "figures" / "ff" / ("f" * 64)
    cache.FigureCache(store / "figures").put("f" * 64, {"svg": b"<svg/>"})
    orphan = store / "prepared" / f"{'e' * 64}.pickle"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"")
    for path in [*used, forgotten, orphan]:
        os.utime(path, (old, old))
    monkeypatch.setattr(build, "_timed_draw", lambda *a: pytest.fail("drawn again"))
    again = stage.render(store, jobs=1, with_trained=False)
    assert again.outputs == first.outputs
    assert used and all(p.is_dir() and p.stat().st_mtime > old + 86400 for p in used)
    assert not forgotten.exists() and not orphan.exists()
