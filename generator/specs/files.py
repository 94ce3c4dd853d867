"""Spec files: which files in a folder are specs, reading one (bounded), and its id.

Which files are specs, and their ids, are decided in :mod:`generator.spec_files` (light
enough for the build's fingerprint), re-exported here.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from ..spec_files import (SPEC_SUFFIXES, check_size, is_spec_name, reason as _reason,
                          regular_file as _regular_file, shown_path, spec_id,
                          user_spec_files)
from .limits import MAX_SPEC_BYTES
from .network import Network
from .parse import parse_spec

__all__ = ["SPEC_SUFFIXES", "is_spec_name", "user_spec_files", "spec_id", "load_spec",
           "shown_path"]


def load_spec(path, id: str | None = None) -> Network:
    """Read and validate the spec at ``path``; its id defaults to :func:`spec_id`.

    The file must be a regular file of at most :data:`~.limits.MAX_SPEC_BYTES` bytes of
    UTF-8 text; anything else is a :class:`UserError` naming the path and the cause.
    """
    path = Path(path)
    shown = shown_path(path)
    check_size(_regular_file(path).st_size, shown)
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
