"""An error message is one line a reader can read, however long the text a spec holds.

A layer name of 50,000 characters with one control character in it made a message of
100,000 characters: the name was quoted whole in the layer's place and in what was
found.
"""

from __future__ import annotations

import pytest

from generator.errors import UserError
from generator.specs import parse_spec


def test_a_long_name_is_cut_where_a_message_quotes_it():
    name = "a" * 50_000 + "\\x01"
    with pytest.raises(UserError) as info:
        parse_spec(f'name: x\ninput: [1]\nlayers:\n  - relu: {{name: "{name}"}}\n', "a.yaml", "a")
    shown = f"'{'a' * 60}'… (50,001 characters)"
    assert str(info.value) == (f"a.yaml: layer 1 {shown} (relu): name must be a non-empty line "
                               f"of text without control characters, found the string {shown}")


def test_a_long_input_name_is_cut_too():
    name = "b" * 10_000
    with pytest.raises(UserError) as info:
        parse_spec(f"name: x\ninput: [1]\nlayers:\n  - relu: {{name: {name}}}\n"
                   f"  - relu: {{name: {name}}}\n  - relu: {{inputs: {name}}}\n", "a.yaml", "a")
    assert str(info.value) == (f"a.yaml: layer 3 (relu): inputs: '{'b' * 60}'… (10,000 "
                               "characters) names 2 earlier layers; give them different names")
