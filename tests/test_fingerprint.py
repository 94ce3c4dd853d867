"""A build with nothing changed runs no producer; any change to inputs or outputs does."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from generator.render import Output
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
CALLS: list[str] = []


def _one_page(ctx):
    CALLS.append("page")
    yield Output("page.md", b"# Page\n")


def _another_page(ctx):
    CALLS.append("another")
    yield Output("another.md", b"# Another\n")


def test_second_build_runs_nothing_until_something_changes(tmp_path):
    settings = load_settings(ROOT, out_dir=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))
    CALLS.clear()
    pipeline.build(settings, [_one_page])
    assert CALLS == ["page"]

    report = pipeline.build(settings, [_one_page])
    assert CALLS == ["page"]  # nothing ran
    assert report.written == () and report.unchanged == 2  # page.md and the nav file

    (tmp_path / "out/page.md").write_text("# Edited by hand\n")
    report = pipeline.build(settings, [_one_page])
    assert CALLS == ["page", "page"] and report.written == ("page.md",)

    pipeline.build(settings, [_one_page, _another_page])
    assert CALLS == ["page", "page", "page", "another"]

    (tmp_path / "out/another.md").unlink()
    pipeline.build(settings, [_one_page, _another_page])
    assert (tmp_path / "out/another.md").read_bytes() == b"# Another\n"


def test_a_failed_build_is_not_recorded(tmp_path):
    settings = load_settings(ROOT, out_dir=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))

    def broken(ctx):
        raise RuntimeError("kaput")
        yield  # pragma: no cover

    try:
        pipeline.build(settings, [broken])
    except RuntimeError:
        pass
    assert not (tmp_path / "cache/build-state.json").exists()
