"""``python -m generator publish BUNDLE``: put the offline bundle into the built site.

What ``make pages`` runs after ``make site`` and ``make offline``: it copies the
bundle's zip to :data:`generator.settings.OFFLINE_DOWNLOAD` inside the site, the
address the home page's download link names, so the Pages workflow deploys the
two together. It writes only into a site this project's ``site`` command built,
under the same lock, and the file appears whole (written beside it, then renamed).
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

from .. import atomic
from ..errors import UserError
from ..settings import OFFLINE_BUNDLE, OFFLINE_DOWNLOAD, load_settings, offline_download_url
from .offline import FOLDER, home_in
from .site import MARK, locked


def add_parser(sub) -> None:
    p = sub.add_parser("publish", help="copy the offline bundle (make offline) into the built site")
    p.add_argument("bundle", nargs="?", default=OFFLINE_BUNDLE,
                   help=f"the zip written by make offline (default: {OFFLINE_BUNDLE})")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    p.set_defaults(run=run)


def check_bundle(path: Path) -> None:
    """A zip holding the offline site's home page, or a one-line error."""
    try:
        found = home_in(path)
    except FileNotFoundError:
        raise UserError(f"{path}: not found; run make offline first") from None
    except zipfile.BadZipFile:
        raise UserError(f"{path}: not a zip file") from None
    if not found:
        raise UserError(f"{path}: no {FOLDER}/index.html in it; it is not the offline bundle")


def publish(settings, bundle: Path) -> Path:
    """Copy ``bundle`` into the site at :data:`OFFLINE_DOWNLOAD`; return where it went."""
    check_bundle(bundle)
    site = settings.path("site_dir")
    with locked(settings):
        if not (site / MARK).is_file():
            raise UserError(f"{settings.site_dir}: no site built by this project; run make site first")
        target = site / OFFLINE_DOWNLOAD
        with atomic.replacing(target, mode=0o644) as out, open(bundle, "rb") as zipped:
            shutil.copyfileobj(zipped, out)
    return target


def run(args) -> int:
    settings = load_settings(Path(args.root))
    target = publish(settings, settings.root / args.bundle)
    print(f"generator: published {target.relative_to(settings.root)} "
          f"(linked as {offline_download_url(settings)})", file=sys.stderr)
    return 0
