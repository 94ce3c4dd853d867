"""Every "compute it yourself" snippet on a generated page prints what the page shows.

The pages are generated afresh in memory; each snippet runs in a new Python
process (or, for a shell snippet, as the command a reader would type).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]

PAIR = re.compile(
    r'```(?P<lang>python|sh) title="Compute it yourself"\n(?P<code>.*?)```\s*\n'
    r'```text title="What it prints"\n(?P<out>.*?)```',
    re.S,
)


def _pairs():
    outputs = pipeline.collect(load_settings(ROOT))
    found = []
    for out in outputs:
        if out.path.endswith(".md"):
            text = out.data.decode("utf-8")
            for i, m in enumerate(PAIR.finditer(text)):
                found.append(pytest.param(m["lang"], m["code"], m["out"], id=f"{out.path}#{i}"))
    return found


PAIRS = _pairs()


def test_the_pages_have_snippets():
    assert len(PAIRS) >= 2


@pytest.mark.parametrize("lang, code, shown", PAIRS)
def test_snippet_prints_what_the_page_shows(lang, code, shown):
    if lang == "python":
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        printed = result.stdout
    else:
        printed = ""
        for line in code.splitlines():
            argv = shlex.split(line)
            if not argv or argv[0].startswith("#"):
                continue
            assert argv[0] == "python"
            result = subprocess.run([sys.executable, *argv[1:]], cwd=ROOT, capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            printed += result.stdout
    assert printed == shown
