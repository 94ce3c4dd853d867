"""``python -m generator clean``: remove what the generator made, and nothing else.

The output folder's files listed in its manifest, the site if this project's
``site`` command built it, the offline bundle, and the cache folder. Paths come from the settings.

The cache folder is removed whole, so it is checked first, before anything is removed:
a ``cache_dir`` setting that names the project itself (``.`` or an empty path), a folder
holding it (the home folder), the generator's code, a folder of the project's files
(one with a ``.git``, one whose files git tracks) or a folder the settings give another
use (the docs, the users' specs, the output, the site) stops the command with one line
and removes nothing. A cache folder outside the project is left where it is, with a
line saying so: nothing tells that every file in it is the generator's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ..errors import UserError
from ..output import MANIFEST, read_manifest
from ..settings import OFFLINE_BUNDLE, Settings, load_settings
from . import offline
from .site import MARK, overlaps

#: The generator's own code: never a cache.
_PACKAGE = Path(__file__).resolve().parents[1]


def add_parser(sub) -> None:
    p = sub.add_parser("clean", help="remove generated pages, the built site and the caches")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    p.set_defaults(run=run)


def _through_link(out_dir: Path, rel: str) -> bool:
    """True when a folder on the way from ``out_dir`` to ``rel`` is a symbolic link (a
    file of the manifest would then be removed somewhere else)."""
    folder = out_dir
    for part in rel.split("/")[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return True
    return False


def _remove_owned(out_dir: Path) -> int:
    owned = read_manifest(out_dir) if out_dir.is_dir() and not out_dir.is_symlink() else None
    if owned is None:
        return 0
    for rel in owned:
        if not _through_link(out_dir, rel):
            try:
                (out_dir / rel).unlink(missing_ok=True)
            except OSError:  # a name the file system cannot hold, or a folder now
                pass
    (out_dir / MANIFEST).unlink(missing_ok=True)
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir() and not p.is_symlink()),
                         reverse=True):
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


def _git_tracks(root: Path, folder: Path) -> bool:
    """True when git tracks a file in ``folder`` (False without git or a repository)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", str(folder)],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout)


def cache_to_remove(settings: Settings) -> Path | None:
    """The cache folder if ``clean`` may remove it whole; None when there is none or it is
    outside the project (left, and said so). A UserError when the setting names a folder
    that is not only the cache."""
    shown = settings.cache_dir or "''"
    cache = settings.path("cache_dir")
    if cache.is_symlink() or not cache.exists():
        return None
    real, root = cache.resolve(), settings.root.resolve()

    def refuse(why: str) -> UserError:
        return UserError(f"{shown}: refusing to remove the cache folder (the cache_dir "
                         f"setting): {why}; nothing was removed")

    if not real.is_dir():
        raise refuse("it is a file, not a folder")
    if real == root or real in root.parents:
        raise refuse("it is or holds the project")
    if overlaps(real, _PACKAGE):
        raise refuse("it is or holds the generator's code")
    for name in ("docs_dir", "user_specs", "out_dir", "site_dir"):
        if getattr(settings, name) and overlaps(real, settings.path(name).resolve()):
            raise refuse(f"it overlaps the {name} folder {getattr(settings, name)}")
    if root not in real.parents:
        return None
    if any(p.name == ".git" for p in real.rglob(".git")):
        raise refuse("it holds a .git repository")
    if _git_tracks(root, real):
        raise refuse("git tracks files in it")
    return cache


def run(args) -> int:
    settings = load_settings(Path(args.root))
    cache = cache_to_remove(settings)  # before anything is removed
    removed = _remove_owned(settings.path("out_dir"))
    site = settings.path("site_dir")
    if (site / MARK).is_file():
        shutil.rmtree(site)
    bundle = settings.root / OFFLINE_BUNDLE
    if bundle.is_file() and _is_bundle(bundle):
        bundle.unlink()
    if cache is not None:
        shutil.rmtree(cache)
    elif settings.path("cache_dir").exists():
        print(f"generator: left the cache folder {settings.path('cache_dir')}: it is outside "
              "the project, and clean removes only what it knows the generator made",
              file=sys.stderr)
    print(f"generator: removed {removed} generated files, the site, the offline bundle and the cache", file=sys.stderr)
    return 0
