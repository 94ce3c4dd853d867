"""Heading anchors keep ``×`` as ``x`` (generator.text.heading_ids); every other heading
keeps the anchor Python-Markdown's toc gives it."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.text import heading_ids, heading_slug


def _toc_ids(page: str) -> list[str]:
    html = markdown.markdown(page, extensions=["toc", "attr_list", "fenced_code"])
    return re.findall(r'<h[1-6] id="([^"]*)"', html)


def test_times_is_kept_as_x_and_nothing_else_changes():
    page = ("# 1×1 convolution and cost\n\n## Max pooling, 2×2, stride 2\n\n"
            "## Average pooling\n\n## Max pooling, 2×2, stride 2\n\n"
            "## Kept {: #mine }\n\n## 3×3 kept too { #own }\n")
    assert _toc_ids(heading_ids(page)) == [
        "1x1-convolution-and-cost", "max-pooling-2x2-stride-2", "average-pooling",
        "max-pooling-2x2-stride-2_1", "mine", "own"]
    # without the step, toc drops the sign: "2×2" reads as 22
    assert _toc_ids(page)[1] == "max-pooling-22-stride-2"


def test_headings_in_fenced_code_are_not_headings():
    page = "```yaml\n# 3×3 comment\n```\n\n~~~~\n# 2×2\n~~~~\n\n# 4×4 real\n"
    assert heading_ids(page) == page.replace("# 4×4 real", "# 4×4 real { #4x4-real }")


@pytest.mark.parametrize("title", [
    "Padding and output size", "ResNeXt&#45;50 &#40;32x4d&#41;", "What `groups` does",
    "A *stressed* word, a [link](x.md) and 10% of it", "Ünïcödé and 'quotes'"])
def test_the_slug_is_toc_s_own_where_there_is_no_times_sign(title):
    assert heading_slug(title) == _toc_ids(f"## {title}\n")[0]
