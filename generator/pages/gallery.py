"""Contributing section: the figure gallery, every figure of the site on one page.

A plain page, written once the figure stage (:mod:`generator.figures.stage`)
has drawn every figure (``generator.pipeline.AFTER_DRAWING``: it lists file
sizes); it lists each with its parameters, alt text and files, which makes the
page a visual regression check as well.
"""

from __future__ import annotations

import json

from .. import text
from ..figures.library import page_context
from ..render import page
from .site_map import CONTRIBUTING

ENTRY = next(p for p in CONTRIBUTING.pages if p.slug == "gallery")
PAGE = CONTRIBUTING.path(ENTRY)


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MB"


def _params(params: dict) -> str:
    """Parameters as inline code, one ``name=value`` each."""
    return ", ".join(f"`{k}={json.dumps(v, separators=(',', ':'))}`" for k, v in params.items())


def _cell(value: str) -> str:
    """Text that prints as itself inside a Markdown list item: an alt text may hold a
    user's network and layer names (the diagrams of users' specs), so every Markdown and
    HTML character is escaped (:func:`generator.text.markdown`)."""
    return text.markdown(" ".join(value.split()))


def gallery(refs) -> tuple[str, str, dict]:
    """The gallery page of the figure stage's refs: (path, template, context)."""
    sections: dict[str, list] = {}
    for ref in refs.values():
        files = [f"[{p.split('/')[-1]}]({ref.src(PAGE, part)}) ({_size(ref.sizes[part])})"
                 for part, p in ref.files.items()]
        sections.setdefault(ref.section, []).append({
            "ref": ref, "params": _params(ref.params), "alt": _cell(ref.alt),
            "files": ", ".join(files)})
    sizes = [n for ref in refs.values() for n in ref.sizes.values()]
    return PAGE, CONTRIBUTING.template(ENTRY), dict(
        title=ENTRY.title, sections=[{"title": t, "figures": f} for t, f in sections.items()],
        count=len(refs), n_files=len(sizes), total_size=_size(sum(sizes)),
        **page_context(PAGE, refs))


def outputs(ctx):
    path, template, context = gallery(ctx.figures)
    yield page(path, template, meta=ENTRY.front_matter(), **context)
