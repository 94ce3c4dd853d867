"""Parsing a spec: YAML text -> :class:`~.network.Network`, or one line naming the file,
the layer and the field, with what was expected and what was found.

Whether the shapes work out (a kernel larger than its input, a residual whose two paths
disagree) needs the shapes, so :mod:`generator.tables` checks that.
"""

from __future__ import annotations

import difflib

import yaml

from ..errors import UserError
from ..spec_files import check_size
from . import kinds
from .fields import FieldType, Mismatch, T, TooLarge, is_required, spec_fields
from .graph import REQUIRED, BlockDef, Unknown, substitute
from .layers import (INPUT, Concat, Conv, Crop, ConvTranspose, Layer, Repeat, Upsample, label,
                     located, quoted)
from .limits import MAX_DIM, MAX_LAYERS, MAX_NESTING, MAX_SPEC_BYTES
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
    """A key or kind as a message quotes it: :func:`~.layers.quoted` for text."""
    if isinstance(v, str):
        return quoted(v)
    return f"'{v}'"


def _found(v) -> str:
    """How a value the spec gave is described in 'found ...'."""
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return f"{str(v).lower()}"
    if isinstance(v, str):
        return f"the string {quoted(v)}"
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
        self.blocks: dict[str, BlockDef] = {}
        self.active: list[str] = []  # the blocks being instantiated, outermost first

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
        if ftype is T.NAMES:
            return self.names(raw, where)
        if ftype is T.PARAMS:
            return self.param_values(raw, where, f.name)
        if ftype is T.EACH:
            if not isinstance(raw, list) or not raw:
                raise self.fail(where, f"each must be {T.EACH.expected}, found {_found(raw)}")
            return tuple(self.param_values(v, where, f"each {i}") for i, v in enumerate(raw, 1))
        if ftype is T.BLOCKS:
            return self.block_defs(raw)
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
        return self.link(tuple(self.layer(entry, prefix, i) for i, entry in enumerate(raw, 1)))

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
            out.append(self.link(tuple(self.layer(entry, prefix, i)
                                       for i, entry in enumerate(branch, 1))))
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
        values = self.values(cls, data, where, kind)
        # a merge counts one layer more per input past the second, so that the work of
        # repeating a block stays bounded by MAX_LAYERS
        self.layer_count += cls.COUNTS_AS + max(0, len(values.get("inputs", ())) - 2)
        if self.layer_count > MAX_LAYERS:
            raise self.fail(where, f"more than {MAX_LAYERS:,} layers (blocks count the layers "
                                   "inside)")
        layer = located(cls(**values), where)
        self.check(layer)
        if isinstance(layer, Repeat):
            instances, arguments = self.instances(layer)
            object.__setattr__(layer, "instances", instances)
            object.__setattr__(layer, "arguments", arguments)
        return layer

    def check(self, layer: Layer) -> None:
        """Checks between fields of one layer (shapes are checked by the tables)."""
        if isinstance(layer, (Conv, ConvTranspose)) and layer.out % layer.groups:
            raise self.fail(layer.where, f"out {layer.out} is not divisible by groups "
                                         f"{layer.groups}")
        n = len(layer.inputs)
        if isinstance(layer, Crop) and layer.merges and n != 2:
            raise self.fail(layer.where, f"give size, or two inputs (the map to crop and the "
                                         f"layer whose height and width it takes), found {n}")
        if layer.merges and n < 2:
            what = "" if not isinstance(layer, Concat) else " (or branches)"
            raise self.fail(layer.where, f"inputs: {layer.KIND} needs at least two inputs"
                                         f"{what}, found {n}")
        if not layer.merges and n > 1:
            raise self.fail(layer.where, f"inputs: {layer.KIND} takes one input, found {n} "
                                         "(only add, multiply and concat combine several)")
        if isinstance(layer, Upsample) and (layer.scale is None) == (layer.size is None):
            raise self.fail(layer.where, "give one of scale and size")
        if isinstance(layer, Repeat) and layer.times and layer.each \
                and layer.times != len(layer.each):
            raise self.fail(layer.where, f"times is {layer.times} but each has "
                                         f"{len(layer.each)} entries")

    # -------------------------------------------------------------- graphs

    def names(self, raw, where: str) -> tuple[str, ...]:
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            raise self.fail(where, f"inputs must be {T.NAMES.expected}, found {_found(raw)}")
        try:
            return tuple(T.TEXT.convert(v) for v in items)
        except Mismatch:
            raise self.fail(where, f"inputs must be {T.NAMES.expected}, found "
                                   f"{_found(raw)}") from None

    def link(self, layers: tuple[Layer, ...]) -> tuple[Layer, ...]:
        """Check the ``inputs`` of a list of layers and set their ``sources``."""
        seen: dict[str, list[int]] = {}
        later = {layer.name: i for i, layer in reversed(list(enumerate(layers)))
                 if layer.name}
        for i, layer in enumerate(layers):
            sources = []
            for name in layer.inputs:
                if name == INPUT and name not in seen:
                    sources.append(-1)
                    continue
                found = seen.get(name, [])
                if len(found) > 1:
                    raise self.fail(layer.where, f"inputs: {quoted(name)} names {len(found)} earlier "
                                                 "layers; give them different names")
                if not found:
                    if name == layer.name:
                        msg = "is this layer itself (a cycle)"
                    elif name in later:
                        msg = (f"is layer {later[name] + 1}, after this one: a layer takes "
                               "only earlier layers' outputs (a graph has no cycle)")
                    else:
                        known = [n for n in seen][-8:]
                        msg = ("is not the name of an earlier layer of this list (earlier: "
                               f"{', '.join(map(quoted, known)) or 'none'}; or '{INPUT}')")
                    raise self.fail(layer.where, f"inputs: {_quoted(name)} {msg}")
                sources.append(found[0])
            object.__setattr__(layer, "sources", tuple(sources))
            if layer.name:
                seen.setdefault(layer.name, []).append(i)
        return layers

    def param_values(self, raw, where: str, what: str) -> tuple:
        if not isinstance(raw, dict):
            raise self.fail(where, f"{what} must be a mapping from parameter names to values, "
                                   f"found {_found(raw)}")
        for key in raw:
            try:
                T.ID.convert(key)
            except Mismatch:
                raise self.fail(where, f"{what}: a parameter name must be "
                                       f"{T.ID.expected}, found {_quoted(key)}") from None
        return tuple(raw.items())

    def block_defs(self, raw) -> tuple[BlockDef, ...]:
        if not isinstance(raw, dict):
            raise self.fail("blocks", f"blocks must be {T.BLOCKS.expected}, found {_found(raw)}")
        for name, body in raw.items():
            here = f"block {_quoted(name)}"
            try:
                T.ID.convert(name)
            except Mismatch:
                raise self.fail("blocks", f"a block name must be {T.ID.expected}, found "
                                          f"{_quoted(name)}") from None
            if not isinstance(body, dict) or "layers" not in body \
                    or set(body) - {"params", "layers"}:
                raise self.fail(here, "a block must be a mapping with layers (a list) and "
                                      f"params (optional), found {_found(body)}"
                                      if not isinstance(body, dict) else
                                      "a block takes layers (required) and params, found "
                                      f"{', '.join(map(_quoted, body))}")
            params = self.param_values(body.get("params") or {}, here, "params")
            layers = body["layers"]
            if not isinstance(layers, list) or not layers:
                raise self.fail(here, f"layers must be a non-empty list of layers, found "
                                      f"{_found(layers)}")
            self.blocks[name] = BlockDef(name, params, layers)
        return tuple(self.blocks.values())

    def instances(self, rep: Repeat) -> tuple[tuple, tuple]:
        """Parse every instance of a ``repeat``, its parameters substituted."""
        where = rep.where
        block = self.blocks.get(rep.block)
        if block is None:
            known = ", ".join(self.blocks) or "none are defined under blocks"
            raise self.fail(where, f"block: no block named {_quoted(rep.block)} ({known})")
        if rep.block in self.active:
            chain = " → ".join(self.active[self.active.index(rep.block):] + [rep.block])
            raise self.fail(where, f"block: {rep.block!r} repeats itself ({chain})")
        if len(self.active) >= MAX_NESTING:
            raise self.fail(where, f"block: more than {MAX_NESTING} blocks inside each other")
        each = rep.each or ((),) * (rep.times or 1)
        names = block.names()
        out, arguments = [], []
        self.active.append(rep.block)
        for i, own in enumerate(each, 1):
            values = dict(block.params)
            for key, value in rep.params + own:
                if key not in names:
                    field = "params" if (key, value) in rep.params else f"each {i}"
                    raise self.fail(where, f"{field}: block {rep.block!r} has no parameter "
                                           f"{key!r} (it takes: {', '.join(names) or 'none'})")
                values[key] = value
            missing = [n for n in names if values[n] is REQUIRED]
            if missing:
                raise self.fail(where, f"instance {i}: no value for the parameter "
                                       f"{missing[0]!r} of block {rep.block!r}")
            here = f"{where} > instance {i}"
            try:
                body = substitute(block.layers, values)
            except Unknown as exc:
                raise self.fail(here, f"${exc.args[0]} is not a parameter of block "
                                      f"{rep.block!r} (it takes: {', '.join(names) or 'none'})") \
                    from None
            out.append(self.layers(body, here, "layer"))
            arguments.append(tuple(values.items()))
        self.active.pop()
        return tuple(out), tuple(arguments)

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
    check_size(size, source)
    data = load_yaml(text, source)
    parser = _Parser(source)
    if not isinstance(data, dict):
        raise parser.fail("", "expected a mapping with name, input and layers at the top, "
                              f"found {_found(data)}")
    values = parser.values(Network, data, "", "a network spec")
    return Network(**values, id=id, source=source)

