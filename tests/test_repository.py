"""The repository's address has one place, pyproject.toml's [project.urls]; hand-written
pages write {{ repository }} and the copy into the builder's folder fills it in."""

from pathlib import Path

import pytest

from generator import pipeline
from generator.errors import UserError
from generator.settings import REPOSITORY_TOKEN, load_settings

ROOT = Path(__file__).resolve().parents[1]


def _project(tmp_path, urls: str, page: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'x'\n{urls}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("docs_dir: build/docs\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "docs" / "raw.txt").write_text(page, encoding="utf-8")
    return tmp_path


def test_the_token_becomes_the_address_in_markdown_only(tmp_path):
    root = _project(tmp_path, "[project.urls]\nRepository = 'https://example.org/r'\n",
                    f"git clone {REPOSITORY_TOKEN} here\n")
    copied = {o.path: o.data for o in pipeline.handwritten(load_settings(root))}
    assert copied["index.md"] == b"git clone https://example.org/r here\n"
    assert copied["raw.txt"] == f"git clone {REPOSITORY_TOKEN} here\n".encode()


def test_a_page_with_the_token_and_no_address_is_one_line(tmp_path):
    root = _project(tmp_path, "", f"see {REPOSITORY_TOKEN}\n")
    with pytest.raises(UserError, match=r"docs/index.md: writes \{\{ repository \}\}"):
        pipeline.handwritten(load_settings(root))


def test_the_project_states_its_address_once():
    settings = load_settings(ROOT)
    assert settings.repository.startswith("https://")
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert REPOSITORY_TOKEN in home and settings.repository not in home
