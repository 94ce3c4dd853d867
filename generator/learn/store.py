"""Trained weights in the generator's cache, named by a hash of everything they depend on.

The key hashes the source of the training code (this package's training
modules and every ``generator.nn`` operator), the NumPy version, the network
spec, the data (:meth:`.data.Digits.fingerprint`), the
:class:`~.config.TrainConfig` and any extra inputs (a starting network's
key, the classes trained on). Same key, same weights: a build trains only
when one of them changed. Entries are ``<dir>/<key>.npz`` files written
under a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ..specs import schema as s
from .config import TrainConfig
from .loop import History

#: Bump to invalidate every stored network (a change in how keys or files work).
FORMAT = 1
HERE = Path(__file__).parent
NN = HERE.parent / "nn"
#: The modules whose code decides the weights.
TRAINING_CODE = ("config.py", "data.py", "layers.py", "losses.py", "model.py", "optim.py",
                 "loop.py", "threads.py")


def code_fingerprint() -> str:
    """SHA-256 of the training modules and of generator/nn/*.py."""
    h = hashlib.sha256()
    files = [HERE / name for name in TRAINING_CODE] + sorted(NN.glob("*.py"))
    for path in files:
        data = path.read_bytes()
        h.update(f"{path.name}:{len(data)}:".encode())
        h.update(data)
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
        try:
            with np.load(self.path(key), allow_pickle=False) as f:
                params = {k[len("param/"):]: f[k] for k in f.files if k.startswith("param/")}
                history = History.from_arrays(
                    {k[len("history/"):]: f[k] for k in f.files if k.startswith("history/")})
                meta = json.loads(str(f["meta"]))
        except (FileNotFoundError, KeyError, ValueError, OSError):
            return None  # missing, or unreadable: train again
        return params, history, meta

    def put(self, key: str, params: dict, history: History, meta: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        arrays = {f"param/{k}": v for k, v in params.items()}
        arrays.update({f"history/{k}": v for k, v in history.as_arrays().items()})
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:12]}-", suffix=".npz", dir=self.dir)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
