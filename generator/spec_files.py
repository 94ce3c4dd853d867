"""Which files in a folder are specs, and how paths appear in error messages.

Kept apart from :mod:`generator.specs` (YAML, the spec classes) so that the build's
fingerprint can list the users' spec files without importing any of that: a build with
nothing changed stops before it would need them. :mod:`generator.specs.files` uses and
re-exports everything here.

A spec file is named ``*.yaml`` or ``*.yml``, in any case (``Net.YML`` too), and is not
hidden (editors keep ``.#name.yaml`` locks and ``.name.yaml.swp`` files beside the
specs). The CLI and the site use the same rule, through :func:`is_spec_name` and
:func:`user_spec_files`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import UserError

__all__ = ["SPEC_SUFFIXES", "is_spec_name", "user_spec_files", "shown_path",
           "regular_file", "reason"]

#: The file name endings of a spec, compared without regard to case.
SPEC_SUFFIXES = (".yaml", ".yml")


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


def regular_file(path: Path) -> os.stat_result:
    """The status of ``path`` (links followed); a UserError unless it is a regular file."""
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
        raise UserError(f"{shown}: is a folder, not a spec file")
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{shown}: not a regular file (a spec is a YAML text file)")
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
    for path in paths:
        regular_file(path)
    return paths
