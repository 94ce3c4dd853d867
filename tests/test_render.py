"""Rendering with StrictUndefined: a missing value is one line naming the template."""

from __future__ import annotations


import pytest

from generator.errors import UserError
from generator.render import render


def test_a_missing_template_value_is_a_one_line_user_error():
    with pytest.raises(UserError, match=r"colophon\.md\.j2: 'packages' is undefined"):
        render("pages/contributing/colophon.md.j2", title="How this site is built")
