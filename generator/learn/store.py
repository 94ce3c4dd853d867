"""Trained weights in the generator's cache, named by a hash of everything they depend on.

The key hashes the source of the training code (the import closure of
:data:`TRAINING_CODE`, found by :mod:`generator.closure`), the NumPy
version, the network spec, the data (:meth:`.data.Digits.fingerprint`), the
:class:`~.config.TrainConfig` and any extra inputs (a starting network's
key, the classes trained on). Same key, same weights: a build trains only
when one of them changed.

Entries are ``<dir>/<key>.npz`` files written under a temporary name and
renamed, so a reader never sees half a file. Each holds its key and a SHA-256
of its own arrays (:func:`content_digest`): an entry that cannot be read,
whose arrays do not match their digest, or that was stored under another key
(a copied file) is a miss (trained again and replaced), never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from pathlib import Path

import numpy as np

from .. import atomic, closure
from .. import specs as s
from .config import TrainConfig
from .loop import History

log = logging.getLogger(__name__)

#: Bump to invalidate every stored network (a change in how keys or files work).
FORMAT = 2
#: The modules whose code decides the weights; the key hashes their import closure.
TRAINING_CODE = ("generator.learn.loop", "generator.learn.data")
#: The arrays of an entry holding the digest of all the others, and its own key.
DIGEST, KEY = "digest", "key"


def code_fingerprint() -> str:
    """SHA-256 of the source of every module the training code imports."""
    return closure.digest(*TRAINING_CODE)


def content_digest(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 (hex) of named arrays: names, dtypes, shapes and bytes, in name order."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}:{a.dtype.str}:{a.shape}:".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def key(network: s.Network, config: TrainConfig, data: str, **extra) -> str:
    """The hex SHA-256 naming one trained network."""
    parts = {
        "format": FORMAT,
        "numpy": np.__version__,
        "code": code_fingerprint(),
        "network": repr((network.input, network.layers)),
        "config": config.as_dict(),
        "data": data,
        "extra": extra,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class WeightStore:
    """``<dir>/<key>.npz``: parameters, the per-epoch history and a little metadata."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.npz"

    def get(self, key: str) -> tuple[dict, History, dict] | None:
        """The stored (params, history, meta), or None when missing or unreadable."""
        path = self.path(key)
        try:
            with np.load(path, allow_pickle=False) as f:
                arrays = {k: f[k] for k in f.files}
            stored = str(arrays.pop(DIGEST))
            if stored != content_digest(arrays):
                raise ValueError("the arrays do not match their digest")
            if str(arrays.pop(KEY)) != key:
                raise ValueError("the entry was stored under another key")
            params = {k[len("param/"):]: v for k, v in arrays.items() if k.startswith("param/")}
            history = History.from_arrays(
                {k[len("history/"):]: v for k, v in arrays.items() if k.startswith("history/")})
            meta = json.loads(str(arrays["meta"]))
            if not isinstance(meta, dict) or not isinstance(meta.get("seconds"), (int, float)):
                raise ValueError("no training time in the metadata")
        except FileNotFoundError:
            return None
        except Exception as exc:  # any way of being unreadable (BadZipFile, EOFError, ...): a miss
            log.info("%s: unreadable cache entry (%s: %s), training again",
                     path, type(exc).__name__, exc)
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # replaced by the next put() anyway
            return None
        return params, history, meta

    def put(self, key: str, params: dict, history: History, meta: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        arrays = {f"param/{k}": v for k, v in params.items()}
        arrays.update({f"history/{k}": v for k, v in history.as_arrays().items()})
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
        arrays[KEY] = np.array(key)
        arrays[DIGEST] = np.array(content_digest(arrays))
        with atomic.replacing(self.path(key)) as f:
            np.savez(f, **arrays)
