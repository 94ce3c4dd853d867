"""The numbers a figure shows are generator.nn's results, and the drawing prints exactly them."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from generator.figures import catalog, cells, conv_values, padding_modes, pooling, style
from generator.nn import naive
from generator.nn.conv import conv2d
from generator.nn.pad import pad
from generator.nn.pool import avg_pool2d, max_pool2d

from .conftest import by_id

CONV = ["conv-values-edge", "conv-values-edge-animated", "conv-values-notes",
        "conv-values-notes-animated", "conv-values-7x7-animated"]


def _texts(labels: dict) -> np.ndarray:
    h = max(r for r, _ in labels) + 1
    w = max(c for _, c in labels) + 1
    out = np.full((h, w), np.nan)
    for (r, c), t in labels.items():
        out[r, c] = cells.parse(t.get_text())
    return out


@pytest.mark.parametrize("fid", CONV)
def test_conv_values_are_nn_results(resolved, fid):
    r = by_id(resolved, fid)
    d, p = r.prepared.data, r.figure.params
    x, w = np.array(p["x"], float), np.array(p["w"], float)
    expected = conv2d(x[None, None], w[None, None])[0, 0]
    np.testing.assert_array_equal(d["y"], expected)
    np.testing.assert_array_equal(d["y"], naive.conv2d(x[None, None], w[None, None])[0, 0])
    with matplotlib.rc_context(style.RC):
        scene = conv_values.Scene(p, d, r.facts)
        np.testing.assert_array_equal(_texts(scene.labels["input"]), d["xp"])
        np.testing.assert_array_equal(_texts(scene.labels["kernel"]), w)
        np.testing.assert_array_equal(_texts(scene.labels["output"]), expected)
        if scene.animated:
            assert scene.n_frames == expected.size
            for i in range(scene.n_frames):
                scene.show(i)
                text = scene.formula.get_text().replace("\n", " ")
                lhs, _, rhs = text.rpartition(" = ")
                terms = lhs.split(" = ", 1)[1].split(" + ")
                products = [np.prod([cells.parse(f.strip("()")) for f in t.strip().split("\u00b7")])
                            for t in terms]
                value = expected.flat[i]
                assert cells.parse(rhs) == value, (i, text)
                assert sum(products) == value, (i, text)


def test_notes_edge_example_first_value(resolved):
    """The dot product written in the brief: 3·1 + 0·0 + 1·(−1) + … = −5."""
    r = by_id(resolved, "conv-values-notes-animated")
    with matplotlib.rc_context(style.RC):
        scene = conv_values.Scene(r.figure.params, r.prepared.data, r.facts)
    scene.show(0)
    text = scene.formula.get_text()
    assert text.startswith("output[0, 0] = 3\u00b71 + 0\u00b70 + 1\u00b7(\u22121)")
    assert text.endswith("= \u22125")


@pytest.mark.parametrize("fid,op", [("pool-max-notes", max_pool2d), ("pool-avg-notes", avg_pool2d)])
def test_pooling_values(resolved, fid, op):
    r = by_id(resolved, fid)
    x = np.array(r.figure.params["x"], float)
    expected = op(x[None], 2)[0]
    np.testing.assert_array_equal(r.prepared.data["y"], expected)
    with matplotlib.rc_context(style.RC):
        _, labels = pooling.render_scene(r.figure.params, r.prepared.data, r.facts)
    np.testing.assert_array_equal(_texts(labels["input"]), x)
    np.testing.assert_array_equal(_texts(labels["output"]), expected)
    results = [cells.parse(t.get_text().rpartition(" = ")[2]) for t in labels["lines"]]
    assert results == expected.ravel().tolist()
    if fid == "pool-max-notes":  # the circled cells hold the maxima
        d = r.prepared.data
        np.testing.assert_array_equal(x[d["arg_rows"], d["arg_cols"]], expected.ravel())


def test_padding_modes_values(resolved):
    r = by_id(resolved, "padding-modes")
    x = np.array(r.figure.params["x"], float)
    n = r.figure.params["pad"]
    with matplotlib.rc_context(style.RC):
        _, labels = padding_modes.render_scene(r.figure.params, r.prepared.data, r.facts)
    for mode in r.facts["modes"]:
        expected = pad(x[None], (n,) * 4, mode=mode)[0]
        np.testing.assert_array_equal(r.prepared.data[mode], expected)
        np.testing.assert_array_equal(_texts(labels[mode]), expected)


def test_feature_maps_are_conv2d_of_the_photo(resolved):
    r = by_id(resolved, "feature-maps-grace-hopper")
    d = r.prepared.data
    w = np.array(catalog.EDGE_FILTERS["vertical"], float)
    np.testing.assert_allclose(d["maps"][0], conv2d(d["image"][None, None], w[None, None])[0, 0])
    np.testing.assert_array_equal(d["pooled"], max_pool2d(d["maps"][None], 2)[0])


def test_receptive_fields_come_from_tables(resolved):
    from generator.tables import receptive

    for fid in ("receptive-field-3x3-stack", "receptive-field-strided", "receptive-field-dilated"):
        r = by_id(resolved, fid)
        field = receptive.INPUT
        for layer, rf in zip(r.facts["layers"], r.facts["rf"]):
            k, s, p, d = layer["kernel"], layer["stride"], layer["padding"], layer["dilation"]
            field = receptive.window(field, (k, k), (s, s), (p, p), (d, d))
            assert field[0].size == rf
        # the squares nest: each layer's field inside the next one's
        spans = r.facts["fields"]
        for (a, ra), (b, rb) in zip(spans, spans[1:]):
            assert b <= a and a + ra <= b + rb, fid
