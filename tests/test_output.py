"""The generator owns its output folder through a manifest and never removes anything else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.output import MANIFEST, Output, check_out_dir, read_manifest, sync_tree
from tests.conftest import ROOT


def _sync(out: Path, files: dict[str, bytes], root: Path):
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    return sync_tree([Output(k, v) for k, v in files.items()], out, root=root, protected=[docs])


def test_unchanged_files_keep_their_time_so_serve_sees_no_change(tmp_path: Path):
    out = tmp_path / "out"
    _sync(out, {"a.md": b"A", "sub/b.md": b"B"}, tmp_path)
    past = 1_000_000_000
    for p in out.rglob("*.md"):
        os.utime(p, ns=(past, past))
    report = _sync(out, {"a.md": b"A", "sub/b.md": b"B2"}, tmp_path)
    assert report.written == ("sub/b.md",) and report.unchanged == 1
    assert (out / "a.md").stat().st_mtime_ns == past
    assert (out / "sub/b.md").read_bytes() == b"B2"


def test_sync_writes_changed_files_and_removes_only_its_own(tmp_path: Path):
    out = tmp_path / "build/docs"
    first = _sync(out, {"a.md": b"A", "sub/b.md": b"B"}, tmp_path)
    assert sorted(first.written) == ["a.md", "sub/b.md"]
    assert read_manifest(out) == {"a.md", "sub/b.md"}
    second = _sync(out, {"a.md": b"A2"}, tmp_path)
    assert second.written == ("a.md",) and second.removed == ("sub/b.md",)
    assert not (out / "sub").exists()
    assert read_manifest(out) == {"a.md"}


@pytest.mark.parametrize("name", ["thesis.md", "notes/draft.txt"])
def test_a_file_it_did_not_write_stops_the_sync_before_anything_changes(tmp_path: Path, name):
    out = tmp_path / "out"
    _sync(out, {"a.md": b"A"}, tmp_path)
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    (out / name).write_text("mine")
    with pytest.raises(UserError, match=name.split("/")[0]):
        _sync(out, {"b.md": b"B"}, tmp_path)
    assert (out / name).read_text() == "mine" and (out / "a.md").read_bytes() == b"A"


def test_a_folder_without_manifest_is_refused_unless_empty(tmp_path: Path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    _sync(scratch, {"x.md": b"x"}, tmp_path)  # empty: taken
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.md").write_text("years of work")
    with pytest.raises(UserError, match="did not write"):
        _sync(other, {"x.md": b"x"}, tmp_path)
    assert (other / "thesis.md").read_text() == "years of work"
    assert not (other / MANIFEST).exists()


@pytest.mark.parametrize("where", [".", "docs", "docs/generated", ".."])
def test_root_docs_and_their_insides_or_parents_are_refused(tmp_path: Path, where):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    with pytest.raises(UserError, match="refusing"):
        check_out_dir((root / where), root=root, protected=[root / "docs"])


def test_a_git_repository_is_refused(tmp_path: Path):
    (tmp_path / "out/.git").mkdir(parents=True)
    with pytest.raises(UserError, match=".git"):
        check_out_dir(tmp_path / "out", root=tmp_path / "p", protected=[])


def test_a_forged_or_broken_manifest_owns_nothing(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.md").write_text("mine")
    for text in ["[]", "null", "{", json.dumps({"owner": "someone", "files": ["keep.md"]}),
                 json.dumps({"owner": "convnet-atlas generator", "files": ["../escape.md"]})]:
        (out / MANIFEST).write_text(text)
        with pytest.raises(UserError):
            _sync(out, {"x.md": b"x"}, tmp_path)
        assert (out / "keep.md").read_text() == "mine"


def test_a_build_killed_after_the_first_manifest_recovers(tmp_path: Path):
    out = tmp_path / "out"
    _sync(out, {"a.md": b"A"}, tmp_path)
    # What a kill between writing files and the final manifest leaves: a half-written
    # temporary file, and the manifest of old | new.
    (out / ".b.md.atlas-tmp").write_bytes(b"half")
    (out / "b.md").write_bytes(b"B")
    (out / MANIFEST).write_text(json.dumps({"owner": "convnet-atlas generator", "files": ["a.md", "b.md"]}))
    report = _sync(out, {"c.md": b"C"}, tmp_path)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "c.md"]
    assert sorted(report.removed) == ["a.md", "b.md"]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("out", ["docs", ".", "docs/specs", "generator"])
def test_cli_refuses_the_project_and_hand_written_folders_with_one_line(out):
    before = _tree(ROOT / "docs")
    result = _cli("build", "--root", str(ROOT), "--out", out)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert _tree(ROOT / "docs") == before


def test_cli_refuses_a_scratch_folder_holding_a_thesis(tmp_path: Path):
    (tmp_path / "thesis.md").write_text("chapter one")
    result = _cli("build", "--root", str(ROOT), "--out", str(tmp_path))
    assert result.returncode == 2 and "thesis.md" in result.stderr
    assert (tmp_path / "thesis.md").read_text() == "chapter one"
