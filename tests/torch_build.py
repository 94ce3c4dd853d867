"""A spec as a ``torch.nn`` model: one module per spec layer, of the layer's own class.

This is the generic torch definition that :mod:`generator.tables.tools` predicts the
profiling tools for when a spec names no torchvision counterpart: every leaf layer is a
module of its ``torch.nn`` class (layer normalisation over the channels is a subclass of
``nn.LayerNorm`` that permutes, as torchvision's ``LayerNorm2d``; a layer scale is a
module holding a parameter named ``scale``); additions, products, concatenations and
crops are tensor operators inside small merge modules. Graph specs (``inputs``,
``repeat``) are supported.

Built with a :class:`~generator.tables.tools.Dialect`, it runs each layer as that
dialect says (a function call, a tensor method, ConvNeXt's channels-last layers), so the
dialects' predictions can be checked on small specs too.

Weights are left as ``torch.nn`` initialises them (seeded): the tools count, they do not
compare values.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from generator import specs as s  # noqa: E402
from generator.tables import tools  # noqa: E402
from generator.tables.table import layer_table  # noqa: E402

__all__ = ["build"]


class LayerNorm2d(nn.LayerNorm):
    """Layer normalisation over the channels of N×C×H×W data."""

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)


class Scale(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(channels, 1, 1))

    def forward(self, x):
        return x * self.scale


class Merge(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            if self.kind == "add":
                out = out + x
            elif self.kind == "multiply":
                out = out * x
        if self.kind == "concat":
            out = torch.cat(xs, 1)
        return out


class Crop(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def forward(self, x, like=None):
        th, tw = self.size or like.shape[2:]
        h, w = x.shape[2:]
        top, left = (h - th) // 2, (w - tw) // 2
        return x[:, :, top:top + th, left:left + tw]


class Function(nn.Module):
    """A layer run as a ``torch.nn.functional`` call or a tensor method: no hook sees it
    as the layer's module."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class ChannelsLast(nn.Module):
    """``module`` on channels-last data (ConvNeXt's nn.LayerNorm and nn.Linear)."""

    def __init__(self, module):
        super().__init__()
        self.inner = module

    def forward(self, x):
        x = self.inner(x.permute(0, 2, 3, 1))  # (N, C, H, W) -> (N, H, W, C)
        return x.permute(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)


_FUNCTIONS = {
    "relu": lambda layer: lambda x: F.relu(x),  # looked up at call time, as torchvision
    "maxpool": lambda l: lambda x: F.max_pool2d(x, l.kernel, l.stride or l.kernel,
                                                l.padding, l.dilation, l.ceil_mode),
    "avgpool": lambda l: lambda x: F.avg_pool2d(x, l.kernel, l.stride or l.kernel,
                                                l.padding, l.ceil_mode,
                                                l.count_include_pad),
    "adaptive_avgpool": lambda l: lambda x: F.adaptive_avg_pool2d(x, l.output),
}


def _as(how, layer, row, module):
    """``module`` (the layer as its own module) run the way ``how`` says."""
    if how == tools.FUNCTION:
        return Function(_FUNCTIONS[layer.KIND](layer))
    if how == tools.OPERATOR and layer.KIND in ("adaptive_avgpool", "global_pool"):
        return Function(lambda x: x.mean([2, 3], keepdim=True))
    if how == tools.LINEAR_CHANNELS_LAST:
        return ChannelsLast(nn.Linear(row.input_shape[0], layer.out, layer.bias))
    if how == tools.LAYERNORM_CHANNELS_LAST:
        return ChannelsLast(nn.LayerNorm(row.input_shape[0], eps=layer.eps,
                                         elementwise_affine=layer.affine))
    return module


class Sequence(nn.Module):
    """A list of layers as a graph: each takes the one before, or the ones it names."""

    def __init__(self, layers, rows):
        super().__init__()
        self.sources = [layer.sources for layer in layers]
        self.items = nn.ModuleList(
            _as(_HOWS.get(id(r), tools.MODULE), l, r, _module(l, r))
            for l, r in zip(layers, rows))

    def forward(self, x):
        outs = []
        for sources, module in zip(self.sources, self.items):
            if sources:
                args = [x if j < 0 else outs[j] for j in sources]
            else:
                args = [outs[-1] if outs else x]
            outs.append(module(*args))
        return outs[-1] if outs else x


class Residual(nn.Module):
    def __init__(self, res, rows):
        super().__init__()
        n = len(res.main)
        self.main = Sequence(res.main, rows[:n])
        self.shortcut = Sequence(res.shortcut, rows[n:n + len(res.shortcut)])
        self.act = None
        if res.activation != "none":  # its row follows the addition's
            row = rows[n + len(res.shortcut) + 1]
            how = _HOWS.get(id(row), tools.MODULE)
            self.act = (Function(_FUNCTIONS[res.activation](None)) if how == tools.FUNCTION
                        else _activation(res.activation))

    def forward(self, x):
        out = self.main(x) + self.shortcut(x)
        return self.act(out) if self.act is not None else out


