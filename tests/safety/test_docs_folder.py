"""A hand-written page removed from the docs folder is one line naming it, exit 2.

Deleting or renaming ``docs/index.md`` (or pointing ``docs_dir`` at another folder)
stopped the build with an internal error (exit 1): "the nav lists pages that nothing
writes". The check runs on the build's outputs, so it is tested on a small set of them.
"""

from __future__ import annotations

import pytest

from generator import pipeline
from generator.errors import UserError
from generator.output import Output
from generator.pages.navigation import NAV_FILE


def test_a_page_the_nav_lists_and_nothing_writes():
    nav = b"nav:\n  - Home: index.md\n  - Calculator: calculator.md\n  - Explorer: explorer.md\n"
    outputs = [Output(NAV_FILE, nav), Output("calculator.md", b"# Calculator\n")]
    with pytest.raises(UserError) as info:
        pipeline._check_nav(outputs, "my-docs")
    assert str(info.value) == ("my-docs/explorer.md: not found; the site's navigation lists "
                               "this page (and 1 more) (see generator/pages/site_map.py)")
    pipeline._check_nav([*outputs, Output("index.md", b""), Output("explorer.md", b"")], "my-docs")
