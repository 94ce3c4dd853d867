"""The pictures the course notes draw (issue #13): each figure's drawn numbers equal an
independent computation, and each sits on its page."""

from __future__ import annotations

import numpy as np
import pytest

import generator.nn as nn
from generator.figures import catalog, connectivity, library, one_by_one, residual_block
from generator.figures import rgb_planes, stride_fit, volumes
from generator.specs import load_builtin
from generator.tables import layer_table
from tests.pages.helpers import render_page


def facts(fid: str) -> dict:
    fig = next(f for f in catalog.FIGURES if f.id == fid)
    return library.resolve_one(fig).facts


def read_columns(n: int, f: int, s: int) -> set[int]:
    """Columns a stride-``s`` filter reads, found by convolving one-hot inputs with nn."""
    ones = np.ones((1, 1, f, f))
    read = set()
    for c in range(n):
        x = np.zeros((1, 1, n, n))
        x[0, 0, :, c] = 1.0
        if np.any(nn.conv2d(x, ones, stride=s) != 0):
            read.add(c)
    return read


def test_stride_figure_marks_exactly_the_columns_nn_leaves_unused():
    f = facts("stride-7x7-fit")
    assert (f["size"], f["kernel"]) == (7, 3) and [p["s"] for p in f["panels"]] == [2, 3]
    for p in f["panels"]:
        read = read_columns(f["size"], f["kernel"], p["s"])
        assert p["unused"] == sorted(set(range(f["size"])) - read)
        assert p["out"] == nn.conv2d(np.zeros((1, 1, 7, 7)), np.ones((1, 1, 3, 3)),
                                     stride=p["s"]).shape[-1]
        assert p["starts"] == [i * p["s"] for i in range(p["out"])]
        assert p["next_start"] + f["kernel"] > f["size"]  # one more step leaves the input
    two, three = f["panels"]
    assert two["unused"] == [] and two["fits"] and two["exact"] == "3"
    assert three["unused"] == [6] and not three["fits"] and three["exact"] == "7/3"
    alt = library.resolve_one(next(x for x in catalog.FIGURES if x.id == "stride-7x7-fit")).ref.alt
    assert "column 6 and row 6 are never read" in alt


@pytest.mark.parametrize("n,f,s", [(7, 3, 1), (7, 3, 2), (7, 3, 3), (28, 5, 2), (10, 4, 3), (9, 2, 4)])
def test_stride_windows_any_case(n, f, s):
    w = stride_fit.windows(n, f, s)
    assert w["unused"] == sorted(set(range(n)) - read_columns(n, f, s))
    assert w["fits"] == ((n - f) % s == 0)


def test_connectivity_lines_are_the_convolution_matrix():
    fig = next(x for x in catalog.FIGURES if x.id == "connectivity-dense-vs-conv")
    r = library.resolve_one(fig)
    n, k = fig.params["inputs"], fig.params["kernel"]
    m = r.prepared.data["conv"]
    n_out = n - k + 1
    expected = np.zeros((n_out, n))
    for o in range(n_out):
        for t in range(k):
            expected[o, o + t] = t + 1       # output o applies tap t to input o + t
    np.testing.assert_array_equal(m, expected)
    assert r.facts == {"inputs": 7, "kernel": 3, "outputs": 5, "conv_edges": 15,
                       "conv_weights": 3, "dense_edges": 35, "dense_weights": 35}


def test_one_by_one_tube_counts():
    f = facts("one-by-one-tube")
    c, h, w = f["input"]
    n = f["filters"]
    y = nn.conv2d(np.ones((1, c, h, w)), np.ones((n, c, 1, 1)))
    assert f["out"] == list(y.shape[1:]) and f["filter"] == [c, 1, 1]
    assert float(y[0, 0, 0, 0]) == f["macs_per_value"] == c   # one MAC per channel of the tube
    assert f["macs"] == n * h * w * c and f["params"] == [n * c, n]


