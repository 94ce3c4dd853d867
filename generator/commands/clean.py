"""``python -m generator clean``: remove what the generator made, and nothing else.

The output folder's files listed in its manifest, the site if this project's
``site`` command built it, the offline bundle, and the cache folder. Paths come from the settings.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

from ..output import MANIFEST, read_manifest
from ..settings import OFFLINE_BUNDLE, load_settings
from . import offline
from .site import MARK


def add_parser(sub) -> None:
    p = sub.add_parser("clean", help="remove generated pages, the built site and the caches")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    p.set_defaults(run=run)


def _remove_owned(out_dir: Path) -> int:
    owned = read_manifest(out_dir) if out_dir.is_dir() else None
    if owned is None:
        return 0
    for rel in owned:
        (out_dir / rel).unlink(missing_ok=True)
    (out_dir / MANIFEST).unlink(missing_ok=True)
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(out_dir.iterdir()):
        out_dir.rmdir()
    return len(owned)


def _is_bundle(path: Path) -> bool:
    try:
        return offline.home_in(path)
    except (OSError, zipfile.BadZipFile):
        return False  # not the zip make offline writes: a file of the user's


def run(args) -> int:
    settings = load_settings(Path(args.root))
    removed = _remove_owned(settings.path("out_dir"))
    site = settings.path("site_dir")
    if (site / MARK).is_file():
        shutil.rmtree(site)
    bundle = settings.root / OFFLINE_BUNDLE
    if bundle.is_file() and _is_bundle(bundle):
        bundle.unlink()
    cache = settings.path("cache_dir")
    if cache.is_dir():
        shutil.rmtree(cache)
    print(f"generator: removed {removed} generated files, the site, the offline bundle and the cache", file=sys.stderr)
    return 0
