"""Reference section: cheat sheet, glossary, errata of the course notes, and how the
site itself is built."""

from __future__ import annotations

from importlib import metadata

from ..render import page
from . import cheatsheet, errata, site_map
from .site_map import CONTRIBUTING, REFERENCE

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
    values = {
        "cheat-sheet": lambda: {"formulas": cheatsheet.formulas(), "notation": cheatsheet.NOTATION},
        "glossary": lambda: {"notation": cheatsheet.NOTATION},
        "errata": lambda: {"entries": errata.entries()},
    }
    for entry in REFERENCE.pages:
        yield page(REFERENCE.path(entry), REFERENCE.template(entry), meta=entry.front_matter(),
                   title=entry.title,
                   **(values.get(entry.slug) or entry.values_function())())
    colophon = site_map.page("contributing", "colophon")
    yield page(CONTRIBUTING.path(colophon), CONTRIBUTING.template(colophon),
               meta=colophon.front_matter(), title=colophon.title, packages=_versions())
