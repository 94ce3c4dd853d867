"""Rendering with StrictUndefined and the changed-files-only sync."""

from __future__ import annotations

import os

import pytest

from generator.errors import UserError
from generator.render import Output, render, sync_tree


def test_sync_writes_changes_keeps_unchanged_and_removes_stale(tmp_path):
    out = tmp_path / "out"
    report = sync_tree([Output("a.md", b"A"), Output("sub/b.md", b"B"), Output("old.md", b"O")], out)
    assert report.written == ("a.md", "old.md", "sub/b.md")
    past = 1_000_000_000
    for p in out.rglob("*.md"):
        os.utime(p, ns=(past, past))

    report = sync_tree([Output("a.md", b"A"), Output("sub/b.md", b"B2")], out)
    assert report.written == ("sub/b.md",)
    assert report.removed == ("old.md",)
    assert report.unchanged == 1
    assert (out / "a.md").stat().st_mtime_ns == past  # untouched: serve sees no change
    assert (out / "sub/b.md").read_bytes() == b"B2"
    assert sorted(p.name for p in out.rglob("*")) == ["a.md", "b.md", "sub"]


def test_sync_removes_emptied_folders(tmp_path):
    sync_tree([Output("gone/x.md", b"x")], tmp_path)
    sync_tree([Output("kept.md", b"k")], tmp_path)
    assert not (tmp_path / "gone").exists()


def test_a_missing_template_value_is_a_one_line_user_error():
    with pytest.raises(UserError, match=r"colophon\.md\.j2: 'packages' is undefined"):
        render("pages/reference/colophon.md.j2")
