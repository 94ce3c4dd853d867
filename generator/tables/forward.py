"""Run a network spec through the NumPy operators of :mod:`generator.nn`.

The layer table computes shapes from the output-size formulas alone; this runs
the real operators on an array, with random weights, and records the shape
of every output in the table's row order, so a test can check the two agree.

>>> import numpy as np
>>> from generator.specs import load_builtin
>>> y, shapes = forward(load_builtin("lenet5"), np.zeros((1, 1, 32, 32), np.float32))
>>> y.shape, shapes[0]
((1, 10), ('1', (6, 28, 28)))
"""

from __future__ import annotations

import numpy as np

from .. import nn as F
from .. import specs as s
from ..specs import kinds

__all__ = ["forward"]


def forward(network: s.Network, x: np.ndarray, seed: int = 0):
    """Apply ``network`` to ``x`` of shape (N, *input_shape).

    Returns ``(y, shapes)``: the output (N, ...) and, for every row of the layer
    table in :meth:`Table.walk` order, ``(index, output shape without N)``.
    Weights are random (He-scaled uniform); batchnorm uses its inference form
    with zero mean and unit variance; dropout is the identity.
    """
    run = _Run(np.random.default_rng(seed))
    y = run.sequence(network.layers, x, "")
    return y, run.shapes


class _Run:
    def __init__(self, rng):
        self.rng = rng
        self.shapes: list = []

    def sequence(self, layers, x, prefix, first=1):
        for i, layer in enumerate(layers, first):
            x = self.layer(layer, x, f"{prefix}{i}")
        return x

    def record(self, index, y):
        self.shapes.append((index, tuple(y.shape[1:])))

    def layer(self, layer, x, index):
        op = kinds.of(layer).forward_op()
        if not layer.COMPOSITE:
            y = op(self, layer, x)
            self.record(index, y)
            return y
        slot = len(self.shapes)
        self.shapes.append(None)  # the block's own row comes before its children
        y = op(self, layer, x, f"{index}.")
        self.shapes[slot] = (index, tuple(y.shape[1:]))
        return y

    def residual_block(self, layer, x, prefix):
        """A residual block; a basic or bottleneck block is first expanded to one."""
        res = layer if isinstance(layer, s.Residual) else layer.expand(x.shape[1])
        return self.residual(res, x, prefix)

    def residual(self, res: s.Residual, x, prefix):
        main = self.sequence(res.main, x, prefix)
        short = self.sequence(res.shortcut, x, prefix, len(res.main) + 1)
        n = len(res.main) + len(res.shortcut)
        y = main + short  # (N, C, H, W) + (N, C, H, W)
        self.record(f"{prefix}{n + 1}", y)
        if res.activation != "none":
            y = _ACTIVATIONS[res.activation](y)
            self.record(f"{prefix}{n + 2}", y)
        return y

    def concat(self, layer: s.Concat, x, prefix):
        outs, count = [], 0
        for branch in layer.branches:
            outs.append(self.sequence(branch, x, prefix, count + 1))
            count += len(branch)
        y = np.concatenate(outs, axis=1)  # [(N, C_i, H, W)] -> (N, sum C_i, H, W)
        self.record(f"{prefix}{count + 1}", y)
        return y

    # -------------------------------------------------------------- leaves

    def weights(self, shape, fan_in):
        """He-scaled uniform weights, U(-b, b) with b = sqrt(6 / fan_in) (variance
        2 / fan_in), drawn in float32 (drawing VGG's 120 million fully connected weights is most of
        the time of a pass that checks shapes)."""
        bound = np.float32(np.sqrt(6.0 / fan_in))
        w = self.rng.random(shape, dtype=np.float32)  # U[0, 1)
        w *= 2 * bound
        w -= bound
        return w

    def conv(self, layer: s.Conv, x):
        c = x.shape[1]
        kh, kw = layer.kernel
        w = self.weights((layer.out, c // layer.groups, kh, kw), c // layer.groups * kh * kw)
        b = np.zeros(layer.out, np.float32) if layer.bias else None
        return F.conv2d(x, w, b, layer.stride, layer.padding, layer.dilation, layer.groups)

    def conv_transpose(self, layer: s.ConvTranspose, x):
        c = x.shape[1]
        kh, kw = layer.kernel
        w = self.weights((c, layer.out // layer.groups, kh, kw), c * kh * kw)
        b = np.zeros(layer.out, np.float32) if layer.bias else None
        return F.conv_transpose2d(x, w, b, layer.stride, layer.padding, layer.output_padding,
                                  layer.groups, layer.dilation)

    def maxpool(self, layer: s.MaxPool, x):
        return F.max_pool2d(x, layer.kernel, layer.stride, layer.padding, layer.dilation,
                            layer.ceil_mode)

    def avgpool(self, layer: s.AvgPool, x):
        return F.avg_pool2d(x, layer.kernel, layer.stride, layer.padding, layer.ceil_mode,
                            layer.count_include_pad)

    def adaptive(self, layer: s.AdaptiveAvgPool, x):
        return F.adaptive_avg_pool2d(x, layer.output)

    def linear(self, layer: s.Linear, x):
        w = self.weights((layer.out, x.shape[1]), x.shape[1])
        b = np.zeros(layer.out, np.float32) if layer.bias else None
        return F.linear(x, w, b)

    def batchnorm(self, layer: s.BatchNorm, x):
        c = x.shape[1]
        ones, zeros = np.ones(c, np.float32), np.zeros(c, np.float32)
        return F.batch_norm(x, zeros, ones, ones if layer.affine else None,
                            zeros if layer.affine else None, training=False, eps=layer.eps)

    def flatten(self, layer, x):
        return F.flatten(x, 1)  # (N, C, H, W) -> (N, C*H*W)

    def softmax(self, layer, x):
        return F.softmax(x, dim=1)

    def relu(self, layer, x):
        return F.relu(x)

    def tanh(self, layer, x):
        return np.tanh(x)

    def sigmoid(self, layer, x):
        return _ACTIVATIONS["sigmoid"](x)

    def identity(self, layer, x):
        return x


_ACTIVATIONS = {
    "relu": F.relu,
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
}
