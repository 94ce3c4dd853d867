"""``python -m generator table ID_OR_PATH [--format md|csv|json] [--input C,H,W]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UserError
from ..settings import load_settings
from ..specs import BUILTINS, load_builtin, load_spec, spec_id, user_spec_paths

#: --format choices; the table code (and NumPy) is imported only when a table is printed,
#: so registering this subcommand costs `python -m generator build` nothing.
FORMATS = ("md", "csv", "json")


def add_parser(sub) -> None:
    """Register the ``table`` subcommand on the subparsers ``sub``."""
    p = sub.add_parser(
        "table", help="print the layer table of a network",
        description="Print the layer table of a built-in network, of a user's spec in the "
                    "specs folder (by id), or of a spec file (by path).")
    p.add_argument("network", metavar="ID_OR_PATH",
                   help=f"a built-in id ({', '.join(BUILTINS)}), the id of a spec in the "
                        "user specs folder, or a path to a .yaml spec")
    p.add_argument("--format", choices=sorted(FORMATS), default="md",
                   help="output format (default: md)")
    p.add_argument("--input", metavar="C,H,W",
                   help="input shape instead of the spec's, e.g. 3,160,160")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml "
                   "(for the user specs folder; default: .)")
    p.set_defaults(run=run)


def parse_input(text: str) -> tuple[int, ...]:
    """``'3,224,224'`` -> ``(3, 224, 224)``; a UserError for anything else."""
    parts = [p.strip() for p in text.replace("x", ",").split(",")]
    if len(parts) in (1, 3) and all(p.isdigit() and int(p) > 0 for p in parts):
        return tuple(int(p) for p in parts)
    raise UserError(f"--input: expected C,H,W (or one number of features) as positive "
                    f"integers, found '{text}'")


def resolve(name: str, root: Path):
    """The network ``name`` names: a path, a built-in id, or a user spec's id."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        return load_spec(path)
    if name in BUILTINS:
        return load_builtin(name)
    settings = load_settings(root)
    for candidate in user_spec_paths(settings.path("user_specs")):
        if spec_id(candidate) == name:
            return load_spec(candidate)
    raise UserError(f"unknown network '{name}': not a built-in ({', '.join(BUILTINS)}), "
                    f"not a spec in {settings.user_specs}/, and not a file")


def run(args: argparse.Namespace) -> int:
    shape = parse_input(args.input) if args.input else None
    network = resolve(args.network, Path(args.root))
    from ..tables import layer_table, to_csv, to_json, to_markdown

    write = {"md": to_markdown, "csv": to_csv, "json": to_json}[args.format]
    sys.stdout.write(write(layer_table(network, shape)))
    return 0
