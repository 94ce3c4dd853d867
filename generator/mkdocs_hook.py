"""MkDocs hook: run the generator before every build, and add its pages to the nav.

It runs ``python -m generator build`` in a subprocess so the generator stays a
plain program that any MkDocs-compatible builder can call, and so that
``mkdocs serve`` always runs the current generator code. The generator rewrites
only files whose bytes change, so a rebuild triggers at most one more, never a
loop. Set ``ATLAS_SKIP_GENERATE=1`` when the generator has just run (``make site``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

OUT_DIR = "generated"  # inside docs_dir; matches [tool.convnet-atlas] out_dir
NAV_FILE = ".nav.json"
KATEX = "vendor/katex/katex.min.js"


def on_config(config):
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    if not (docs / KATEX).is_file():
        raise PluginError(
            f"{docs.name}/{KATEX} is missing: run 'make assets' (KaTeX comes from the npm registry)"
        )
    if os.environ.get("ATLAS_SKIP_GENERATE") != "1":
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build"],
            cwd=root, capture_output=True, text=True,
        )
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines() or ["generator failed"]
            raise PluginError(lines[-1].removeprefix("error: "))
    nav_file = docs / OUT_DIR / NAV_FILE
    if nav_file.is_file() and config.nav:
        _extend_nav(config.nav, json.loads(nav_file.read_text(encoding="utf-8")))
    return config


def _extend_nav(nav: list, extra: dict[str, list[list[str]]]) -> None:
    """Append generated pages to top-level sections, skipping pages already listed."""
    listed = set(_paths(nav))
    for section, pages in extra.items():
        items = next((item[section] for item in nav if isinstance(item, dict) and section in item), None)
        if items is None:
            items = []
            nav.append({section: items})
        for title, path in pages:
            full = f"{OUT_DIR}/{path}"
            if full not in listed:
                items.append({title: full})


def _paths(nav):
    for item in nav:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                yield from _paths(value) if isinstance(value, list) else [value]
