"""Reference section: the figure gallery, and the figure files themselves.

This producer renders every figure of the catalog (from the cache when its
inputs have not changed) and lists each with its parameters and alt text,
which makes the page a visual regression check as well.
"""

from __future__ import annotations

import html
import json

from ..figures import build, library
from ..render import Output, page

PAGE = "contributing/gallery.md"


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MB"


def _params(params: dict) -> str:
    """Parameters as inline code, one ``name=value`` each."""
    return ", ".join(f"`{k}={json.dumps(v, separators=(',', ':'))}`" for k, v in params.items())


def _cell(text: str) -> str:
    """Plain text safe inside a Markdown table cell."""
    return html.escape(" ".join(text.split())).replace("|", "&#124;")


def outputs(ctx):
    resolved = library.resolved_catalog()
    report = build.render_all(resolved, ctx.settings.path("cache_dir") / "figures")
    for path, data in sorted(report.files.items()):
        yield Output(path, data)
    sections: dict[str, list] = {}
    for r in resolved:
        files = [f"[{p.split('/')[-1]}]({r.ref.src(PAGE, part)}) ({_size(len(report.files[p]))})"
                 for part, p in r.ref.files.items()]
        sections.setdefault(r.kind.section, []).append({
            "ref": r.ref, "params": _params(r.figure.params), "alt": _cell(r.ref.alt),
            "files": ", ".join(files)})
    yield page(
        PAGE, "pages/contributing/gallery.md.j2",
        sections=[{"title": t, "figures": f} for t, f in sections.items()],
        count=len(resolved), n_files=len(report.files),
        total_size=_size(sum(len(b) for b in report.files.values())),
        **library.page_context(PAGE))
    ctx.add_nav("Contributing", "Figure gallery", PAGE)
