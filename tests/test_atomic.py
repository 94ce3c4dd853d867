"""generator.atomic.replacing: a file is written whole or not at all."""

from __future__ import annotations

import stat

import pytest

from generator import atomic


def test_the_file_appears_whole_with_its_mode_and_no_temporary(tmp_path):
    target = tmp_path / "sub" / "out.bin"
    with atomic.replacing(target, mode=0o644) as fh:
        fh.write(b"first ")
        assert not target.exists()  # nothing at the place until the block ends
        fh.write(b"second")
    assert target.read_bytes() == b"first second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["out.bin"]


def test_an_error_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="half way"):
        with atomic.replacing(target) as fh:
            fh.write(b"new, half")
            raise RuntimeError("half way")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
