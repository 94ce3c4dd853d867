"""Which files are users' specs: the same rule for the site and the CLI, and one line for
a name that looks like a spec but cannot be read (instead of leaving it out silently)."""

from __future__ import annotations

import os

import pytest

from generator.__main__ import main
from generator.errors import UserError
from generator.specs import is_spec_name, load_spec, spec_id, user_spec_files

TINY = "name: Tiny\ninput: [4]\nlayers: [{fc: {out: 2}}]\n"


def test_yaml_and_yml_in_any_case_are_specs_and_hidden_files_are_not():
    assert [n for n in ["a.yaml", "b.yml", "C.YAML", "d.Yml", ".#e.yaml", ".f.yml",
                        "g.yaml~", "h.json", "i.yaml.swp", "yaml", ".yaml", "j.txt.yaml"]
            if is_spec_name(n)] == ["a.yaml", "b.yml", "C.YAML", "d.Yml", "j.txt.yaml"]


def test_user_spec_files_lists_every_spec_name_sorted(tmp_path):
    for name in ["b.yml", "a.yaml", "C.YAML", "notes.md", ".#a.yaml"]:
        (tmp_path / name).write_text(TINY)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deeper.yaml").write_text(TINY)
    assert [p.name for p in user_spec_files(tmp_path)] == ["C.YAML", "a.yaml", "b.yml"]
    assert [spec_id(p) for p in user_spec_files(tmp_path)] == ["c", "a", "b"]
    assert user_spec_files(tmp_path / "missing") == []


def test_an_editor_lock_link_to_nothing_is_not_a_spec(tmp_path):
    (tmp_path / ".#a.yaml").symlink_to("user@host.1234:1700000000")
    (tmp_path / "a.yaml").write_text(TINY)
    assert [p.name for p in user_spec_files(tmp_path)] == ["a.yaml"]


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.symlink_to(p), "loop.yaml: cannot be read: a symbolic link loop"),
    (lambda p: p.symlink_to(p.parent / "nowhere"),
     "loop.yaml: cannot be read: a symbolic link to nothing"),
    (lambda p: p.mkdir(), "loop.yaml: is a folder, not a spec file"),
    (lambda p: os.mkfifo(p), "loop.yaml: not a regular file (a spec is a YAML text file)"),
])
def test_a_spec_name_that_is_not_a_readable_file_is_one_line(tmp_path, make, expected):
    make(tmp_path / "loop.yaml")
    with pytest.raises(UserError) as info:
        user_spec_files(tmp_path)
    assert str(info.value).endswith(expected)
    with pytest.raises(UserError) as info:
        load_spec(tmp_path / "loop.yaml")  # the CLI's way in; a FIFO must not block it
    assert str(info.value).endswith(expected)


def test_a_specs_folder_that_is_a_loop_or_a_file_is_one_line(tmp_path):
    loop = tmp_path / "specs"
    loop.symlink_to(loop)
    with pytest.raises(UserError, match=r"specs: cannot be read: a symbolic link loop$"):
        user_spec_files(loop)
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(UserError, match=r"file: not a folder \(it should hold spec files\)$"):
        user_spec_files(file)


def test_a_file_name_that_is_not_text_is_shown_escaped(tmp_path, capsys):
    """A name of non-UTF-8 bytes (a lone surrogate once decoded) still prints on one line."""
    name = os.fsdecode(b"bad\xff\n.yaml")
    (tmp_path / name).write_text("name: [\n")
    assert main(["table", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad\\udcff\\n.yaml: line 2, column 1: not valid YAML" in err
    err.encode("utf-8")  # printable as it is


def test_the_cli_reads_yml_specs_by_path_and_by_id(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[tool.convnet-atlas]\n")
    (tmp_path / "mkdocs.yml").write_text("docs_dir: build/docs\n")
    (tmp_path / "docs/specs").mkdir(parents=True)
    (tmp_path / "docs/specs/My Net.YML").write_text(TINY)
    assert main(["table", str(tmp_path / "docs/specs/My Net.YML"), "--format", "csv"]) == 0
    by_path = capsys.readouterr().out
    assert main(["table", "my-net", "--root", str(tmp_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out == by_path and by_path.count("\n") == 2
