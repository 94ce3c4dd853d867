"""The site builds strictly, reproducibly, and fetches nothing from elsewhere."""

from __future__ import annotations

import filecmp
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.site


def test_strict_build_produces_home_and_generated_pages(built_site: Path):
    assert (built_site / "index.html").is_file()
    colophon = (built_site / "contributing/colophon/index.html").read_text()
    assert "How this site is built" in colophon
    # KaTeX is copied into the build, not fetched.
    assert (built_site / "vendor/katex/katex.min.js").is_file()
    assert list((built_site / "vendor/katex/fonts").glob("*.woff2"))


def test_broken_internal_link_fails_the_strict_build(tmp_path: Path):
    fixture = tmp_path / "broken"
    shutil.copytree(Path(__file__).parent / "fixtures/broken_link", fixture)
    result = mkdocs_build(fixture, tmp_path / "out")
    assert result.returncode != 0
    assert "missing.md" in result.stderr
    # Control: the same fixture with the link mended builds, so the link was the cause.
    page = fixture / "docs/index.md"
    page.write_text(page.read_text().replace("(missing.md)", "(index.md)"))
    assert mkdocs_build(fixture, tmp_path / "out2").returncode == 0


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_two_builds_are_byte_identical(built_site: Path, tmp_path: Path):
    again = tmp_path / "again"
    result = mkdocs_build(ROOT, again)
    assert result.returncode == 0, result.stderr[-4000:]
    files = _tree(built_site)
    assert files == _tree(again)
    _, mismatch, errors = filecmp.cmpfiles(built_site, again, files, shallow=False)
    assert (mismatch, errors) == ([], [])


class _Fetches(HTMLParser):
    """Collects the URLs a browser would fetch while loading a page."""

    FETCHED = {
        "script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"],
        "iframe": ["src"], "video": ["src", "poster"], "audio": ["src"],
        "embed": ["src"], "object": ["data"], "input": ["src"], "track": ["src"],
    }
    #: <link rel=...> values whose href the browser loads.
    LOADED_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload",
                   "manifest", "apple-touch-icon", "preconnect", "dns-prefetch"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in self.FETCHED.get(tag, []):
            if attrs.get(name):
                self.urls.extend(u.strip().split(" ")[0] for u in attrs[name].split(","))
        if tag == "link" and set((attrs.get("rel") or "").split()) & self.LOADED_RELS:
            self.urls.append(attrs.get("href") or "")
        if attrs.get("style"):
            self.urls.extend(_css_urls(attrs["style"]))


def _css_urls(css: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    urls += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return urls


EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def test_no_page_fetches_anything_from_another_server(built_site: Path):
    offenders = []
    for html in built_site.rglob("*.html"):
        parser = _Fetches()
        parser.feed(html.read_text(encoding="utf-8"))
        for block in re.findall(r"<style[^>]*>(.*?)</style>", html.read_text(), re.S):
            parser.urls.extend(_css_urls(block))
        offenders += [f"{html.relative_to(built_site)}: {u}" for u in parser.urls if EXTERNAL.match(u)]
    for css in built_site.rglob("*.css"):
        offenders += [
            f"{css.relative_to(built_site)}: {u}"
            for u in _css_urls(css.read_text(encoding="utf-8"))
            if EXTERNAL.match(u)
        ]
    assert offenders == []


def test_the_fetch_check_would_catch_an_external_resource():
    parser = _Fetches()
    parser.feed(
        '<link rel="stylesheet" href="https://fonts.example/css">'
        '<script src="//cdn.example/katex.js"></script><a href="https://ok.example">ok</a>'
        '<div style="background: url(https://img.example/x.png)"></div>'
    )
    assert [u for u in parser.urls if EXTERNAL.match(u)] == [
        "https://fonts.example/css", "//cdn.example/katex.js", "https://img.example/x.png",
    ]
