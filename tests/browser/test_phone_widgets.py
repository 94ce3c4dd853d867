"""The interactive parts on a phone: 390 CSS px wide, touch, light and dark.

* No text of the calculator, the explorer (on its page and embedded in a Foundations
  page's admonition) or the exercises is under 12 CSS px, nor any code in a table or
  an admonition (Material's 0.85 of their 0.64rem is 10.9 px).
* Every control of those widgets is at least 40 px high and wide (a checkbox counts
  with its label), and a tap (a touch event, not a click) does what it says.
* Text a reader meets there keeps a contrast of at least 4.5, in both schemes: a
  button just tapped (a touch leaves :hover on it), a padding cell of the explorer,
  a calculator field's placeholder (the default it takes), TensorFlow's values.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.test_phone import phone

pytestmark = pytest.mark.site

#: The least text size and tap size, in CSS px.
LEAST_TEXT = 12
LEAST_TAP = 40
#: WCAG 2's least contrast for body text.
LEAST_CONTRAST = 4.5

WIDGETS = "#atlas-calc, .atlas-xp, .atlas-ex"

#: Open every details box of the widgets (and scroll the page once through, so
#: nothing is left unrendered by content-visibility), then wait for a frame.
OPEN_ALL = r"""
var done = arguments[arguments.length - 1];
document.querySelectorAll('.atlas-xp details, #atlas-calc details').forEach(function (d) { d.open = true; });
var h = document.documentElement.scrollHeight, y = 0;
(function step() {
  window.scrollTo(0, y); y += 600;
  if (y < h + 600) requestAnimationFrame(step); else { window.scrollTo(0, 0); requestAnimationFrame(function () { done(1); }); }
})();
"""

#: Helpers shared by the measuring scripts.
HELPERS = r"""
function shown(el) {
  var r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0;
}
function hasText(el) {
  for (var n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3 && n.data.trim()) return true;
  return false;
}
function name(el) {
  return el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined && el.className ?
    '.' + el.className.trim().split(/\s+/).join('.') : '') + ' "' + el.textContent.trim().slice(0, 20) + '"';
}
// A computed colour: rgb()/rgba(), or color(srgb r g b / a) where color-mix() made it.
function rgba(c) {
  var srgb = /^color\(srgb /.test(c), p = c.match(/[\d.]+/g).map(Number);
  var k = srgb ? 255 : 1;
  return [p[0] * k, p[1] * k, p[2] * k, p.length > 3 ? p[3] : 1];
}
function over(top, under) {
  var a = top[3];
  return [0, 1, 2].map(function (i) { return top[i] * a + under[i] * (1 - a); }).concat([1]);
}
// The colour behind an element: its own and its ancestors' backgrounds, composited.
function behind(el) {
  var layers = [];
  for (var p = el; p; p = p.parentElement) {
    var c = rgba(getComputedStyle(p).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  var base = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : [255, 255, 255, 1];
  while (layers.length) base = over(layers.pop(), base);
  return base;
}
function luminance(c) {
  return [0, 1, 2].map(function (i) {
    var v = c[i] / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }).reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0);
}
function contrast(colour, el) {
  var bg = behind(el), fg = over(rgba(colour), bg);
  var a = luminance(fg), b = luminance(bg);
  return Math.round((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) * 100) / 100;
}
"""

SMALL_TEXT = HELPERS + r"""
var least = arguments[0], small = {};
document.querySelectorAll(arguments[1]).forEach(function (root) {
  [root].concat([].slice.call(root.querySelectorAll('*'))).forEach(function (el) {
    if (!hasText(el) || !shown(el) || el.closest('.katex')) return;
    var size = parseFloat(getComputedStyle(el).fontSize);
    if (size < least) small[name(el)] = size;
  });
});
return small;
"""

SMALL_TARGETS = HELPERS + r"""
var least = arguments[0], small = {};
document.querySelectorAll(arguments[1]).forEach(function (root) {
  root.querySelectorAll('a, button, input, select, textarea, summary').forEach(function (el) {
    if (!shown(el) || el.type === 'hidden') return;
    // The receptive-field map is a picture of 16 x 16 cells that must fit the screen
    // whole (explorer.css): its cells are exempt.
    if (el.closest('.atlas-xp__rf .atlas-xp__grid')) return;
    var box = el;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) box = el.closest('label');
    var r = box.getBoundingClientRect();
    if (r.height < least - 0.5 || r.width < least - 0.5)
      small[name(el)] = Math.round(r.width) + 'x' + Math.round(r.height);
  });
});
return small;
"""


def _tap(browser, element) -> None:
    """A finger's tap on the middle of ``element`` (touch events, as a phone sends)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    x, y = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]",
        element)
    browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    time.sleep(0.15)


