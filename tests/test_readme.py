"""Every network spec the README shows is one the generator accepts."""

from __future__ import annotations

import re

import pytest

from generator.specs import parse_spec
from tests.conftest import ROOT

BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_shows_specs():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("text", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_each_readme_spec_builds_its_table(text):
    from generator.tables import layer_table

    net = parse_spec(text, "README.md", "readme")
    assert layer_table(net).totals.params > 0
