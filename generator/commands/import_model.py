"""``python -m generator import SOURCE [-o docs/specs/NAME.yaml] [--input C,H,W]
[--name "..."] [--skip-unsupported] [--force]``: a model as a network spec.

The spec is checked (parsed and its layer table computed) before anything is written;
it is written to a temporary file beside the target and renamed over it, so a failure
leaves nothing behind. An existing file is replaced only when it is a spec this command
wrote (its first line is :data:`generator.importers.emit.HEADER`), or with ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import atomic
from ..errors import UserError
from ..spec_files import refused_id
from ..specs import is_spec_name, parse_spec, spec_id
from .table import parse_input


def add_parser(sub) -> None:
    """Register the ``import`` subcommand on the subparsers ``sub``."""
    p = sub.add_parser(
        "import", help="import an ONNX, PyTorch or Keras model as a network spec",
        description="Read a model (model.onnx, model.keras or its JSON config, "
                    "torchvision:NAME, or package.module:factory) and write it as a "
                    "network spec, which the next build turns into a page.")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="the spec to write (default: docs/specs/<source name>.yaml, or "
                        "<source name>-imported.yaml where a built-in has that name)")
    p.add_argument("--input", metavar="C,H,W", help="input shape, e.g. 3,224,224 (default: "
                   "the model's; needed when the model's sizes are not fixed)")
    p.add_argument("--name", help="the network's title (default: the model's name)")
    p.add_argument("--skip-unsupported", action="store_true",
                   help="put a placeholder (passing its input through, marked on the page) "
                        "for each operation no layer represents, instead of stopping")
    p.add_argument("--force", action="store_true",
                   help="replace an existing file that this command did not write")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..importers import default_id, load, to_yaml
    from ..importers.emit import HEADER
    from ..tables import layer_table

    shape = None if args.input is None else parse_input(args.input)
    if args.output:
        out = Path(args.output)
    else:  # torchvision:resnet18 is a built-in's id: the import goes beside it
        id = spec_id(default_id(args.source))
        out = Path("docs/specs") / f"{id}{'-imported' if refused_id(id) else ''}.yaml"
    if not is_spec_name(out.name):
        raise UserError(f"{out}: the output must end in .yaml or .yml")
    why = refused_id(spec_id(out))  # what the next build would refuse, refused now
    if why:
        raise UserError(f"{out}: {why}")
    if out.exists() and not args.force:
        try:
            with open(out, encoding="utf-8") as fh:
                first = fh.readline().rstrip("\n")
        except (OSError, UnicodeDecodeError):
            first = ""
        if first != HEADER:
            raise UserError(f"{out}: exists and was not written by this command; "
                            "give --force to replace it")
    if args.name is not None and not args.name.strip():
        raise UserError("--name: give a non-empty title")
    model = load(args.source, shape, args.name, args.skip_unsupported)
    text = to_yaml(model)
    # the spec must load (an error names the model: the output was not written)...
    network = parse_spec(text, args.source, spec_id(out))
    table = layer_table(network)                          # ...and its shapes work out
    with atomic.replacing(out) as fh:
        fh.write(text.encode("utf-8"))
    t = table.totals
    # Keras and torchinfo count batchnorm's running statistics with the parameters; say them
    buffers = f" (+ {t.buffers:,} batchnorm buffers)" if t.buffers else ""
    print(f"wrote {out}: {network.name}, {len(list(table.walk()))} rows, "
          f"{t.params:,} parameters{buffers}, {t.macs:,} MACs", file=sys.stderr)
    return 0
