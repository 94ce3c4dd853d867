"""Caches that cannot lie: damaged entries are redrawn, keys follow the real import closure."""

from __future__ import annotations

import pickle
import shutil

import numpy as np
import pytest

from generator import closure
from generator.figures import build, cache, library
from generator.figures.catalog import Figure

#: One small figure of each catalog kind that has a drawing module of its own.
SMALL = [
    Figure("t-conv", "sliding_window", {"size": 4, "kernel": 3}),
    Figure("t-pool", "pooling", {"x": [[1, 2], [3, 4]], "kernel": 2}),
    Figure("t-values", "conv_values", {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
                                       "w": [[1, 0], [0, -1]], "animate": True}),
    Figure("t-volume", "volume_conv", {"input": [6, 6, 3], "kernel": 3, "filters": 2}),
    Figure("t-sizes", "output_size", {"settings": [{"kernel": 3, "stride": 2}], "sizes": [1, 6]}),
]


def _entries(cache_dir):
    return sorted(p for p in cache_dir.glob("??/*") if p.is_dir())


def _damage(path):
    """Each part damaged a different way: emptied, truncated, or replaced by random bytes."""
    data = path.read_bytes()
    how = {"svg": b"", "last.svg": data[: len(data) // 2]}.get(path.name)
    path.write_bytes(how if how is not None else
                     np.random.default_rng(len(data)).bytes(len(data)))


def test_damaged_figure_entries_are_redrawn_with_the_right_bytes(tmp_path):
    store = tmp_path / "cache"
    figs = library.resolve(SMALL)
    first = build.render_all(figs, store, jobs=1)
    for entry in _entries(store):
        for part in entry.iterdir():
            if part.name != "sha256.json":  # the hashes themselves: see the next test
                _damage(part)
    again = build.render_all(figs, store, jobs=1)
    assert sorted(again.rendered) == sorted(f.id for f in SMALL)
    assert again.files == first.files
    third = build.render_all(figs, store, jobs=1)  # the redrawn entries are good again
    assert third.rendered == [] and third.files == first.files


@pytest.mark.parametrize("damage", ["missing hashes", "bad hashes", "hashes not a dict",
                                    "entry is a file"])
def test_unreadable_entry_is_a_miss(tmp_path, damage):
    store = tmp_path / "cache"
    figs = library.resolve(SMALL[:1])
    first = build.render_all(figs, store, jobs=1)
    (entry,) = _entries(store)
    if damage == "missing hashes":
        (entry / cache.HASHES).unlink()
    elif damage == "bad hashes":
        (entry / cache.HASHES).write_bytes(b"\x00{not json")
    elif damage == "hashes not a dict":
        (entry / cache.HASHES).write_text("[1, 2]")
    else:
        shutil.rmtree(entry)
        entry.write_bytes(b"x")
    again = build.render_all(figs, store, jobs=1)
    assert again.rendered == ["t-conv"] and again.files == first.files


@pytest.mark.parametrize("damage", ["empty", "truncated", "random", "wrong type", "flipped bit"])
def test_damaged_prepared_entries_are_recomputed(tmp_path, damage):
    store = cache.PreparedCache(tmp_path)
    fresh = library.resolve(SMALL, store)
    files = sorted(tmp_path.glob("*.pickle"))
    assert len(files) == len(SMALL)
    for f in files:
        data = f.read_bytes()
        f.write_bytes({
            "empty": b"",
            "truncated": data[: len(data) // 2],
            "random": np.random.default_rng(1).bytes(len(data)),
            "wrong type": pickle.dumps({"not": "prepared"}),
            "flipped bit": data[:-1] + bytes([data[-1] ^ 1]),
        }[damage])
    again = library.resolve(SMALL, store)
    for a, b in zip(fresh, again):
        assert a.facts == b.facts and a.ref == b.ref
        assert a.prepared.data.keys() == b.prepared.data.keys()
        for name in a.prepared.data:
            np.testing.assert_array_equal(a.prepared.data[name], b.prepared.data[name])
    # and the cache holds good entries again
    assert all(store._read(f, type(fresh[0].prepared)) is not None for f in files)


# ------------------------------------------------------------------ keys from the closure


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A copy of the generator package that closure reads instead of the real one."""
    root = tmp_path / "src"
    shutil.copytree(closure.ROOT / closure.PACKAGE, root / closure.PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(closure, "ROOT", root)
    closure._direct.cache_clear()
    yield root / closure.PACKAGE
    closure._direct.cache_clear()


def _edit(package, relative: str) -> None:
    path = package / relative
    path.write_bytes(path.read_bytes() + b"\n# edited\n")


def _drawing_modules() -> list[str]:
    from generator.figures import registry

    return sorted({k.module for k in registry.KINDS.values()})


#: module edited -> the drawing modules whose figures must be redrawn (all others must not).
EXPECTED = {
    "figures/image_grid.py": {"image_grid", "score_bars", "detection_boxes", "layer_activations"},
    "figures/boxes.py": {"volumes", "one_by_one", "concat_volumes", "grouped_channels"},
    "figures/cells.py": {"sliding_window", "conv_values", "pooling", "padding_modes",
                         "receptive_field", "stride_fit", "rgb_planes"},
    "figures/heatmap.py": {"heatmap"},
}


@pytest.mark.parametrize("edited", sorted(EXPECTED))
def test_editing_a_module_changes_exactly_the_keys_of_its_users(scratch, edited):
    modules = _drawing_modules()
    before = {m: cache.code_digest(m) for m in modules}
    _edit(scratch, edited)
    after = {m: cache.code_digest(m) for m in modules}
    assert {m for m in modules if before[m] != after[m]} == EXPECTED[edited]


def test_editing_style_changes_every_key(scratch):
    modules = _drawing_modules()
    before = {m: cache.code_digest(m) for m in modules}
    _edit(scratch, "figures/style.py")
    assert all(cache.code_digest(m) != before[m] for m in modules)


def test_editing_an_unrelated_module_changes_no_key(scratch):
    modules = _drawing_modules()
    before = {m: cache.code_digest(m) for m in modules}
    for unrelated in ("pages/calculator.py", "commands/table.py", "render.py", "fingerprint.py"):
        _edit(scratch, unrelated)
    assert {m: cache.code_digest(m) for m in modules} == before


def test_every_imported_module_is_in_the_key(scratch):
    """Editing any generator module that a drawing module imports changes its key."""
    for m in _drawing_modules():
        for path in closure.files(f"generator.figures.{m}"):
            relative = path.relative_to(scratch).as_posix()
            before = cache.code_digest(m)
            _edit(scratch, relative)
            assert cache.code_digest(m) != before, (m, relative)


def test_rendering_redraws_exactly_the_figures_of_an_edited_module(tmp_path, scratch):
    store = tmp_path / "cache"
    figs = library.resolve(SMALL)
    build.render_all(figs, store, jobs=1)
    _edit(scratch, "figures/boxes.py")
    assert build.render_all(library.resolve(SMALL), store, jobs=1).rendered == ["t-volume"]
    _edit(scratch, "figures/cells.py")
    assert (build.render_all(library.resolve(SMALL), store, jobs=1).rendered
            == ["t-conv", "t-pool", "t-values"])
    _edit(scratch, "figures/output_size.py")
    assert build.render_all(library.resolve(SMALL), store, jobs=1).rendered == ["t-sizes"]


def test_entries_unused_for_keep_days_are_pruned_and_nothing_else(tmp_path):
    """A read marks an entry used; pruning removes entries and results neither read nor
    written for ``KEEP_DAYS`` days, and never a file or folder that is not one."""
    import os
    import time

    figures, prepared = cache.FigureCache(tmp_path / "f"), cache.PreparedCache(tmp_path / "p")
    old = time.time() - (cache.KEEP_DAYS + 1) * 86400
    keys = [f"{n:064x}" for n in (1, 2, 3)]
    for key in keys:
        figures.put(key, {"svg": key.encode()})
    results = {name: prepared.get_or_compute("code", "kind", {"n": name}, lambda p: p, dict)
               for name in ("read", "stale", "young")}
    paths = {name: tmp_path / "p" / f"{cache.PreparedCache.key('code', 'kind', {'n': name})}.pickle"
             for name in results}
    strangers = [tmp_path / "f" / "ab" / "not-a-key", tmp_path / "f" / "readme.txt",
                 tmp_path / "p" / "notes.pickle", tmp_path / "f" / "00" / ("1" * 64)]
    for path in strangers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("someone else's")
    for path in [*(figures._entry(k) for k in keys[:2]), paths["read"], paths["stale"],
                 *strangers]:
        os.utime(path, (old, old))
    # reading an old entry (a hit) makes it recent again
    assert figures.get(keys[0], ["svg"]) == {"svg": keys[0].encode()}
    assert prepared.get_or_compute("code", "kind", {"n": "read"}, pytest.fail, dict) == \
        {"n": "read"}
    assert figures.prune() == 1 and prepared.prune() == 1
    assert [p.name for p in _entries(tmp_path / "f") if cache._KEY.fullmatch(p.name)] == \
        [keys[0], keys[2]]
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == sorted(
        [paths["read"].name, paths["young"].name, "notes.pickle"])
    assert all(path.read_text() == "someone else's" for path in strangers)
    assert cache.FigureCache(tmp_path / "missing").prune() == 0
    assert cache.PreparedCache(None).prune() == 0
