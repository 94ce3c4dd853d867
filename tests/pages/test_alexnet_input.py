"""224 or 227 for AlexNet (issue #13): the stride page's paragraph, computed from the specs."""

from __future__ import annotations

import generator.nn as nn
from generator.pages.foundations import sizes
from tests.pages.helpers import render_page


def test_alexnet_sizes_from_the_specs():
    a = sizes.alexnet_sizes()
    assert (a["f"], a["s"], a["filters"]) == (11, 4, 96)
    assert a["paper"] == {"n": 224, "p": 0, "exact": "217/4", "decimal": "54.25", "fits": False,
                          "out": 54, "unused": 1}
    assert a["original"]["n"] == 227 and a["original"]["fits"] and a["original"]["out"] == 55
    assert a["torchvision"] == {"n": 224, "p": 2, "exact": "221/4", "decimal": "55.25",
                                "fits": False, "out": 55, "unused": 1}
    for c in (a["paper"], a["original"], a["torchvision"]):   # nn's own size, independently
        assert c["out"] == nn.conv_output_size(c["n"], 11, stride=4, padding=c["p"])


def test_stride_page_says_224_does_not_fit_and_227_does():
    page = render_page("foundations", "stride")
    assert "\\((224 - 11)/4 + 1 = 217/4 = 54.25\\)" in page
    assert "\\((227 - 11)/4 + 1 = 55\\)" in page
    assert "(224 + 2 \\cdot 2 - 11)/4 + 1 = 221/4 = 55.25" in page
    assert "alexnet-original.md" in page and "../architectures/alexnet.md" in page


def test_notes_page_links_the_paragraph_and_the_two_gpu_alexnet():
    page = render_page("foundations", "your-notes")
    assert "224 or 227" in page and "alexnet-original.md" in page


def test_stride_table_rows_are_the_figures():
    v = sizes.stride()
    assert [r["s"] for r in v["rows"]] == [1, 2, 3]
    assert v["rows"][-1]["unused"] == [6] and v["rows"][1]["unused"] == []
