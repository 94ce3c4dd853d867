"""The catalog: every figure is described, named and embeddable."""

from __future__ import annotations

import re

import pytest

from generator.errors import UserError
from generator.figures import catalog, library, registry
from generator.figures.catalog import Figure
from generator.render import render


def test_every_figure_has_alt_text_and_caption(resolved):
    for r in resolved:
        assert len(r.ref.alt.split()) >= 12, f"{r.ref.id}: alt text too short: {r.ref.alt!r}"
        assert r.ref.caption.strip(), r.ref.id
        assert "{" not in r.ref.alt and "}" not in r.ref.alt, r.ref.id


def test_alt_text_of_animations_says_so(resolved):
    for r in resolved:
        assert r.ref.alt.startswith("Animation") == r.ref.animated, r.ref.id


def test_ids_unique_and_kinds_known():
    ids = [f.id for f in catalog.FIGURES]
    assert len(ids) == len(set(ids))
    assert {f.kind for f in catalog.FIGURES} <= {k.name for k in registry.KINDS.values() if k.prepare}


def test_required_cases_present(resolved):
    """Every case of Dumoulin & Visin's guide, its transposed counterpart, and dilation."""
    ids = {r.ref.id for r in resolved}
    for name in catalog.DUMOULIN:
        assert f"conv-{name}" in ids and f"conv-transposed-{name}" in ids
    assert "conv-dilation" in ids


def test_files_per_figure(resolved):
    for r in resolved:
        names = {p.split("/")[-1] for p in r.ref.files.values()}
        if r.ref.animated:
            assert names == {f"{r.ref.id}.gif", f"{r.ref.id}.svg", f"{r.ref.id}-last.svg"}
        else:
            assert len(names) == 1 and names.pop().startswith(r.ref.id + ".")


def test_bad_entries_are_user_errors():
    with pytest.raises(UserError, match=r"figure 'x-bad' \(sliding_window\): .*larger than"):
        library.resolve([Figure("x-bad", "sliding_window", {"size": 2, "kernel": 5})])
    with pytest.raises(UserError, match="unknown kind 'nope'"):
        library.resolve([Figure("x", "nope")])
    with pytest.raises(UserError, match="used twice"):
        library.resolve([Figure("a", "sliding_window", {"size": 3, "kernel": 3})] * 2)
    with pytest.raises(UserError, match="missing parameter 'kernel'"):
        library.resolve([Figure("a", "sliding_window", {"size": 3})])


def test_custom_alt_uses_facts():
    (r,) = library.resolve([Figure("a", "sliding_window", {"size": 5, "kernel": 3},
                                   alt="A {size} input gives a {out} output.")])
    assert r.ref.alt == "A 5\u00d75 input gives a 3\u00d73 output."


def test_macro_embeds_with_relative_path_alt_and_caption():
    refs = library.refs()
    fid = "conv-same-padding"
    src = '{% from "macros/figures.md.j2" import figure with context %}{{ figure("' + fid + '") }}'
    from generator.render import _ENV

    md = _ENV.from_string(src).render(**library.page_context("foundations/padding.md"))
    ref = refs[fid]
    assert f"](../figures/{fid}.gif)" in md
    assert f"(../figures/{fid}-last.svg)" in md
    assert ref.alt_md in md and ref.caption in md
    top = _ENV.from_string(src).render(**library.page_context("index.md"))
    assert f"](figures/{fid}.gif)" in top


def test_unknown_id_in_a_page_is_a_user_error():
    with pytest.raises(UserError, match="figure 'conv-nope' is not in generator/figures/catalog.py"):
        library.refs()["conv-nope"]


def test_gallery_lists_every_figure(resolved):
    md = render("pages/contributing/gallery.md.j2", title="Figure gallery", sections=[{"title": "All", "figures": [
        {"ref": r.ref, "params": "p", "alt": r.ref.alt, "files": "f"} for r in resolved]}],
        count=len(resolved), n_files=0, total_size="0", **library.page_context("contributing/gallery.md"))
    for r in resolved:
        assert re.search(rf"^### {re.escape(r.ref.id)}$", md, re.M), r.ref.id


def test_cached_inputs_equal_fresh_computation(resolved, tmp_path):
    """The disk cache of computed inputs returns exactly what prepare computes."""
    import numpy as np

    from generator.figures.cache import PreparedCache

    store = PreparedCache(tmp_path)
    fresh = library.resolve(catalog.FIGURES[:3] + catalog.FIGURES[-2:], store)  # fills the cache
    again = library.resolve(catalog.FIGURES[:3] + catalog.FIGURES[-2:], store)  # reads it
    assert len(list(tmp_path.glob("*.pickle"))) == 5
    for a, b in zip(fresh, again):
        assert a.facts == b.facts and a.ref == b.ref
        for name in a.prepared.data:
            np.testing.assert_array_equal(a.prepared.data[name], b.prepared.data[name])
    by = {r.ref.id: r for r in resolved}
    for a in fresh:
        assert a.facts == by[a.ref.id].facts
