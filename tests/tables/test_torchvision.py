"""Every built-in with a ``torchvision`` field against the model torchvision builds,
layer by layer (skipped where torch or torchvision is absent).

torchvision's model runs on the meta device (shapes, no arithmetic) on the spec's input
and on a smaller one that is not square. A :class:`torch.overrides.TorchFunctionMode`
records every call of an operator that a row of the table stands for (``F.conv2d`` from a
``Conv2d``, ``F.relu`` from a module or from a forward function, ``torch.cat``,
``x + y``, ``x.chunk(2, 1)``, ...): its kind, its output shape, the parameters it reads
(``nn.Parameter`` arguments: a module's weight, ConvNeXt's layer scale) and, for a
convolution or a fully connected layer, its multiply-accumulates from the weight and
output shapes. Every parameter of the model must be read by exactly one traced call (so
no layer holding parameters escapes the trace, as a forward hook on modules would let
the functional ReLUs and poolings of GoogLeNet or Inception-v3 escape). The table's leaf
rows, in the order the table lists them, must give the same list; the totals must equal
torchvision's.

Some operators are written differently on the two sides and are compared as one kind:
a global average is ``global_pool`` or ``adaptive_avgpool`` here, ``adaptive_avg_pool2d``
or ``x.mean([2, 3])`` in torchvision (which also flattens: a ``flatten`` row follows
here); ConvNeXt's channels-last ``Linear`` is a 1×1 ``conv`` here (its output is compared
channels first); torchvision's channel shuffle is a view, a transpose and a view, and
its transpose stands for the ``channel_shuffle`` row.
"""

from __future__ import annotations

import math

import pytest

from generator.specs import BUILTINS, load_builtin
from generator.tables import layer_table
from tests import torchvision_oracle

NETWORKS = [n for n in BUILTINS if load_builtin(n).torchvision]

#: The table's kind -> the kind both sides are compared as.
OUR_KIND = {"global_pool": "avg to size", "adaptive_avgpool": "avg to size"}
#: torchvision's operator (function or Tensor method name) -> the table's kind.
THEIR_KIND = {
    "conv2d": "conv", "linear": "linear", "batch_norm": "batchnorm",
    "layer_norm": "layernorm", "relu": "relu", "relu_": "relu", "hardswish": "hardswish",
    "hardsigmoid": "hardsigmoid", "silu": "silu", "gelu": "gelu", "sigmoid": "sigmoid",
    "tanh": "tanh", "relu6": "relu6", "max_pool2d": "maxpool", "avg_pool2d": "avgpool",
    "adaptive_avg_pool2d": "avg to size", "adaptive_max_pool2d": "adaptive_maxpool",
    "dropout": "dropout", "flatten": "flatten", "cat": "concat", "add": "add",
    "__add__": "add", "__iadd__": "add", "add_": "add", "mul": "multiply",
    "__mul__": "multiply", "__rmul__": "multiply", "chunk": "channel_split",
    "hardtanh": "relu6", "mean": "avg to size", "local_response_norm": "lrn",
}
#: Operators that keep channels-last data channels-last (ConvNeXt's block).
_KEEPS_LAYOUT = {"layer_norm", "linear", "gelu", "dropout"}


def test_every_torchvision_field_names_a_model():
    tv = torchvision_oracle.models()
    missing = [n for n in NETWORKS if not callable(getattr(tv, load_builtin(n).torchvision,
                                                           None))]
    assert NETWORKS and not missing


def _ours(table) -> list[tuple]:
    """(kind, output shape, parameters, MACs) of every leaf row, in table order."""
    rows = []
    for row in table.walk():
        if row.children or row.type in ("block", "repeat"):
            continue
        rows.append((OUR_KIND.get(row.type, row.type), row.output_shape, row.params,
                     row.macs))
    return rows


