"""The graph form of a spec: layers that name their ``inputs``, and blocks defined once
and instantiated by ``repeat`` with parameters.

A list of layers (the network's, a block's, a residual's main path, a branch) is a graph:
each layer takes the output of the layer before it, or of the layers its ``inputs``
name: earlier layers of the same list, or ``input``, the list's own input. Only earlier
layers may be named, so a graph has no cycle. The list's output is its last layer's.

A block is a named list of layers with parameters; in its layers a value written
``$name`` stands for the parameter ``name``. ``repeat`` puts instances of it one after
the other, each with its values::

    blocks:
      inverted:
        params: {hidden: ~, out: ~, stride: 1}   # ~: every instance must give it
        layers:
          - conv: {out: $hidden, kernel: 1, bias: false}
          - ...
    layers:
      - repeat: {block: inverted, each: [{hidden: 96, out: 24, stride: 2},
                                         {hidden: 144, out: 24}]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["BlockDef", "REQUIRED", "PARAM_REF", "substitute", "Unknown"]

#: The default of a parameter every instance must give (``~`` in YAML).
REQUIRED = None
#: A value that stands for a parameter: ``$name``.
PARAM_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, eq=False)
class BlockDef:
    """A block as defined under ``blocks``: its parameters (name, default; ``REQUIRED``
    when an instance must give it) and its layers as YAML data, parsed per instance."""

    name: str
    params: tuple[tuple[str, Any], ...]
    layers: list

    def names(self) -> list[str]:
        return [n for n, _ in self.params]


class Unknown(Exception):
    """A ``$name`` that is not a parameter of the block (args: the name)."""


def substitute(data, values: dict):
    """A copy of the YAML ``data`` with every string ``$name`` replaced by
    ``values[name]`` (the value as given: a number, a list, a string). Strings are
    replaced whole; ``$name`` inside a longer string stays text."""
    if isinstance(data, str):
        m = PARAM_REF.fullmatch(data)
        if not m:
            return data
        if m.group(1) not in values:
            raise Unknown(m.group(1))
        return values[m.group(1)]
    if isinstance(data, list):
        return [substitute(v, values) for v in data]
    if isinstance(data, dict):
        return {k: substitute(v, values) for k, v in data.items()}
    return data