def test_rgb_planes_are_the_photographs_values():
    fig = next(x for x in catalog.FIGURES if x.id == "rgb-planes")
    r = library.resolve_one(fig)
    s, k, (r0, c0) = fig.params["shrink"], fig.params["patch"], fig.params["at"]
    from PIL import Image
    from generator.figures.feature_maps import SAMPLES
    import matplotlib
    path = f"{matplotlib.get_data_path()}/sample_data/{SAMPLES[fig.params['image']]}"
    with Image.open(path) as im:
        hwc = np.asarray(im.convert("RGB"), dtype=float)
    h, w = hwc.shape[0] // s, hwc.shape[1] // s
    pooled = hwc[:h * s, :w * s].reshape(h, s, w, s, 3).mean(axis=(1, 3))  # (H, W, 3)
    planes = np.round(pooled[r0:r0 + k, c0:c0 + k]).transpose(2, 0, 1)   # -> (3, k, k)
    np.testing.assert_array_equal(r.prepared.data["planes"], planes)
    assert r.facts["shape"] == [3, h, w] and r.facts["corner"] == planes[:, 0, 0].tolist()
    assert len(np.unique(planes.reshape(3, -1), axis=0)) == 3   # three different planes


def test_residual_blocks_are_the_tables_rows():
    rows = {r.name: r for r in layer_table(load_builtin("resnet18")).rows}
    idn, prj = facts("residual-blocks-resnet18")["blocks"]
    assert (idn["name"], prj["name"]) == ("layer1.0", "layer2.0")
    for b in (idn, prj):
        assert b["input"] == list(rows[b["name"]].input_shape)
        assert b["output"] == list(rows[b["name"]].output_shape)
        assert b["mid"] == b["output"]           # a basic block's second conv keeps the shape
    assert not idn["projection"] and idn["input"] == idn["output"] and idn["stride"] == 1
    assert prj["projection"] and prj["stride"] == 2
    with pytest.raises(ValueError):
        residual_block.blocks("vgg16")


@pytest.mark.parametrize("fid", ["volume-3x6x6", "volume-3x32x32-6-filters"])
def test_volume_filters_as_deep_as_their_input_and_to_scale(fid):
    f = facts(fid)
    g = volumes.geometry(f)
    c, n = f["input"][0], f["out"][0]
    assert g["filter"][2] == g["input"][2]                        # never deeper than the input
    # depth per channel equals width per pixel (the old figure drew 0.45 per channel)
    assert g["input"][2] / c == pytest.approx(g["unit"])
    assert g["filter"][2] / c == pytest.approx(g["filter"][0] / f["kernel"])
    assert g["output"][2] / n == pytest.approx(g["input"][2] / c)  # depths keep their ratio


def test_one_by_one_tube_as_deep_as_its_input_and_thinner_output():
    f = facts("one-by-one-tube")
    c, n = f["input"][0], f["filters"]
    unit = volumes.SPATIAL / max(f["input"][1:])
    assert volumes.depth(c, unit, max(c, n)) == volumes.DEPTH_MAX
    assert volumes.depth(n, unit, max(c, n)) == pytest.approx(volumes.DEPTH_MAX * n / c)


PLACED = {"residual-connections": ["residual-blocks-resnet18"],
          "one-by-one": ["one-by-one-tube"],
          "fully-connected-vs-convolution": ["connectivity-dense-vs-conv"],
          "images-as-tensors": ["rgb-planes"],
          "stride": ["stride-7x7-fit"],
          "padding": ["padding-6x6-valid", "padding-6x6-same", "padding-6x6-full"],
          "volumes": ["volume-3x6x6", "volume-3x32x32-6-filters"]}


@pytest.mark.parametrize("slug", sorted(PLACED))
def test_each_figure_is_on_its_page(slug):
    page = render_page("foundations", slug)
    for fid in PLACED[slug]:
        assert f"figures/{fid}." in page, (slug, fid)


def test_padding_figures_are_the_pages_own_case():
    from generator.pages.foundations import sizes
    v = sizes.padding()
    pads = {fid: facts(f"padding-6x6-{fid}") for fid in ("valid", "same", "full")}
    for name, p, out in (("valid", 0, v["valid"]), ("same", v["p"], v["same"]),
                         ("full", v["full_p"], v["full"])):
        f = pads[name]
        assert f["size"] == [v["n"], v["n"]] and f["kernel"] == [v["f"], v["f"]]
        assert f["padding"] == [p, p] and f["out"] == [out, out]
    page = render_page("foundations", "padding")
    assert "conv-same-padding" not in page and "conv-full-padding" not in page
