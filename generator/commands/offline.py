"""``python -m generator offline``: the whole site as one zip that works from disk.

What ``make offline`` runs after generating. MkDocs builds the assembled docs
folder with the offline config (Material's offline plugin: plain ``.html``
links and the search index as a script; the iframe-worker shim so search runs
from ``file://``) into a temporary folder; the zip holds it as
:data:`FOLDER`/, its entries sorted, dated ``SOURCE_DATE_EPOCH`` and with fixed
permissions, so two bundles of one commit are byte-identical. The zip is
written beside its place and renamed over it: a failed build leaves the
previous bundle as it was. No ``zip`` program is needed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from .. import atomic
from ..errors import UserError
from ..settings import OFFLINE_BUNDLE, Settings, load_settings
from .site import build_site, locked

#: The builder config of the bundle.
CONFIG = "mkdocs-offline.yml"
#: The folder the zip unzips into; a reader opens FOLDER/index.html.
FOLDER = "convnet-atlas"
#: The earliest date a zip entry can hold (1980-01-01), used without SOURCE_DATE_EPOCH.
_ZIP_EPOCH = 315532800


def add_parser(sub) -> None:
    p = sub.add_parser("offline", help=f"build the whole site for file:// as one zip ({OFFLINE_BUNDLE})")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    p.add_argument("--config", default=CONFIG, help=f"builder config file (default: {CONFIG})")
    p.add_argument("--out", help=f"the zip to write (default: {OFFLINE_BUNDLE})")
    p.set_defaults(run=run)


def _date() -> tuple[int, int, int, int, int, int]:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH") or _ZIP_EPOCH), _ZIP_EPOCH)
    return time.gmtime(epoch)[:6]


def write_zip(folder: Path, target: Path) -> None:
    """Every file under ``folder`` into the zip ``target``, as ``FOLDER/<path>``, reproducibly."""
    date = _date()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with atomic.replacing(target, mode=0o644) as out, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path in files:
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(folder).as_posix()}", date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the permissions above are read as such
            z.writestr(info, path.read_bytes())


def home_in(path: Path) -> bool:
    """True if ``path`` is a zip holding :data:`FOLDER`/index.html, as a bundle does;
    raises OSError or zipfile.BadZipFile if it is no zip."""
    with zipfile.ZipFile(path) as bundle:
        return f"{FOLDER}/index.html" in set(bundle.namelist())


def check_target(target: Path, shown: str) -> None:
    """A UserError unless ``target`` may be replaced by a bundle: absent, or a bundle
    already (a file of the user's, ``--out README.md`` say, is never overwritten)."""
    if target.is_dir():
        raise UserError(f"{shown}: is a folder; give the path of the zip to write")
    if not target.exists() and not target.is_symlink():
        return
    try:
        ours = target.is_file() and home_in(target)
    except (OSError, zipfile.BadZipFile):
        ours = False
    if not ours:
        raise UserError(f"{shown}: exists and is not an offline bundle; refusing to replace "
                        "it (remove it, or choose another path)")


def build_bundle(settings: Settings, config: str = CONFIG, target: Path | None = None) -> Path:
    """Build the offline site from the assembled docs folder and zip it into ``target``
    (default: :data:`OFFLINE_BUNDLE`); return the zip. Checked first: ``target`` may be
    replaced (:func:`check_target`)."""
    shown = str(target) if target is not None else OFFLINE_BUNDLE
    target = Path(target).resolve() if target is not None else settings.root / OFFLINE_BUNDLE
    check_target(target, shown)
    with locked(settings), tempfile.TemporaryDirectory(prefix=".offline-",
                                                        dir=target.parent if target.parent.is_dir() else None) as tmp:
        site = Path(tmp) / FOLDER
        build_site(settings, config, site, mark=False, what=OFFLINE_BUNDLE, ATLAS_OFFLINE="true")
        write_zip(site, target)
    return target


def run(args) -> int:
    settings = load_settings(Path(args.root))
    target = build_bundle(settings, args.config, Path(args.out) if args.out else None)
    print(f"generator: offline bundle {target} "
          f"(unzip it, open {FOLDER}/index.html)", file=sys.stderr)
    return 0
