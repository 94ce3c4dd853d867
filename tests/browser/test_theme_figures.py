"""Figures follow Material's colour scheme: in light a figure is a light card with dark
text, in dark (the reader's prefers-color-scheme, or the palette toggle) a dark card
with light text, and a page fetches only the files of the scheme it shows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.site

PAGES = ["foundations/padding/", "foundations/pooling/"]

#: Each shown figure image (not the photographs, which have one version): the
#: luminance of its corner pixel (the card), and, for an SVG, of its first text's fill
#: as the file says it; plus every figure file the page fetched.
LOOK = r"""
var done = arguments[arguments.length - 1];
function lum(r, g, b) {
  return [r, g, b].map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0);
}
var imgs = [].filter.call(document.querySelectorAll('figure.atlas-figure img'), function (i) {
  return i.offsetParent !== null && !/\.png$/.test(i.getAttribute('src')); });
imgs.forEach(function (i) { i.loading = 'eager'; });
Promise.all(imgs.map(function (img) {
  return img.decode().then(function () {
    var c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    var ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    var p = ctx.getImageData(2, 2, 1, 1).data;
    var out = {src: img.getAttribute('src'), card: lum(p[0], p[1], p[2]), text: null};
    if (!/\.svg$/.test(out.src)) return out;
    return fetch(img.src).then(function (r) { return r.text(); }).then(function (t) {
      var doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      var g = doc.querySelector('g[id^="text_"] g[style*="fill"]');
      var m = /fill:\s*#([0-9a-f]{6})/i.exec(g.getAttribute('style'));
      var v = parseInt(m[1], 16);
      out.text = lum(v >> 16, (v >> 8) & 255, v & 255);
      return out;
    });
  });
})).then(function (figs) {
  done({scheme: document.body.getAttribute('data-md-color-scheme'), figures: figs,
        fetched: performance.getEntriesByType('resource').map(function (e) { return e.name; })
          .filter(function (n) { return /\/figures\//.test(n); })});
});"""


def _look(browser, url):
    browser.get(url)
    return browser.execute_async_script(LOOK)


def _scheme(browser, base_url, dark: bool) -> None:
    """The reader's prefers-color-scheme, and no palette remembered: Material follows it.
    (Material stores the palette as it leaves a page: clear it, then load a page again.)"""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    browser.get(base_url)
    browser.execute_script("localStorage.clear()")
    browser.get(base_url)


def _check(state, dark: bool):
    assert state["scheme"] == ("slate" if dark else "default"), state["scheme"]
    assert state["figures"], "no figure shown"
    for fig in state["figures"]:
        assert fig["src"].split("#")[0].rsplit(".", 1)[0].endswith("-dark") == dark, fig
        if dark:
            assert fig["card"] < 0.05 and (fig["text"] is None or fig["text"] > 0.6), fig
        else:
            assert fig["card"] > 0.85 and (fig["text"] is None or fig["text"] < 0.05), fig
    other = [n for n in state["fetched"] if ("-dark." in n) != dark]
    assert other == [], f"fetched the other scheme's files: {other}"


@pytest.fixture
def fresh(browser, base_url):
    """The browser, its emulated scheme and remembered palette reset afterwards."""
    yield browser
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    browser.execute_script("localStorage.clear()")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_figures_follow_the_readers_colour_scheme(fresh, base_url, dark):
    _scheme(fresh, base_url, dark)
    fresh.execute_cdp_cmd("Network.enable", {})
    fresh.execute_cdp_cmd("Network.clearBrowserCache", {})
    for page in PAGES:
        _check(_look(fresh, base_url + page), dark)


def test_the_palette_toggle_turns_the_figures_dark_and_back(fresh, base_url):
    page = base_url + PAGES[1]
    _scheme(fresh, base_url, dark=False)
    _check(_look(fresh, page), dark=False)
    toggle = ("[].filter.call(document.querySelectorAll('form[data-md-component=palette] label'),"
              " function (l) { return l.offsetParent !== null; })[0].click();")
    fresh.execute_script(toggle)
    _check({**fresh.execute_async_script(LOOK), "fetched": []}, dark=True)
    fresh.execute_script(toggle)
    _check({**fresh.execute_async_script(LOOK), "fetched": []}, dark=False)


def test_a_paused_animation_shows_the_last_frame_of_its_scheme(fresh, base_url):
    _scheme(fresh, base_url, dark=True)
    fresh.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark"},
        {"name": "prefers-reduced-motion", "value": "reduce"}]})
    fresh.get(base_url + PAGES[0])
    shown = fresh.execute_script(r"""
return [].filter.call(document.querySelectorAll('figure.atlas-figure--animated img'), function (i) {
  return i.offsetParent !== null; }).map(function (i) { return i.getAttribute('src'); });""")
    assert shown and all(s.endswith("-last-dark.svg") for s in shown), shown
