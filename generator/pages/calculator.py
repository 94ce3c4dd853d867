"""Data for the shape calculator page: the spec format and every built-in network.

The calculator (``docs/javascripts/calculator.js``) reads a spec, typed layer by layer
or pasted as YAML, with the same field types, expected-value texts, defaults and limits
as :mod:`generator.specs`, for the layer kinds its registry marks ``calculator``, and
offers every built-in network as a starting point (its YAML text, as the file has it).
Both come from here, as one script that sets ``window.ATLAS_CALC``: a ``<script>``,
not a fetch, so the page also works from ``file://``.
"""

from __future__ import annotations

import json
import re

from .. import text
from ..render import Output
from ..specs import BUILTINS, SPEC_DIR, load_builtin
from ..specs import fields, graph, kinds, limits
from ..specs.layers import INPUT
from ..specs.network import Network, Published

#: Where the script lands, relative to the generator's output folder.
DATA_JS = "calculator/data.js"

#: Fields a layer's card does not show: it has no notion of training, and cards are a
#: plain sequence (a graph is written as YAML).
_HIDDEN = {"frozen", "inputs"}


def _type_key(ftype: fields.FieldType) -> str:
    """The name of ``ftype`` in :class:`fields.T` (the calculator converts by this name)."""
    for key, value in vars(fields.T).items():
        if value is ftype:
            return key
    raise AssertionError(f"field type {ftype.label!r} is not in fields.T")


def _default_text(value) -> str:
    """A default as the calculator shows it in an empty input (its placeholder)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple) and len(value) == 2:
        return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _json_value(value):
    """A default as JSON data: (1, 1) -> [1, 1]."""
    return list(value) if isinstance(value, tuple) else value


def _fields(cls) -> list[dict]:
    out = []
    for f in fields.spec_fields(cls):
        ftype = f.metadata["type"]
        required = fields.is_required(f)
        out.append({
            "name": f.name,
            "type": _type_key(ftype),
            "expected": ftype.expected,
            "doc": f.metadata["doc"],
            "required": required,
            "default": "" if required else _default_text(f.default),
            "value": None if required else _json_value(f.default),
            "hidden": f.name in _HIDDEN,
        })
    return out


def _kinds() -> dict[str, dict]:
    """Every layer kind the registry marks ``calculator``, with its fields, in the docs' order:
    ``composite`` (holds layers), ``merge`` (always combines ``inputs``; concat and crop
    do when they have no branches and no size), ``counts_as`` (towards the layer limit)."""
    return {
        k.name: {"doc": " ".join((k.spec.__doc__ or "").split()), "fields": _fields(k.spec),
                 "composite": k.composite, "merge": k.spec.MERGE,
                 "counts_as": k.spec.COUNTS_AS}
        for k in kinds.KINDS if k.calculator
    }


def _choices(ftype: fields.FieldType) -> list[str] | None:
    """The values a one-of field type accepts (the options ``fields._choice`` closed over)."""
    convert = ftype.convert
    if getattr(convert, "__name__", "") != "choose":
        return None
    options, = (c.cell_contents for c in convert.__closure__)
    return list(options)


def _types() -> dict[str, dict]:
    """Every field type by its name in :class:`fields.T`: what it expects, its options."""
    out = {}
    for key, ftype in vars(fields.T).items():
        if isinstance(ftype, fields.FieldType):
            out[key] = {"expected": ftype.expected, "choices": _choices(ftype)}
    return out


def _js_class(pattern: str) -> str:
    """A Python regex as JavaScript writes it with the ``u`` flag: ``\\U0001FFFE`` ->
    ``\\u{1FFFE}`` (the other escapes of a character class read the same)."""
    return re.sub(r"\\U([0-9A-Fa-f]{8})", lambda m: "\\u{%X}" % int(m[1], 16), pattern)


def _networks() -> list[dict]:
    """Every built-in, as its YAML text (what the calculator reads) and its name."""
    networks = []
    for id in BUILTINS:
        source = (SPEC_DIR / f"{id}.yaml").read_text(encoding="utf-8")
        networks.append({"id": id, "name": load_builtin(id).name, "yaml": source})
    return networks


def calculator_data() -> dict:
    """What ``window.ATLAS_CALC`` holds."""
    offered = _kinds()
    return {
        "kinds": offered,
        #: The order the menus list the kinds in (the keys of "kinds" come out sorted).
        "kind_order": list(offered),
        "aliases": {a: k for a, k in kinds.ALIASES.items() if kinds.get(k).calculator},
        "network": {"fields": _fields(Network)},
        "published": {"fields": _fields(Published)},
        "types": _types(),
        #: The name by which `inputs` names its list's own input; a block parameter.
        "input_name": INPUT,
        "param_ref": graph.PARAM_REF.pattern,
        "networks": _networks(),
        #: How shapes are written and labelled (generator.text).
        "shape_layout": text.SHAPE_LAYOUT,
        "times": text.TIMES,
        #: The bounds every spec keeps (generator.specs.limits).
        "limits": {"max_dim": limits.MAX_DIM, "max_layers": limits.MAX_LAYERS,
                   "max_spec_bytes": limits.MAX_SPEC_BYTES, "max_nesting": limits.MAX_NESTING,
                   "max_values": limits.MAX_VALUES, "max_text_chars": limits.MAX_TEXT_CHARS},
        #: What a name may not contain (fields.NOT_IN_LINE), as a JavaScript pattern.
        "not_in_line": _js_class(fields.NOT_IN_LINE.pattern),
        #: What a description may not contain (fields.NOT_IN_TEXT).
        "not_in_text": _js_class(fields.NOT_IN_TEXT.pattern),
    }


def outputs(ctx):
    text = json.dumps(calculator_data(), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    script = ("// Generated by generator/pages/calculator.py: the spec format and the\n"
              "// built-in networks, for docs/javascripts/calculator.js.\n"
              f"window.ATLAS_CALC = {text};\n")
    yield Output(DATA_JS, script.encode("utf-8"))
