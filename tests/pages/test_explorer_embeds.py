"""Every explorer embedded in a page opens on a preset the explorer has."""

from __future__ import annotations

import re

from generator.pages import explorer
from generator.render import TEMPLATES


def test_every_embedded_preset_exists():
    ids = {p["id"] for p in explorer.presets()}
    used = {}
    for template in TEMPLATES.rglob("*.j2"):
        for preset in re.findall(r'explore\("([^"]+)"', template.read_text(encoding="utf-8")):
            used[preset] = template.name
    assert used, "no page embeds the explorer"
    assert {p: t for p, t in used.items() if p not in ids} == {}


def test_the_pages_the_issue_names_embed_it():
    pages = {"convolution", "padding", "stride", "dilation", "pooling",
             "transposed-convolution", "receptive-field"}
    for slug in pages:
        text = (TEMPLATES / "pages/foundations" / f"{slug}.md.j2").read_text(encoding="utf-8")
        assert "{{ explore(" in text, slug
