"""Adam (Kingma and Ba, 2015), updating a dict of parameters in place."""

from __future__ import annotations

import numpy as np


class Adam:
    """``m = b1 m + (1-b1) g``, ``v = b2 v + (1-b2) g²``, ``p -= lr m̂ / (sqrt(v̂) + eps)``.

    ``m̂ = m / (1 - b1^t)`` and ``v̂ = v / (1 - b2^t)`` undo the bias of the
    zero start; ``t`` counts the steps.
    """

    def __init__(self, names, lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        self.names, self.lr, self.eps = list(names), lr, eps
        self.b1, self.b2 = betas
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        c1, c2 = 1 - self.b1 ** self.t, 1 - self.b2 ** self.t
        for name in self.names:
            g = grads[name]
            m = self.m.setdefault(name, np.zeros_like(g))
            v = self.v.setdefault(name, np.zeros_like(g))
            # in place, operand by operand in the order of the formula: the same bits as
            # writing it out, without a new array for every operator
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            gg = (1 - self.b2) * g
            gg *= g
            v += gg
            denominator = v / c2
            np.sqrt(denominator, out=denominator)
            denominator += self.eps
            step = m * (self.lr / c1)
            step /= denominator
            params[name] -= step
