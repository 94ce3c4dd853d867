"""Beyond the layer arithmetic: pages computed from networks trained during the build.

The topics are declared in :mod:`generator.pages.site_map`. Each topic module
returns the values its template formats, and the figures of the page as (:class:`~generator.figures.catalog.Figure`,
:class:`~generator.figures.prepare.Prepared`) pairs; the templates in
``templates/pages/beyond/`` do no arithmetic.
"""

from __future__ import annotations

from ...figures import computed
from ...render import Output, page
from ..site_map import BEYOND
from .lab import Lab


def outputs(ctx):
    lab = Lab(ctx.settings.path("cache_dir"))
    pages, resolved = [], []
    for topic in BEYOND.pages:
        values = topic.values_function()
        context = values(lab)
        for fig, prepared in context.pop("figures"):
            resolved.append(computed.resolve(fig, prepared, values.__module__))
        pages.append((topic, context))
    files, refs = computed.render(resolved, ctx.settings.path("cache_dir") / "figures")
    for path, data in sorted(files.items()):
        yield Output(path, data)
    for topic, context in pages:
        path = BEYOND.path(topic)
        yield page(path, BEYOND.template(topic), title=topic.title, **context,
                   figures=refs, page_path=path)
