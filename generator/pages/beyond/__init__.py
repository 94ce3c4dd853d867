"""Beyond the layer arithmetic: pages computed from networks trained during the build.

The topics are declared in :mod:`generator.pages.site_map`. Each topic module
returns the values its template formats; its figures were drawn by the figure
stage (:mod:`generator.figures.trained`) and arrive as refs. The templates in
``templates/pages/beyond/`` do no arithmetic.
"""

from __future__ import annotations

from ...figures.library import page_context
from ...render import page
from ..site_map import BEYOND
from .lab import Lab


def outputs(ctx):
    lab = Lab(ctx.settings.path("cache_dir"))
    for topic in BEYOND.pages:
        context = topic.values_function()(lab)
        path = BEYOND.path(topic)
        yield page(path, BEYOND.template(topic), meta=topic.front_matter(), title=topic.title, **context,
                   **page_context(path, ctx.figures))
