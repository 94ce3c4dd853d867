"""YAML text -> plain data (dicts, lists, scalars), within the bounds of :mod:`.limits`.

A safe loader that also refuses what would make a spec costly or unprintable: a key
given twice, a key that is a list or mapping, an alias inside the value it names
(a recursive structure), aliases that expand past :data:`~.limits.MAX_VALUES` values
or :data:`~.limits.MAX_TEXT_CHARS` characters of text (an "alias bomb"), nesting deeper than :data:`~.limits.MAX_NESTING`, an integer longer
than :data:`~.limits.MAX_INT_DIGITS` digits, and a lone surrogate in any text (it is
not a character, and cannot be written out as UTF-8).

>>> load_yaml("layers: [relu, {conv: {out: 8}}]", "a.yaml")
{'layers': ['relu', {'conv': {'out': 8}}]}
"""

from __future__ import annotations

import re

import yaml

from ..errors import UserError
from .limits import MAX_INT_DIGITS, MAX_NESTING, MAX_TEXT_CHARS, MAX_VALUES

__all__ = ["load_yaml"]

_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a spec may not contain; reported as 'line L, column C: problem'."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts the values it composes (aliases by what they expand to)
    and how deep they nest, and refuses recursive aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0        # nesting level of the node being composed
        self._reach = 0        # deepest level reached so far (aliases by their depth)
        self._values = 0       # values composed so far, aliases expanded
        self._chars = 0        # characters of the scalars composed so far, aliases expanded
        self._open: set = set()            # anchors whose node is being composed
        self._sizes: dict = {}             # anchor -> (values, levels, chars) of its node

    def _count(self, n: int, mark, chars: int = 0) -> None:
        self._values += n
        if self._values > MAX_VALUES:
            raise _Refused(f"aliases expand to more than {MAX_VALUES:,} values", mark)
        self._chars += chars
        if self._chars > MAX_TEXT_CHARS:
            raise _Refused(f"aliases expand to more than {MAX_TEXT_CHARS:,} characters of "
                           "text", mark)

    def _nest(self, levels: int, mark) -> None:
        self._reach = max(self._reach, self._depth + levels)
        if self._reach > MAX_NESTING:
            raise _Refused(f"more than {MAX_NESTING} levels of nesting", mark)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _Refused(f"the alias *{event.anchor} refers to a value that contains "
                               "it", event.start_mark)
            if event.anchor in self._sizes:  # else the base class reports an undefined alias
                values, levels, chars = self._sizes[event.anchor]
                self._count(values, event.start_mark, chars)
                self._nest(levels, event.start_mark)
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        self._nest(0, event.start_mark)
        outer_reach, self._reach = self._reach, self._depth
        values_before, chars_before = self._values, self._chars
        if anchor is not None:
            self._open.add(anchor)
        node = super().compose_node(parent, index)
        self._count(1, event.start_mark,
                    len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = (self._values - values_before, self._reach - self._depth + 1,
                                   self._chars - chars_before)
        self._depth -= 1
        self._reach = max(outer_reach, self._reach)
        return node

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str):
            m = _SURROGATE.search(value)
            if m:
                raise _Refused(f"a lone surrogate '\\u{ord(m.group()):04x}' is not a character",
                               node.start_mark)
        return value


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # '<<: *base', merged by the base class
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            what = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            raise _Refused(f"a key must be a plain value (text or a number), found {what}",
                           key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            shown = repr(key) if isinstance(key, str) else f"'{key}'"
            raise yaml.MarkedYAMLError(problem=f"the key {shown} is given twice in one mapping",
                                       problem_mark=key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _construct_int(loader, node):
    text = loader.construct_scalar(node).replace("_", "").lstrip("+-")
    if text[:2].lower() in ("0b", "0x", "0o"):
        text = text[2:]
    if len(text.replace(":", "")) > MAX_INT_DIGITS:
        raise _Refused(f"an integer of more than {MAX_INT_DIGITS} digits", node.start_mark)
    return loader.construct_yaml_int(node)


_BoundedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                               _construct_mapping)
_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_yaml(text: str, source: str):
    """The data of the YAML ``text``; a :class:`UserError` naming ``source``, the line and
    the column for anything the loader refuses."""
    try:
        return yaml.load(text, Loader=_BoundedLoader)
    except _Refused as exc:
        mark = exc.problem_mark
        raise UserError(f"{source}: line {mark.line + 1}, column {mark.column + 1}: "
                        f"{exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = (exc.problem or exc.context or "cannot be read").replace(
            "'<stream end>'", "the end of the file")
        if exc.problem and exc.context and exc.context_mark:
            c = exc.context_mark
            problem += f" ({exc.context} at line {c.line + 1}, column {c.column + 1})"
        raise UserError(f"{source}: {where}not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise UserError(f"{source}: not valid YAML: {exc}") from None
