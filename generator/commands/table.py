"""``python -m generator table ID_OR_PATH [--format markdown|text|csv|json] [--input C,H,W]``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import UserError
from ..settings import load_settings
from ..specs import BUILTINS, is_spec_name, load_builtin, load_spec, spec_id, user_spec_files
from ..specs.limits import MAX_DIM

#: --format choices and the writer of generator.tables.formats each names; the table code
#: (and NumPy) is imported only when a table is printed, so registering this subcommand
#: costs `python -m generator build` nothing. ``md``: the old name of ``markdown``.
FORMATS = {"markdown": "to_markdown", "md": "to_markdown", "text": "to_text",
           "csv": "to_csv", "json": "to_json"}


def add_parser(sub) -> None:
    """Register the ``table`` subcommand on the subparsers ``sub``."""
    p = sub.add_parser(
        "table", help="print the layer table of a network",
        description="Print the layer table of a built-in network, of a user's spec in the "
                    "specs folder (by id), or of a spec file (by path).")
    p.add_argument("network", metavar="ID_OR_PATH",
                   help=f"a built-in id ({', '.join(BUILTINS)}), the id of a spec in the "
                        "user specs folder, or a path to a .yaml or .yml spec")
    p.add_argument("--format", choices=sorted(FORMATS), default="markdown",
                   help="markdown (the default, for scripts and pipes, whether or not the "
                        "output is a terminal), text (aligned columns to read in a terminal; "
                        "control characters in names shown as escapes such as \\x1b), csv "
                        "or json; md is markdown")
    p.add_argument("--input", metavar="C,H,W",
                   help="input shape instead of the spec's, e.g. 3,160,160")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml "
                   "(for the user specs folder; default: .)")
    p.set_defaults(run=run)


#: One number of an --input: ASCII digits only (str.isdigit() would take '²' or '٣').
_NUMBER = re.compile(r"[0-9]+", re.ASCII)


def parse_input(text: str) -> tuple[int, ...]:
    """``'3,224,224'`` (or ``3x224x224``) -> ``(3, 224, 224)``; a UserError for anything
    else, and for a size past :data:`~generator.specs.limits.MAX_DIM`."""
    parts = [p.strip(" ") for p in text.replace("x", ",").split(",")]
    if len(parts) not in (1, 3) or not all(_NUMBER.fullmatch(p) for p in parts) \
            or any(p.strip("0") == "" for p in parts):
        raise UserError(f"--input: expected C,H,W (or one number of features) as positive "
                        f"integers, found {text!r}")
    if any(len(p.lstrip("0")) > len(str(MAX_DIM)) or int(p) > MAX_DIM for p in parts):
        raise UserError(f"--input: every number must be at most {MAX_DIM:,}, found {text!r}")
    return tuple(int(p) for p in parts)


def resolve(name: str, root: Path):
    """The network ``name`` names: a path, a built-in id, or a user spec's id."""
    path = Path(name)
    if is_spec_name(path.name) or path.is_file():
        return load_spec(path)
    if name in BUILTINS:
        return load_builtin(name)
    settings = load_settings(root)
    for candidate in user_spec_files(settings.path("user_specs")):
        if spec_id(candidate) == name:
            return load_spec(candidate)
    raise UserError(f"unknown network '{name}': not a built-in ({', '.join(BUILTINS)}), "
                    f"not a spec in {settings.user_specs}/, and not a file")


def run(args: argparse.Namespace) -> int:
    shape = None if args.input is None else parse_input(args.input)
    network = resolve(args.network, Path(args.root))
    from ..tables import formats, layer_table

    write = getattr(formats, FORMATS[args.format])
    sys.stdout.write(write(layer_table(network, shape)))
    return 0
