"""Content-addressed caches of the figure stage: rendered files, and computed inputs.

The key of a rendered figure hashes everything its bytes depend on: the
import closure of the module that draws it (:func:`generator.closure.digest`,
so editing any module it imports misses, and nothing else does), its
parameters, the facts and arrays computed for it, and the matplotlib and
Pillow versions. Entries are folders ``<dir>/<key[:2]>/<key>/`` holding one
file per part (``gif``, ``svg``, ``last.svg``, ``png``) and ``sha256.json``,
the hash of each part; they are moved into place whole, and every read is
checked against the hashes. An entry that cannot be read or does not match
is removed and counts as a miss: a cache never serves wrong bytes and never
fails a build.

Both caches forget what no build has used for :data:`KEEP_DAYS` days: a read
marks an entry used (its modification time), and the figure stage prunes the
rest after drawing (:meth:`FigureCache.prune`, :meth:`PreparedCache.prune`).
Only names shaped like entries are removed; anything else in the folders stays.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import tempfile
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from .. import atomic, closure

log = logging.getLogger(__name__)

#: Bump to invalidate every cached entry (a change in how keys or entries work).
FORMAT = 2
#: The file of an entry that holds the SHA-256 of each part.
HASHES = "sha256.json"
#: An entry no build has read or written for this many days is removed (a code edit
#: changes keys, so without this the caches only grow); recent ones stay, so going
#: back to another branch does not draw everything again.
KEEP_DAYS = 30
_KEY = re.compile(r"[0-9a-f]{64}")


def _touch(path: Path) -> None:
    """Mark a cache entry used now (a cache that cannot be written only costs time)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _prune(entries, remove, days: float) -> int:
    """Remove (``remove(path)``) each of ``entries`` not modified for ``days`` days, never
    following a symbolic link; how many went."""
    before, removed = time.time() - days * 86400, 0
    for path in entries:
        try:
            if path.is_symlink() or path.stat().st_mtime >= before:
                continue
            remove(path)
        except OSError:
            continue
        removed += 1
    return removed


@lru_cache(maxsize=1)
def _versions() -> str:
    return ",".join(f"{p}={metadata.version(p)}" for p in ("numpy", "matplotlib", "pillow"))


def code_digest(module: str) -> str:
    """The code part of a key: the import closure of ``generator.figures.<module>``."""
    return closure.digest(f"{__package__}.{module}")


def _json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def key(code: str, params: dict, facts: dict, data: dict[str, np.ndarray]) -> str:
    """The SHA-256 (hex) naming a figure's rendered files.

    ``code`` is :func:`code_digest` of the module that draws the figure.
    """
    h = hashlib.sha256()

    def part(label: str, payload: bytes) -> None:
        h.update(f"{label}:{len(payload)}:".encode())
        h.update(payload)

    part("format", str(FORMAT).encode())
    part("versions", _versions().encode())
    part("code", code.encode())
    part("params", _json(params))
    part("facts", _json(facts))
    for name in sorted(data):
        a = np.ascontiguousarray(data[name])
        part(f"array {name} {a.dtype.str} {a.shape}", a.tobytes())
    return h.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FigureCache:
    """Rendered parts of figures on disk, by key, each checked against its hash on read."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def _entry(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def drop(self, key: str) -> None:
        """Remove an entry (it will be drawn again)."""
        shutil.rmtree(self._entry(key), ignore_errors=True)

    def get(self, key: str, parts: list[str]) -> dict[str, bytes] | None:
        """The cached parts, or None when any is missing, unreadable or not as stored."""
        entry = self._entry(key)
        if not entry.is_dir():
            return None
        try:
            hashes = json.loads((entry / HASHES).read_bytes())
            files = {p: (entry / p).read_bytes() for p in parts}
            bad = [p for p, data in files.items() if hashes.get(p) != _sha(data)]
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            bad = [f"{type(exc).__name__}: {exc}"]
        if bad:
            log.warning("figure cache: entry %s is damaged (%s); drawing it again",
                        key[:12], ", ".join(bad))
            self.drop(key)
            return None
        _touch(entry)
        return files

    def prune(self, days: float = KEEP_DAYS) -> int:
        """Remove the entries no build has read or written for ``days`` days; how many."""
        entries = [e for e in (sorted(self.dir.glob("??/*")) if self.dir.is_dir() else ())
                   if _KEY.fullmatch(e.name) and e.parent.name == e.name[:2] and e.is_dir()]
        return _prune(entries, shutil.rmtree, days)

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store an entry atomically; a concurrent writer of the same key is harmless,
        and a cache that cannot be written only costs time."""
        entry = self._entry(key)
        if entry.is_dir():
            return
        try:
            if entry.exists() or entry.is_symlink():  # not an entry: a damaged cache
                entry.unlink()
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=entry.parent))
        except OSError as exc:
            log.warning("figure cache: cannot store %s (%s)", key[:12], exc)
            return
        try:
            for part, data in files.items():
                (tmp / part).write_bytes(data)
            (tmp / HASHES).write_bytes(_json({p: _sha(d) for p, d in files.items()}))
            os.rename(tmp, entry)
        except OSError:  # another process stored the same key first, or no space
            shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ computed inputs


class PreparedCache:
    """Computed inputs of figures (a kind's ``prepare`` result), by (code, kind, parameters).

    Saves a warm build the computations (and the YAML parsing of the specs)
    whose results are already known. The code part is the import closure of
    the module holding ``prepare`` plus the data files it reads (``extra``),
    so editing anything it uses misses. A file is the SHA-256 of its payload
    followed by the payload (a pickle); one that is unreadable, damaged or
    not a result of ``prepare`` is a miss, never an error.
    """

    def __init__(self, directory: Path | None):
        self.dir = None if directory is None else Path(directory)

    @staticmethod
    def key(code: str, kind: str, params: dict) -> str:
        h = hashlib.sha256(f"{FORMAT}:{_versions()}:{code}:{kind}:".encode())
        h.update(_json(params))
        return h.hexdigest()

    def _read(self, path: Path, expected: type):
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        digest, payload = blob[:32], blob[32:]
        if len(digest) < 32 or hashlib.sha256(payload).digest() != digest:
            if blob:
                log.warning("prepared cache: %s is damaged; computing again", path.name)
            return None
        try:
            value = pickle.loads(payload)
        except Exception as exc:  # any unpickling failure is a miss
            log.warning("prepared cache: %s unreadable (%s); computing again", path.name, exc)
            return None
        return value if isinstance(value, expected) else None

    def prune(self, days: float = KEEP_DAYS) -> int:
        """Remove the results no build has read or written for ``days`` days; how many."""
        found = sorted(self.dir.glob("*.pickle")) if self.dir and self.dir.is_dir() else ()
        return _prune([p for p in found if _KEY.fullmatch(p.stem) and p.is_file()],
                      Path.unlink, days)

    def get_or_compute(self, code: str, kind: str, params: dict, compute, expected: type):
        """``compute(params)``, or its stored result for this key when it is intact."""
        if self.dir is None:
            return compute(params)
        path = self.dir / f"{self.key(code, kind, params)}.pickle"
        value = self._read(path, expected)
        if value is not None:
            _touch(path)
            return value
        value = compute(params)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with atomic.replacing(path) as fh:
                fh.write(hashlib.sha256(payload).digest() + payload)
        except OSError as exc:  # a cache that cannot be written only costs time
            log.warning("prepared cache: cannot store %s (%s)", path.name, exc)
        return value
