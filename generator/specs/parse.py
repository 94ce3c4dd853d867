"""Parsing a spec: YAML text -> :class:`~.network.Network`, or one line naming the file,
the layer and the field, with what was expected and what was found.

Whether the shapes work out (a kernel larger than its input, a residual whose two paths
disagree) needs the shapes, so :mod:`generator.tables` checks that.
"""

from __future__ import annotations

import difflib

import yaml

from ..errors import UserError
from . import kinds
from .fields import FieldType, Mismatch, T, TooLarge, is_required, spec_fields
from .layers import Conv, ConvTranspose, Layer, label, located
from .limits import MAX_DIM, MAX_LAYERS, MAX_SPEC_BYTES
from .loader import load_yaml
from .network import Network, Published

__all__ = ["parse_spec"]


def _first_values(v, budget: list):
    """A copy of ``v`` cut to its first ``budget[0]`` values, depth first: enough to show
    the start of any list, however large (aliases can make it so)."""
    if isinstance(v, (list, dict)):
        items = v.items() if isinstance(v, dict) else v
        out = []
        for item in items:
            if budget[0] <= 0:
                break
            budget[0] -= 1
            out.append(tuple(_first_values(x, budget) for x in item) if isinstance(v, dict)
                       else _first_values(item, budget))
        return dict(out) if isinstance(v, dict) else out
    return v


def _quoted(v) -> str:
    """A key or kind as a message quotes it: repr for text (control characters escaped),
    cut after 60 characters."""
    if isinstance(v, str):
        return repr(v) if len(v) <= 60 else repr(v[:60]) + "…"
    return f"'{v}'"


def _found(v) -> str:
    """How a value the spec gave is described in 'found ...'."""
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return f"{str(v).lower()}"
    if isinstance(v, str):
        return f"the string {v!r}"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        shown = yaml.safe_dump(_first_values(v, [60]), default_flow_style=True,
                               width=10**6).strip()
        return f"the list {shown[:60]}"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__



