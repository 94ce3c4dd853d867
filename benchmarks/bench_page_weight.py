"""Bytes each page of the built site transfers, counted by headless Chromium.

Run: ``python benchmarks/bench_page_weight.py [SITE_DIR] [--json OUT]`` from the
repository root (SITE_DIR defaults to ``site/``, after ``make site``; needs
Chromium and ChromeDriver, as the browser tests do). Each page is opened with the
browser cache off, served under a subpath as GitHub Pages serves it, and the
bytes of every response it fetched are summed (Resource Timing's
``transferSize``: the page, its scripts, styles, fonts, images and the search
index), twice: at opening, in a 1280×1000 window (images below the fold wait,
``loading=lazy``), and read through (every image fetched). Prints one line per
page and the median; ``--json`` also writes the per-page numbers, so two builds
can be compared. A benchmark, not a test: nothing fails if a page is heavy.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_FLAGS, _find, serve  # noqa: E402

#: Total bytes of the page and of every resource it fetched, and how many there were.
BYTES = """
var all = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
return [all.reduce(function (s, e) { return s + e.transferSize; }, 0), all.length];
"""
EAGER = "[].forEach.call(document.querySelectorAll('img[loading=lazy]'), function (i) { i.loading = 'eager'; });"


def pages(site: Path) -> list[str]:
    """Every HTML page of the build as its address relative to the site's root."""
    out = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel != "404.html":
            out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def settle(driver, quiet: float = 0.4, limit: float = 10) -> tuple[int, int]:
    """Wait until no new resource arrived for ``quiet`` seconds; return BYTES."""
    last, since, deadline = None, time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        now = tuple(driver.execute_script(BYTES))
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > quiet and driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    return last


def main(argv: list[str]) -> None:
    site = Path(argv[0]) if argv and not argv[0].startswith("--") else ROOT / "site"
    out = Path(argv[argv.index("--json") + 1]) if "--json" in argv else None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _find("ATLAS_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")
    driver = webdriver.Chrome(service=Service(_find("ATLAS_CHROMEDRIVER", "chromedriver")), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    result = {}
    try:
        with serve(site) as (base, _server):
            for page in pages(site):
                driver.get(base + page)
                opened = settle(driver)
                driver.execute_script(EAGER)
                read = settle(driver)
                result[page or "/"] = {"open": opened[0], "requests": opened[1], "read": read[0]}
                print(f"{opened[0] / 1024:8.1f} KiB {opened[1]:3d} req {read[0] / 1024:8.1f} KiB read  {page or '/'}")
    finally:
        driver.quit()
    for key in ("open", "read"):
        print(f"median {key}: {statistics.median(r[key] for r in result.values()) / 1024:.1f} KiB "
              f"over {len(result)} pages")
    if out:
        out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
