"""The importers' neutral form of a model: a spec's name, input and description, and its
layers as spec mappings (``{"conv": {"name": ..., "out": 64, ...}}``) in graph order.

Every front end (ONNX, torch.fx, Keras) fills a :class:`Builder`: it names the layer
each value comes from, so a layer whose input is not the layer before gets ``inputs``;
a value that needs no layer (an identity, a copy) is an alias of its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import spec_files
from ..errors import UserError
from ..specs.fields import NOT_IN_LINE
from ..specs.layers import INPUT

__all__ = ["Imported", "Builder", "Unsupported", "pair_or_one", "clean_name", "regular_file"]


def regular_file(path: Path, what: str, limit: int, limit_text: str) -> int:
    """The size of the model file at ``path``, after checking that it is one
    (:func:`generator.spec_files.regular_file`: a device such as ``/dev/zero`` is read
    until memory runs out, a named pipe waits for ever) and at most ``limit`` bytes.
    ``what`` names the kind of file ("an ONNX model"); ``limit_text`` says the limit."""
    size = spec_files.regular_file(path, what, f"{what} is a file").st_size
    if size > limit:
        raise UserError(f"{path}: {size:,} bytes is more than {limit_text}")
    return size


@dataclass
class Imported:
    """A model read by an importer, ready for :func:`generator.importers.emit.to_yaml`."""

    name: str
    input: tuple[int, ...]
    description: str
    #: Spec layer mappings in order, each ``{kind: {field: value}}`` or a bare kind name.
    layers: list = field(default_factory=list)


class Unsupported(UserError):
    """A node no spec layer represents: one line naming the node, its op and what is
    supported. ``unit`` is what the model calls the node (a Keras model has layers)."""

    def __init__(self, source: str, node: str, op: str, why: str, supported=(),
                 unit: str = "node"):
        known = f"; supported: {', '.join(supported)}" if supported else ""
        super().__init__(f"{source}: {unit} {node!r} ({op}): {why}{known}")
        self.node, self.op = node, op


def clean_name(text) -> str:
    """A model's node name as a spec layer name: one line, no control characters."""
    text = NOT_IN_LINE.sub("", str(text)).strip()
    return text


def pair_or_one(values):
    """``(3, 3)`` -> ``3``; ``(3, 1)`` -> ``[3, 1]``; ints stay ints."""
    if not isinstance(values, (list, tuple)):
        return int(values)
    values = [int(v) for v in values]
    return values[0] if len(set(values)) == 1 else values


class Builder:
    """Collects spec layers; maps each value (tensor name) to the layer it comes from."""

    def __init__(self, source: str, input_value: str):
        self.source = source
        self.layers: list[dict] = []
        #: value -> the name of the layer that makes it (INPUT for the network's input)
        self.made_by: dict[str, str] = {input_value: INPUT}
        self._names: set[str] = {INPUT}
        self.placeholders: list[str] = []

    def name_for(self, wanted: str, fallback: str) -> str:
        """A unique layer name: the model's name if free, else with ``#2``, ``#3``..."""
        # a leading '$' would read as a block parameter (and '#2' would not change that)
        base = clean_name(wanted).lstrip("$") or fallback
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}#{n}"
        self._names.add(name)
        return name

    def alias(self, value: str, source_value: str) -> None:
        """``value`` is ``source_value`` unchanged (an identity, a dropout in inference)."""
        self.made_by[value] = self.made_by[source_value]

    def has(self, value: str) -> bool:
        return value in self.made_by

    def add(self, kind: str, fields: dict, name: str, sources: list[str],
            outputs: list[str]) -> str:
        """Append a layer of ``kind`` taking the values ``sources``; returns its name."""
        name = self.name_for(name, f"{kind}{len(self.layers) + 1}")
        body = {"name": name}
        made = [self.made_by[s] for s in sources]
        last = self.layers and next(iter(self.layers[-1].values()))["name"]
        if len(made) > 1 or (made and made[0] != (last if self.layers else INPUT)):
            body["inputs"] = made
        body.update(fields)
        self.layers.append({kind: body})
        for out in outputs:
            self.made_by[out] = name
        return name

    def placeholder(self, op: str, name: str, source: str, outputs: list[str]) -> str:
        """An identity-shaped stand-in for an unsupported node (``--skip-unsupported``): a
        layer of kind ``placeholder`` named as the node, its ``op`` the node's op."""
        op = clean_name(op)
        layer = self.add("placeholder", {"op": op} if op else {}, name, [source], outputs)
        self.placeholders.append(f"{layer} ({op or '?'})")
        return layer

    def placeholder_note(self) -> str:
        if not self.placeholders:
            return ""
        return (f"{len(self.placeholders)} operation(s) the importer could not map stand as "
                "placeholders (layers of kind placeholder) that "
                "pass their input through unchanged, so the shapes, "
                "counts and receptive fields after them are not the model's: "
                + ", ".join(self.placeholders) + ".")
