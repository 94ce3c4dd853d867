"""The trained networks of the site, each loaded from the cache or trained once.

* :func:`lenet5`: LeNet-5 (the built-in spec) on all ten digits.
* :func:`transfer`: LeNet-5 pre-trained on digits 0-4, then only its head
  retrained on digits 5-9 with C1, C3 and C5 frozen, against the same
  network trained from scratch on 5-9; with all training images of 5-9 and
  with only :data:`FEW` of each.
* :func:`autoencoder`: the convolutional autoencoder of ``autoencoder.yaml``.

Every function takes the cache folder: the build passes
``settings.path("cache_dir")``. Without one (a reader's snippet), it is the
cache folder of the project holding this ``generator`` package, from that
project's settings: never a folder found from the working directory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import closure, nn
from ..specs import load_builtin, load_spec
from .. import specs as s
from . import config as cfg
from .config import TrainConfig
from .data import Digits, load_digits
from .loop import History, predict_scores, train
from .model import Model, freeze
from .store import WeightStore, key as store_key

log = logging.getLogger(__name__)

AUTOENCODER_SPEC = Path(__file__).with_name("autoencoder.yaml")
#: Layers kept from the pre-trained network in transfer learning.
FROZEN = ("C1", "C3", "C5")
#: The pre-training digits and the new task's digits.
OLD_DIGITS, NEW_DIGITS = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)
#: Labelled training images per digit in the "few labels" runs.
FEW = 10


@dataclass
class Trained:
    """A network with its learned parameters and how it learned them."""

    model: Model
    params: dict[str, np.ndarray]
    history: History
    #: Training time in seconds when it was trained (kept in the cache).
    seconds: float
    #: The cache key.
    key: str
    config: TrainConfig

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Class scores (logits) (N, 10), or pixel logits for an autoencoder."""
        return predict_scores(self.model, self.params, x)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Softmax of the scores: (N, 10), each row sums to 1."""
        return nn.softmax(self.scores(x), 1)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The top-1 class of each image: (N,)."""
        return self.scores(x).argmax(axis=1)

    def activations(self, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """(layer name, output) for every layer, input ``x`` (N, 1, 32, 32)."""
        outs = self.model.forward(self.params, x, keep=True)
        return list(zip(self.model.names, outs))


def project_cache() -> Path:
    """The cache folder of the project this package is part of (its pyproject.toml settings)."""
    from ..settings import load_settings

    return load_settings(closure.ROOT).path("cache_dir")


def _fit(network: s.Network, config: TrainConfig, data: tuple, cache: Path, folder: str,
         fingerprint: str, start: dict | None = None, **extra) -> Trained:
    """Load from ``cache/folder`` or train (from ``start`` or a fresh initialisation) and store."""
    model = Model(network)
    k = store_key(network, config, fingerprint, **extra)
    store = WeightStore(Path(cache) / folder)
    hit = store.get(k)
    if hit is not None:
        params, history, meta = hit
        log.info("%s: trained network %s from the cache", folder, k[:12])
        return Trained(model, params, history, meta["seconds"], k, config)
    params = start if start is not None else model.init(config.seed)
    result = train(model, params, config, *data)
    store.put(k, result.params, result.history, {"seconds": result.seconds})
    log.info("%s: trained %s in %.1f s", folder, network.name, result.seconds)
    return Trained(model, result.params, result.history, result.seconds, k, config)


def lenet5(cache: Path | None = None) -> Trained:
    """LeNet-5 trained on the 1,438 training digits (cached)."""
    return _cached(str(cache or project_cache()), "lenet5")


@lru_cache(maxsize=None)
def _cached(cache: str, which: str):
    d = load_digits()
    fp = d.fingerprint()
    if which == "lenet5":
        return _fit(load_builtin("lenet5"), cfg.LENET5,
                    (d.x_train, d.y_train, d.x_test, d.y_test), cache, "lenet5", fp)
    if which == "autoencoder":
        train_images, test_images = d.images[d.train_index], d.images[d.test_index]
        return _fit(load_spec(AUTOENCODER_SPEC, "autoencoder"), cfg.AUTOENCODER,
                    (train_images, train_images, test_images, test_images),
                    cache, "autoencoder", fp)
    if which == "transfer":
        return _transfer(cache, d, fp)
    raise KeyError(which)


def subset(d: Digits, digits, few: int | None = None) -> tuple:
    """(x_train, y_train, x_test, y_test) of the images of ``digits``; ``few`` per digit for training.

    The ``few`` are the first of each digit in the fixed training order.
    """
    train_keep = np.isin(d.y_train, digits)
    if few is not None:
        firsts = [np.flatnonzero(d.y_train == c)[:few] for c in digits]
        train_keep = np.zeros_like(train_keep)
        train_keep[np.concatenate(firsts)] = True
    test_keep = np.isin(d.y_test, digits)
    return d.x_train[train_keep], d.y_train[train_keep], d.x_test[test_keep], d.y_test[test_keep]


@dataclass
class Transfer:
    """The transfer-learning runs; ``head``/``scratch`` by ``"all"`` and ``"few"``."""

    #: None when only the runs from scratch were asked for (:func:`train_transfer_part`)
    base: Trained | None
    head: dict[str, Trained]
    scratch: dict[str, Trained]
    frozen_network: s.Network
    #: (x_train, y_train, x_test, y_test) for "all" and "few"
    data: dict[str, tuple]


#: The parts of the transfer-learning runs that train independently of each other: the
#: heads start from the pre-trained base network, the runs from scratch need nothing else.
TRANSFER_PARTS = ("head", "scratch")


def _transfer(cache: str, d: Digits, fp: str, parts=TRANSFER_PARTS) -> Transfer:
    """The transfer-learning runs of ``parts`` (the others left empty, the base with them)."""
    unknown = set(parts) - set(TRANSFER_PARTS)
    if unknown:
        raise KeyError(f"transfer parts: {sorted(unknown)}")
    lenet = load_builtin("lenet5")
    base = (_fit(lenet, cfg.BASE, subset(d, OLD_DIGITS), cache, "lenet5", fp, digits=OLD_DIGITS)
            if "head" in parts else None)
    frozen = freeze(lenet, FROZEN)
    head, scratch, data = {}, {}, {}
    for amount, few in (("all", None), ("few", FEW)):
        config = cfg.TRANSFER[amount]
        data[amount] = subset(d, NEW_DIGITS, few)
        if "head" in parts:
            # the frozen layers from the pre-trained network, a new head initialised as from scratch
            fresh = Model(lenet).init(config.seed)
            start = {k: (base.params[k] if k.split(".")[0] in FROZEN else fresh[k]) for k in fresh}
            head[amount] = _fit(frozen, config, data[amount], cache, "lenet5", fp,
                                start=start, digits=NEW_DIGITS, few=few, base=base.key)
        if "scratch" in parts:
            scratch[amount] = _fit(lenet, config, data[amount], cache, "lenet5", fp,
                                   digits=NEW_DIGITS, few=few)
    return Transfer(base, head, scratch, frozen, data)


def train_transfer_part(cache: Path, part: str) -> None:
    """Train one of :data:`TRANSFER_PARTS` into ``cache`` (or find it there), for a job of
    its own (:mod:`.jobs`); :func:`transfer` then reads every part from the cache."""
    d = load_digits()
    _transfer(str(cache), d, d.fingerprint(), (part,))


def transfer(cache: Path | None = None) -> Transfer:
    """The transfer-learning runs (cached)."""
    return _cached(str(cache or project_cache()), "transfer")


def autoencoder(cache: Path | None = None) -> Trained:
    """The convolutional autoencoder trained to reproduce the training digits (cached)."""
    return _cached(str(cache or project_cache()), "autoencoder")
