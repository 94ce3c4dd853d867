"""The command line reports the environment's failures and Ctrl-C as one line, no traceback."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run_with_producer(body: str, *argv: str) -> subprocess.CompletedProcess:
    code = (
        "import errno, os, sys, generator.pipeline as p\n"
        f"def producer(ctx):\n    {body}\n    yield from ()\n"
        "p.PRODUCERS[:] = [producer]\n"
        "import generator.fingerprint as f\nf.unchanged = lambda *a, **k: None\n"
        f"from generator.__main__ import main\nsys.exit(main({list(argv)!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    result = _run_with_producer("raise KeyboardInterrupt", "build", "--out", str(tmp_path / "o"))
    assert result.returncode == 130
    assert result.stderr.count("\n") == 1 and "interrupted" in result.stderr
    assert "Traceback" not in result.stderr


def test_disk_full_names_the_path_and_the_cause(tmp_path):
    target = tmp_path / "o" / "page.md"
    result = _run_with_producer(
        f"raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), {str(target)!r})",
        "build", "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "page.md" in result.stderr and "No space left on device" in result.stderr
    assert "internal error" not in result.stderr


def test_an_output_folder_that_cannot_be_made_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", "/proc/atlas-cannot-be-here/docs"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "/proc/atlas-cannot-be-here" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
