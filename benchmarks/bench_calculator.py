"""Time the shape calculator on long networks in headless Chromium: opening a link of
n layers, and one keystroke in the last layer, for n = 1,000 and 5,000.

Run: ``python benchmarks/bench_calculator.py [calculator.js]`` from the repository root
(needs Chromium and ChromeDriver, as the browser tests do); give another version of the
script to compare, e.g. ``git show HEAD~3:docs/javascripts/calculator.js > /tmp/old.js``.
The page is the built site's calculator page (``site/``, after ``make site``) with the
working tree's script and style, served over http: the whole theme, its scripts
included, makes the page several times slower than the calculator alone, which is
what is timed (the script, style and data in the theme's stylesheet) when there is no
built site. Each timing is the median of a few
repeats; the ratio of 5,000 to 1,000 layers is 5 when the work grows linearly. A
benchmark, not a test: nothing fails if it is slow.
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
REPEATS = 3

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


def _open_ms(driver, url: str) -> float:
    driver.get("about:blank")
    start = time.perf_counter()
    driver.get(url)
    driver.execute_script("document.body.offsetHeight")
    return (time.perf_counter() - start) * 1000


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
        results = {}
        print(f"{'layers':>7} {'open ms':>9} {'keystroke ms':>13} {'cards':>6} {'rows':>6} {'tables':>7}")
        for n in SIZES:
            url = page + "#v1&name=long&in=3,32,32&l=" + ";".join(
                ["conv:out=4,kernel=3,padding=1", "relu"] * (n // 2))
            opened = statistics.median(_open_ms(driver, url) for _ in range(REPEATS))
            stats = driver.execute_script("return AtlasCalc.page.stats") or {
                "cards": "?", "rows": "?", "tables": "?"}  # an older script: not counted
            typed = statistics.median(driver.execute_script(KEYSTROKE, 5 + i) for i in range(REPEATS))
            results[n] = (opened, typed)
            print(f"{n:>7} {opened:>9.0f} {typed:>13.1f} {stats['cards']:>6} {stats['rows']:>6} "
                  f"{stats['tables']:>7}")
    small, large = SIZES
    print(f"ratio {large:,} / {small:,} layers: open {results[large][0] / results[small][0]:.1f}, "
          f"keystroke {results[large][1] / results[small][1]:.1f} (linear: {large / small:.0f})")


if __name__ == "__main__":
    main()
