"""Statements the issue found wrong, each held to what the code computes."""

from __future__ import annotations

from generator.nn import tensorflow as tfr
from generator.pages.foundations import fields
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
