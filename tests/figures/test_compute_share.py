"""The compute chart: its stages partition the layer table, its bars are the stages' sums
as shares of the table's totals, and it draws the same bytes twice."""

from __future__ import annotations

import json

import numpy as np
import pytest

from generator.figures import compute_share, encode, library, style
from generator.figures.catalog import Figure
from generator.specs import BUILTINS, load_builtin
from generator.tables import layer_table
from generator.tables.stages import MAX_STAGES, stages


def drawn(name: str):
    import matplotlib

    prepared = compute_share.prepare({"network": name})
    facts = json.loads(json.dumps(prepared.facts))
    with matplotlib.rc_context(style.RC):
        fig = compute_share.render_figure({}, prepared.data, facts)
    return prepared, fig


@pytest.mark.parametrize("name", BUILTINS)
def test_stages_partition_the_table_and_sum_to_its_totals(name):
    table = layer_table(load_builtin(name))
    st = stages(table)
    rows = [r for s in st for r in s.rows]
    # a network of one block (the Inception module) is split by the block's paths
    lone = len(table.rows) == 1 and table.rows[0].children
    assert rows == list(table.rows[0].children if lone else table.rows)
    prepared = compute_share.prepare({"network": name})
    assert prepared.data["macs"].tolist() == [s.macs for s in st]
    assert int(prepared.data["macs"].sum()) == table.totals.macs
    assert int(prepared.data["params"].sum()) == table.totals.params
    assert len(st) <= MAX_STAGES


def test_resnet50_stages_are_its_resolutions():
    st = stages(layer_table(load_builtin("resnet50")))
    assert [(s.resolution, s.first, s.last) for s in st] == [
        ("112×112", "conv1", "relu"), ("56×56", "maxpool", "layer1.2"),
        ("28×28", "layer2.0", "layer2.3"), ("14×14", "layer3.0", "layer3.5"),
        ("7×7", "layer4.0", "avgpool"), ("flat", "flatten", "fc")]


def test_a_gate_at_1x1_stays_in_its_stage():
    """EfficientNet's first squeeze-and-excitation (1×1) is not a stage of its own."""
    st = stages(layer_table(load_builtin("efficientnet-b0")))
    assert [s.resolution for s in st] == ["112×112", "56×56", "28×28", "14×14", "7×7", "flat"]


def test_many_stages_merge_in_runs():
    table = layer_table(load_builtin("unet"))
    full, merged = stages(table), stages(table, limit=4)
    assert (len(full), len(merged)) == (13, 4)
    assert [r for s in merged for r in s.rows] == list(table.rows)
    assert merged[0].resolution == "568×568 … 64×64"
    assert sum(s.macs for s in merged) == table.totals.macs


def test_bars_are_the_shares_of_the_totals():
    prepared, fig = drawn("resnet50")
    table = layer_table(load_builtin("resnet50"))
    ax = fig.axes[0]
    bars = [p for p in ax.patches]
    n = len(prepared.facts["stages"])
    widths = np.array([b.get_width() for b in bars])
    macs, params = widths[:n], widths[n:]
    assert np.allclose(macs, 100 * prepared.data["macs"] / table.totals.macs, rtol=0, atol=1e-12)
    assert np.allclose(params, 100 * prepared.data["params"] / table.totals.params, rtol=0,
                       atol=1e-12)
    assert macs.sum() == pytest.approx(100) and params.sum() == pytest.approx(100)
    assert {b.get_facecolor()[:3] for b in bars[:n]} == {style._rgb(compute_share.MACS)}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "112×112: conv1 … relu" and labels[-1] == "flat: flatten … fc"


def test_drawn_twice_the_same_bytes():
    _, a = drawn("inception3a")
    _, b = drawn("inception3a")
    import matplotlib
    with matplotlib.rc_context(style.RC):
        assert encode.svg(a) == encode.svg(b)


def test_every_builtin_has_its_chart_in_the_catalog():
    ids = {r.ref.id for r in library.resolved_catalog()}
    assert {f"compute-{n}" for n in BUILTINS} <= ids
    ref = library.resolve_one(Figure("compute-resnet50", "compute_share",
                                     {"network": "resnet50"})).ref
    assert "35.8% of the multiply-accumulates" in ref.alt  # layer3, computed
