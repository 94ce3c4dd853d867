"""The settings of every training run, each field documented where it is defined.

A :class:`TrainConfig` is part of the key of a trained model in the cache:
change a field and the next build trains again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class TrainConfig:
    #: Seed of the weight initialisation and of the order of the mini-batches.
    seed: int = 0
    #: Passes over the training images.
    epochs: int = 12
    #: Images per step of gradient descent.
    batch_size: int = 32
    #: Adam's step size.
    learning_rate: float = 2e-3
    #: Adam's decay rates of the running mean of the gradient and of its square.
    betas: tuple[float, float] = (0.9, 0.999)
    #: Added to the root of Adam's running square before dividing by it.
    eps: float = 1e-8
    #: The loss: ``cross_entropy`` (softmax over class scores) or
    #: ``binary_cross_entropy`` (sigmoid over pixel logits, for autoencoders).
    loss: str = "cross_entropy"
    #: The sets evaluated after every epoch, for the learning curves a page draws:
    #: ``"train"`` and/or ``"test"``. Each evaluation runs the whole set through the
    #: network, so a run whose curves no page shows skips them; the test set is
    #: evaluated after the last epoch in any case. The weights do not depend on it.
    curves: tuple[str, ...] = ("train", "test")

    def __post_init__(self):
        unknown = set(self.curves) - {"train", "test"}
        if unknown:
            raise ValueError(f"curves: unknown sets {sorted(unknown)} (expected 'train', 'test')")

    def as_dict(self) -> dict:
        return asdict(self)


#: LeNet-5 on the digits: the network every Beyond page uses.
LENET5 = TrainConfig()
#: The pre-trained network of the transfer-learning page (digits 0-4 only); the
#: page gives its final test accuracy, no curve.
BASE = TrainConfig(seed=1, curves=())
#: Digits 5-9, by how many labelled training images there are ("all" or ten
#: of each, "few"): the same settings for retraining only the head and for
#: training the whole network from scratch. The page draws test-accuracy curves.
TRANSFER = {"all": TrainConfig(seed=2, curves=("test",)),
            "few": TrainConfig(seed=2, epochs=30, batch_size=10, curves=("test",))}
#: The convolutional autoencoder.
AUTOENCODER = TrainConfig(seed=3, epochs=12, learning_rate=3e-3, loss="binary_cross_entropy")
