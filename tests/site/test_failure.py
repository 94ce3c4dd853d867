"""A generator failure is one line, exits non-zero, and leaves earlier output intact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import mkdocs_build, site_env

pytestmark = pytest.mark.site

TEMPLATE = "generator/templates/pages/contributing/colophon.md.j2"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _generate(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project, env=site_env(), capture_output=True, text=True,
    )


def test_broken_template_leaves_generated_pages_and_site_intact(project_copy: Path):
    assert _generate(project_copy).returncode == 0
    site = project_copy / "site"
    assert mkdocs_build(project_copy, site).returncode == 0
    generated_before = _snapshot(project_copy / "build/docs")
    site_before = _snapshot(site)

    template = project_copy / TEMPLATE
    template.write_text(template.read_text() + "\n{{ a_value_nobody_computed }}\n")

    result = _generate(project_copy)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "colophon.md.j2" in lines[0]
    assert "a_value_nobody_computed" in lines[0] and "Traceback" not in result.stderr
    assert _snapshot(project_copy / "build/docs") == generated_before

    # The same mistake met through MkDocs: the build stops before touching site/.
    result = mkdocs_build(project_copy, site)
    assert result.returncode != 0
    assert "a_value_nobody_computed" in result.stderr
    assert _snapshot(site) == site_before
    assert _snapshot(project_copy / "build/docs") == generated_before


def test_internal_error_is_one_line_with_exit_1(project_copy: Path):
    code = (
        "import sys, generator.pipeline as p\n"
        "def boom(ctx):\n    raise RuntimeError('kaput')\n"
        "p.PRODUCERS.append(boom)\n"
        "from generator.__main__ import main\nsys.exit(main(['build']))\n"
    )
    before = _generate(project_copy)
    assert before.returncode == 0
    snapshot = _snapshot(project_copy / "build/docs")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project_copy, env=site_env(), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "RuntimeError: kaput" in result.stderr
    assert _snapshot(project_copy / "build/docs") == snapshot
