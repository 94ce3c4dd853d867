"""Field types of the spec format: what each field accepts, how it is converted, and how a
field carries its documentation (the spec-format page is generated from it).

A converter takes the value YAML gave and returns the value the layer keeps, or raises
:class:`Mismatch` (or :class:`TooLarge`, a size past :data:`~.limits.MAX_DIM`); the
parser then names the field, what it expected and what it found.

Text is data: a name or label is one line without control characters (so it cannot break
a table row, a title or a nav entry), a description may also hold line breaks and tabs,
and a link is an absolute http(s) address. The pages escape every one of them.
"""

from __future__ import annotations

import math
import re
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Callable
from urllib.parse import urlsplit

from .limits import MAX_DIM

__all__ = [
    "Mismatch", "TooLarge", "FieldType", "PublishedCount", "T", "spec_field", "spec_fields",
    "is_required", "field_type_of", "default_text", "NOT_IN_LINE", "NOT_IN_TEXT",
    "NOT_IN_LINE_RANGES", "TEXT_ALSO_ALLOWS",
]



class Mismatch(Exception):
    """A value that does not have its field's type (the caller names the field)."""


class TooLarge(Mismatch):
    """A size of the right type but larger than :data:`~.limits.MAX_DIM`."""


#: The code points (first, last) a name or label may not contain: C0 controls (line
#: breaks and tabs included), DEL and the C1 controls (U+0085 included), the line and
#: paragraph separators U+2028/U+2029, lone surrogates, and the 66 noncharacters
#: (U+FDD0..U+FDEF and the last two code points of every plane). The calculator
#: receives this list and checks the same.
NOT_IN_LINE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029), (0xD800, 0xDFFF), (0xFDD0, 0xFDEF),
    *((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF) for plane in range(17)),
)
#: What a description may hold besides a name's characters: tabs and line breaks.
TEXT_ALSO_ALLOWS = "\t\n"


def _char_class(ranges, allowed: str = "") -> re.Pattern:
    """A regex matching any code point in ``ranges`` that is not in ``allowed``."""
    for c in map(ord, allowed):
        split = []
        for first, last in ranges:
            if first <= c <= last:
                split += [r for r in ((first, c - 1), (c + 1, last)) if r[0] <= r[1]]
            else:
                split.append((first, last))
        ranges = split
    body = "".join(f"\\U{first:08X}-\\U{last:08X}" for first, last in ranges)
    return re.compile(f"[{body}]")


#: Matches what a name or label may not contain (see :data:`NOT_IN_LINE_RANGES`).
NOT_IN_LINE = _char_class(NOT_IN_LINE_RANGES)
#: Matches what a description may not contain: the same, but tabs and line breaks.
NOT_IN_TEXT = _char_class(NOT_IN_LINE_RANGES, TEXT_ALSO_ALLOWS)


@dataclass(frozen=True)
class FieldType:
    """What a field accepts: ``expected`` reads as 'must be <expected>'."""

    label: str          # short, for the docs table
    expected: str       # for error messages and the docs
    convert: Callable[[Any], Any]


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _bounded(v):
    if v > MAX_DIM:
        raise TooLarge
    return v


def _positive(v):
    if _is_int(v) and v >= 1:
        return _bounded(v)
    raise Mismatch


def _non_negative(v):
    if _is_int(v) and v >= 0:
        return _bounded(v)
    raise Mismatch


def _pair(convert):
    def pair(v):
        if isinstance(v, list) and len(v) == 2:
            return convert(v[0]), convert(v[1])
        x = convert(v)
        return x, x
    return pair


def _padding(v):
    if v in ("same", "valid"):
        return v
    return _pair(_non_negative)(v)


def _bool(v):
    if isinstance(v, bool):
        return v
    raise Mismatch


