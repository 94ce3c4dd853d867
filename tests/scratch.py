"""A scratch copy of the ``generator`` package, for tests that edit its files.

Tests never edit the real sources: the ``scratch`` fixture copies the package
into a temporary folder and points :mod:`generator.closure` (and so every
cache key derived from it) at the copy. Import it into a test module with
``from tests.scratch import edit, scratch``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import closure


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    """The copy's ``generator`` folder; the closure reads it until the test ends."""
    copy = tmp_path / "src" / closure.PACKAGE
    shutil.copytree(closure.ROOT / closure.PACKAGE, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    closure._direct.cache_clear()  # parsed imports of the real files
    monkeypatch.setattr(closure, "ROOT", copy.parent)
    yield copy
    closure._direct.cache_clear()  # before monkeypatch restores ROOT: nothing of the copy stays


def edit(path: Path, text: str = "\n# edited by a test\n") -> None:
    """Append ``text`` to a file of the copy (by default a comment: same behaviour, new bytes)."""
    path.write_bytes(path.read_bytes() + text.encode())
    closure._direct.cache_clear()  # imports are parsed once per process; a build edits nothing
