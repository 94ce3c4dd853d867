"""Shared fixtures: the real site built once per session, and a scratch copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def site_env(**extra: str) -> dict[str, str]:
    """The environment of a reproducible build, as the Makefile sets it."""
    env = dict(os.environ)
    env.pop("ATLAS_SKIP_GENERATE", None)
    env.update(SOURCE_DATE_EPOCH="1700000000", NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    env.update(extra)
    return env


def generate(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m generator build`` in ``project``."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *args],
        cwd=project, env=site_env(**env), capture_output=True, text=True,
    )


def mkdocs_build(project: Path, site_dir: Path, *, config: str = "mkdocs.yml",
                 **env: str) -> subprocess.CompletedProcess:
    """The generator, then ``mkdocs build --strict`` of ``project`` into ``site_dir``.

    Returns the generator's result when it fails (MkDocs then does not run).
    """
    if (project / "generator").is_dir():
        made = generate(project, **env)
        if made.returncode != 0:
            return made
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config,
         "--site-dir", str(site_dir)],
        cwd=project, env=site_env(**env), capture_output=True, text=True,
    )


def require_assets() -> None:
    if not (ROOT / "docs/vendor/katex/katex.min.js").is_file():
        pytest.fail("KaTeX assets missing: run the tests through 'make test' (it runs 'make assets')")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once with --strict into a temporary folder."""
    require_assets()
    site = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's sources (no venv, no outputs) to break on purpose."""
    require_assets()
    dst = tmp_path / "project"
    dst.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dst / name)
    ignore = shutil.ignore_patterns("__pycache__", "generated", "build")
    shutil.copytree(ROOT / "generator", dst / "generator", ignore=ignore)
    shutil.copytree(ROOT / "docs", dst / "docs", ignore=ignore)
    # The content-addressed caches (figures, trained weights) are safe to share and
    # spare each copy a cold render; the last build's state belongs to ROOT only.
    cache = ROOT / ".cache/generator"
    if cache.is_dir():
        shutil.copytree(cache, dst / ".cache/generator", ignore=shutil.ignore_patterns("build-state.json"))
    return dst
