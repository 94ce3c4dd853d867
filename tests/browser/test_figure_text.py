"""On a phone (390 CSS px wide) no figure's text is smaller than 9 CSS px: every figure
image (SVG, and a GIF through its first frame's SVG) is measured as Chromium lays it
out on the gallery, which embeds every figure with the figure macro, and on a page.
A figure wider than the screen scrolls in its own box, whose right edge fades."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.test_phone import phone

pytestmark = pytest.mark.site

MIN_PX = 9.0
#: The gallery holds every figure; padding shows animations in the flow of a page. The
#: dark scheme's files have the same geometry: two pages check their markup and CSS.
PAGES = {False: ["contributing/gallery/", "foundations/padding/"],
         True: ["foundations/padding/", "architectures/resnet50/"]}

#: Every figure image in the colour scheme shown, loaded at once, with its laid-out width.
IMAGES = r"""
var done = arguments[arguments.length - 1];
var imgs = [].filter.call(document.querySelectorAll('figure.atlas-figure img'), function (i) {
  return i.offsetParent !== null; });
imgs.forEach(function (i) { i.loading = 'eager'; });
function frame() { return new Promise(function (r) { requestAnimationFrame(function () { r(); }); }); }
Promise.all(imgs.map(function (i) { return i.decode().catch(function () {}); }))
  .then(frame).then(frame).then(function () {  // scroll timelines follow the new layout
  done({width: document.documentElement.clientWidth, imgs: imgs.map(function (i) {
    return {src: new URL(i.getAttribute('src'), location.href).pathname,
            width: i.getBoundingClientRect().width, loaded: i.naturalWidth > 0,
            scrolls: i.closest('a').scrollWidth > i.closest('a').clientWidth + 1,
            fade: parseFloat(getComputedStyle(i.closest('a')).getPropertyValue('--atlas-fade'))}; })});
});"""


def smallest_text(svg: str) -> tuple[float, float]:
    """(the SVG's width in pt, its smallest font size in pt), read from the file: matplotlib
    draws a text run as glyphs under ``scale(s -s)``, s = size / 100."""
    width = float(re.search(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"', svg).group(1))
    sizes = [100 * float(s) for s in re.findall(r'scale\(([0-9.]+) -[0-9.]+\)"', svg)]
    return width, min(sizes, default=float("inf"))


def small_texts(browser, base_url: str, built_site: Path, page: str) -> tuple[int, list, set]:
    """(SVG figures measured, those whose smallest text renders under MIN_PX at 390 px,
    {whether each was a dark-scheme file})."""
    browser.get(base_url + page)
    state = browser.execute_async_script(IMAGES)
    assert state["width"] <= 390 and state["imgs"], state["width"]
    root = "/" + base_url.split("/", 3)[3]
    small, n, schemes = [], 0, set()
    for img in state["imgs"]:
        path = img["src"].removeprefix(root)
        if path.endswith(".png"):
            continue  # photographs: no text of their own to read
        assert img["loaded"], path
        schemes.add("-dark." in path)
        # a figure wider than its box scrolls in it, its right edge fading as the cue
        assert (img["fade"] > 10) == img["scrolls"], (path, img)
        svg = re.sub(r"\.gif$", ".svg", path).replace("-dark.gif", "-dark.svg")
        width_pt, text_pt = smallest_text((built_site / svg).read_text("utf-8"))
        px = text_pt * img["width"] / width_pt  # t pt of a w pt wide SVG shown W px wide
        n += 1
        if px < MIN_PX - 0.01:
            small.append((path, round(px, 2), round(img["width"])))
    return n, small, schemes


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_figure_text_is_at_least_9_px_at_390_px(browser, built_site, base_url, dark):
    phone(browser, dark)
    try:
        browser.get(base_url)
        browser.execute_script("localStorage.clear()")  # the scheme follows the emulated media
        browser.get(base_url)  # (Material stores the palette as it leaves a page)
        measured = {}
        for page in PAGES[dark]:
            n, small, schemes = small_texts(browser, base_url, built_site, page)
            assert schemes == {dark}, (page, schemes)  # the images of the scheme shown
            measured[page] = n
            assert small == [], (page, small)
        assert dark or measured[PAGES[False][0]] > 60, measured  # the gallery: every SVG figure
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
