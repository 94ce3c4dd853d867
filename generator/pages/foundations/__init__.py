"""Foundations: one page per topic of the course, every number computed here.

The topics, their titles and their order are declared in
:mod:`generator.pages.site_map`; each declared page names the function that
returns the values its template formats. The templates in
``templates/pages/foundations/`` do no arithmetic.
"""

from __future__ import annotations

from ...figures.library import page_context
from ...output import Output
from ...render import page
from .. import exercises
from ..site_map import FOUNDATIONS


def outputs(ctx):
    for topic in FOUNDATIONS.pages:
        path = FOUNDATIONS.path(topic)
        values = topic.values_function()()
        rendered = page(path, FOUNDATIONS.template(topic), meta=topic.front_matter(), title=topic.title, **values,
                        **page_context(path, ctx.figures))
        # Each topic ends with its "Check yourself" questions (generator.pages.exercises).
        yield Output(path, rendered.data + exercises.block(topic.slug, path).encode("utf-8"))
