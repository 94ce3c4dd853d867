"""Aliases cannot multiply a spec's text past a bound.

The loader counted the values an alias expands to, not their characters: a 440 KB spec
whose 400,000-character layer name was repeated by 2,000 aliases parsed, and its table
took 47 s and 1.6 GB to print 800 MB of CSV (the page, as much again, escaped).
"""

from __future__ import annotations

import pytest

from generator.errors import UserError
from generator.specs import parse_spec
from generator.specs import limits

from .helpers import within


def _spec(name_chars: int, aliases: int) -> str:
    return ("name: x\ninput: [1]\nlayers:\n  - relu: {name: &n " + "a" * name_chars + "}\n"
            + "  - relu: {name: *n}\n" * aliases)


def test_an_alias_repeating_a_long_name_is_refused_where_it_passes_the_bound():
    assert limits.MAX_TEXT_CHARS == 4 * limits.MAX_SPEC_BYTES
    text = _spec(400_000, 2_000)
    assert len(text.encode()) < limits.MAX_SPEC_BYTES
    with within(5), pytest.raises(UserError) as info:
        parse_spec(text, "a.yaml", "a")
    # 400,000 + 10 aliases of 400,000 pass 4,194,304: the eleventh alias, on line 14
    assert str(info.value) == ("a.yaml: line 14, column 18: aliases expand to more than "
                               "4,194,304 characters of text")


def test_text_within_the_bound_is_read():
    net = parse_spec(_spec(400_000, 9), "a.yaml", "a")  # 4,000,000 characters of names
    assert len(net.layers) == 10 and net.layers[9].name == "a" * 400_000
