"""The figures of the pages on channels: what they draw equals an independent computation,
each sits on its page, and each draws (light and dark) with legible text."""

from __future__ import annotations

import numpy as np
import pytest

from generator.figures import batchnorm_channels, catalog, concat_volumes, grouped_channels, library
from generator.specs import load_builtin
from generator.tables import layer_table

IDS = {"grouped-channels": "grouped-convolution", "batchnorm-channels": "batch-normalization",
       "concat-inception3a": "concatenation"}


def _resolved(fid: str):
    return library.resolve_one(next(f for f in catalog.FIGURES if f.id == fid))


def test_grouped_connections_are_block_diagonal():
    r = _resolved("grouped-channels")
    assert r.facts["groups"] == [1, 2, 4] and r.facts["edges"] == [64, 32, 16]
    for g in r.facts["groups"]:
        m = r.prepared.data[f"groups_{g}"]
        size = 8 // g
        expected = np.kron(np.eye(g, dtype=int), np.ones((size, size), dtype=int))
        assert np.array_equal(m, expected), g
    with pytest.raises(ValueError, match="does not divide"):
        grouped_channels.prepare({"channels": 6, "groups": [4]})


def test_batchnorm_figure_statistics():
    r = _resolved("batchnorm-channels")
    p = next(f for f in catalog.FIGURES if f.id == "batchnorm-channels").params
    x = r.prepared.data["x"]                                    # (C, N)
    z = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 1e-5)
    assert np.allclose(r.prepared.data["normalised"], z)
    assert np.allclose(r.prepared.data["y"], z * np.array(p["gamma"])[:, None] + np.array(p["beta"])[:, None])
    assert r.facts["mean_y"] == [round(b, 2) for b in p["beta"]]
    assert r.facts["mean_normalised"] == [0.0] * 3


def test_concat_figure_parts_come_from_the_table():
    r = _resolved("concat-inception3a")
    assert r.facts["parts"] == [[64, 28, 28], [128, 28, 28], [32, 28, 28], [32, 28, 28]]
    assert r.facts["output"] == [256, 28, 28]
    # the table's own text for the merge, written by the table builder
    row = layer_table(load_builtin("inception3a")).rows[0].children[-1]
    assert row.details == "channels " + " + ".join(str(p[0]) for p in r.facts["parts"])
    unet = concat_volumes.concat_parts(layer_table(load_builtin("unet")))
    assert [p for _, p in unet] == [[512, 512], [256, 256], [128, 128], [64, 64]]


def test_each_figure_is_on_its_page():
    from generator.render import TEMPLATES

    for fid, slug in IDS.items():
        source = (TEMPLATES / "pages" / "foundations" / f"{slug}.md.j2").read_text(encoding="utf-8")
        assert source.count(f'{{{{ figure("{fid}") }}}}') == 1, fid


@pytest.mark.parametrize("module, fid", [(grouped_channels, "grouped-channels"),
                                         (batchnorm_channels, "batchnorm-channels"),
                                         (concat_volumes, "concat-inception3a")])
def test_figures_draw_with_legible_text(module, fid):
    from generator.figures import legible, style

    r = _resolved(fid)
    svg = module.render(r.figure.params, r.prepared.data, r.facts)["svg"]
    assert svg.startswith(b"<?xml") or b"<svg" in svg[:400]
    assert legible.min_text_pt(svg) >= style.NUMBER_SIZE
