"""`make serve`'s server picks up an edit to a generator template, and settles (no rebuild
loop); a request for a missing file (a browser's /favicon.ico) does not stop the rebuilds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import generate, site_env

pytestmark = pytest.mark.site

PAGE = "contributing/colophon/"
TEMPLATE = "generator/templates/pages/contributing/colophon.md.j2"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body is not None and text in body:
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_after_a_template_edit_and_then_settles(project_copy: Path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/convnet-atlas/{PAGE}"
    assert generate(project_copy).returncode == 0  # as `make serve` does first
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project_copy, env=site_env(ATLAS_STRICT="false"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert _wait_for(url, "How this site is built", 60), "mkdocs serve did not come up"
        assert _get(f"http://127.0.0.1:{port}/favicon.ico") is None  # a 404, logged as a warning
        template = project_copy / TEMPLATE
        template.write_text(template.read_text() + "\nThis line was live-edited.\n")
        assert _wait_for(url, "live-edited", 60), "the template edit did not reach the served page"
        template.write_text(template.read_text() + "\nAnd a second edit.\n")
        assert _wait_for(url, "second edit", 60), "a rebuild after the 404 did not happen"
        # Settled: with no further edits the generated file stops changing (no loop).
        generated = project_copy / "build/docs/contributing/colophon.md"
        time.sleep(3)
        stamp = generated.stat().st_mtime_ns
        time.sleep(4)
        assert generated.stat().st_mtime_ns == stamp
    finally:
        server.terminate()
        try:
            log = server.communicate(timeout=10)[1]
        except subprocess.TimeoutExpired:
            server.kill()
            log = server.communicate()[1]
    assert log.count("Building documentation") <= 6, log[-3000:]