class Branches(nn.Module):
    def __init__(self, layer, rows):
        super().__init__()
        mods, n = [], 0
        for branch in layer.branches:
            mods.append(Sequence(branch, rows[n:n + len(branch)]))
            n += len(branch)
        self.branches = nn.ModuleList(mods)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


class Repeat(nn.Module):
    def __init__(self, layer, row):
        super().__init__()
        self.instances = nn.ModuleList(
            Sequence(inst, r.children) for inst, r in zip(layer.instances, row.children))

    def forward(self, x):
        for inst in self.instances:
            x = inst(x)
        return x


def _activation(kind):
    return {"relu": nn.ReLU(), "relu6": nn.ReLU6(), "tanh": nn.Tanh(),
            "sigmoid": nn.Sigmoid(), "silu": nn.SiLU(), "hardswish": nn.Hardswish(),
            "hardsigmoid": nn.Hardsigmoid(), "gelu": nn.GELU()}[kind]


def _module(layer, row):
    kind, c = layer.KIND, row.input_shape[0]
    if isinstance(layer, s.Repeat):
        return Repeat(layer, row)
    if isinstance(layer, (s.Residual, s.Basic, s.Bottleneck)):
        res = layer if isinstance(layer, s.Residual) else layer.expand(c)
        return Residual(res, row.children)
    if isinstance(layer, s.Concat):
        return Merge("concat") if layer.merges else Branches(layer, row.children)
    if kind in ("add", "multiply"):
        return Merge(kind)
    if kind == "conv":
        return nn.Conv2d(c, layer.out, layer.kernel, layer.stride, layer.padding,
                         layer.dilation, layer.groups, layer.bias)
    if kind == "conv_transpose":
        return nn.ConvTranspose2d(c, layer.out, layer.kernel, layer.stride, layer.padding,
                                  layer.output_padding, layer.groups, layer.bias,
                                  layer.dilation)
    if kind == "maxpool":
        return nn.MaxPool2d(layer.kernel, layer.stride, layer.padding, layer.dilation,
                            ceil_mode=layer.ceil_mode)
    if kind == "avgpool":
        return nn.AvgPool2d(layer.kernel, layer.stride, layer.padding, layer.ceil_mode,
                            layer.count_include_pad)
    if kind == "adaptive_avgpool":
        return nn.AdaptiveAvgPool2d(layer.output)
    if kind == "adaptive_maxpool":
        return nn.AdaptiveMaxPool2d(layer.output)
    if kind == "global_pool":
        return nn.AdaptiveAvgPool2d(1) if layer.mode == "avg" else nn.AdaptiveMaxPool2d(1)
    if kind == "linear":
        return nn.Linear(c, layer.out, layer.bias)
    if kind == "batchnorm":
        return nn.BatchNorm2d(c, affine=layer.affine) if len(row.input_shape) == 3 \
            else nn.BatchNorm1d(c, affine=layer.affine)
    if kind == "layernorm":
        return LayerNorm2d(c, eps=layer.eps, elementwise_affine=layer.affine)
    if kind == "lrn":
        return nn.LocalResponseNorm(layer.size, layer.alpha, layer.beta, layer.k)
    if kind == "scale":
        return Scale(c)
    if kind == "dropout":
        return nn.Dropout(layer.p)
    if kind == "placeholder":  # stands for an op an import skipped: the identity
        return nn.Identity()
    if kind == "flatten":
        return nn.Flatten()
    if kind == "softmax":
        return nn.Softmax(dim=1)
    if kind == "channel_shuffle":
        return nn.ChannelShuffle(layer.groups)
    if kind == "upsample":
        return nn.Upsample(size=layer.size, scale_factor=layer.scale and tuple(
            float(v) for v in layer.scale), mode=layer.mode)
    if kind == "crop":
        return Crop(layer.size)
    if kind == "pad":
        return nn.ZeroPad2d(layer.padding)
    if kind == "gelu":
        return nn.GELU(approximate=layer.approximate)
    return _activation(kind)


_HOWS: dict[int, str] = {}  # id(row) -> how, while a model is built


def build(network, input_shape=None, dialect=None):
    """The torch model of ``network`` (eval mode, seeded), one module per layer, or as
    ``dialect`` runs its layers."""
    table = layer_table(network, input_shape)
    torch.manual_seed(0)
    _HOWS.clear()
    if dialect is not None:
        _HOWS.update((id(row), how) for row, _, how in tools.calls(table, dialect))
    try:
        return Sequence(network.layers, table.rows).eval()
    finally:
        _HOWS.clear()
