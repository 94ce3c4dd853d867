"""The output-size page: each formula is evaluated as it is printed, and its note says the truth."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest

import generator.nn as nn
from generator.pages.foundations import sizes
from tests.pages.helpers import render_page


def _braced(text: str, start: int) -> tuple[str, int]:
    """The content of the {...} group opening at ``start`` and the index after it."""
    assert text[start] == "{"
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1:i], i + 1
    raise ValueError(f"unbalanced braces in {text!r}")


def tex_to_python(tex: str) -> str:
    """Read the LaTeX the page prints as Python (independently of the code that made it)."""
    for left, right, name in ((r"\left\lfloor", r"\right\rfloor", "math.floor("),
                              (r"\left\lceil", r"\right\rceil", "math.ceil("), (r"\left(", r"\right)", "(")):
        tex = tex.replace(left, name).replace(right, ")")
    while (at := tex.find(r"\frac")) >= 0:
        top, after = _braced(tex, at + len(r"\frac"))
        bottom, end = _braced(tex, after)
        tex = f"{tex[:at]}(Fraction({top}) / ({bottom})){tex[end:]}"
    tex = re.sub(r"(\d)\s*([a-z(])", r"\1*\2", tex)  # 2p -> 2*p
    assert "\\" not in tex, tex
    return tex


def _value(tex: str, n, f, s, p) -> Fraction:
    return Fraction(eval(tex_to_python(tex), {"math": math, "Fraction": Fraction}, dict(n=n, f=f, s=s, p=p)))


def test_each_cell_is_the_printed_formula():
    values = sizes.output_size()
    for variant in values["variants"]:
        for probe, cell in zip(values["probes"], variant["cells"]):
            printed = _value(variant["tex"], probe["n"], probe["f"], probe["s"], probe["p"])
            assert sizes.fraction(printed) == cell["value"], (variant["tex"], probe["label"])
            assert cell["right"] == (printed == probe["truth"])


def test_the_notes_form_is_wrong_where_the_issue_says():
    values = sizes.output_size()
    notes = next(v for v in values["variants"] if tex_to_python(v["tex"]) == "(Fraction(n - f + 1) / (s))")
    cells = {p["label"]: c["value"] for p, c in zip(values["probes"], notes["cells"])}
    assert (cells["A"], cells["E"], cells["F"]) == ("4", "1", "28")


@pytest.mark.parametrize("index", range(len(sizes.VARIANTS)))
def test_each_note_is_true_on_a_grid(index):
    expr, note, right_when = sizes.VARIANTS[index]
    held = 0
    for n in range(1, 30):
        for f in range(1, 8):
            for s in range(1, 5):
                for p in range(0, 4):
                    if f > n + 2 * p:
                        continue
                    if right_when(n, f, s, p):
                        held += 1
                        assert expr.value(n=n, f=f, s=s, p=p) == nn.conv_output_size(n, f, s, p), (note, n, f, s, p)
    assert held > 0


def test_formula_column_does_not_wrap():
    page = render_page("foundations", "output-size")
    for variant in sizes.output_size()["variants"]:
        assert f'<span style="white-space: nowrap">\\({variant["tex"]}\\)</span>' in page


def test_tensorflow_statements():
    page = render_page("foundations", "output-size")
    assert "does not take a number of padding pixels" not in page
    assert "tf.nn.conv2d" in page and "ZeroPadding2D" in page
    tf = sizes.tensorflow_facts()
    assert tf["avg"]["tf"].tolist() == [[3.0, 4.5], [7.5, 9.0]]
    assert tf["negative"]["zero_max"][0, 0] == 0.0 and tf["negative"]["torch_max"][0, 0] == -1.0
    assert tf["dilated"]["keras_refuses"] is True
    # the pooling column is Keras 'same' (rounds up), not PyTorch's floor
    for row in sizes.output_size()["pool"]:
        assert row["tf"][0] == -(-row["n"] // row["s"])
