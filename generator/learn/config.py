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

    def as_dict(self) -> dict:
        return asdict(self)


#: LeNet-5 on the digits: the network every Beyond page uses.
LENET5 = TrainConfig()
#: The pre-trained network of the transfer-learning page (digits 0-4 only).
BASE = TrainConfig(seed=1)
#: Digits 5-9, by how many labelled training images there are ("all" or ten
#: of each, "few"): the same settings for retraining only the head and for
#: training the whole network from scratch.
TRANSFER = {"all": TrainConfig(seed=2), "few": TrainConfig(seed=2, epochs=30, batch_size=10)}
#: The convolutional autoencoder.
AUTOENCODER = TrainConfig(seed=3, epochs=12, learning_rate=3e-3, loss="binary_cross_entropy")
