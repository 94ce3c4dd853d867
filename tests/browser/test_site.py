"""Whole-site checks on the built site served under a subpath, as GitHub Pages serves it.

* Every internal link and asset resolves (HTTP 200 under the subpath), every
  ``#fragment`` is an id on its target page, every ``url()`` of a stylesheet loads.
* Every page, loaded in one headless Chromium: no console error, no request
  leaving localhost, no failed request, every formula rendered by KaTeX, every
  image decoded.
* Material's search box finds a page by a word from its body.

(No offline bundle is built, so nothing is checked from ``file://`` here; the
calculator's own file:// check is in test_calculator.py.)
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from tests.browser.conftest import console_errors, network_events

pytestmark = pytest.mark.site

#: Attributes whose URL the browser fetches, per tag.
FETCHED = {
    "script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"],
    "iframe": ["src"], "video": ["src", "poster"], "audio": ["src"], "embed": ["src"],
    "object": ["data"], "input": ["src"], "track": ["src"],
}
LINKED = {"a": ["href"], "area": ["href"], "link": ["href"]}


class _Page(HTMLParser):
    """The ids of a page and every URL it links to or loads."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name" if tag == "a" else "id"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for name in FETCHED.get(tag, []) + LINKED.get(tag, []):
            value = (attrs.get(name) or "").strip()
            if not value:
                continue
            if name == "srcset":
                self.urls += [part.strip().split(" ")[0] for part in value.split(",")]
            else:
                self.urls.append(value)
        if attrs.get("style"):
            self.urls += _css_urls(attrs["style"])