def _open(browser, url: str, *, dark: bool = False, ready: str = "") -> None:
    browser.get(url)
    if ready:
        deadline = time.monotonic() + 15
        while not browser.execute_script(ready):
            assert time.monotonic() < deadline, f"{url}: never ready ({ready})"
            time.sleep(0.1)
    if dark:
        # What Material sets for a reader whose system is dark (the palette's second entry).
        # Material's own toggle sets data-md-color-switching meanwhile, which turns off
        # the colour transitions (else an element off screen keeps its old colours a while).
        browser.execute_script("document.body.setAttribute('data-md-color-switching', '');"
                               "document.body.setAttribute('data-md-color-scheme', 'slate');")
    browser.execute_async_script(OPEN_ALL)


#: page -> what must be there before measuring.
WIDGET_PAGES = {
    "foundations/padding/?seed=7": "return !!document.querySelector('.atlas-xp button.atlas-xp__cell') && "
                                   "!!document.querySelector('.atlas-ex__q')",
    "explorer/": "return !!document.querySelector('.atlas-xp button.atlas-xp__cell')",
    "calculator/": "return !!document.querySelector('.atlas-calc__tool')",
    "practice/?seed=4242": "return !!document.querySelector('.atlas-ex__q')",
}


@pytest.fixture
def touch_phone(browser):
    phone(browser)
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    yield browser
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_widget_text_and_code_are_at_least_12px(touch_phone, base_url):
    browser = touch_phone
    small = {}
    for page, ready in WIDGET_PAGES.items():
        _open(browser, base_url + page, ready=ready)
        found = browser.execute_script(SMALL_TEXT, LEAST_TEXT, WIDGETS)
        if found:
            small[page] = found
    # Code in a table (a network's layer kinds) and in an admonition (a worked example).
    for page in ("architectures/alexnet/", "foundations/convolution/"):
        _open(browser, base_url + page)
        found = browser.execute_script(SMALL_TEXT, LEAST_TEXT, ".md-content code")
        if found:
            small[page] = found
    assert small == {}