def _probability(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1:
        return float(v)
    raise Mismatch


def _positive_number(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 and math.isfinite(v):
        return float(v)
    raise Mismatch


def _line(v):
    if isinstance(v, str) and v.strip() and not NOT_IN_LINE.search(v):
        return v.strip()
    raise Mismatch


def _description(v):
    if isinstance(v, str) and v.strip() and not NOT_IN_TEXT.search(v):
        return v.strip()
    raise Mismatch


def _url(v):
    """An absolute http(s) URL with a host; the pages percent-encode the rest (a space in
    its path is kept as written)."""
    if not isinstance(v, str) or NOT_IN_LINE.search(v):
        raise Mismatch
    try:
        parts = urlsplit(v)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise Mismatch from None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and v[:len(scheme) + 3].lower() == scheme + "://" \
            and host and not any(c.isspace() for c in parts.netloc):
        return v
    raise Mismatch


def _choice(*options):
    def choose(v):
        if isinstance(v, str) and v in options:
            return v
        raise Mismatch
    return choose


def _pad4(v):
    """(left, right, top, bottom), as torch.nn.ZeroPad2d; an int or [h, w] pads both sides."""
    if isinstance(v, list) and len(v) == 4:
        return tuple(_non_negative(x) for x in v)
    h, w = _pair(_non_negative)(v)
    return w, w, h, h


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,59}")


def _identifier(v):
    if isinstance(v, str) and _IDENTIFIER.fullmatch(v):
        return v
    raise Mismatch


def _shape(v):
    if isinstance(v, list) and len(v) in (1, 3):
        return tuple(_positive(x) for x in v)
    raise Mismatch




_FIGURE = re.compile(r"^([0-9]+(?:\.[0-9]+)?) *([KMG])$")
_UNITS = {"K": 10**3, "M": 10**6, "G": 10**9}


@dataclass(frozen=True)
class PublishedCount:
    """A published number, exact (``138357544``) or rounded as printed (``'4.089G'``)."""

    text: str
    value: Decimal
    unit: int = 1          # 1, 10**3, 10**6 or 10**9
    decimals: int = 0      # digits printed after the point

    @property
    def exact(self) -> bool:
        return self.unit == 1

    def rounded(self, computed: int) -> Decimal:
        """``computed`` in this figure's unit, rounded half up to the digits it was printed
        with; exact for any size (integer arithmetic, no decimal context precision)."""
        q, r = divmod(computed * 10**self.decimals, self.unit)
        if 2 * r >= self.unit:
            q += 1
        return Decimal(f"{q}E-{self.decimals}")

    def matches(self, computed: int) -> bool:
        return self.rounded(computed) == self.value


def _published_count(v):
    if _is_int(v) and v >= 0:
        return PublishedCount(f"{v:,}", Decimal(v))
    if isinstance(v, str):
        m = _FIGURE.match(v.strip())
        if m:
            number, unit = m.groups()
            decimals = len(number.partition(".")[2])
            try:
                return PublishedCount(v.strip(), Decimal(number), _UNITS[unit], decimals)
            except InvalidOperation:
                pass
    raise Mismatch


class T:
    """The field types of the format."""

    COUNT = FieldType("int ≥ 1", "a positive integer", _positive)
    SIZE = FieldType("int or [h, w]", "a positive integer or a pair [height, width] of them",
                     _pair(_positive))
    PAD = FieldType("int or [h, w]", "a non-negative integer or a pair [height, width] of them",
                    _pair(_non_negative))
    CONV_PAD = FieldType("int, [h, w], same, valid",
                         "a non-negative integer, a pair [height, width] of them, "
                         "'same' or 'valid'", _padding)
    INDEX = FieldType("int ≥ 0", "a non-negative integer", _non_negative)
    BOOL = FieldType("true/false", "true or false", _bool)
    PROB = FieldType("number in [0, 1]", "a number from 0 to 1", _probability)
    POSITIVE = FieldType("number > 0", "a positive number", _positive_number)
    TEXT = FieldType("text", "a non-empty line of text without control characters", _line)
    DESCRIPTION = FieldType("Markdown", "Markdown text without control characters other "
                            "than line breaks and tabs", _description)
    URL = FieldType("http(s) URL", "an absolute http:// or https:// address", _url)
    ACTIVATION = FieldType("relu, tanh, sigmoid, none", "one of relu, tanh, sigmoid, none",
                           _choice("relu", "tanh", "sigmoid", "none"))
    SHAPE = FieldType("[C, H, W]", "a list [C, H, W] (or [features]) of positive integers",
                      _shape)
    PUBLISHED_COUNT = FieldType("int or '4.09G'",
                                "an exact integer or a rounded figure as printed, like "
                                "'4.089G', '128M' or '159K'", _published_count)
    # Nested values are parsed by the parser itself (they need the location).
    LAYERS = FieldType("list of layers", "a non-empty list of layers", lambda v: v)
    BRANCHES = FieldType("list of lists of layers",
                         "a list of at least two branches, each a non-empty list of layers",
                         lambda v: v)
    NAMES = FieldType("name or list of names",
                      "a layer name or a list of them (earlier layers, or `input`)", lambda v: v)
    PAD4 = FieldType("int, [h, w] or [l, r, t, b]",
                     "a non-negative integer, a pair [height, width] of them or four "
                     "[left, right, top, bottom]", lambda v: _pad4(v))
    UPSAMPLE_MODE = FieldType("nearest, bilinear", "one of nearest, bilinear",
                              _choice("nearest", "bilinear"))
    POOL_MODE = FieldType("avg, max", "one of avg, max", _choice("avg", "max"))
    APPROXIMATE = FieldType("none, tanh", "one of none, tanh", _choice("none", "tanh"))
    ID = FieldType("identifier", "a name of letters, digits and underscores, not starting "
                   "with a digit", lambda v: _identifier(v))
    PARAMS = FieldType("mapping", "a mapping from parameter names to values", lambda v: v)
    EACH = FieldType("list of mappings", "a non-empty list of mappings from parameter names "
                     "to values, one per instance", lambda v: v)
    BLOCKS = FieldType("mapping of blocks", "a mapping from block names to a mapping with "
                       "layers (and params)", lambda v: v)
    PUBLISHED = FieldType("list of sources", "a list of mappings with source, params, macs",
                          lambda v: v)


def spec_field(type_: FieldType, doc: str, default: Any = MISSING):
    """A dataclass field that a spec sets; ``doc`` is its documentation on the site."""
    meta = {"type": type_, "doc": doc}
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


def spec_fields(cls) -> list:
    """The dataclass fields of ``cls`` that a spec may set, in order."""
    return [f for f in fields(cls) if "type" in f.metadata]


def is_required(f) -> bool:
    """True for a field that a spec must give (it has no default)."""
    return f.default is MISSING


def field_type_of(cls, name: str) -> FieldType:
    """The :class:`FieldType` of field ``name`` of ``cls`` (for the docs)."""
    return next(f.metadata["type"] for f in spec_fields(cls) if f.name == name)


def default_text(f) -> str:
    """A field's default as a spec would write it, or '' when the field is required."""
    if is_required(f):
        return ""
    value = f.default
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple) and len(value) == 2 and value[0] == value[1] \
            and all(map(_is_int, value)):
        return str(value[0])
    if value == ():
        return "[]"
    if value == "":
        return '""'
    return str(value)

