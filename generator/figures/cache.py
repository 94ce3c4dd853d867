"""A content-addressed cache of rendered figures.

The key of a figure hashes everything its bytes depend on: the source of the
module that draws it and of the shared drawing modules (style, cells,
encode), its parameters, the facts and arrays computed for it, and the
matplotlib and Pillow versions. Same key, same bytes: a cached figure is
never drawn again. Entries are folders ``<dir>/<key[:2]>/<key>/`` holding one
file per part (``gif``, ``svg``, ``last.svg``, ``png``), moved into place
whole, so a reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

#: Bump to invalidate every cached figure (a change in how keys or entries work).
FORMAT = 1
HERE = Path(__file__).parent
#: Modules every figure's drawing depends on, besides its own.
SHARED = ("style.py", "cells.py", "boxes.py", "encode.py")


@lru_cache(maxsize=None)
def _source(name: str) -> bytes:
    return (HERE / name).read_bytes()


@lru_cache(maxsize=1)
def _versions() -> str:
    return ",".join(f"{p}={metadata.version(p)}" for p in ("matplotlib", "pillow"))


def key(module: str, params: dict, facts: dict, data: dict[str, np.ndarray]) -> str:
    """The SHA-256 (hex) naming a figure's rendered files."""
    h = hashlib.sha256()

    def part(label: str, payload: bytes) -> None:
        h.update(f"{label}:{len(payload)}:".encode())
        h.update(payload)

    part("format", str(FORMAT).encode())
    part("versions", _versions().encode())
    for name in (f"{module}.py", *SHARED):
        part(name, _source(name))
    part("params", json.dumps(params, sort_keys=True, separators=(",", ":")).encode())
    part("facts", json.dumps(facts, sort_keys=True, separators=(",", ":")).encode())
    for name in sorted(data):
        a = np.ascontiguousarray(data[name])
        part(f"array {name} {a.dtype.str} {a.shape}", a.tobytes())
    return h.hexdigest()


class FigureCache:
    """Rendered parts of figures on disk, by key."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def _entry(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def get(self, key: str, parts: list[str]) -> dict[str, bytes] | None:
        """The cached parts, or None when any is missing."""
        entry = self._entry(key)
        try:
            return {p: (entry / p).read_bytes() for p in parts}
        except FileNotFoundError:
            return None

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store an entry atomically; a concurrent writer of the same key is harmless."""
        entry = self._entry(key)
        if entry.is_dir():
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=entry.parent))
        for part, data in files.items():
            (tmp / part).write_bytes(data)
        try:
            os.rename(tmp, entry)
        except OSError:  # another process stored the same key first
            shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ computed inputs

#: What the computations of prepare.py read: its own source and every module it
#: calls, the built-in specs, and the sample photograph (via the matplotlib version).
_INPUT_CODE = ("figures/prepare.py", "nn/**/*.py", "specs/**/*.py", "specs/**/*.yaml",
               "tables/**/*.py")
_PACKAGE = HERE.parent


@lru_cache(maxsize=1)
def _input_code_digest() -> bytes:
    h = hashlib.sha256()
    files = sorted({p for pattern in _INPUT_CODE for p in _PACKAGE.glob(pattern)})
    for p in files:
        data = p.read_bytes()
        h.update(f"{p.relative_to(_PACKAGE).as_posix()}:{len(data)}:".encode())
        h.update(data)
    versions = ",".join(f"{p}={metadata.version(p)}" for p in ("numpy", "matplotlib", "pillow"))
    h.update(versions.encode())
    return h.digest()


class PreparedCache:
    """The computed arrays and facts of figures, by (kind, parameters, source of the code).

    Saves a warm build the computations (and the YAML parsing of the specs)
    whose results are already known; a change to any module that
    ``prepare.py`` may use, or to a spec, misses.
    """

    def __init__(self, directory: Path | None):
        self.dir = None if directory is None else Path(directory)

    def key(self, kind: str, params: dict) -> str:
        h = hashlib.sha256(_input_code_digest())
        h.update(f"{FORMAT}:{kind}:".encode())
        h.update(json.dumps(params, sort_keys=True, separators=(",", ":")).encode())
        return h.hexdigest()

    def get_or_compute(self, kind: str, params: dict, compute):
        if self.dir is None:
            return compute(params)
        path = self.dir / f"{self.key(kind, params)}.pickle"
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            pass
        value = compute(params)
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return value
