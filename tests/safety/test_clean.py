"""``clean`` removes what the generator made and nothing else, whatever the settings say.

It removed the cache folder whole, wherever the ``cache_dir`` setting pointed: with
``cache_dir = "."`` (or an empty path) it deleted the whole project, with ``"docs"`` the
hand-written pages. And it removed the manifest's files through a folder that had become
a link to somewhere else.
"""

from __future__ import annotations

import pytest

from generator.output import MANIFEST

from .helpers import files, one_line_error, project, run


@pytest.mark.parametrize("setting, why", [
    ('cache_dir = "."', "it is or holds the project"),
    ('cache_dir = ""', "it is or holds the project"),
    ('cache_dir = "docs"', "it overlaps the docs_dir folder docs"),
    ('cache_dir = "docs/specs"', "it overlaps the docs_dir folder docs"),
    ('cache_dir = "build"', "it overlaps the out_dir folder build/docs"),
])
def test_a_cache_setting_naming_other_files_removes_nothing(tmp_path, capsys, setting, why):
    root = project(tmp_path / "p", setting)
    (root / "build/docs").mkdir(parents=True)
    before = files(root)
    message = one_line_error(capsys, "clean", "--root", str(root))
    assert message.endswith(f": refusing to remove the cache folder (the cache_dir setting): "
                            f"{why}; nothing was removed"), message
    assert files(root) == before


def test_a_cache_setting_naming_a_folder_that_holds_the_project(tmp_path, capsys):
    root = project(tmp_path / "home/p", f'cache_dir = "{tmp_path / "home"}"')
    (tmp_path / "home/photo.jpg").write_bytes(b"jpeg")
    before = files(tmp_path)
    message = one_line_error(capsys, "clean", "--root", str(root))
    assert message == (f"{tmp_path / 'home'}: refusing to remove the cache folder (the "
                       "cache_dir setting): it is or holds the project; nothing was removed")
    assert files(tmp_path) == before


def test_the_cache_inside_the_project_goes_and_one_outside_stays(tmp_path, capsys):
    root = project(tmp_path / "p")
    (root / ".cache/generator/figures").mkdir(parents=True)
    (root / ".cache/generator/figures/a.svg").write_text("<svg/>")
    assert run(capsys, "clean", "--root", str(root))[0] == 0
    assert not (root / ".cache/generator").exists()
    assert (root / "notes/thesis.md").is_file()

    outside = tmp_path / "elsewhere"
    (outside / "figures").mkdir(parents=True)
    (outside / "mine.txt").write_text("mine")
    (root / "pyproject.toml").write_text(f"[tool.convnet-atlas]\ncache_dir = \"{outside}\"\n")
    code, err = run(capsys, "clean", "--root", str(root))
    assert code == 0 and f"left the cache folder {outside}: it is outside the project" in err
    assert (outside / "mine.txt").read_text() == "mine"


def test_clean_removes_no_file_through_a_linked_folder(tmp_path, capsys):
    root = project(tmp_path / "p")
    out = root / "build/docs"
    out.mkdir(parents=True)
    (out / "page.md").write_text("generated")
    (out / MANIFEST).write_text('{"owner": "convnet-atlas generator", '
                                '"files": ["page.md", "figures/a.svg"]}')
    elsewhere = tmp_path / "photos"
    elsewhere.mkdir()
    (elsewhere / "a.svg").write_text("my drawing")
    (out / "figures").symlink_to(elsewhere)  # a generated folder replaced by a link
    assert run(capsys, "clean", "--root", str(root))[0] == 0
    assert (elsewhere / "a.svg").read_text() == "my drawing"
    assert not (out / "page.md").exists()
