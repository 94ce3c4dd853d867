"""The navigation is data the generator writes: complete without the MkDocs hook, and the
same for any builder that reads ``.nav.yml`` (Zensical, where it is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.pages import navigation, site_map
from tests.conftest import ROOT, generate, mkdocs_build, site_env

pytestmark = pytest.mark.site


def _without_hooks(project: Path) -> str:
    """A copy of the project's builder config with the ``hooks:`` entry removed."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    stripped = re.sub(r"(?m)^hooks:\n(?:  - .*\n)+", "", text)
    assert stripped != text and "mkdocs_hook" not in stripped
    (project / "nohook.yml").write_text(stripped, encoding="utf-8")
    return "nohook.yml"


def _nav_links(html: str) -> list[str]:
    """The page links of the primary nav, in order, as URLs relative to the site root."""
    nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>\n  </div>", 1)[0]
    return re.findall(r'<a href="([^"#]*)" class="md-nav__link', nav)


def _url(path: str) -> str:
    """The URL MkDocs gives a page path (directory URLs)."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def test_nav_is_complete_without_the_hook(project_copy: Path):
    config = _without_hooks(project_copy)
    site = project_copy / "out"
    result = mkdocs_build(project_copy, site, config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    declared = navigation.paths(
        yaml.safe_load((project_copy / "build/docs" / navigation.NAV_FILE).read_text())["nav"])
    # Every declared section page and every network page is in the nav file ...
    for section in site_map.SECTIONS:
        assert section.index in declared
        for page in section.pages:
            assert section.path(page) in declared
    assert "architectures/resnet50.md" in declared
    # ... and in the built nav of a page, in the same order.
    home = (site / "index.html").read_text(encoding="utf-8")
    links = [link.removeprefix("./").removeprefix(".") for link in _nav_links(home)]
    assert links == [_url(p) for p in declared]


def test_every_page_is_at_its_clean_url(built_site: Path):
    for url in ("foundations/padding/", "architectures/resnet50/", "beyond/triplet-loss/",
                "reference/errata/", "contributing/gallery/", "calculator/"):
        assert (built_site / url / "index.html").is_file(), url
    assert not (built_site / "generated").exists()


# .ci/run installs Zensical into its own environment (it brings its own theme and
# dependencies); a zensical on the PATH will do as well.
zensical = shutil.which("zensical") or str(ROOT / ".venv-zensical/bin/zensical")


@pytest.mark.skipif(not Path(zensical).is_file(), reason="Zensical is not installed (pip install zensical)")
def test_zensical_builds_the_same_pages_and_nav(project_copy: Path, tmp_path: Path):
    assert generate(project_copy).returncode == 0
    mk = mkdocs_build(project_copy, tmp_path / "mk")
    assert mk.returncode == 0, mk.stderr[-3000:]
    zen = subprocess.run([str(zensical), "build"], cwd=project_copy, env=site_env(),
                         capture_output=True, text=True, timeout=600)
    assert zen.returncode == 0, zen.stderr[-3000:]
    zsite = project_copy / "site"

    def pages(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("index.html")}

    assert pages(zsite) >= pages(tmp_path / "mk") - {"404.html"}

    def norm(links):
        return [link.removeprefix("./").removeprefix(".") for link in links]

    mk_nav = norm(_nav_links((tmp_path / "mk/index.html").read_text()))
    zen_nav = norm(re.findall(r'<a href="([^"#]*)" class="md-nav__link',
                              (zsite / "index.html").read_text()))
    assert [link for link in zen_nav if link in mk_nav] == mk_nav
