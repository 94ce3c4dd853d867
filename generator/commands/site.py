"""``python -m generator site``: generate, build with MkDocs, and swap the site in whole.

What ``make site`` runs. The three steps run under one lock, so two builds
started at once in a clone run one after the other; MkDocs builds into a
temporary folder beside the site, and only a build with no warning at all
replaces the site, in one rename (an exchange where the system has one).
MkDocs' own ``--strict`` misses warnings under ``--quiet``, so every line the
builder logs at WARNING or ERROR is counted here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from .. import pipeline
from ..errors import UserError
from ..settings import Settings, load_settings

LOCK = "site.lock"
#: Written into every site this command builds: the mark of a folder it may replace.
MARK = ".atlas-site"
_LEVELS = ("WARNING", "ERROR", "CRITICAL")


def add_parser(sub) -> None:
    p = sub.add_parser("site", help="generate, build the site strictly, and swap it in whole")
    p.add_argument("--root", default=".", help="project root holding pyproject.toml (default: .)")
    p.add_argument("--config", default="mkdocs.yml", help="builder config file (default: mkdocs.yml)")
    p.set_defaults(run=run)


@contextmanager
def locked(settings: Settings):
    """Hold the project's build lock; a second build waits here for the first."""
    lock = settings.path("cache_dir") / LOCK
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def warnings_in(log: str) -> list[str]:
    """The lines of a builder's log that report a warning or an error."""
    return [line for line in log.splitlines() if line.lstrip().startswith(_LEVELS)]


def build_site(settings: Settings, config: str, into: Path, *, mark: bool = True,
               what: str = "", **env: str) -> None:
    """MkDocs, strict, into ``into``; any warning is a failure. ``env``: more variables
    for the builder; ``mark``: write :data:`MARK` (a site this command may replace);
    ``what``: the folder the failure message says was left as it was."""
    env = dict(os.environ, ATLAS_SKIP_GENERATE="1", ATLAS_STRICT="true", **env)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config,
         "--site-dir", str(into)],
        cwd=settings.root, env=env, capture_output=True, text=True,
    )
    found = warnings_in(result.stderr + result.stdout)
    if result.returncode != 0 or found:
        for line in found or result.stderr.strip().splitlines()[-5:]:
            print(line, file=sys.stderr)
        raise UserError(
            f"{config}: the site build reported {len(found) or 'an error'}"
            f"{' warning(s)' if found else ''}; {what or settings.site_dir + '/'} was left as it was"
        )
    if mark:
        (into / MARK).write_text("built by python -m generator site\n", encoding="utf-8")


def overlaps(a: Path, b: Path) -> bool:
    """Whether two resolved folders are one, or one holds the other."""
    return a == b or a in b.parents or b in a.parents


def _check_site_dir(settings: Settings, site: Path) -> None:
    resolved = site.resolve()
    for other in ("docs_dir", "out_dir", "user_specs", "cache_dir"):
        if overlaps(resolved, settings.path(other).resolve()):
            raise UserError(f"{settings.site_dir}: the site folder overlaps {getattr(settings, other)}")
    if resolved == settings.root.resolve() or resolved in settings.root.resolve().parents:
        raise UserError(f"{settings.site_dir}: the site folder cannot hold the project")
    if site.is_dir() and any(site.iterdir()):
        ours = (site / MARK).is_file() or (
            (site / "index.html").is_file() and (site / "search/search_index.json").is_file()
        )
        if not ours:
            raise UserError(
                f"{settings.site_dir}: refusing to replace a folder that this command did not build"
            )
    elif site.exists() and not site.is_dir():
        raise UserError(f"{settings.site_dir}: is a file, not a folder")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def swap_in(new: Path, site: Path) -> None:
    """Put the tree ``new`` at ``site``; the old tree goes away only once the new one is there."""
    if site.is_dir() and _exchange(new, site):
        shutil.rmtree(new)  # now the old tree
        return
    old = site.with_name(f".{site.name}.old-{os.getpid()}")
    if site.exists():
        os.rename(site, old)  # the old tree away first ...
    os.rename(new, site)      # ... then the new one in
    if old.exists():
        shutil.rmtree(old)


def run(args) -> int:
    settings = load_settings(Path(args.root))
    site = settings.path("site_dir")
    _check_site_dir(settings, site)
    with locked(settings):
        pipeline.build(settings)
        tmp = site.with_name(f".{site.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            build_site(settings, args.config, tmp)
            swap_in(tmp, site)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"site built in {settings.site_dir}/", file=sys.stderr)
    return 0
