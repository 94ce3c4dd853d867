"""In the built site, every heading with a ``×`` has the anchor that reads it as ``x``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from generator.text import heading_slug

pytestmark = pytest.mark.site

_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def test_headings_with_a_times_sign_keep_it_in_their_anchor(built_site: Path):
    seen = []
    for page in sorted(built_site.rglob("*.html")):
        for _, anchor, inner in _HEADING.findall(page.read_text(encoding="utf-8")):
            shown = html.unescape(re.sub(r"<[^>]*>", "", inner)).replace("¶", "").strip()
            if "×" in shown:
                seen.append((page.relative_to(built_site).as_posix(), anchor))
                assert re.fullmatch(re.escape(heading_slug(shown)) + r"(_\d+)?", anchor), \
                    (page, shown, anchor)
    assert ("foundations/pooling/index.html", "max-pooling-2x2-stride-2") in seen
    assert len(seen) >= 10