class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.layer_count = 0  # towards MAX_LAYERS

    def fail(self, where: str, message: str) -> UserError:
        return UserError(f"{self.source}: {where}: {message}" if where
                         else f"{self.source}: {message}")

    def values(self, cls, data: dict, where: str, what: str) -> dict:
        """Check ``data`` against the spec fields of ``cls``; return converted values."""
        known = {f.name: f for f in spec_fields(cls)}
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(str(key)[:100], known, n=1)
                did = f"did you mean '{hint[0]}'? " if hint else ""
                raise self.fail(where, f"unknown field {_quoted(key)} ({did}{what} takes: "
                                       f"{', '.join(known)})")
        out = {}
        for name, f in known.items():
            if name not in data:
                if is_required(f):
                    raise self.fail(where, f"missing field '{name}' ({_lower(f.metadata['doc'])})")
                continue
            out[name] = self.value(f, data[name], where)
        return out

    def value(self, f, raw, where: str):
        ftype: FieldType = f.metadata["type"]
        if ftype is T.LAYERS:
            return self.layers(raw, where, f.name)
        if ftype is T.BRANCHES:
            return self.branches(raw, where)
        if ftype is T.PUBLISHED:
            return self.published(raw, where)
        try:
            return ftype.convert(raw)
        except TooLarge:
            raise self.fail(where, f"{f.name} must be at most {MAX_DIM:,}, found "
                                   f"{_found(raw)}") from None
        except Mismatch:
            raise self.fail(where, f"{f.name} must be {ftype.expected}, found {_found(raw)}") \
                from None

    def layers(self, raw, where: str, path: str) -> tuple[Layer, ...]:
        nested = bool(where)
        if not isinstance(raw, list) or not raw:
            what = f"{path}" if nested else "layers"
            raise self.fail(where, f"{what} must be a non-empty list of layers, found "
                                   f"{_found(raw)}")
        prefix = f"{where} > {path} " if nested else "layer "
        return tuple(self.layer(entry, prefix, i) for i, entry in enumerate(raw, 1))

    def branches(self, raw, where: str) -> tuple[tuple[Layer, ...], ...]:
        if not isinstance(raw, list) or len(raw) < 2:
            raise self.fail(where, f"branches must be {T.BRANCHES.expected}, found "
                                   f"{_found(raw)}")
        out = []
        for b, branch in enumerate(raw, 1):
            if not isinstance(branch, list) or not branch:
                raise self.fail(where, f"branch {b} must be a non-empty list of layers, "
                                       f"found {_found(branch)}")
            prefix = f"{where} > branch {b}, layer "
            out.append(tuple(self.layer(entry, prefix, i) for i, entry in enumerate(branch, 1)))
        return tuple(out)

    def layer(self, entry, prefix: str, index: int) -> Layer:
        here = f"{prefix}{index}"
        if isinstance(entry, str):
            entry = {entry: None}
        if not isinstance(entry, dict) or len(entry) != 1:
            raise self.fail(here, "expected a one-key mapping like 'conv: {out: 6, kernel: 5}' "
                                  f"or a bare kind like 'relu', found {_found(entry)}")
        (kind, data), = entry.items()
        record = kinds.get(kind)
        if record is None:
            names = list(kinds.LAYER_KINDS) + list(kinds.ALIASES)
            hint = difflib.get_close_matches(str(kind)[:100], names, n=1)
            did = f"did you mean '{hint[0]}'? " if hint else ""
            raise self.fail(here, f"unknown layer type {_quoted(kind)} ({did}known types: "
                                  f"{', '.join(names)})")
        cls, kind = record.spec, record.name
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise self.fail(f"{here}{label(None, kind)}",
                            f"the fields of a {kind} layer must be a mapping like "
                            f"'{kind}: {{{_example(cls)}}}', found {_found(data)}")
        name = data.get("name")
        where = f"{here}{label(name if isinstance(name, str) else None, kind)}"
        self.layer_count += cls.COUNTS_AS
        if self.layer_count > MAX_LAYERS:
            raise self.fail(where, f"more than {MAX_LAYERS:,} layers (blocks count the layers "
                                   "inside)")
        values = self.values(cls, data, where, kind)
        layer = located(cls(**values), where)
        self.check(layer)
        return layer

    def check(self, layer: Layer) -> None:
        """Checks between fields of one layer (shapes are checked by the tables)."""
        if isinstance(layer, (Conv, ConvTranspose)) and layer.out % layer.groups:
            raise self.fail(layer.where, f"out {layer.out} is not divisible by groups "
                                         f"{layer.groups}")

    def published(self, raw, where: str) -> tuple[Published, ...]:
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list):
            raise self.fail(where or "published",
                            f"published must be {T.PUBLISHED.expected}, found {_found(raw)}")
        out = []
        for i, entry in enumerate(raw, 1):
            here = f"published {i}"
            if not isinstance(entry, dict):
                raise self.fail(here, f"expected a mapping with source, params, macs, found "
                                      f"{_found(entry)}")
            values = self.values(Published, entry, here, "published")
            if values.get("params") is None and values.get("macs") is None:
                raise self.fail(here, "give at least one of params and macs")
            out.append(Published(**values))
        return tuple(out)


def _lower(doc: str) -> str:
    first = doc.split(". ")[0].rstrip(".")
    return first[:1].lower() + first[1:]


def _example(cls) -> str:
    required = [f.name for f in spec_fields(cls) if is_required(f)]
    return ", ".join(f"{n}: ..." for n in required) or "name: ..."


def parse_spec(text: str, source: str, id: str) -> Network:
    """Parse the YAML ``text`` of a spec; ``source`` names the file in error messages.

    Raises
    ------
    UserError
        One line naming the file, the layer (index, name, type) and the field, with
        what was expected and what was found.
    """
    size = len(text) if len(text) * 4 <= MAX_SPEC_BYTES else len(
        text.encode("utf-8", "surrogatepass"))
    if size > MAX_SPEC_BYTES:
        raise UserError(f"{source}: the file has {size:,} bytes; a spec may have at most "
                        f"{MAX_SPEC_BYTES:,} ({MAX_SPEC_BYTES >> 20} MiB)")
    data = load_yaml(text, source)
    parser = _Parser(source)
    if not isinstance(data, dict):
        raise parser.fail("", "expected a mapping with name, input and layers at the top, "
                              f"found {_found(data)}")
    values = parser.values(Network, data, "", "a network spec")
    return Network(**values, id=id, source=source)

