"""Animations respect the reader: under prefers-reduced-motion no GIF plays (the last
frame shows, with a Play button); otherwise every animation has a Pause button."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.site

PAGE = "foundations/padding/"

STATE = r"""
return [].map.call(document.querySelectorAll('figure.atlas-figure--animated'), function (f) {
  var b = f.querySelector('.atlas-motion__toggle');
  return {src: f.querySelector('img').getAttribute('src'), button: b ? b.textContent : null};
});"""


def _figures(browser, url: str) -> list[dict]:
    browser.get(url)
    deadline = time.monotonic() + 10
    while True:
        figures = browser.execute_script(STATE)
        if (figures and all(f["button"] for f in figures)) or time.monotonic() > deadline:
            return figures
        time.sleep(0.05)


@pytest.fixture
def reduced_motion(browser):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-reduced-motion", "value": "reduce"}]})
    yield browser
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_reduced_motion_shows_the_last_frame_and_a_play_button(reduced_motion, base_url):
    figures = _figures(reduced_motion, base_url + PAGE)
    assert figures, f"no animation on {PAGE}: pick a page that has one"
    for fig in figures:
        assert fig["src"].endswith("-last.svg") and fig["button"] == "Play", fig


def test_an_animation_plays_and_pauses_on_request(browser, base_url):
    figures = _figures(browser, base_url + PAGE)
    assert figures and all(f["src"].endswith(".gif") and f["button"] == "Pause" for f in figures), figures
    browser.execute_script("document.querySelector('.atlas-motion__toggle').click();")
    paused = browser.execute_script(STATE)[0]
    assert paused["src"].endswith("-last.svg") and paused["button"] == "Play", paused
    browser.execute_script("document.querySelector('.atlas-motion__toggle').click();")
    assert browser.execute_script(STATE)[0] == figures[0]
