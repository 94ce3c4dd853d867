"""Run the "compute it yourself" snippets, so a page shows what its code really prints.

Snippets are small programs in ``generator/examples/``: ``NAME.py`` (Python
using the public API) or ``NAME.sh`` (one ``python -m generator ...`` command
per line). The page shows the source and the captured output side by side;
``tests/test_snippets.py`` runs every snippet found in the generated pages
again, in a fresh process, and compares.
"""

from __future__ import annotations

import contextlib
import io
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import UserError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@dataclass(frozen=True)
class Snippet:
    name: str
    language: str  # "python" or "sh": the code fence's language
    source: str
    output: str


@cache
def run(name: str) -> Snippet:
    """Run ``examples/<name>.py`` or ``examples/<name>.sh`` and capture what it prints."""
    for suffix, language, runner in ((".py", "python", _run_python), (".sh", "sh", _run_shell)):
        path = EXAMPLES / f"{name}{suffix}"
        if path.is_file():
            source = path.read_text(encoding="utf-8").strip() + "\n"
            output = runner(path, source)
            if not output.strip():
                raise UserError(f"{_rel(path)}: the snippet prints nothing; a snippet must show its result")
            if not output.endswith("\n"):
                output += "\n"
            return Snippet(name, language, source, output)
    raise UserError(f"{_rel(EXAMPLES)}: no snippet named '{name}' (.py or .sh)")


def _run_python(path: Path, source: str) -> str:
    buffer = io.StringIO()
    namespace = {"__name__": "__main__", "__file__": str(path)}
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, str(path), "exec"), namespace)
    except Exception as exc:
        raise UserError(f"{_rel(path)}: the snippet failed: {type(exc).__name__}: {exc}") from None
    return buffer.getvalue()


def _run_shell(path: Path, source: str) -> str:
    from ..__main__ import main  # the same CLI a reader runs, in this process

    buffer = io.StringIO()
    for line in source.splitlines():
        argv = shlex.split(line)
        if not argv or argv[0].startswith("#"):
            continue
        if argv[:3] != ["python", "-m", "generator"]:
            raise UserError(f"{_rel(path)}: only 'python -m generator ...' commands can run here, found {line!r}")
        with contextlib.redirect_stdout(buffer):
            status = main(argv[3:])
        if status != 0:
            raise UserError(f"{_rel(path)}: '{line}' exited with status {status}")
    return buffer.getvalue()


def _rel(path: Path) -> str:
    """``generator/examples/NAME.py``: named from the package's folder, wherever we run."""
    return path.relative_to(EXAMPLES.parents[1]).as_posix()
