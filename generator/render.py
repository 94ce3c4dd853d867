"""Jinja2 rendering of page templates into :class:`~generator.output.Output` files.

Templates only format: every value they print arrives computed in the context.
``StrictUndefined`` turns a missing value into a build error instead of an empty
string on the page.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

import jinja2

from . import text
from .errors import UserError
from .output import Output

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = text.thousands
    env.filters["num"] = text.num
    env.filters["bmatrix"] = text.bmatrix
    env.filters["texnum"] = text.texnum
    env.filters["dims"] = text.shape
    env.filters["md"] = text.markdown
    # The explorer's page from a page of the site (both paths relative to the output folder).
    env.globals["explorer_href"] = lambda page_path: posixpath.relpath("explorer.md", posixpath.dirname(page_path))
    return env


# Kept importable from here for older callers.
num, texnum, bmatrix = text.num, text.texnum, text.bmatrix


_ENV = _environment()


def render(template: str, **context) -> str:
    """Render ``templates/<template>`` with ``context``; template mistakes become UserError."""
    try:
        return _ENV.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or template}:{exc.lineno}"
        raise UserError(f"{_relative(where)}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise UserError(
            f"{_relative(str(TEMPLATES / template))}: {exc.message} "
            "(the template uses a value the page does not provide)"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise UserError(f"{_relative(str(TEMPLATES))}: template not found: {exc.name}") from None


def page(path: str, template: str, meta: str = "", **context) -> Output:
    """Render a Markdown page into an Output; ``meta`` is front matter put before it.
    A heading with a ``×`` gets an anchor that keeps it (:func:`generator.text.heading_ids`)."""
    body = text.heading_ids(render(template, **context))
    return Output(path, (meta + body).encode("utf-8"))


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
