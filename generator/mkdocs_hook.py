"""MkDocs hook, for ``mkdocs serve`` only: re-run the generator before each rebuild.

The navigation does not depend on this hook: the generator writes it as
``.nav.yml`` in the docs folder it assembles, and ``make site`` runs the
generator before the builder. During ``mkdocs serve`` the hook runs
``python -m generator build`` in a subprocess (so the current generator code
runs), which rewrites only files whose bytes change: a rebuild triggers at most
one more, never a loop. Builders that ignore hooks (Zensical) build the same site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    if not _serving or os.environ.get("ATLAS_SKIP_GENERATE") == "1":
        return config
    root = Path(config.config_file_path).parent
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(root)],
        cwd=root, capture_output=True, text=True,
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or ["generator failed"]
        raise PluginError(lines[-1].removeprefix("error: "))
    return config
