"""The training loop: mini-batch Adam with a fixed seed, and the per-epoch record.

Same code, spec, data and :class:`~.config.TrainConfig`: the same weights,
bit for bit (see :mod:`.threads` for why BLAS runs on one thread here).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np

from .config import TrainConfig
from .model import Model
from .optim import Adam
from .threads import one_blas_thread

log = logging.getLogger(__name__)

#: Images per forward pass when evaluating (bounds the memory of im2col).
EVAL_CHUNK = 512


@dataclass
class History:
    """One value per evaluated epoch (see :attr:`.TrainConfig.curves`): every epoch for a
    curve, else only the last epoch's test values. No accuracies for an autoencoder."""

    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)

    def as_arrays(self) -> dict[str, np.ndarray]:
        return {k: np.array(v, dtype=np.float64) for k, v in vars(self).items()}

    @classmethod
    def from_arrays(cls, arrays) -> "History":
        return cls(**{k: [float(x) for x in arrays[k]] for k in vars(cls())})


def predict_scores(model: Model, params: dict, x: np.ndarray) -> np.ndarray:
    """The scores (pre-softmax/-sigmoid outputs) for every image of ``x``, in chunks."""
    return np.concatenate([model.scores(params, x[i:i + EVAL_CHUNK])
                           for i in range(0, len(x), EVAL_CHUNK)])


def evaluate(model: Model, params: dict, x, targets, loss: str) -> tuple[float, float | None]:
    """(mean loss, accuracy or None) over a whole set."""
    from .losses import LOSSES

    z = predict_scores(model, params, x)
    value, _ = LOSSES[loss](z, targets)
    accuracy = float(np.mean(z.argmax(axis=1) == targets)) if loss == "cross_entropy" else None
    return value, accuracy


@dataclass
class Trained:
    params: dict[str, np.ndarray]
    history: History
    seconds: float


def train(model: Model, params: dict, config: TrainConfig, x_train, y_train, x_test, y_test) -> Trained:
    """Train the parameters of ``model`` that are not frozen, starting from ``params`` (copied).

    Targets: class ints for cross-entropy, images for binary cross-entropy.
    Each epoch visits the training set in an order drawn from ``config.seed``.
    """
    start = time.perf_counter()
    params = {k: v.copy() for k, v in params.items()}
    rng = np.random.default_rng(config.seed)
    opt = Adam(model.trainable(), config.learning_rate, config.betas, config.eps)
    history = History()
    n = len(x_train)
    with one_blas_thread():
        for epoch in range(config.epochs):
            order = rng.permutation(n)
            total = 0.0
            for i in range(0, n, config.batch_size):
                batch = order[i:i + config.batch_size]
                loss, grads = model.loss_and_grads(params, x_train[batch], y_train[batch], config.loss)
                opt.step(params, grads)
                total += loss * len(batch)
            # evaluate only what a curve (or, after the last epoch, a page) reads
            last = epoch == config.epochs - 1
            for name, x, y, wanted, losses, accuracies in (
                    ("train", x_train, y_train, "train" in config.curves,
                     history.train_loss, history.train_accuracy),
                    ("test", x_test, y_test, "test" in config.curves or last,
                     history.test_loss, history.test_accuracy)):
                if wanted:
                    value, accuracy = evaluate(model, params, x, y, config.loss)
                    losses.append(value)
                    if accuracy is not None:
                        accuracies.append(accuracy)
                    log.info("epoch %d: %s loss %.4f, accuracy %s", epoch + 1, name, value, accuracy)
            log.info("epoch %d: running training loss %.4f", epoch + 1, total / n)
    return Trained(params, history, time.perf_counter() - start)
