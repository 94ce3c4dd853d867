"""``offline --out PATH`` never replaces a file that is not an offline bundle.

It wrote the zip over whatever ``--out`` named: ``--out README.md`` (or a
hand-written page, or pyproject.toml) was replaced by the bundle.
"""

from __future__ import annotations

import zipfile

import pytest

from generator.commands import offline

from .helpers import one_line_error, project, run


@pytest.fixture
def fake_builder(monkeypatch):
    """MkDocs replaced by a site of one page: what the command does with it is tested."""
    def build_site(settings, config, into, **kw):
        into.mkdir(parents=True)
        (into / "index.html").write_text("<p>home</p>")
    monkeypatch.setattr(offline, "build_site", build_site)


def test_a_file_of_the_users_is_not_replaced(tmp_path, capsys, fake_builder):
    root = project(tmp_path)
    readme = root / "README.md"
    readme.write_text("# My project\n")
    message = one_line_error(capsys, "offline", "--root", str(root), "--out", str(readme))
    assert message == (f"{readme}: exists and is not an offline bundle; refusing to replace "
                       "it (remove it, or choose another path)")
    assert readme.read_text() == "# My project\n"
    message = one_line_error(capsys, "offline", "--root", str(root), "--out", str(root / "docs"))
    assert message == f"{root / 'docs'}: is a folder; give the path of the zip to write"


def test_a_new_path_and_a_bundle_are_written(tmp_path, capsys, fake_builder):
    root = project(tmp_path)
    target = root / "out/atlas.zip"
    for _ in range(2):  # written, then replaced
        code, err = run(capsys, "offline", "--root", str(root), "--out", str(target))
        assert code == 0, err
        with zipfile.ZipFile(target) as z:
            assert z.namelist() == ["convnet-atlas/index.html"]
