"""A malformed setting is one line, exit 2: each of these was an internal error (exit 1).

``pyproject.toml`` and ``mkdocs.yml`` are the user's files: a table given as a number,
bytes that are not UTF-8, a path with a NUL character.
"""

from __future__ import annotations

import pytest

from .helpers import one_line_error, project


@pytest.mark.parametrize("pyproject, expected", [
    (b"[tool]\nconvnet-atlas = 5\n", "pyproject.toml: tool.convnet-atlas must be a table, "
                                     "found int 5"),
    (b"tool = 'x'\n", "pyproject.toml: tool must be a table, found str 'x'"),
    (b"[project]\nurls = []\n", "pyproject.toml: project.urls must be a table, found list []"),
    (b"[tool.convnet-atlas]\nuser_specs = '\xff'\n", "pyproject.toml: not valid TOML: 'utf-8' "
     "codec can't decode byte 0xff in position 35: invalid start byte"),
    (b'[tool.convnet-atlas]\nuser_specs = "a\\u0000b"\n', "pyproject.toml: "
     "[tool.convnet-atlas]: user_specs must be a path string, found str 'a\\x00b'"),
])
def test_a_malformed_pyproject(tmp_path, capsys, pyproject, expected):
    root = project(tmp_path)
    (root / "pyproject.toml").write_bytes(pyproject)
    assert one_line_error(capsys, "table", "mynet", "--root", str(root)) == expected


def test_a_builder_config_that_is_not_utf8(tmp_path, capsys):
    root = project(tmp_path)
    (root / "mkdocs.yml").write_bytes(b"site_name: caf\xe9\ndocs_dir: build/docs\n")
    assert one_line_error(capsys, "table", "mynet", "--root", str(root)) == (
        "mkdocs.yml: not UTF-8 text (invalid continuation byte at byte 14)")
