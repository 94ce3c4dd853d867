"""A user's spec file whose name the build cannot use is refused first, naming the file.

Before, such a file passed the spec folder's scan and failed later, in the middle of
the build, naming something else: a spec named like a built-in (``resnet18.yaml``), two
files with one id (``A.yaml`` and ``a.yml``) or an id of the section's page
(``index.yaml``) stopped with ``generator/figures/catalog.py: figure id ... is used
twice`` or ``architectures/index.md: generated twice``; a file name of 250 characters
left the output half-written; a file name that is not UTF-8 was an internal error.
"""

from __future__ import annotations

import os

import pytest

from generator.errors import UserError
from generator import spec_files
from generator.specs import spec_id, user_spec_files
from generator.specs import BUILTINS

from .helpers import one_line_error, project

TINY = "name: Tiny\ninput: [1, 8, 8]\nlayers:\n  - conv: {out: 2, kernel: 3}\n"


@pytest.mark.parametrize("names, expected", [
    (["resnet18.yaml"], "docs/specs/resnet18.yaml: its id 'resnet18' is the built-in network "
                        "resnet18's, whose page has the same name; rename the file"),
    (["Lenet5.YML"], "docs/specs/Lenet5.YML: its id 'lenet5' is the built-in network "
                     "lenet5's, whose page has the same name; rename the file"),
    (["index.yaml"], "docs/specs/index.yaml: its id 'index' is the name of the section's "
                     "own page; rename the file"),
    (["A.yaml", "a.yml"], "docs/specs/a.yml: its id 'a' is also the id of docs/specs/A.yaml "
                          "(an id is the file name in lower case, without the suffix, other "
                          "characters as '-'); rename one of them"),
    (["My Net.yaml", "my-net.yaml"], "docs/specs/my-net.yaml: its id 'my-net' is also the id "
                                     "of docs/specs/My Net.yaml"),
    (["x" * 101 + ".yaml"], f"docs/specs/{'x' * 101}.yaml: the file name gives the id "
                            f"'{'x' * 20}…' of 101 characters, and a spec's pages and files "
                            "are named after it; an id may have at most 100: shorten the "
                            "file name"),
])
def test_a_spec_whose_id_the_build_cannot_use(tmp_path, monkeypatch, names, expected):
    root = project(tmp_path)
    for name in names:
        (root / "docs/specs" / name).write_text(TINY)
    monkeypatch.chdir(root)
    with pytest.raises(UserError) as info:
        user_spec_files("docs/specs")
    assert str(info.value).startswith(expected), str(info.value)


def test_a_hundred_characters_is_allowed(tmp_path):
    assert spec_files.MAX_ID_CHARS == 100
    (tmp_path / f"{'y' * 100}.yaml").write_text(TINY)
    assert [spec_id(p) for p in user_spec_files(tmp_path)] == ["y" * 100]


def test_a_file_name_that_is_not_utf8_is_one_line(tmp_path, capsys):
    root = project(tmp_path)
    with open(os.fsencode(root / "docs/specs") + b"/net\xff.yaml", "wb") as fh:
        fh.write(TINY.encode())
    message = one_line_error(capsys, "table", "net", "--root", str(root))
    assert message == (f"{root}/docs/specs/net\\udcff.yaml: the file name is not UTF-8 text; "
                       "rename the file")


def test_the_cli_names_the_file_that_takes_a_builtin_id(tmp_path, capsys):
    root = project(tmp_path)
    (root / "docs/specs/mine.yaml").write_text(TINY)
    (root / "docs/specs/VGG16.yaml").write_text(TINY)
    message = one_line_error(capsys, "table", "mine", "--root", str(root))
    assert message.startswith(f"{root}/docs/specs/VGG16.yaml: its id 'vgg16' is the built-in")


def test_the_builtin_ids_are_the_builtin_networks():
    """The light scan of the built-ins' folder and the ordered list agree."""
    assert spec_files.builtin_ids() == frozenset(BUILTINS) and len(BUILTINS) > 20


def test_a_file_too_large_is_refused_before_any_spec_is_read(tmp_path, monkeypatch):
    """The build's fingerprint read every spec file whole: a 10 GB file (sparse here)
    named huge.yaml ran the build out of memory before the size was checked."""
    (tmp_path / "huge.yaml").write_bytes(b"")
    os.truncate(tmp_path / "huge.yaml", 10 << 30)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as info:
        user_spec_files(".")
    assert str(info.value) == ("huge.yaml: the file has 10,737,418,240 bytes; a spec may have "
                               "at most 1,048,576 (1 MiB)")