def test_widget_controls_are_finger_sized_and_answer_a_tap(touch_phone, base_url):
    browser = touch_phone
    small = {}
    for page, ready in WIDGET_PAGES.items():
        _open(browser, base_url + page, ready=ready)
        found = browser.execute_script(SMALL_TARGETS, LEAST_TAP, WIDGETS)
        if found:
            small[page] = found
    assert small == {}
    # A tap on an output cell of the explorer makes it the current one ...
    _open(browser, base_url + "explorer/", ready=WIDGET_PAGES["explorer/"])
    last = browser.execute_script(
        "var cells = document.querySelectorAll('.atlas-xp__stage [aria-label^=\"Output channel\"] button');"
        "return cells[cells.length - 1];")
    assert "atlas-xp__cell--current" not in last.get_attribute("class")
    _tap(browser, last)
    assert "atlas-xp__cell--current" in last.get_attribute("class")
    # ... and one on a layer's remove tool of the calculator removes that layer.
    _open(browser, base_url + "calculator/", ready=WIDGET_PAGES["calculator/"])
    count = "return document.querySelectorAll('.atlas-calc__layer').length"
    before = browser.execute_script(count)
    _tap(browser, browser.execute_script(
        "return document.querySelector('.atlas-calc__tool[data-act=remove]')"))
    assert browser.execute_script(count) == before - 1


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_widget_colours_keep_their_contrast(touch_phone, base_url, dark):
    browser = touch_phone
    low = {}
    # A button just tapped: a touch screen leaves :hover on it.
    _open(browser, base_url + "practice/?seed=4242", dark=dark, ready=WIDGET_PAGES["practice/?seed=4242"])
    for selector in (".atlas-ex__q button.atlas-ex__button--quiet", ".atlas-ex__q button.atlas-ex__button:not(.atlas-ex__button--quiet)"):
        button = browser.find_element("css selector", selector)
        _tap(browser, button)
        low[f"tapped {button.text}"] = browser.execute_script(
            HELPERS + "return contrast(getComputedStyle(arguments[0]).color, arguments[0]);", button)
    # The explorer's padding cells, on the page and under the window's tint.
    _open(browser, base_url + "foundations/padding/?seed=7", dark=dark, ready=WIDGET_PAGES["foundations/padding/?seed=7"])
    pads = browser.execute_script(HELPERS + r"""
return [].map.call(document.querySelectorAll('.atlas-xp__stage .atlas-xp__cell--pad'), function (c) {
  return contrast(getComputedStyle(c).color, c); });""")
    assert pads, "no padding cell on the padding page's explorer: pick another preset"
    low["padding cell"] = min(pads)
    # The calculator: a field's placeholder (the default it takes) and TensorFlow's values.
    _open(browser, base_url + "calculator/", dark=dark, ready=WIDGET_PAGES["calculator/"])
    low["placeholder"] = browser.execute_script(HELPERS + r"""
var field = document.querySelector('#atlas-calc input[placeholder]:placeholder-shown');
return contrast(getComputedStyle(field, '::placeholder').color, field);""")
    # padding='same' with stride 2: PyTorch refuses it, TensorFlow runs it, and the
    # table shows TensorFlow's parameters and MACs for the layers after it.
    browser.execute_script("""
var tf = document.getElementById('atlas-calc-tf'); if (!tf.checked) tf.click();
function set(id, v) { var e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }
set('atlas-calc-l1-stride', '2'); set('atlas-calc-l1-padding', 'same');""")
    deadline = time.monotonic() + 15
    while not browser.execute_script("return document.querySelectorAll('.atlas-calc__tf').length"):
        assert time.monotonic() < deadline, "no TensorFlow value in the table: the spec no longer differs"
        time.sleep(0.1)
    low["TensorFlow value"] = browser.execute_script(HELPERS + r"""
var tf = document.querySelector('.atlas-calc__tf');
return contrast(getComputedStyle(tf).color, tf);""")
    assert {k: v for k, v in low.items() if v < LEAST_CONTRAST} == {}, low


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_code_and_the_drawer_keep_their_contrast(touch_phone, base_url, dark):
    """Material's own colours that the site overrides (atlas.css): highlighted code
    (grey comments and punctuation on the light scheme, numbers and built-ins on
    slate), a link's code on slate, the drawer's section titles and the search's
    status line (light grey on the lightest grey)."""
    browser = touch_phone
    measure = HELPERS + r"""
var least = arguments[1], low = {}, seen = 0;
document.querySelectorAll(arguments[0]).forEach(function (el) {
  if (!hasText(el) || !shown(el)) return;
  seen += 1;
  var c = contrast(getComputedStyle(el).color, el), key = name(el).split(' ')[0];
  if (c < least && !(key in low && low[key] <= c)) low[key] = c;
});
return [seen, low];"""
    low = {}

    def check(selector: str) -> None:
        seen, found = browser.execute_script(measure, selector, LEAST_CONTRAST)
        assert seen, f"nothing shown matches {selector!r}: the page changed, pick another"
        low.update({f"{selector}: {key}": value for key, value in found.items()})

    _open(browser, base_url + "foundations/convolution/", dark=dark)
    check(".highlight code span")
    # The drawer (its section's title shows), then the search (its status line).
    browser.execute_script("document.getElementById('__drawer').checked = true")
    time.sleep(0.4)
    check(".md-nav--primary .md-nav__title:not([for='__drawer'])")
    browser.execute_script("document.getElementById('__drawer').checked = false;"
                           "document.getElementById('__search').checked = true")
    time.sleep(0.4)
    check(".md-search-result__meta")
    browser.execute_script("document.getElementById('__search').checked = false")
    _open(browser, base_url + "beyond/training-lenet5/", dark=dark)
    check(".md-typeset a code")
    assert low == {}
