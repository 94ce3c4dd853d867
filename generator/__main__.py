"""Command line: ``python -m generator build`` (and more subcommands as they land).

A user's mistake is reported as one line on stderr with exit status 2; an
internal failure as one line with exit status 1 (``--debug`` shows the
traceback). Nothing is written when either happens.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import pipeline
from .errors import UserError
from .settings import load_settings
from .commands import clean as clean_command
from .commands import import_model as import_command
from .commands import offline as offline_command
from .commands import publish as publish_command
from .commands import site as site_command
from .commands import table as table_command


def _build(args: argparse.Namespace) -> int:
    settings = load_settings(Path(args.root), out_dir=args.out, user_specs=args.user_specs)
    report = pipeline.build(settings)
    print(
        f"generator: {len(report.written)} written, {len(report.removed)} removed, "
        f"{report.unchanged} unchanged in {settings.out_dir}",
        file=sys.stderr,
    )
    return 0


def _fingerprint(args: argparse.Namespace) -> int:
    print(pipeline.inputs_fingerprint(load_settings(Path(args.root))))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    p.add_argument("-v", "--verbose", action="store_true", help="log every file written")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate pages and figures into the output folder")
    b.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    b.add_argument("--out", help="output folder, owned by the generator (default: docs_dir of mkdocs.yml)")
    b.add_argument("--user-specs", help="folder of users' network specs (default: docs/specs)")
    b.set_defaults(run=_build)
    table_command.add_parser(sub)
    site_command.add_parser(sub)
    clean_command.add_parser(sub)
    import_command.add_parser(sub)
    offline_command.add_parser(sub)
    publish_command.add_parser(sub)
    f = sub.add_parser("fingerprint", help="print the hash of everything the build depends on (a CI cache key)")
    f.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    f.set_defaults(run=_fingerprint)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="generator: %(message)s",
    )
    try:
        return args.run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; files already written are complete, the rest were not touched",
              file=sys.stderr)
        return 130
    except OSError as exc:  # the environment: disk full, read-only folder, permissions
        if args.debug:
            raise
        where = exc.filename if exc.filename is not None else "(no path)"
        cause = exc.strerror or type(exc).__name__
        print(f"error: {_shown(where)}: {cause}", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal bug: still one line unless --debug
        if args.debug:
            raise
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else ""
        print(
            f"error: internal error{where}: {type(exc).__name__}: {exc} "
            "(run 'python -m generator --debug ...' for the traceback)",
            file=sys.stderr,
        )
        return 1


def _shown(path) -> str:
    try:
        return os.path.relpath(path)
    except (ValueError, TypeError):
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
