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

#: Images per forward pass through a layer whose bits depend on the batch (a linear layer,
#: see :attr:`.layers.Layer.per_image`) when evaluating: the chunks every stored history
#: was computed with, so changing it changes the histories' last bits.
EVAL_CHUNK = 512
#: Images per forward pass through the layers that compute each image on its own, when
#: evaluating and preparing: few enough that a chunk's im2col matrices stay in the CPU's
#: cache (measured in benchmarks/bench_training.py); the results do not depend on it.
IMAGE_CHUNK = 64


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


def predict_scores(model: Model, params: dict, x, start: int = 0) -> np.ndarray:
    """The scores (pre-softmax/-sigmoid outputs) for every image of ``x``, in chunks.

    ``x``: the network's input, or with ``start`` what :meth:`.Model.prepare` made of it.
    """
    split = model.per_image_until(start)
    if split > start:  # the layers computing each image on their own, in small chunks
        x = np.concatenate([model.forward(params, x[i:i + IMAGE_CHUNK], start=start, stop=split)
                            for i in range(0, len(x), IMAGE_CHUNK)])
    return np.concatenate([model.scores(params, x[i:i + EVAL_CHUNK], start=split)
                           for i in range(0, len(x), EVAL_CHUNK)])


def evaluate(model: Model, params: dict, x, targets, loss: str,
             start: int = 0) -> tuple[float, float | None]:
    """(mean loss, accuracy or None) over a whole set (``x`` and ``start`` as for
    :func:`predict_scores`); the loss's value only, no gradient."""
    from .losses import LOSS_VALUES

    z = predict_scores(model, params, x, start)
    value = LOSS_VALUES[loss](z, targets)
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
    The layers below the lowest that learns run once per image, not once per
    epoch (:meth:`.Model.prepare`); the weights are the same bit for bit.
    """
    start = time.perf_counter()
    params = {k: v.copy() for k, v in params.items()}
    rng = np.random.default_rng(config.seed)
    opt = Adam(model.trainable(), config.learning_rate, config.betas, config.eps)
    history = History()
    n = len(x_train)
    with one_blas_thread():
        fixed = model.fixed_layers()
        # what the lowest learning layer reads, for every image, made once
        train_in, test_in = (model.prepare(params, x, IMAGE_CHUNK) for x in (x_train, x_test))
        for epoch in range(config.epochs):
            order = rng.permutation(n)
            total = 0.0
            for i in range(0, n, config.batch_size):
                batch = order[i:i + config.batch_size]
                loss, grads = model.loss_and_grads(params, train_in[batch], y_train[batch],
                                                   config.loss, start=fixed)
                opt.step(params, grads)
                total += loss * len(batch)
            # evaluate only what a curve (or, after the last epoch, a page) reads
            last = epoch == config.epochs - 1
            for name, x, y, wanted, losses, accuracies in (
                    ("train", train_in, y_train, "train" in config.curves,
                     history.train_loss, history.train_accuracy),
                    ("test", test_in, y_test, "test" in config.curves or last,
                     history.test_loss, history.test_accuracy)):
                if wanted:
                    value, accuracy = evaluate(model, params, x, y, config.loss, fixed)
                    losses.append(value)
                    if accuracy is not None:
                        accuracies.append(accuracy)
                    log.info("epoch %d: %s loss %.4f, accuracy %s", epoch + 1, name, value, accuracy)
            log.info("epoch %d: running training loss %.4f", epoch + 1, total / n)
    return Trained(params, history, time.perf_counter() - start)
