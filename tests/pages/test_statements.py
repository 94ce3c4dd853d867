"""Statements the issue found wrong, each held to what the code computes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from generator.nn import tensorflow as tfr
from generator.pages.foundations import fields, sizes
from tests.pages.helpers import render_page


def test_transposed_convolution_says_what_keras_gives():
    values = fields.transposed_convolution()
    page = render_page("foundations", "transposed-convolution")
    assert "Conv2DTranspose" in page
    first = values["keras"][0]
    assert (first["n"], first["k"], first["s"], first["torch"], first["valid"]) == (4, 2, 3, 11, 12)
    for r in values["keras"]:
        assert r["valid"] == r["n"] * r["s"] + max(r["k"] - r["s"], 0)
        assert r["same"] == r["n"] * r["s"]
        assert f"| {r['n']} | {r['k']} | {r['s']} | {r['torch']} | {r['valid']} | {r['same']} |" in page


def test_output_padding_rule_names_the_dilation():
    page = render_page("foundations", "transposed-convolution")
    assert "it must be smaller than the stride)" not in page
    assert "smaller than the\nstride **or** smaller than the dilation" in page
    op = fields.transposed_convolution()["dilated_op"]
    assert op["a"] >= op["s"] and op["a"] < op["d"]  # the example is one only the dilation allows
    assert op["out"] == (op["n"] - 1) * op["s"] + op["d"] * (op["k"] - 1) + op["a"] + 1
    assert tfr.conv_transpose_output_size(4, 2, 3, "same") == 12


def test_dense_vs_conv_ratio_is_not_floored():
    from generator.pages.foundations import basics

    v = basics.fully_connected_vs_convolution()
    exact = v["same"]["total"] / v["conv"]["total"]
    assert v["same"]["ratio"] == f"{exact:,.1f}" == "41,404.6"
    page = render_page("foundations", "fully-connected-vs-convolution")
    assert "41,404.6 times" in page and "about 41,404 times" not in page


def test_pooling_depth_row_gives_a_depth():
    from generator.pages import cheatsheet

    row = next(f for f in cheatsheet.formulas() if f["name"] == "Pooling output depth")
    assert row["value"] == 64 and "64×8×8" in row["example"]  # a depth, from a C×H×W input


def _templates():
    from generator.render import TEMPLATES

    for folder in ("foundations", "reference", "beyond"):
        yield from sorted((TEMPLATES / "pages" / folder).glob("*.md.j2"))


def test_one_symbol_per_quantity():
    from generator.pages import cheatsheet
    from generator.pages.site_map import FOUNDATIONS

    symbols = [row["symbol"] for row in cheatsheet.NOTATION]
    assert len(symbols) == len(set(symbols))
    assert next(r for r in cheatsheet.NOTATION if r["symbol"] == "d")["meaning"].startswith("dilation")
    depth_as_d = ("f \\cdot f \\cdot d", "depth \\(d\\)", "D_{\\text{in}}", "k_{\\text{eff}}", "kernel \\(k\\)")
    for path in _templates():
        source = path.read_text(encoding="utf-8")
        for pattern in depth_as_d:
            assert pattern not in source, (path.name, pattern)
    blurbs = " ".join(p.blurb for p in FOUNDATIONS.pages)
    assert "f \\cdot f \\cdot d" not in blurbs


def test_cheat_sheet_and_glossary_show_the_notation():
    from generator.pages import cheatsheet
    from generator.render import render

    sheet = render("pages/reference/cheat-sheet.md.j2", title="Cheat sheet",
                   formulas=cheatsheet.formulas(), notation=cheatsheet.NOTATION)
    glossary = render("pages/reference/glossary.md.j2", title="Glossary", notation=cheatsheet.NOTATION)
    for page in (sheet, glossary):
        assert "| \\(d\\) | dilation (1 = none); never depth |" in page
        assert "\\(n_C^{[l-1]}\\), \\(D\\) (\\(D_1\\)), \\(c\\)" in page


def _beyond(name: str) -> str:
    from generator.render import TEMPLATES

    return (TEMPLATES / "pages" / "beyond" / f"{name}.md.j2").read_text(encoding="utf-8")


def test_imagenet_facts_with_their_source_and_the_ocr_erratum():
    from generator.pages import errata
    from generator.pages.beyond import transfer
    from generator.render import _environment

    facts = transfer._imagenet()
    assert (facts["images_millions"], facts["synsets_thousands"]) == (14, 22)
    source = _beyond("transfer-learning")
    paragraph = source[source.index("**ImageNet**"):source.index("[errata]")]
    page = _environment().from_string(paragraph).render(imagenet=facts)  # the paragraph alone
    assert "about 14 million photographs in about 22 thousand categories" in page
    assert "[image-net.org](https://www.image-net.org/)" in page
    assert "(14,197,122 images, 21,841 categories)" in page
    entry = next(e for e in errata.entries() if e["note"] == "720,000 classes")
    assert entry["value"] == errata.IMAGENET["synsets"] == 21_841
    assert round(errata.IMAGENET["synsets"], -3) == 22_000 and round(errata.IMAGENET["images"], -6) == 14_000_000


def test_conv2d_100_5x5_erratum_names_the_notation():
    from generator.pages import errata

    entry = next(e for e in errata.entries() if e["topic"] == "Parameter counting")
    assert entry["value"] == (5 * 5 * 50 + 1) * 100 == 125_100 != 50 * (2500 + 1)


def test_style_transfer_runs_the_optimisation_and_shows_the_shares():
    page = _beyond("style-transfer")
    assert "no styled image is produced" not in page
    assert '{{ figure("style-transfer-result") }}' in page
    assert "content share" in page and "style share" in page


def test_multichannel_example_has_a_bias():
    import numpy as np

    from generator.pages.foundations import volumes

    v = volumes.volumes()
    np.testing.assert_array_equal(v["with_bias"], v["y"] + v["bias"])
    assert v["first_with_bias"] == v["first"] + v["bias"] and v["bias"] != 0
    assert v["six"]["shape"] == (6, 28, 28)
    page = render_page("foundations", "volumes")
    assert "**6×28×28** volume (C×H×W)" in page and "y + b =" in page


def test_transposed_convolution_three_views_agree():
    import numpy as np

    v = fields.transposed_convolution()
    assert v["zeros"]["equal"] and v["matrix"]["equal"]
    np.testing.assert_array_equal(v["zeros"]["result"], v["up"])
    c = v["matrix"]["C"]
    assert c.shape == (4, 9)
    # C by hand: output pixel (i, j) reads input (i + u, j + v) with weight w[u, v]
    by_hand = np.zeros((4, 9))
    for i in range(2):
        for j in range(2):
            for u in range(2):
                for t in range(2):
                    by_hand[2 * i + j, 3 * (i + u) + (j + t)] = v["matrix"]["w"][u, t]
    np.testing.assert_array_equal(c, by_hand)


# --- TensorFlow/Keras rules on the pages where a reader meets the topic, not only on output-size

def test_pooling_page_says_what_keras_pooling_gives():
    from generator.pages.foundations import volumes

    tf = volumes.pooling()["tf"]
    assert (tf["n"], tf["k"], tf["s"]) == (7, 2, 2)
    assert tf["same"] == tfr.pool_output_size(7, 2, 2, "same")[0] == 4 and tf["pads"] == (0, 1)
    assert tf["floor"] == tf["valid"] == 3 and tf["ceil"] == 4
    page = render_page("foundations", "pooling")
    assert "the same case gives **4**, padding\n  0 before and 1 after" in page
    assert "\\begin{bmatrix} 3 & 4.5 \\\\ 7.5 & 9 \\end{bmatrix}" in page  # the divisor leaves the padding out
    assert "\\begin{bmatrix} 3 & 2.25 \\\\ 3.75 & 2.25 \\end{bmatrix}" in page
    assert "`ZeroPadding2D`" in page and "`count_include_pad=True`, not `False`" in page
    assert "padding is\nrare for pooling" in page  # the PyTorch statement stays, the Keras one is added


def test_dilation_page_says_keras_refuses_stride_with_dilation():
    v = sizes.dilation()["strided"]
    assert v["keras_refuses"] and v["s"] > 1 and v["d"] > 1
    with pytest.raises(ValueError, match="dilation_rate > 1"):
        tfr.keras_conv2d_output_hw((v["n"], v["n"]), v["k"], v["s"], "valid", v["d"])
    assert tfr.nn_conv2d_output_hw((v["n"], v["n"]), v["k"], v["s"], "VALID", v["d"])[0] == (v["valid"],) * 2
    assert v["torch"] == v["valid"] == 6 and v["same"] == 8
    page = render_page("foundations", "dilation")
    assert "**Keras's `Conv2D` refuses the pair**" in page
    assert "gives 6 in PyTorch\nwithout padding" in page and "8 with `'SAME'`" in page


def test_padding_page_says_keras_takes_no_pixels_and_tf_nn_does():
    v = sizes.padding()["tf"]
    assert (v["even"]["before"], v["even"]["after"]) == tfr.conv_output_size(v["even"]["n"], 4, padding="SAME")[1:]
    assert v["even"]["after"] == v["even"]["before"] + 1  # the odd pixel after
    assert v["explicit"]["out"] == tfr.conv_output_size(32, 5, 1, 1, (1, 3))[0] == 32
    page = render_page("foundations", "padding")
    assert "never a number of pixels" in page and "`ZeroPadding2D`" in page
    assert "`tf.nn.conv2d` does take explicit padding per side" in page
    assert "pads\n1 before and 2 after" in page


# --- Every TensorFlow/Keras example on the pages against what real TensorFlow gave for it
# (tests/nn/tf_golden.json, written by tests/nn/make_tf_golden.py under TensorFlow; no TF here)

TF = json.loads((Path(__file__).parents[1] / "nn" / "tf_golden.json").read_text(encoding="utf-8"))
STATED = TF["statements"]
RERUN = "the page's example changed: rerun tests/nn/make_tf_golden.py under TensorFlow"


def test_output_size_page_tensorflow_examples_are_tensorflows():
    facts = sizes.tensorflow_facts()
    avg, g = facts["avg"], STATED["avg"]
    assert (avg["x"].tolist(), avg["k"], avg["s"]) == (g["x"], g["k"], g["s"]), RERUN
    assert list(avg["pads"]) == g["split"]
    np.testing.assert_array_equal(avg["tf"], g["tf"])  # AveragePooling2D('same') leaves the padding out
    np.testing.assert_array_equal(avg["counted"], g["counted"])  # ZeroPadding2D, then 'valid'
    neg, g = facts["negative"], STATED["negative"]
    assert (neg["x"].tolist(), 1, 3, 1) == (g["x"], g["p"], g["k"], g["s"]), RERUN
    np.testing.assert_array_equal(neg["zero_max"], g["zero_max"])
    assert neg["zero_avg_corner"] == pytest.approx(g["zero_avg"][0][0], abs=1e-12)
    # what the page sets against them, PyTorch's -inf padding and count_include_pad=False, is
    # what TensorFlow's own 'same' gives here (the padding is even)
    np.testing.assert_array_equal(neg["torch_max"], g["same_max"])
    assert neg["exclude_avg_corner"] == pytest.approx(g["same_avg"][0][0], abs=1e-12)
    dil, g = facts["dilated"], STATED["dilated"]
    assert tuple(dil[k] for k in "nksd") == tuple(g[k] for k in "nksd"), RERUN
    assert dil["keras_refuses"] and g["keras_refusal"] is not None
    assert (dil["valid"], dil["same"]) == (g["VALID"], g["SAME"])
    exp, g = facts["explicit"], STATED["explicit"]
    assert (exp["n"], exp["k"], list(exp["pads"])) == (g["n"], g["k"], g["pads"]), RERUN
    assert exp["out"] == g["out"]
    rows = sizes.output_size()["pool"]
    assert [(r["n"], r["k"], r["s"]) for r in rows] == [(g["n"], g["k"], g["s"]) for g in STATED["pool_table"]], RERUN
    for r, g in zip(rows, STATED["pool_table"]):
        assert list(r["tf"]) == g["same"] and r["tf"][0] == g["keras_same"], r


def test_padding_stride_pooling_pages_tensorflow_examples_are_tensorflows():
    from generator.pages.foundations import volumes

    even, g = sizes.padding()["tf"]["even"], STATED["padding_even"]
    assert (even["n"], even["f"]) == (g["n"], g["f"]), RERUN
    assert [even["out"], even["before"], even["after"]] == g["same"]
    v, g = sizes.stride(), STATED["stride"]
    assert (v["n"], v["f"]) == (g["n"], g["f"]), RERUN
    assert [v["tf_out"], *v["tf_pad"]] == g["same"] and v["tf_valid"] == g["valid"]
    v, g = volumes.pooling()["tf"], STATED["pooling_page"]
    assert (v["n"], v["k"], v["s"]) == (g["n"], g["k"], g["s"]), RERUN
    assert (v["same"], list(v["pads"]), v["valid"]) == (g["same"], g["split"], g["valid"])


def test_transposed_table_and_cheat_sheet_are_tensorflows():
    from generator.pages import cheatsheet

    rows = fields.transposed_convolution()["keras"]
    assert [(r["n"], r["k"], r["s"]) for r in rows] == [(g["n"], g["k"], g["s"]) for g in STATED["transposed_table"]], RERUN
    for r, g in zip(rows, STATED["transposed_table"]):
        assert (r["valid"], r["same"]) == (g["valid"], g["same"]), r
    sheet = {r["name"]: r for r in cheatsheet.formulas()}
    assert len(STATED["cheatsheet"]) == 4
    for name, g in STATED["cheatsheet"].items():
        row = sheet[name]
        assert all(f"{k} = {g[k]}" in row["example"] for k in "nfs"), RERUN
        assert (list(row["value"]) if isinstance(row["value"], tuple) else row["value"]) == g["tf"], name


def test_keras_defaults_on_the_pages_are_kerass():
    from generator.pages import errata
    from generator.pages.foundations import channels

    bn = TF["defaults"]["batchnorm"]
    assert (channels.KERAS_MOMENTUM, channels.KERAS_EPS) == (bn["momentum"], bn["epsilon"]) and bn["axis"] == -1
    g = STATED["batchnorm_steps"]
    assert (channels.MOMENTUM_TARGET, channels.REACH) == (g["target"], g["reach"]), RERUN
    assert channels._momentum(round(1 - channels.KERAS_MOMENTUM, 12)) == g["steps"]  # the page's Keras steps
    # the errata's Conv2D(100, 5x5) on 50 channels is Keras's count
    keras = next(p for p in TF["params"] if p["kind"] == "Conv2D" and (p["in"], p["filters"]) == (50, 100))
    erratum = next(e for e in errata.entries() if "conv2d_params(50, 100, (5, 5))" in e["compute"])
    assert erratum["value"] == keras["total"] == 125_100
    # channels last (glossary, images as tensors, concatenation), Concatenate on the last axis,
    # groups as concatenated slices (grouped convolution)
    d = TF["defaults"]
    assert d["image_data_format"] == d["conv2d"]["data_format"] == "channels_last"
    assert d["concatenate_axis"] == -1 and d["grouped_conv2d_is_concatenation"]
    page = render_page("foundations", "concatenation")
    assert "`keras.layers.Concatenate(axis=-1)([a, b])`, and `axis=-1` is its default" in page


def test_transposed_page_says_where_keras_refuses_or_tensorflow_fails():
    page = render_page("foundations", "transposed-convolution")
    assert "but it takes \\(a\\) only\nbelow the stride, in every dimension" in page
    assert "so the dilated case above has no Keras port" in page
    op = fields.transposed_convolution()["dilated_op"]
    with pytest.raises(ValueError, match="strictly less than `strides`"):  # the page's dilated case
        tfr.check_keras_conv_transpose(op["s"], op["d"], op["a"])
    refused = {c["keras_error"].split(":")[0] for c in TF["conv_transpose"]
               if c["keras"] is None and c["s"] > 1 and c["d"] > 1}
    assert refused == {"ValueError"}  # the stride with the dilation: refused when built
    assert "Keras builds the layer, and\nTensorFlow fails when it runs" in page
    failing = [c for c in TF["conv_transpose"] if c["keras"] is None and not c["keras_error"].startswith("ValueError")]
    assert failing and all(c["padding"] == "same" and c["output_padding"] == 0 and (c["d"] * (c["k"] - 1) + 1) % 2 == 0
                           for c in failing)


def test_output_size_page_names_every_refusal_of_the_pair():
    page = render_page("foundations", "output-size")
    assert "Keras convolution layers, `Conv2D` and `Conv2DTranspose`, refuse" in page
    refusals = TF["defaults"]["refusals"]
    assert refusals["Conv2D"] == refusals["Conv2DTranspose"] is not None
    assert "and so do `tf.nn.convolution` and\n`tf.nn.pool`" in page


def test_batchnorm_and_grouped_pages_name_kerass_weights_and_refusals():
    page = render_page("foundations", "batch-normalization")
    assert ("its `gamma`\n  and `beta` are learned, its `moving_mean` and `moving_variance` are not" in page)
    bn = next(p for p in TF["params"] if p["kind"] == "BatchNormalization")
    assert (bn["trainable_names"], bn["non_trainable_names"]) == (["beta", "gamma"], ["moving_mean", "moving_variance"])
    page = render_page("foundations", "grouped-convolution")
    assert "the input's\n  channels and `filters` must both be divisible by `g`" in page
    refusals = TF["defaults"]["refusals"]
    assert "filters must be evenly divisible" in refusals["Conv2D_groups_filters"]
    assert "input channels must be evenly divisible" in refusals["Conv2D_groups_input"]
    assert "concatenation of the groups' results along the channel axis" in page
    assert TF["defaults"]["grouped_conv2d_is_concatenation"]


def test_keras_argument_names_on_the_pages_are_kerass():
    from generator.pages import cheatsheet

    args = TF["defaults"]["arguments"]
    notes = " ".join(r["notes"] for r in cheatsheet.NOTATION)
    assert "`dilation_rate` (Keras)" in notes and "dilation_rate" in args["Conv2D"]
    assert "*units* (Keras)" in notes and "units" in args["Dense"]
    assert {"axis", "momentum", "epsilon"} <= set(args["BatchNormalization"])
    assert "groups" in args["Conv2D"] and "output_padding" in args["Conv2DTranspose"]
    page = render_page("foundations", "pooling")
    assert "`'same'`, never a number of pixels, and have no `ceil_mode`" in page
    for pool in ("MaxPooling2D", "AveragePooling2D"):  # no ceil_mode, no dilation: the calculator's TF column
        assert set(args[pool]) == {"pool_size", "strides", "padding", "data_format", "name", "kwargs"}


def test_calculator_page_examples_are_what_both_libraries_give():
    """docs/calculator.md is written by hand: its two worked sizes, TensorFlow's then
    PyTorch's, are read from the page and recomputed here."""
    import re

    from generator import nn

    text = (Path(__file__).resolve().parents[2] / "docs/calculator.md").read_text(encoding="utf-8")
    found = re.findall(r"\\\(H=(\d+), f=(\d+), s=(\d+)\\\): (\d+), PyTorch (\d+)\)", text)
    assert len(found) == 2, found
    (h, f, s, tf_t, torch_t), (h2, f2, s2, tf_p, torch_p) = [tuple(map(int, m)) for m in found]
    # a transposed convolution: Keras Conv2DTranspose 'valid', and PyTorch's formula
    assert (tf_t, torch_t) == (tfr.conv_transpose_output_size(h, f, s, "valid"),
                               nn.conv_transpose_output_size(h, f, s))
    # pooling with ceil_mode and no padding: Keras 'same', and PyTorch's ceil_mode
    assert (tf_p, torch_p) == (tfr.pool_output_size(h2, f2, s2, "same")[0],
                               nn.pool_output_size(h2, f2, s2, ceil_mode=True))