def _css_urls(css: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    return urls + re.findall(r"@import\s+['\"]([^'\"]+)", css)


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def _pages(built_site: Path, base_url: str) -> list[str]:
    """The URL of every HTML file of the build, as a reader would open it."""
    urls = []
    for html in sorted(built_site.rglob("*.html")):
        rel = html.relative_to(built_site).as_posix()
        urls.append(base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def crawl(start: list[str], base_url: str) -> tuple[list[str], int]:
    """Fetch ``start`` and everything they link to or load under ``base_url``.

    Returns the broken references (a target that is not HTTP 200, a fragment that is
    no id of its page, a URL outside the site's folder) and the number of pages read.
    """
    queue = deque(start)
    seen: dict[str, tuple[int, str]] = {}
    ids: dict[str, set[str]] = {}
    references: list[tuple[str, str, str]] = []  # (from page, url as written, absolute url)
    broken: list[str] = []
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        status, ctype, body = _fetch(url)
        seen[url] = (status, ctype)
        if status != 200:
            continue
        if ctype == "text/html":
            page = _Page()
            page.feed(body.decode("utf-8"))
            ids[url] = page.ids
            found = page.urls
            for block in re.findall(r"<style[^>]*>(.*?)</style>", body.decode("utf-8"), re.S):
                found += _css_urls(block)
        elif ctype == "text/css":
            found = _css_urls(body.decode("utf-8"))
        else:
            continue
        for ref in found:
            target = urljoin(url, ref)
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base_url).netloc:
                continue  # another site (the browser check catches fetches), data:, mailto:
            references.append((url, ref, target))
            if not target.startswith(base_url):
                broken.append(f"{url}: {ref} leaves the site's folder {urlsplit(base_url).path}")
                continue
            queue.append(urldefrag(target)[0])
    for page, ref, target in references:
        address, fragment = urldefrag(target)
        if not address.startswith(base_url):
            continue
        status, ctype = seen.get(address, (0, ""))
        if status != 200:
            broken.append(f"{page}: {ref} -> HTTP {status}")
        elif fragment and unquote(fragment) not in ids.get(address, set()):
            broken.append(f"{page}: {ref} -> no id '{unquote(fragment)}' on {address}")
    return sorted(set(broken)), len(ids)


def test_every_internal_link_asset_and_anchor_resolves(built_site, base_url):
    broken, pages = crawl(_pages(built_site, base_url), base_url)
    assert broken == []
    assert pages == len(_pages(built_site, base_url))


# The page's state once loaded: formulas, images, and whether it has settled.
PAGE_STATE = r"""
var out = {arithmatex: 0, unrendered: [], raw: [], katexErrors: [], badImages: [], pending: 0};
[].forEach.call(document.querySelectorAll('img[loading=lazy]'), function (img) { img.loading = 'eager'; });
[].forEach.call(document.querySelectorAll('.arithmatex'), function (el) {
  out.arithmatex++;
  if (!el.querySelector('.katex, .katex-error')) out.unrendered.push(el.textContent.slice(0, 80));
  var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node;
  while ((node = walker.nextNode())) {
    if (!node.parentElement.closest('.katex') && /\\\(|\\\[|\$\$/.test(node.nodeValue)) {
      out.raw.push(node.nodeValue.slice(0, 80));
    }
  }
});
[].forEach.call(document.querySelectorAll('.katex-error'), function (el) {
  out.katexErrors.push((el.getAttribute('title') || el.textContent).slice(0, 120));
});
[].forEach.call(document.images, function (img) {
  if (!img.complete) out.pending++;
  else if (!img.naturalWidth) out.badImages.push(img.getAttribute('src'));
});
out.ready = document.readyState === 'complete' && out.pending === 0 && out.unrendered.length === 0;
return out;
"""


def _settle(driver, timeout: float = 8) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = driver.execute_script(PAGE_STATE)
        if state["ready"] or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def _request_problems(events: list[dict], local_host: str) -> list[str]:
    """Requests to another host, HTTP errors and failed loads, from CDP Network events."""
    problems = []
    for event in events:
        params = event["params"]
        if event["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local_host:
                problems.append(f"request to another host: {url}")
        elif event["method"] == "Network.responseReceived":
            response = params["response"]
            if response["status"] >= 400:
                problems.append(f"HTTP {response['status']}: {response['url']}")
        elif event["method"] == "Network.loadingFailed":
            if params.get("errorText") != "net::ERR_ABORTED" and not params.get("canceled"):
                problems.append(f"failed ({params.get('errorText')}): request {params['requestId']}")
    return problems


def page_problems(driver, url: str, local_host: str, settle: float = 8) -> tuple[list[str], int]:
    """Load ``url`` and list what is wrong with it; also return its number of formulas.

    The browser's console and performance logs must be empty when this starts.
    """
    driver.get(url)
    state = _settle(driver, settle)
    found = [f"console: {m}" for m in console_errors(driver)]
    found += _request_problems(network_events(driver), local_host)
    found += [f"formula not rendered: {t}" for t in state["unrendered"]]
    found += [f"raw TeX delimiters left: {t}" for t in state["raw"]]
    found += [f"KaTeX error: {t}" for t in state["katexErrors"]]
    found += [f"image not loaded: {src}" for src in state["badImages"]]
    if state["pending"]:
        found.append(f"{state['pending']} images still loading after {settle:g} s")
    return found, state["arithmatex"]


def test_every_page_loads_cleanly_in_chromium(browser, built_site, base_url, site_server):
    local_host = urlsplit(base_url).netloc
    browser.get("about:blank")
    console_errors(browser), network_events(browser)  # start from empty logs
    served_errors = len(site_server[1].errors)
    problems: dict[str, list[str]] = {}
    formulas = 0
    for url in _pages(built_site, base_url):
        found, count = page_problems(browser, url, local_host)
        formulas += count
        if found:
            problems[url.removeprefix(base_url) or "/"] = found
    assert problems == {}
    assert formulas > 0, "no page has a formula: is arithmatex still on?"
    # Every file the pages asked the server for existed.
    assert site_server[1].errors[served_errors:] == []


BROKEN_PAGE = r"""<!doctype html>
<html><head><title>broken</title><link rel="stylesheet" href="style.css"></head><body>
<a href="missing/">a</a> <a href="#nowhere">b</a> <a href="page.html#there">c</a>
<a href="page.html#absent">d</a> <a href="/elsewhere/">e</a> <a href="https://example.org/">f</a>
<img src="nothing.png" alt=""> <img src="http://example.invalid/pixel.png" alt="">
<span class="arithmatex">\(x^2\)</span>
<script>console.error("boom")</script>
</body></html>
"""


def test_the_checks_catch_what_they_look_for(browser, tmp_path):
    """A page with one of each mistake: every check reports its own."""
    from tests.browser.conftest import serve

    (tmp_path / "index.html").write_text(BROKEN_PAGE)
    (tmp_path / "page.html").write_text('<!doctype html><h1 id="there">there</h1>')
    (tmp_path / "style.css").write_text("body { background: url(gone.png) }")
    with serve(tmp_path) as (base, _server):
        broken, _ = crawl([base], base)
        assert sorted(b.removeprefix(base + ": ").removeprefix(base + "style.css: ")
                      for b in broken) == [
            "#nowhere -> no id 'nowhere' on " + base,
            "/elsewhere/ leaves the site's folder /convnet-atlas/",
            "gone.png -> HTTP 404",
            "missing/ -> HTTP 404",
            "nothing.png -> HTTP 404",
            "page.html#absent -> no id 'absent' on " + base + "page.html",
        ]
        browser.get("about:blank")
        console_errors(browser), network_events(browser)
        found, formulas = page_problems(browser, base, urlsplit(base).netloc, settle=1)
    text = "\n".join(found)
    assert formulas == 1
    assert "boom" in text
    assert "request to another host: http://example.invalid/pixel.png" in text
    assert f"HTTP 404: {base}nothing.png" in text
    assert "formula not rendered" in text and "raw TeX delimiters left: \\(x^2\\)" in text
    assert "image not loaded: nothing.png" in text
    assert "image not loaded: http://example.invalid/pixel.png" in text


def _unique_words(built_site: Path) -> dict[str, str]:
    """For each page location, a word of its body that no other page has."""
    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    words_of: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text = re.sub(r"<[^>]+>", " ", doc["text"])
        words_of.setdefault(page, set()).update(w.lower() for w in re.findall(r"\b[A-Za-z]{7,}\b", text))
    counts = Counter(w for words in words_of.values() for w in words)
    return {page: sorted(w for w in words if counts[w] == 1)[0]
            for page, words in words_of.items() if any(counts[w] == 1 for w in words)}


def _address(link: str) -> str:
    """A result's page, without the ``?h=word`` highlight query and the fragment."""
    parts = urlsplit(link)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


@pytest.mark.parametrize("page", ["calculator/", "first-other"])
def test_search_finds_a_page_by_a_word_of_its_body(browser, built_site, base_url, page):
    from selenium.webdriver.common.by import By

    words = _unique_words(built_site)
    if page == "first-other":
        page = sorted(p for p in words if p not in ("calculator/", ""))[0]
    word = words[page]
    browser.get(base_url)
    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys(word)
    deadline = time.monotonic() + 15
    links: list[str] = []
    while time.monotonic() < deadline:
        links = browser.execute_script(
            "return [].map.call(document.querySelectorAll('.md-search-result__link'),"
            " function (a) { return a.href; })")
        if base_url + page in map(_address, links):
            break
        time.sleep(0.1)
    assert base_url + page in map(_address, links), (word, links)
    console_errors(browser)
