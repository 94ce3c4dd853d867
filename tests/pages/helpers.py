"""Render one Foundations/Reference page from its values, without the whole build."""

from __future__ import annotations

from generator.figures.library import page_context
from generator.pages import site_map
from generator.render import render


def render_page(section: str, slug: str, values: dict | None = None) -> str:
    """The Markdown of a declared page, rendered from its own values function."""
    s = site_map.section(section)
    p = site_map.page(section, slug)
    values = p.values_function()() if values is None else values
    return render(s.template(p), title=p.title, **values, **page_context(s.path(p)))
