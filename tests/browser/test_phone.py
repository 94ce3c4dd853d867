"""The site on a phone: every page at 390 CSS px wide (an iPhone 12 to 15) in Chromium's
mobile emulation, light and dark.

* No page scrolls sideways (``scrollWidth <= clientWidth``); a failure names the
  elements that stick out.
* Wide display math and wide tables scroll inside their own box, and the box says so
  (the scroll cue of atlas.css is drawn), and a table's first column stays in view.
* Every figure opens full size on tap (its image is a link to the image file).
"""

from __future__ import annotations

import pytest

from tests.browser.test_site import _pages

pytestmark = pytest.mark.site

WIDTH = 390

#: The page's overflow, and the elements whose right edge passes the viewport's
#: (outermost first, at most 5): tag.class and how far they stick out.
OVERFLOW = r"""
var doc = document.documentElement, width = doc.clientWidth, out = [];
document.querySelectorAll('body *').forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= width + 0.5 || getComputedStyle(el).position === 'fixed') return;
  for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    var s = getComputedStyle(p);
    if (s.overflowX !== 'visible' || s.position === 'fixed') return;  // clipped or scrolled inside a box
    if (p.getBoundingClientRect().right > width + 0.5) return;  // its parent is listed instead
  }
  out.push(el.tagName.toLowerCase() + '.' + String(el.className.baseVal || el.className).split(' ').join('.') +
           ' +' + Math.round(r.right - width) + 'px');
});
return {scroll: doc.scrollWidth, client: width, culprits: out.slice(0, 5)};
"""


def phone(browser, dark: bool = False) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": WIDTH, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


@pytest.fixture
def on_phone(browser):
    phone(browser)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_no_page_scrolls_sideways_at_390_px(on_phone, built_site, base_url):
    browser = on_phone
    wide = {}
    for url in _pages(built_site, base_url):
        browser.get(url)
        browser.execute_script("return document.fonts.ready.then(function () { return 1; })")
        state = browser.execute_script(OVERFLOW)
        if state["scroll"] > state["client"]:
            wide[url.removeprefix(base_url) or "/"] = (state["scroll"], state["culprits"])
    assert wide == {}


def test_wide_math_and_tables_scroll_in_their_box_with_a_cue(on_phone, built_site, base_url):
    browser = on_phone
    browser.get(base_url + "architectures/resnet50/")
    table = browser.execute_script(r"""
var box = [].slice.call(document.querySelectorAll('.md-typeset__scrollwrap')).sort(function (a, b) {
  return (b.scrollWidth - b.clientWidth) - (a.scrollWidth - a.clientWidth); })[0];
var first = box.querySelector('tbody tr td:first-child');
box.scrollLeft = box.scrollWidth;
var last = box.querySelector('tbody tr td:last-child');
return {scrolls: box.scrollWidth > box.clientWidth, left: first.getBoundingClientRect().left,
        boxLeft: box.getBoundingClientRect().left, lastRight: last.getBoundingClientRect().right,
        boxRight: box.getBoundingClientRect().right,
        sticky: getComputedStyle(first).position, cue: getComputedStyle(box).backgroundImage};
""")
    assert table["scrolls"], "the layer table fits 390 px: pick a wider page for this test"
    # Scrolled to the end: the last column is in view, and so is the first, still.
    assert table["sticky"] == "sticky", table
    assert table["lastRight"] <= table["boxRight"] + 1 and table["left"] >= table["boxLeft"] - 1, table
    assert "gradient" in table["cue"], table
    browser.get(base_url + "foundations/output-size/")
    boxes = browser.execute_script(r"""
return [].map.call(document.querySelectorAll('.arithmatex .katex-display'), function (b) {
  var s = getComputedStyle(b);
  return {wide: b.scrollWidth > b.clientWidth, overflow: s.overflowX, cue: s.backgroundImage};
});""")
    wide = [b for b in boxes if b["wide"]]
    assert wide, "no display formula is wider than 390 px on this page: pick another page"
    for box in wide:
        assert box["overflow"] == "auto" and "gradient" in box["cue"], box


def test_every_figure_opens_full_size_on_tap(browser, built_site, base_url):
    browser.get(base_url + "foundations/padding/")
    figures = browser.execute_script(r"""
return [].map.call(document.querySelectorAll('figure.atlas-figure img'), function (img) {
  var a = img.closest('a');
  return {img: img.getAttribute('src'), link: a ? a.getAttribute('href') : null};
});""")
    assert figures
    for fig in figures:
        assert fig["link"] is not None, fig
        assert fig["link"].rsplit("/", 1)[-1].split(".")[0] == fig["img"].rsplit("/", 1)[-1].split(".")[0].removesuffix("-last"), fig
