"""Jinja2 rendering, and writing outputs so that only changed bytes touch the disk.

Templates only format: every value they print arrives computed in the context.
``StrictUndefined`` turns a missing value into a build error instead of an empty
string on the page.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import text
from .errors import UserError

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Output:
    """One generated file: ``path`` relative to the output folder, and its bytes."""

    path: str
    data: bytes


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


def page(path: str, template: str, **context) -> Output:
    """Render a Markdown page into an Output."""
    return Output(path, render(template, **context).encode("utf-8"))


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path


@dataclass(frozen=True)
class SyncReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def sync_tree(outputs: list[Output], out_dir: Path) -> SyncReport:
    """Make ``out_dir`` hold exactly ``outputs``, touching only files whose bytes differ.

    Unchanged files keep their modification time, so ``mkdocs serve`` sees no
    change and does not rebuild again (no loop). Each file is written to a
    temporary name and renamed into place, so a reader never sees half a file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {o.path: o.data for o in outputs}
    written, unchanged = [], 0
    for rel, data in sorted(wanted.items()):
        target = out_dir / rel
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(rel)
    removed = []
    for existing in sorted(out_dir.rglob("*"), reverse=True):
        rel = existing.relative_to(out_dir).as_posix()
        if existing.is_file() and rel not in wanted:
            existing.unlink()
            removed.append(rel)
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    for rel in written:
        log.info("wrote %s", rel)
    for rel in removed:
        log.info("removed %s", rel)
    return SyncReport(tuple(written), tuple(removed), unchanged)
