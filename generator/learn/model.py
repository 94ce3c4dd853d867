"""A network built from its spec (``generator.specs``), with parameters, forward and backward.

>>> from generator.specs import load_builtin
>>> model = Model(load_builtin("lenet5"))
>>> params = model.init(seed=0)
>>> sorted(params)[:2], params["C1.weight"].shape
(['C1.bias', 'C1.weight'], (6, 1, 5, 5))

Parameters live in a flat dict ``"<layer>.<weight|bias>" -> float32 array``
(the names of the spec, so they read like PyTorch's ``state_dict``). A layer
marked ``frozen: true`` in the spec gets no gradient, and the backward pass
stops below the lowest layer that still learns. The layers below that one
(:meth:`Model.fixed_layers`) give the same output for an image at every step,
so training runs them once per image (:meth:`Model.prepare`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import UserError
from ..specs import kinds
from .. import specs as s
from ..tables import layer_table
from . import layers as L
from .losses import LOSSES

DTYPE = np.float32


def layer_names(network: s.Network) -> list[str]:
    """The name of each top-level layer: the spec's, or ``<kind><position>`` (``tanh2``)."""
    return [layer.name or f"{layer.KIND}{i}" for i, layer in enumerate(network.layers, 1)]


def freeze(network: s.Network, names) -> s.Network:
    """The same network with the layers called ``names`` marked ``frozen: true``."""
    names = set(names)
    unknown = names - set(layer_names(network))
    if unknown:
        raise UserError(f"{network.source}: no layer named {', '.join(sorted(unknown))}")
    return replace(network, layers=tuple(
        replace(layer, frozen=True) if n in names else layer
        for layer, n in zip(network.layers, layer_names(network))))


class Model:
    """The layers of ``network`` as trainable :mod:`.layers`; shapes from its layer table."""

    def __init__(self, network: s.Network):
        self.network = network
        self.table = layer_table(network)  # checks the shapes, names the layer at fault
        self.layers: list[L.Layer] = []
        for layer, row, name in zip(network.layers, self.table.rows, layer_names(network)):
            kind = kinds.of(layer).trainable_layer()
            if kind is None:
                trainable = sorted(k.name for k in kinds.KINDS if k.trainable)
                raise UserError(f"{network.source}: {layer.where}: a {layer.KIND} layer "
                                f"cannot be trained here (trainable kinds: "
                                f"{', '.join(trainable)})")
            try:
                self.layers.append(kind(layer, row.input_shape, name))
            except ValueError as exc:
                raise UserError(f"{network.source}: {layer.where}: {exc}") from None
        self.names = [layer.name for layer in self.layers]

    # ------------------------------------------------------------ parameters

    def init(self, seed: int) -> dict[str, np.ndarray]:
        """PyTorch's default initialisation: weights and biases ~ U(-1/sqrt(fan_in), +1/sqrt(fan_in))."""
        rng = np.random.default_rng(seed)
        params = {}
        for layer in self.layers:
            bound = 1 / np.sqrt(layer.fan_in())
            for p, shape in layer.shapes.items():
                params[f"{layer.name}.{p}"] = rng.uniform(-bound, bound, shape).astype(DTYPE)
        return params

    def trainable(self) -> list[str]:
        """Names of the parameters that learn (those of layers not frozen)."""
        return [f"{layer.name}.{p}" for layer in self.layers if not layer.frozen
                for p in layer.shapes]

    @staticmethod
    def _own(layer: L.Layer, params: dict) -> dict:
        return {p: params[f"{layer.name}.{p}"] for p in layer.shapes}

    # ------------------------------------------------------------ passes

    def forward(self, params: dict, x: np.ndarray, stop: int | None = None,
                keep: bool = False, start: int = 0):
        """Run layers ``start .. stop-1`` (all by default) on ``x``: (N, *input shape), or
        for ``start`` > 0 what layer ``start`` reads (see :meth:`prepare`).

        Returns the output, or with ``keep`` the list of every layer's output.
        """
        outputs = []
        for layer in self.layers[start:stop]:
            x = layer.forward(x, self._own(layer, params))
            if keep:
                outputs.append(x)
        return outputs if keep else x

    def scores(self, params: dict, x: np.ndarray, start: int = 0) -> np.ndarray:
        """What the loss reads: the output before a final softmax or sigmoid."""
        return self.forward(params, x, stop=self._loss_stop(), start=start)

    def _loss_stop(self) -> int:
        last = self.layers[-1]
        return len(self.layers) - 1 if isinstance(last, (L.Softmax, L.Sigmoid)) else len(self.layers)

    def _lowest_learning(self) -> int:
        learning = [i for i, layer in enumerate(self.layers[:self._loss_stop()])
                    if not layer.frozen and layer.shapes]
        if not learning:
            raise UserError(f"{self.network.source}: every layer is frozen: nothing to train")
        return min(learning)

    def per_image_until(self, start: int = 0) -> int:
        """The first layer from ``start`` on (up to the scores) that is not
        :attr:`~.layers.Layer.per_image`: the layers before it may run in chunks of any size."""
        stop = self._loss_stop()
        return next((i for i in range(start, stop) if not self.layers[i].per_image), stop)

    def fixed_layers(self) -> int:
        """How many layers training runs once per image instead of at every step: those below
        the lowest layer that learns (each frozen or without parameters, so what they make of
        an image never changes) up to the first whose bits depend on the batch."""
        return min(self._lowest_learning(), self.per_image_until(0))

    def prepare(self, params: dict, x: np.ndarray, chunk: int) -> np.ndarray:
        """What layer :meth:`fixed_layers` reads for the images ``x``: their output of the
        fixed layers, computed once, in chunks of ``chunk`` images. Index it to take a batch,
        and pass ``start=self.fixed_layers()`` to the passes."""
        start = self.fixed_layers()
        if not start:
            return x
        return np.concatenate([self.forward(params, x[i:i + chunk], stop=start)
                               for i in range(0, len(x), chunk)])

    def loss_and_grads(self, params: dict, x: np.ndarray, targets: np.ndarray,
                       loss: str = "cross_entropy", start: int = 0
                       ) -> tuple[float, dict[str, np.ndarray]]:
        """Mean loss on the batch and the gradient of every trainable parameter.

        ``x`` is the network's input, or with ``start`` what layer ``start`` reads (no
        higher than :meth:`fixed_layers`; see :meth:`prepare`)."""
        stop = self._loss_stop()
        if loss == "binary_cross_entropy" and not isinstance(self.layers[-1], L.Sigmoid):
            raise UserError(f"{self.network.source}: binary cross-entropy needs a final sigmoid")
        lowest = self._lowest_learning()
        if start > lowest:
            raise ValueError(f"start {start} is above the lowest layer that learns ({lowest})")
        z = self.forward(params, x, stop=stop, start=start)
        value, grad = LOSSES[loss](z, targets)
        grads = {}
        for i in range(stop - 1, lowest - 1, -1):
            layer = self.layers[i]
            grad, own = layer.backward(grad, self._own(layer, params), need_input=i > lowest)
            if not layer.frozen:
                grads.update({f"{layer.name}.{p}": g for p, g in own.items()})
        return value, grads
