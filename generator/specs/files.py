"""Spec files: which files in a folder are specs, reading one (bounded), and its id.

A spec file is named ``*.yaml`` or ``*.yml``, in any case (``Net.YML`` too), and is not
hidden (editors keep ``.#name.yaml`` locks and ``.name.yaml.swp`` files beside the
specs). The CLI and the site use the same rule, through :func:`is_spec_name` and
:func:`user_spec_files`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from ..errors import UserError
from .limits import MAX_SPEC_BYTES
from .network import Network
from .parse import parse_spec

__all__ = ["SPEC_SUFFIXES", "is_spec_name", "user_spec_files", "spec_id", "load_spec",
           "shown_path"]

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


def _reason(exc: OSError, path: Path) -> str:
    """Why ``path`` cannot be read, in words."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "a symbolic link to nothing"
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def _regular_file(path: Path) -> os.stat_result:
    """The status of ``path`` (links followed); a UserError unless it is a regular file."""
    shown = shown_path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UserError(f"{shown}: cannot be read: a symbolic link to nothing") from None
        raise UserError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UserError(f"{shown}: cannot be read: {_reason(exc, path)}") from None
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
        raise UserError(f"{shown_path(folder)}: cannot be read: {_reason(exc, folder)}") \
            from None
    paths = [folder / name for name in names if is_spec_name(name)]
    for path in paths:
        _regular_file(path)
    return paths


def spec_id(path) -> str:
    """The id of a user's spec: its file name without the suffix, as a URL-safe slug."""
    slug = re.sub(r"[^a-z0-9_.-]+", "-", Path(path).stem.lower()).strip("-.")
    return slug or "spec"


def load_spec(path, id: str | None = None) -> Network:
    """Read and validate the spec at ``path``; its id defaults to :func:`spec_id`.

    The file must be a regular file of at most :data:`~.limits.MAX_SPEC_BYTES` bytes of
    UTF-8 text; anything else is a :class:`UserError` naming the path and the cause.
    """
    path = Path(path)
    shown = shown_path(path)
    st = _regular_file(path)
    if st.st_size > MAX_SPEC_BYTES:
        raise UserError(f"{shown}: the file has {st.st_size:,} bytes; a spec may have at most "
                        f"{MAX_SPEC_BYTES:,} ({MAX_SPEC_BYTES >> 20} MiB)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{shown}: cannot be read: {_reason(exc, path)}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_spec(text, shown, id or spec_id(path))
