"""Time the shape calculator on long networks in headless Chromium: opening a link of
n layers, and one keystroke in the last layer, for n = 1,000 and 5,000.

Run: ``python benchmarks/bench_calculator.py [calculator.js]`` from the repository root
(needs Chromium and ChromeDriver, as the browser tests do); give another version of the
script to compare, e.g. ``git show HEAD~3:docs/javascripts/calculator.js > /tmp/old.js``.
The page is the built site's calculator page (``site/``, after ``make site``) with the
working tree's script and style, served over http: the whole theme, its scripts
included, makes the page several times slower than the calculator alone, which is
what is timed (the script, style and data in the theme's stylesheet) when there is no
built site.

Measured, each as the median (min-max) of REPEATS runs:

* first paint: from the start of the navigation to the first frame that shows the
  table (with the first cards; the page takes input from then on), as the page's
  ``performance.now()`` counts;
* all cards: from the request until every layer has its card (polled by the driver;
  later than the first paint when cards are built in batches after it);
* longest task: the longest main-thread task from the request until every card is
  built (Chromium's Long Tasks API: tasks over 50 ms; 0 when there was none), the
  longest the page can leave a keystroke waiting;
* keystroke: one input event in the last convolution and the layout after it.

The ratio of 5,000 to 1,000 layers is 5 when the work grows linearly. A benchmark, not
a test: nothing fails if it is slow.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.pages.calculator import calculator_data  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, serve  # noqa: E402

SIZES = (1000, 5000)
REPEATS = 5

#: Installed before any script of the page: records the longest main-thread task.
LONG_TASKS = """
window.__longest = 0;
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longest = Math.max(window.__longest, e.duration); });
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
window.__painted = null;  // the first frame with the table in it, from the request
(function frame() {
  if (document.querySelector('#atlas-calc-table tbody tr')) window.__painted = performance.now();
  else requestAnimationFrame(frame);
})();
"""

#: True once every layer has its card (an older script builds them all at once).
ALL_CARDS = """
var p = window.AtlasCalc && AtlasCalc.page;
return !!p && p.cards.every(function (c) { return !!c.node; });
"""

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="theme.css"><link rel="stylesheet" href="calculator.css"></head>
<body dir="ltr"><div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">
<div class="md-content"><article class="md-content__inner md-typeset">
<div id="atlas-calc" class="atlas-calc"></div></article></div></div></main></div>
<script src="data.js"></script><script src="calculator.js"></script></body></html>
"""

#: One keystroke in the out field of the last convolution, then a forced layout.
KEYSTROKE = """
var t = performance.now();
var input = document.querySelector('#atlas-calc-layers li:nth-last-child(2) input[data-field=out]');
input.value = String(arguments[0]);
input.dispatchEvent(new Event('input', {bubbles: true}));
document.body.offsetHeight;
return performance.now() - t;
"""


def _data(folder: Path) -> None:
    """The calculator's data as the working tree's generator makes it."""
    (folder / "data.js").write_text("window.ATLAS_CALC = " + json.dumps(calculator_data()) + ";\n",
                                    encoding="utf-8")


def _page(folder: Path, script: Path) -> Path:
    """The calculator alone in the theme's stylesheet."""
    _data(folder)
    shutil.copy(script, folder / "calculator.js")
    shutil.copy(ROOT / "docs/stylesheets/calculator.css", folder)
    import material  # the theme's main stylesheet, from the installed package
    theme = Path(material.__file__).parent / "templates/assets/stylesheets"
    shutil.copy(next(theme.glob("main.*.min.css")), folder / "theme.css")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    return folder / "index.html"


def _site(folder: Path, script: Path) -> Path | None:
    """A copy of the built site with ``script`` and the working tree's style, or None."""
    if not (ROOT / "site/calculator/index.html").is_file():
        return None
    site = folder / "site"
    shutil.copytree(ROOT / "site", site)
    shutil.copy(script, site / "javascripts/calculator.js")
    shutil.copy(ROOT / "docs/stylesheets/calculator.css", site / "stylesheets/calculator.css")
    _data(site / "calculator")
    return site


def _driver(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(300)
    return driver


def _open(driver, url: str) -> tuple[float, float, float]:
    """(first paint ms, all cards ms, longest task ms) of one load of ``url``."""
    driver.get("about:blank")
    start = time.perf_counter()
    driver.get(url)
    while not driver.execute_script(ALL_CARDS):
        time.sleep(0.005)
    ready = (time.perf_counter() - start) * 1000
    time.sleep(0.1)  # the observer reports a task after it ends
    painted, longest = driver.execute_script("return [window.__painted, window.__longest]")
    return painted, ready, longest


def _spread(values) -> str:
    """Median (min-max) of ``values``."""
    return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"


def main() -> None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("chromedriver"):
        print("skipped: Chromium and ChromeDriver are not installed")
        return
    script = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/javascripts/calculator.js"
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        site = _site(Path(tmp), script)
        if site:
            base, _ = stack.enter_context(serve(site))
            page = base + "calculator/"
            print("the built site's calculator page (site/), with", script)
        else:
            page = _page(Path(tmp), script).as_uri()
            print("no built site (make site): the calculator alone, with", script)
        driver = _driver(tempfile.mkdtemp(dir=tmp))
        stack.callback(driver.quit)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LONG_TASKS})
        results = {}
        print(f"{'layers':>7} {'first paint ms':>16} {'all cards ms':>16} {'longest task ms':>16} "
              f"{'keystroke ms':>16}  cards/rows/tables")
        for n in SIZES:
            url = page + "#v1&name=long&in=3,32,32&l=" + ";".join(
                ["conv:out=4,kernel=3,padding=1", "relu"] * (n // 2))
            runs = [_open(driver, url) for _ in range(REPEATS)]
            stats = driver.execute_script("return AtlasCalc.page.stats") or {
                "cards": "?", "rows": "?", "tables": "?"}  # an older script: not counted
            typed = [driver.execute_script(KEYSTROKE, 5 + i) for i in range(REPEATS)]
            columns = [[r[i] for r in runs] for i in range(3)] + [typed]
            results[n] = [statistics.median(c) for c in columns]
            print(f"{n:>7} " + " ".join(f"{_spread(c):>16}" for c in columns) +
                  f"  {stats['cards']}/{stats['rows']}/{stats['tables']}")
    small, large = SIZES
    ratios = ", ".join(f"{name} {results[large][i] / results[small][i]:.1f}"
                       for i, name in enumerate(("first paint", "all cards", "longest task", "keystroke"))
                       if results[small][i])
    print(f"ratio {large:,} / {small:,} layers (medians): {ratios} (linear: {large / small:.0f})")


if __name__ == "__main__":
    main()
