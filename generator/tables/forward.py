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
        #: True while the current layer's input is an array no other layer reads, so an
        #: element-wise layer may overwrite it (batchnorm and ReLU do, as torchvision's
        #: ReLU(inplace=True)): fewer fresh arrays, fewer page faults.
        self.owned = False

    def sequence(self, layers, x, prefix, first=1):
        """The graph ``layers`` on ``x``: each layer takes the output before it, or those
        its ``inputs`` name (a merge gets the list); returns the last output."""
        outs = []
        # The outputs some later layer names in its inputs: never overwritten.
        named = {j for layer in layers for j in layer.sources if j >= 0}
        for i, layer in enumerate(layers, first):
            if layer.sources:
                got = [x if j < 0 else outs[j] for j in layer.sources]
                arg = got if layer.merges else got[0]
                self.owned = False
            else:
                arg = outs[-1] if outs else x
                # An element-wise layer may write into its input when nothing else reads
                # it: not the list's input, not a named output, no view of either.
                self.owned = bool(outs) and len(outs) - 1 not in named \
                    and not np.may_share_memory(arg, x) \
                    and not any(np.may_share_memory(arg, outs[j]) for j in named
                                if j < len(outs))
            outs.append(self.layer(layer, arg, f"{prefix}{i}"))
        self.owned = False
        return outs[-1] if outs else x  # no layers: an identity shortcut

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
        if main.shape == short.shape and not np.may_share_memory(main, x) \
                and not np.may_share_memory(main, short):
            y = np.add(main, short, out=main)  # the main path's fresh output takes the sum
        else:
            y = main + short  # (N, C, H, W) + (N, C, H, W)
        self.record(f"{prefix}{n + 1}", y)
        if res.activation != "none":
            if res.activation == "relu":
                y = F.relu(y, inplace=True)  # y is the block's own sum either way
            else:
                y = _ACTIVATIONS[res.activation](y)
            self.record(f"{prefix}{n + 2}", y)
        return y

    def repeat(self, layer: s.Repeat, x, prefix):
        for i, inst in enumerate(layer.instances, 1):
            slot = len(self.shapes)
            self.shapes.append(None)  # the instance's row comes before its layers'
            x = self.sequence(inst, x, f"{prefix}{i}.")
            self.shapes[slot] = (f"{prefix}{i}", tuple(x.shape[1:]))
        return x

    def concat(self, layer: s.Concat, x, prefix):
        if layer.merges:  # x: the list of the inputs' outputs
            return np.concatenate(x, axis=1)  # [(N, C_i, H, W)] -> (N, sum C_i, H, W)
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
                            zeros if layer.affine else None, training=False, eps=layer.eps,
                            inplace=self.owned)

    def flatten(self, layer, x):
        return F.flatten(x, 1)  # (N, C, H, W) -> (N, C*H*W)

    def softmax(self, layer, x):
        return F.softmax(x, dim=1)

    def relu(self, layer, x):
        return F.relu(x, inplace=self.owned)

    def tanh(self, layer, x):
        return np.tanh(x)

    def sigmoid(self, layer, x):
        return _ACTIVATIONS["sigmoid"](x)

    def identity(self, layer, x):
        return x

    def add(self, layer, xs):
        y = xs[0]
        for x in xs[1:]:
            y = y + x  # broadcasting, as torch
        return y

    def multiply(self, layer, xs):
        y = xs[0]
        for x in xs[1:]:
            y = y * x  # e.g. (N, C, H, W) * (N, C, 1, 1): squeeze-and-excitation
        return y

    def lrn(self, layer: s.LocalResponseNorm, x):
        return F.local_response_norm(x, layer.size, layer.alpha, layer.beta, layer.k)

    def layernorm(self, layer: s.LayerNorm, x):
        c = x.shape[1]
        ones, zeros = np.ones(c, np.float32), np.zeros(c, np.float32)
        return F.layer_norm_channels(x, ones if layer.affine else None,
                                     zeros if layer.affine else None, layer.eps)

    def scale(self, layer: s.Scale, x):
        gamma = np.full(x.shape[1], 1e-6, np.float32)  # ConvNeXt's initial layer scale
        return x * gamma.reshape((1, -1) + (1,) * (x.ndim - 2))  # (C,) -> (1, C, 1, 1)

    def relu6(self, layer, x):
        return F.relu6(x, inplace=self.owned)

    def hardswish(self, layer, x):
        return F.hardswish(x)

    def hardsigmoid(self, layer, x):
        return F.hardsigmoid(x)

    def silu(self, layer, x):
        return F.silu(x)

    def gelu(self, layer: s.GELU, x):
        return F.gelu(x, layer.approximate)

    def shuffle(self, layer: s.ChannelShuffle, x):
        return F.channel_shuffle(x, layer.groups)

    def split(self, layer: s.ChannelSplit, x):
        return F.chunk(x, layer.chunks, dim=1)[layer.index]  # (N, C, *) -> (N, C/chunks, *)

    def upsample(self, layer: s.Upsample, x):
        return F.interpolate(x, size=layer.size, scale_factor=layer.scale, mode=layer.mode)

    def crop(self, layer: s.Crop, x):
        if layer.merges:  # [map, like]: the map cropped to like's height and width
            x, like = x
            return F.center_crop(x, like.shape[2:])
        return F.center_crop(x, layer.size)

    def pad(self, layer: s.ZeroPad, x):
        return F.pad(x, layer.padding)  # (left, right, top, bottom), as torch

    def global_pool(self, layer: s.GlobalPool, x):
        reduce = np.mean if layer.mode == "avg" else np.max
        return reduce(x, axis=(2, 3), keepdims=True)  # (N, C, H, W) -> (N, C, 1, 1)

    def adaptive_max(self, layer: s.AdaptiveMaxPool, x):
        return F.adaptive_max_pool2d(x, layer.output)


_ACTIVATIONS = {
    "relu": F.relu,
    "tanh": np.tanh,
    "sigmoid": F.sigmoid,
}
