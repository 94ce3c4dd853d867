"""`make site` itself: strict for real (a warning fails it, site/ stays), and two at once
wait for each other and leave one complete site."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, site_env

pytestmark = pytest.mark.site


def _make(project: Path, *targets: str) -> subprocess.Popen:
    # The copy shares the project's environment and assets; -o keeps make from
    # reinstalling them because the copied files look newer.
    return subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "docs/vendor/katex/.copied",
         *targets],
        cwd=project, env=site_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture
def make_project(project_copy: Path) -> Path:
    for name in ("Makefile", "constraints.txt", "package.json", "package-lock.json"):
        (project_copy / name).write_bytes((ROOT / name).read_bytes())
    os.symlink(ROOT / ".venv", project_copy / ".venv")
    if (ROOT / "node_modules").is_dir():
        os.symlink(ROOT / "node_modules", project_copy / "node_modules")
    return project_copy


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_warning_fails_make_site_and_leaves_the_site(make_project: Path):
    first = _make(make_project, "site")
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err[-3000:]
    before = _files(make_project / "site")
    assert "index.html" in before
    page = make_project / "docs/index.md"
    page.write_text(page.read_text() + "\nSee [a page that is not there](missing-page.md).\n")
    second = _make(make_project, "site")
    out, err = second.communicate(timeout=900)
    assert second.returncode != 0
    assert "missing-page.md" in err and "WARNING" in err
    assert _files(make_project / "site") == before


def test_two_make_site_at_once_both_succeed_with_one_complete_site(make_project: Path):
    runs = [_make(make_project, "site") for _ in range(2)]
    results = [(run.wait(timeout=900), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0], [err[-2000:] for _, err in results]
    site = make_project / "site"
    files = _files(site)
    assert "index.html" in files and "foundations/padding/index.html" in files
    assert not list(make_project.glob(".site.*"))  # no temporary tree left behind
    # Complete: the same files as a third, lone build.
    third = _make(make_project, "site")
    assert third.wait(timeout=900) == 0
    assert sorted(_files(site)) == sorted(files)
