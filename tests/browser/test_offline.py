"""The offline bundle (``make offline``: mkdocs-offline.yml with ATLAS_OFFLINE=true) opened
from disk (file://) in Chromium: every link and asset is a file of the bundle, search
finds a page, math renders, figures load and the calculator starts."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from generator.commands.offline import FOLDER
from generator.settings import load_settings, offline_download_url
from tests.browser.test_search import first_hit
from tests.browser.test_site import FETCHED, LINKED, _settle
from tests.conftest import ROOT, generate, require_assets, site_env

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """``make offline``'s zip (``python -m generator offline``), unzipped: the folder a reader opens."""
    require_assets()
    if not (ROOT / "docs/vendor/iframe-worker/shim.js").is_file():
        pytest.fail("iframe-worker shim missing: run 'make docs/vendor/iframe-worker/shim.js'")
    made = generate(ROOT)
    assert made.returncode == 0, made.stderr[-4000:]
    where = tmp_path_factory.mktemp("offline")
    zipped = where / "bundle.zip"
    made = subprocess.run([sys.executable, "-m", "generator", "offline", "--out", str(zipped)],
                          cwd=ROOT, env=site_env(), capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-4000:]
    with zipfile.ZipFile(zipped) as z:
        z.extractall(where)
    return where / FOLDER


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in FETCHED.get(tag, []) + LINKED.get(tag, []):
            if attrs.get(name) and name != "srcset":
                self.urls.append(attrs[name].strip())


def _broken(bundle: Path) -> list[str]:
    broken = []
    for html in sorted(bundle.rglob("*.html")):
        if html.name == "404.html":  # Material writes it with absolute URLs, for a server
            continue
        refs = _Refs()
        refs.feed(html.read_text(encoding="utf-8"))
        for url in refs.urls:
            address = urldefrag(url)[0]
            if not address or urlsplit(address).scheme or address.startswith("//"):
                continue
            target = (html.parent / unquote(address)).resolve()
            if target.is_dir():
                broken.append(f"{html.relative_to(bundle)}: {url} is a folder (no index.html from disk)")
            elif not target.is_file() or bundle.resolve() not in target.parents:
                broken.append(f"{html.relative_to(bundle)}: {url}")
    return broken


def test_every_link_and_asset_is_a_file_of_the_bundle(bundle):
    assert _broken(bundle) == []


def test_search_math_figures_and_calculator_work_from_disk(browser, bundle):
    root = bundle.resolve().as_uri() + "/"
    browser.get(root + "index.html")
    assert first_hit(browser, "padding") == urlsplit(root + "foundations/padding.html").path
    browser.get(root + "foundations/padding.html")
    state = _settle(browser)
    assert state["arithmatex"] > 0 and not state["unrendered"] and not state["raw"], state
    assert not state["badImages"] and not state["pending"], state
    browser.get(root + "calculator.html")
    deadline = time.monotonic() + 10
    rows = 0
    while time.monotonic() < deadline and not rows:
        rows = browser.execute_script(
            "var r = document.getElementById('atlas-calc');"
            "return r && r.getAttribute('data-ready') ? r.querySelectorAll('tbody tr').length : 0;")
        time.sleep(0.1)
    assert rows > 0


def test_the_bundle_links_its_published_download(bundle):
    """The bundle cannot hold its own zip: its home page links the published one."""
    home = (bundle / "index.html").read_text(encoding="utf-8")
    href = re.search(r'<a [^>]*href="([^"]*convnet-atlas-offline\.zip)"[^>]*>', home)
    assert href is not None, "no download link on the bundle's home page"
    assert href.group(1) == offline_download_url(load_settings(ROOT))
    assert "download" in href.group(0)
