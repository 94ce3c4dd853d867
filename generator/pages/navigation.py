"""The navigation file and each section's index page, from :mod:`.site_map`.

This producer runs last: besides the declared pages it lists the pages other
producers announced with ``ctx.add_nav`` (network pages exist only at build
time). It writes ``.nav.yml``, which MkDocs reads through the awesome-nav plugin
and Zensical reads natively, so the builder needs no hook to know the nav.
Every title is plain text and is HTML-escaped here, once: the builders put nav
titles into the page as markup.
"""

from __future__ import annotations

import posixpath

import yaml

from .. import text
from ..render import Output, page
from . import site_map

#: The file the builder reads the navigation from, in the output folder's root.
NAV_FILE = ".nav.yml"


def entries(ctx, section: site_map.Section) -> list[dict]:
    """The pages of ``section`` in nav order: declared ones, then announced ones."""
    rows = [{"title": p.title, "path": section.path(p), "blurb": p.blurb} for p in section.pages]
    declared = {row["path"] for row in rows}
    for title, path in ctx.nav.get(section.title, []) + ctx.nav.get(section.slug, []):
        if path not in declared:
            if not section.dynamic:
                raise ValueError(f"{path}: section {section.slug!r} declares its pages in site_map.py")
            rows.append({"title": title, "path": path, "blurb": ""})
            declared.add(path)
    return rows


def _nav_item(title: str, path: str) -> dict:
    return {text.html(title): path}


def nav(ctx) -> list:
    """The nav as awesome-nav's ``.nav.yml`` ``nav:`` list."""
    items = []
    for item in site_map.NAV:
        if isinstance(item, site_map.Link):
            items.append(_nav_item(item.title, item.path))
            continue
        children = [item.index] + [_nav_item(row["title"], row["path"]) for row in entries(ctx, item)]
        items.append({text.html(item.title): children})
    return items


def outputs(ctx):
    for section in site_map.SECTIONS:
        rows = [
            {**row, "href": posixpath.relpath(row["path"], section.slug)}
            for row in entries(ctx, section)
        ]
        yield page(section.index, "pages/sections/index.md.j2",
                   title=section.title, intro=section.intro, entries=rows)
    data = yaml.safe_dump({"nav": nav(ctx)}, allow_unicode=True, sort_keys=False, width=1000)
    yield Output(NAV_FILE, data.encode("utf-8"))


def paths(nav_items) -> list[str]:
    """Every page path a nav list names (for checking that each exists)."""
    found = []
    for item in nav_items:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found.extend(paths(value) if isinstance(value, list) else [value])
    return found
