"""A spec full of attacks builds, and Chromium shows each of its strings literally and
runs none of them, on its own page and in the nav of every other page.

The spec (payload-spec/payloads.yaml) is copied into a scratch copy of the project,
also under a file name that is itself a payload, and the whole site is built with
``--strict``. Before any page script runs, a trap replaces ``alert``, ``confirm``,
``prompt`` and ``print``; every payload would set ``window.__pwned`` or call one of
them, or fetch ``x`` (an image error in the console).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from generator.specs import load_spec, spec_id
from generator.tables import layer_table
from tests.browser.conftest import console_errors, serve
from tests.conftest import mkdocs_build

pytestmark = pytest.mark.site

HERE = Path(__file__).resolve().parent
PAYLOADS = HERE / "payload-spec/payloads.yaml"
#: The spec again, under a file name that is a payload (its page shows the name).
PAYLOAD_FILE = '<img src=x onerror="window.__pwned=13"> $x$ `a`.yaml'
SITE_NAME = "ConvNet Atlas"

TRAP = """
window.__pwned = undefined;
['alert', 'confirm', 'prompt', 'print'].forEach(function (f) {
  window[f] = function () { window.__pwned = 'called ' + f; };
});
"""

#: The text of an element as a reader sees it, without the heading's permalink.
TEXT = """
var clone = arguments[0].cloneNode(true);
clone.querySelectorAll('.headerlink').forEach(function (a) { a.remove(); });
return clone.textContent;
"""

#: What no page may have: a script run, a link that is neither http(s) nor a download
#: (the calculator's YAML export), an inline event handler.
DAMAGE = """
var bad = [];
if (window.__pwned !== undefined) bad.push('ran: ' + window.__pwned);
[].forEach.call(document.links, function (a) {
  var download = a.protocol === 'data:' && a.hasAttribute('download');
  if (!/^https?:$/.test(a.protocol) && !download) bad.push('link: ' + a.href);
});
[].forEach.call(document.querySelectorAll('*'), function (el) {
  [].forEach.call(el.attributes, function (at) {
    if (/^on/i.test(at.name)) bad.push('handler: <' + el.tagName + ' ' + at.name + '>');
  });
});
[].forEach.call(document.scripts, function (s) {
  if (/__pwned/.test(s.textContent)) bad.push('script element: ' + s.textContent);
});
return bad;
"""


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory, browser):
    """The project with the payload spec, built strictly and served; the trap installed."""
    from tests.conftest import ROOT, require_assets

    require_assets()
    project = tmp_path_factory.mktemp("payloads") / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)
    ignore = shutil.ignore_patterns("__pycache__", "generated", "build")
    shutil.copytree(ROOT / "generator", project / "generator", ignore=ignore)
    shutil.copytree(ROOT / "docs", project / "docs", ignore=ignore)
    cache = ROOT / ".cache/generator"
    if cache.is_dir():
        shutil.copytree(cache, project / ".cache/generator",
                        ignore=shutil.ignore_patterns("build-state.json"))
    specs = project / "docs/specs"
    specs.mkdir(exist_ok=True)
    shutil.copy(PAYLOADS, specs / "payloads.yaml")
    shutil.copy(PAYLOADS, specs / PAYLOAD_FILE)
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    trap = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
    try:
        with serve(site) as (base, server):
            yield base, server
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                {"identifier": trap["identifier"]})


def _open(browser, url: str) -> None:
    console_errors(browser)  # empty the log of earlier pages
    browser.get(url)
    browser.execute_async_script(
        "var done = arguments[0]; if (document.readyState === 'complete') setTimeout(done, 300);"
        " else window.addEventListener('load', function () { setTimeout(done, 300); });")


def _no_damage(browser) -> None:
    assert browser.execute_script(DAMAGE) == []
    assert console_errors(browser) == []


def _nav_titles(browser, page: str) -> list[str]:
    return browser.execute_script(
        "var page = arguments[0];"
        "return [].filter.call(document.querySelectorAll('.md-nav a[href]'), function (a) {"
        "  return a.href.replace(/#.*$/, '').endsWith(page); }).map(function (a) {"
        "  return a.textContent.trim(); });", page)


@pytest.mark.parametrize("file", ["payloads.yaml", PAYLOAD_FILE])
def test_a_payload_page_shows_every_string_literally_and_runs_nothing(browser, payload_site, file):
    from selenium.webdriver.common.by import By

    base, server = payload_site
    net = load_spec(PAYLOADS)
    page = f"architectures/{spec_id(Path(file))}/"
    _open(browser, base + page)
    _no_damage(browser)

    assert browser.title == f"{net.name} - {SITE_NAME}"
    h1 = browser.find_element(By.CSS_SELECTOR, "article h1")
    assert browser.execute_script(TEXT, h1) == net.name
    assert net.name in _nav_titles(browser, page)

    texts = lambda css: [browser.execute_script(TEXT, el).strip()  # noqa: E731
                         for el in browser.find_elements(By.CSS_SELECTOR, css)]
    assert f"docs/specs/{file}" in texts("article code")
    paragraphs = texts("article p")
    for p in net.description.split("\n\n"):
        assert " ".join(p.split()) in paragraphs
    cells = texts("article td")
    table = layer_table(net)
    for row in table.walk():
        if row.name:
            assert (f"{row.path}: {row.name}" if row.path else row.name) in cells, row.name
    block = next(r for r in table.rows if r.children)
    assert any(s.startswith(f"{block.name} — basic block") for s in texts("article summary"))

    source = net.published[0]
    links = browser.execute_script(
        "var text = arguments[0];"
        "return [].filter.call(document.querySelectorAll('article a'), function (a) {"
        " return a.textContent === text; }).map(function (a) {"
        " return [a.protocol, a.hostname]; });", source.source)
    assert links == [["https:", "example.org"]]
    assert any(p.endswith(source.note) for p in paragraphs)
    assert [e for e in server.errors if "x" == Path(e[1]).name] == []  # no <img src=x> fetched


@pytest.mark.parametrize("page", ["", "calculator/", "foundations/padding/",
                                  "contributing/spec-format/", "architectures/vgg16/"])
def test_every_page_lists_the_payload_name_literally_in_its_nav(browser, payload_site, page):
    base, _ = payload_site
    _open(browser, base + page)
    _no_damage(browser)
    assert load_spec(PAYLOADS).name in _nav_titles(browser, "architectures/payloads/")


def test_searching_the_payload_page_runs_nothing(browser, payload_site):
    from selenium.webdriver.common.by import By

    base, _ = payload_site
    _open(browser, base)
    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys("quokka")  # a word only this page has
    deadline = time.monotonic() + 60  # the search worker indexes the site first
    found: list[str] = []
    while time.monotonic() < deadline and not found:
        found = browser.execute_script(
            "return [].map.call(document.querySelectorAll('.md-search-result__link'),"
            " function (a) { return a.href; });")
        time.sleep(0.2)
    assert any("architectures/payloads/" in link for link in found), found
    _no_damage(browser)
