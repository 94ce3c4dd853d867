"""Which files in a folder are specs, and how paths appear in error messages.

Kept apart from :mod:`generator.specs` (YAML, the spec classes) so that the build's
fingerprint can list the users' spec files without importing any of that: a build with
nothing changed stops before it would need them. :mod:`generator.specs.files` uses and
re-exports everything here.

A spec file is named ``*.yaml`` or ``*.yml``, in any case (``Net.YML`` too), and is not
hidden (editors keep ``.#name.yaml`` locks and ``.name.yaml.swp`` files beside the
specs). The CLI and the site use the same rule, through :func:`is_spec_name` and
:func:`user_spec_files`.

A user's spec is known by its id, :func:`spec_id` of its file name: its page, its CSV
and JSON and its diagram are named after it. :func:`user_spec_files` refuses, naming the
file, a folder where two files would have one id, where a file would take the id of a
built-in network or of the section's own page (:data:`RESERVED_IDS`), where an id is
longer than :data:`MAX_ID_CHARS`, a file larger than :data:`MAX_SPEC_BYTES`, or where a
file name is not UTF-8 text (the build names
pages after it and records it in UTF-8): each would otherwise fail later, in the middle
of the build, naming something else.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from functools import lru_cache
from pathlib import Path

from .errors import UserError

__all__ = ["SPEC_SUFFIXES", "is_spec_name", "user_spec_files", "shown_path",
           "regular_file", "reason", "spec_id", "builtin_ids", "refused_id", "check_size",
           "MAX_SPEC_BYTES", "MAX_ID_CHARS", "RESERVED_IDS"]

#: The file name endings of a spec, compared without regard to case.
SPEC_SUFFIXES = (".yaml", ".yml")

#: The largest spec file, in bytes (1 MiB). Defined here, where the specs folder is
#: scanned (the build's fingerprint reads every spec file: a 10 GB file named
#: ``huge.yaml`` must be refused before), and part of :mod:`generator.specs.limits`.
MAX_SPEC_BYTES = 1 << 20

#: The longest id a user's spec may have. Its files are named after it (the page, the
#: CSV, the JSON, the diagram's ``architecture-<id>-dark.svg``), each first written under
#: a longer temporary name, and a file system holds names of at most 255 bytes.
MAX_ID_CHARS = 100

#: Ids no user's spec may have: ``index`` is the Architectures section's own page.
RESERVED_IDS = ("index",)

#: The built-in networks' spec files (``generator.specs.BUILTINS`` names them, in order).
_BUILTIN_DIR = Path(__file__).resolve().parent / "specs"


def spec_id(path) -> str:
    """The id of a user's spec: its file name without the suffix, as a URL-safe slug."""
    slug = re.sub(r"[^a-z0-9_.-]+", "-", Path(path).stem.lower()).strip("-.")
    return slug or "spec"


@lru_cache(maxsize=1)
def builtin_ids() -> frozenset[str]:
    """The ids of the built-in networks: their spec files' names (read without parsing
    them, for the build's fingerprint)."""
    return frozenset(p.stem for p in _BUILTIN_DIR.glob("*.yaml"))


def refused_id(id: str) -> str | None:
    """Why a build refuses a user's spec of this id, or None: longer than
    :data:`MAX_ID_CHARS`, a built-in network's (:func:`builtin_ids`) or one of
    :data:`RESERVED_IDS`. The scan of the specs folder and ``import`` both ask here."""
    if len(id) > MAX_ID_CHARS:
        return (f"the file name gives the id '{id[:20]}…' of {len(id)} characters, and a "
                f"spec's pages and files are named after it; an id may have at most "
                f"{MAX_ID_CHARS}: shorten the file name")
    if id in builtin_ids():
        return (f"its id '{id}' is the built-in network {id}'s, whose page has the same "
                "name; rename the file")
    if id in RESERVED_IDS:
        return f"its id '{id}' is the name of the section's own page; rename the file"
    return None


def is_spec_name(name: str) -> bool:
    """True for a file name that a spec may have: ``*.yaml`` or ``*.yml``, any case, and
    not hidden."""
    return not name.startswith(".") and name.lower().endswith(SPEC_SUFFIXES) \
        and Path(name).stem != ""


def shown_path(path) -> str:
    """``path`` as error messages show it: relative to the working folder when inside it,
    with any character that is not printable escaped (a file name is not text we trust)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        rel = ".."
    text = str(path) if rel.startswith("..") else rel
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def reason(exc: OSError, path: Path) -> str:
    """Why ``path`` cannot be read, in words."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "a symbolic link to nothing"
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def check_size(size: int, shown: str) -> None:
    """A UserError naming ``shown`` when a spec of ``size`` bytes is past
    :data:`MAX_SPEC_BYTES`."""
    if size > MAX_SPEC_BYTES:
        raise UserError(f"{shown}: the file has {size:,} bytes; a spec may have at most "
                        f"{MAX_SPEC_BYTES:,} ({MAX_SPEC_BYTES >> 20} MiB)")


def regular_file(path: Path, what: str = "a spec file",
                 why: str = "a spec is a YAML text file") -> os.stat_result:
    """The status of ``path`` (links followed); a UserError unless it is a regular file:
    a folder is not ``what``, and a device or named pipe (read for ever, or waited on for
    ever) is refused saying ``why``."""
    shown = shown_path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UserError(f"{shown}: cannot be read: a symbolic link to nothing") from None
        raise UserError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UserError(f"{shown}: cannot be read: {reason(exc, path)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{shown}: is a folder, not {what}")
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{shown}: not a regular file ({why})")
    return st


def user_spec_files(folder) -> list[Path]:
    """The spec files directly in ``folder`` (see :func:`is_spec_name`), sorted by name;
    none if ``folder`` does not exist.

    Raises
    ------
    UserError
        One line naming the path when ``folder`` is not a readable folder, or when a
        name that looks like a spec is not a readable regular file (a folder, a symbolic
        link loop, a link to nothing), rather than leaving it out without a word.
    """
    folder = Path(folder)
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except FileNotFoundError:
        if os.path.islink(folder):
            raise UserError(f"{shown_path(folder)}: cannot be read: a symbolic link to "
                            "nothing") from None
        return []
    except NotADirectoryError:
        raise UserError(f"{shown_path(folder)}: not a folder (it should hold spec files)") \
            from None
    except OSError as exc:
        raise UserError(f"{shown_path(folder)}: cannot be read: {reason(exc, folder)}") \
            from None
    paths = [folder / name for name in names if is_spec_name(name)]
    taken: dict[str, Path] = {}
    for path in paths:
        shown = shown_path(path)
        check_size(regular_file(path).st_size, shown)
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            raise UserError(f"{shown}: the file name is not UTF-8 text; rename the file") \
                from None
        id = spec_id(path)
        why = refused_id(id)
        if why:
            raise UserError(f"{shown}: {why}")
        if id in taken:
            raise UserError(f"{shown}: its id '{id}' is also the id of "
                            f"{shown_path(taken[id])} (an id is the file name in lower case, "
                            "without the suffix, other characters as '-'); rename one of them")
        taken[id] = path
    return paths
