"""Reference section: cheat sheet, glossary, errata of the course notes, and how the
site itself is built."""

from __future__ import annotations

from importlib import metadata

from ..render import page
from . import cheatsheet, errata

#: The packages whose versions shape what the site shows.
_PACKAGES = ["numpy", "matplotlib", "jinja2", "pyyaml", "mkdocs", "mkdocs-material"]


def _versions() -> list[dict[str, str]]:
    rows = []
    for name in _PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        rows.append({"name": name, "version": version})
    return rows


def outputs(ctx):
    ctx.add_nav("Reference", "Cheat sheet", "reference/cheat-sheet.md")
    yield page("reference/cheat-sheet.md", "pages/reference/cheat-sheet.md.j2",
               formulas=cheatsheet.formulas())
    ctx.add_nav("Reference", "Glossary", "reference/glossary.md")
    yield page("reference/glossary.md", "pages/reference/glossary.md.j2")
    ctx.add_nav("Reference", "Errata of the course notes", "reference/errata.md")
    yield page("reference/errata.md", "pages/reference/errata.md.j2", entries=errata.entries())
    yield page("reference/colophon.md", "pages/reference/colophon.md.j2", packages=_versions())
