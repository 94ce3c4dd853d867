"""The output folder is never left half-written by a name the file system cannot hold.

A user's spec named with 250 characters made the build write pages and figures named
after it: the sync listed them in the manifest, wrote some files, failed on the first
name too long, and left the folder half-updated; every later build then failed on
that name ("File name too long") until the output folder was deleted by hand.
"""

from __future__ import annotations

import pytest

from generator.output import Output, read_manifest, sync_tree

from .helpers import files


def _sync(root, out, outputs):
    return sync_tree([Output(k, v) for k, v in outputs.items()], out, root=root,
                     protected=[root / "docs"])


def test_a_name_too_long_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "docs").mkdir()
    out = tmp_path / "build/docs"
    _sync(tmp_path, out, {"a.md": b"A", "sub/b.md": b"B"})
    before = files(out)
    long = "x" * 250
    with pytest.raises(ValueError, match="not a path the generator may write"):
        _sync(tmp_path, out, {"a.md": b"A2", f"sub/{long}.csv": b"C", "z.md": b"Z"})
    assert files(out) == before
    # the longest name that fits, with the temporary name it is first written under
    fits = "y" * (255 - len(".") - len(".atlas-tmp"))
    _sync(tmp_path, out, {fits: b"Y"})
    assert (out / fits).read_bytes() == b"Y" and read_manifest(out) == {fits}
