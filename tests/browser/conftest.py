"""The built site served under a subpath on localhost, and one headless Chromium for all tests.

Chromium and ChromeDriver come from the system (Debian: ``chromium``,
``chromium-driver``; CI installs them); nothing is downloaded. Without them the
browser tests skip, saying why.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

#: The site is served at http://127.0.0.1:PORT/SUBPATH/, as GitHub Pages serves a project.
SUBPATH = "/convnet-atlas/"

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
    "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1280,1000",
    # Nothing but localhost resolves: a page that reaches out fails loudly, and the
    # request still shows in the performance log that the tests read.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def _find(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under SUBPATH only; anything else is a 404, as on Pages."""

    def translate_path(self, path):
        path = unquote(urlsplit(path).path)
        if not path.startswith(SUBPATH):
            return str(Path(self.directory) / ".no-such-file")
        return super().translate_path("/" + path[len(SUBPATH):])

    def log_message(self, format, *args):  # quiet
        pass

    def send_error(self, code, message=None, explain=None):
        self.server.errors.append((code, self.path))
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` at http://127.0.0.1:PORT/SUBPATH/ from a thread; yields (base URL,
    server), where ``server.errors`` lists the (status, path) of every error answered."""
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.errors = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}", server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """The built site, served by a threaded http.server in this process."""
    with serve(built_site) as served:
        yield served


@pytest.fixture(scope="session")
def base_url(site_server) -> str:
    return site_server[0]


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium (through Selenium and the system's ChromeDriver) for the session."""
    chromium = _find("ATLAS_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_path = _find("ATLAS_CHROMEDRIVER", "chromedriver")
    if not chromium or not driver_path:
        pytest.skip("Chromium and ChromeDriver are not installed (Debian: apt-get install "
                    "chromium chromium-driver; .ci/run does it)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -c constraints.txt -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path: Selenium Manager never runs, so nothing is downloaded.
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver) -> list[str]:
    """Console errors since the last call (reading the log empties it)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def network_events(driver) -> list[dict]:
    """CDP Network.* events since the last call, as {"method": ..., "params": ...}."""
    events = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"].startswith("Network."):
            events.append(message)
    return events