class _Trace:
    """Records the operators a torchvision model runs (see the module docstring)."""

    def __init__(self, torch):
        self.torch = torch
        self.calls: list[tuple] = []
        self.seen: dict[int, int] = {}  # id(parameter) -> times an operator read it
        self.channels_last: dict[int, object] = {}  # id -> tensor (kept alive)

    def mode(self):
        trace, torch = self, self.torch

        class Mode(torch.overrides.TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                kwargs = kwargs or {}
                out = func(*args, **kwargs)
                trace.record(getattr(func, "__name__", ""), args, kwargs, out)
                return out

        return Mode()

    def record(self, name, args, kwargs, out):
        torch = self.torch
        tensors = [a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)]
        first = tensors[0] if tensors else None
        last_in = first is not None and id(first) in self.channels_last
        if name == "transpose" and out.ndim == 5 and tuple(args[1:3]) == (1, 2):
            # torchvision's channel shuffle: (N, g, C/g, H, W) -> (N, C/g, g, H, W)
            n, k, g, h, w = out.shape
            self.calls.append(("channel_shuffle", (k * g, h, w), 0, 0))
            return
        if name == "permute" and isinstance(out, torch.Tensor):
            dims = tuple(args[1:]) if len(args) > 2 else tuple(args[1])
            if dims == (0, 2, 3, 1):
                self.channels_last[id(out)] = out
            return
        kind = THEIR_KIND.get(name)
        if kind is None:
            return
        params = [a for a in tensors if isinstance(a, torch.nn.Parameter)]
        for p in params:
            self.seen[id(p)] = self.seen.get(id(p), 0) + 1
        n_params = sum(p.numel() for p in params)
        if name == "hardtanh" and (args[1:3] or (kwargs.get("min_val"),
                                                 kwargs.get("max_val"))) != (0.0, 6.0):
            raise AssertionError(f"hardtanh other than ReLU6: {args[1:3]} {kwargs}")
        if name == "mean":
            if tuple(args[1]) != (2, 3):
                raise AssertionError(f"a mean over {args[1]}, not a global average")
            if out.ndim == 2:  # x.mean([2, 3]): a global average, then flattened
                self.calls.append((kind, (*out.shape[1:], 1, 1), 0, 0))
                kind = "flatten"
        if kind == "multiply" and params:
            kind = "scale"  # ConvNeXt's layer_scale * x
        if kind == "concat" and len(args[0]) == 1:
            return  # DenseNet's cat of a single map: the identity
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        for y in outs:
            shape = tuple(y.shape[1:])
            if last_in and name in _KEEPS_LAYOUT and len(shape) == 3:
                self.channels_last[id(y)] = y
                shape = (shape[2], shape[0], shape[1])  # H, W, C -> C, H, W
            macs = 0
            if kind == "conv":
                w = args[1]
                macs = math.prod(y.shape[1:]) * math.prod(w.shape[1:])
            elif kind == "linear":
                macs = math.prod(y.shape[1:]) * args[1].shape[1]
                if last_in:
                    kind = "conv"  # a Linear on channels-last data: a 1×1 convolution
            self.calls.append((kind, shape, n_params, macs))


def _theirs(torch, model, input_shape):
    """The traced calls, torchvision's parameter count and its output shape, on the meta
    device (shapes without the arithmetic)."""
    trace = _Trace(torch)
    with torch.no_grad(), trace.mode():
        y = model(torch.empty(1, *input_shape, device="meta"))
    unread = [n for n, p in model.named_parameters() if trace.seen.get(id(p)) != 1]
    assert not unread, f"parameters not read exactly once by a traced operator: {unread[:5]}"
    return trace.calls, sum(p.numel() for p in model.parameters()), tuple(y.shape[1:])


def _first_difference(ours, theirs) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"leaf {i}: ours {a}, torchvision {b}; before: {ours[max(0, i - 3):i]}"
    return f"lengths: ours {len(ours)}, torchvision {len(theirs)}"



def _build(net):
    """torchvision's model with its parameters on the meta device: built there (no
    random initialisation to compute), or, for a builder that computes with tensors
    (RegNet derives its widths), built on the CPU and moved."""
    torchvision_oracle.models()
    import torch
    try:
        with torch.device("meta"):
            return torchvision_oracle.build(net)
    except NotImplementedError:  # "Cannot copy out of meta tensor"
        return torchvision_oracle.build(net).to("meta")


#: A second input size, not square, that every network here accepts (Inception-v3 needs
#: 75 or more).
OTHER_SIZE = (97, 130)


@pytest.mark.parametrize("size", ["spec", OTHER_SIZE])
@pytest.mark.parametrize("network", NETWORKS)
def test_layer_by_layer_equal_to_torchvision(network, size):
    net = load_builtin(network)
    shape = net.input if size == "spec" else (net.input[0], *size)
    model = _build(net)
    import torch
    table = layer_table(net, shape)
    theirs, params, out_shape = _theirs(torch, model, shape)
    ours = _ours(table)
    assert ours == theirs, _first_difference(ours, theirs)
    assert table.totals.params == params
    assert table.totals.macs == sum(c[3] for c in theirs)
    assert table.rows[-1].output_shape == out_shape
