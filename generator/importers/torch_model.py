"""A PyTorch model (``torchvision:resnet50`` or ``package.module:factory``) as an
:class:`~.model.Imported` spec, traced with ``torch.fx``.

The factory is called without arguments (torchvision's with ``weights=None``), the model
put in eval mode and traced symbolically; the torch.nn modules and functions below
become spec layers, named by their module path (``layer1.0.conv1``) or the traced
function's name (``add_3``). Shapes come from one forward pass on zeros of the input
size (fx's ShapeProp). Importing ``package.module`` runs that code: it is the user's own.
"""

from __future__ import annotations

import importlib
import math
import operator

from ..errors import UserError
from .model import Builder, Imported, Unsupported, clean_name, pair_or_one

__all__ = ["read", "SUPPORTED_MODULES", "SUPPORTED_FUNCTIONS", "DEFAULT_INPUT"]

#: The input size when neither the model nor --input gives one.
DEFAULT_INPUT = (3, 224, 224)
#: Inputs some torchvision models are defined for.
_TORCHVISION_INPUT = {"inception_v3": (3, 299, 299)}
#: torchvision factories that need arguments to build the plain network.
_TORCHVISION_KWARGS = {"googlenet": {"aux_logits": False, "init_weights": False},
                       "inception_v3": {"aux_logits": False, "init_weights": False}}

SUPPORTED_MODULES: tuple[str, ...] = (
    "Conv2d", "ConvTranspose2d", "BatchNorm2d", "BatchNorm1d", "Linear", "ReLU", "ReLU6",
    "Hardtanh", "Sigmoid", "Tanh", "SiLU", "GELU", "Hardswish", "Hardsigmoid", "Softmax",
    "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Dropout",
    "Dropout2d", "Identity", "Flatten", "LocalResponseNorm", "Upsample", "ZeroPad2d",
    "ChannelShuffle", "StochasticDepth",
)
SUPPORTED_FUNCTIONS: tuple[str, ...] = (
    "add", "mul", "cat", "flatten", "relu", "relu6", "sigmoid", "tanh", "silu", "gelu",
    "hardswish", "hardsigmoid", "adaptive_avg_pool2d", "max_pool2d", "avg_pool2d",
    "dropout", "stochastic_depth", "view", "reshape", "contiguous", "mean",
)
_SUPPORTED = SUPPORTED_MODULES + SUPPORTED_FUNCTIONS


def _torch():
    try:
        import torch
        import torch.fx  # noqa: F401
    except ImportError:
        raise UserError("importing a PyTorch model needs torch: pip install torch") from None
    return torch


def build(source: str):
    """The model ``source`` names, in eval mode, and its default input size."""
    _torch()
    module_name, _, attr = source.partition(":")
    if module_name == "torchvision":
        from .torchvision_models import models
        tv = models()
        if attr not in tv.list_models(module=tv):
            raise UserError(f"{source}: torchvision has no classification model {attr!r}")
        model = getattr(tv, attr)(weights=None, **_TORCHVISION_KWARGS.get(attr, {}))
        return model.eval(), _TORCHVISION_INPUT.get(attr, DEFAULT_INPUT)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise UserError(f"{source}: cannot import {module_name!r}: {type(exc).__name__}: "
                        f"{str(exc)[:200]}") from None
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise UserError(f"{source}: {module_name} has no function {attr!r}")
    try:
        model = factory()
    except Exception as exc:
        raise UserError(f"{source}: {attr}() failed: {type(exc).__name__}: "
                        f"{str(exc)[:200]}") from None
    except SystemExit as exc:  # sys.exit() in the factory: not the end of the import
        raise UserError(f"{source}: {attr}() called sys.exit({exc.code!r}) instead of "
                        "returning a model") from None
    torch = _torch()
    if not isinstance(model, torch.nn.Module):
        raise UserError(f"{source}: {attr}() returned {type(model).__name__[:60]}, not a "
                        "torch.nn.Module")
    return model.eval(), DEFAULT_INPUT


def read(source, input_shape=None, name=None, skip_unsupported=False) -> Imported:
    """The model ``source`` names, traced with torch.fx."""
    model, default = build(source)
    shape = tuple(input_shape or default)
    return trace(model, shape, source, name or source.rpartition(":")[2], skip_unsupported)


def trace(model, shape, source="model", name="model", skip=False) -> Imported:
    """``model`` (a torch.nn.Module in eval mode) on inputs of ``shape`` (C, H, W)."""
    torch = _torch()
    from torch.fx.passes.shape_prop import ShapeProp

    leaves = tuple(getattr(torch.nn, n) for n in SUPPORTED_MODULES if hasattr(torch.nn, n))

    class Tracer(torch.fx.Tracer):
        def is_leaf_module(self, m, qualname):
            return isinstance(m, leaves) or type(m).__name__ == "StochasticDepth" or \
                super().is_leaf_module(m, qualname)

    try:
        graph = Tracer().trace(model)
        gm = torch.fx.GraphModule(model, graph)
        # Shapes only, on the meta device: no weight or activation is stored or computed,
        # so the time and memory do not grow with the input size (--input 3,4000,4000
        # took 17 s and 2.5 GB for ResNet-18 on the CPU)
        gm.to("meta")
        with torch.no_grad():
            ShapeProp(gm).propagate(torch.zeros(1, *shape, device="meta"))
    except Exception as exc:  # control flow on values, or a shape that does not work
        raise UserError(f"{source}: torch.fx cannot trace the model: {type(exc).__name__}: "
                        f"{str(exc).splitlines()[0][:200] if str(exc) else ''}") from None
    return _Mapper(torch, gm, source, skip).run(name, shape)


class _Mapper:
    def __init__(self, torch, gm, source, skip):
        self.torch, self.gm, self.src, self.skip = torch, gm, source, skip
        self.modules = dict(gm.named_modules())

    def shape(self, node):
        meta = node.meta.get("tensor_meta")
        return tuple(meta.shape[1:]) if meta is not None and hasattr(meta, "shape") else None

    def run(self, name, shape) -> Imported:
        torch = self.torch
        self.b = None
        self.data = set()
        out_node = None
        for node in self.gm.graph.nodes:
            if node.op == "placeholder":
                if self.b is not None:
                    raise UserError(f"{self.src}: the model takes more than one input")
                self.b = Builder(self.src, node.name)
                self.data.add(node.name)
                continue
            if node.op == "output":
                out_node = node
                continue
            args = [a for a in _flat(node.args) + _flat(node.kwargs)
                    if isinstance(a, torch.fx.Node)]
            if not any(a.name in self.data for a in args):
                continue  # a constant or a parameter
            if self.shape(node) is None:
                continue  # x.size(0) and the like: not a tensor
            self.data.add(node.name)
            self.node(node)
        result = out_node.args[0]
        if not isinstance(result, torch.fx.Node):
            raise UserError(f"{self.src}: the model returns {type(result).__name__}; a spec "
                            "has one output")
        last = next(iter(self.b.layers[-1].values()))["name"] if self.b.layers else None
        if self.b.made_by.get(result.name) != last:
            raise UserError(f"{self.src}: the output is not made by the last layer")
        text = (f"Imported from the PyTorch model {self.src} (traced with torch.fx on a "
                f"{'×'.join(map(str, shape))} input).")
        note = self.b.placeholder_note()
        return Imported(clean_name(name) or "Imported model", tuple(shape),
                        text + ("\n\n" + note if note else ""), self.b.layers)

    def label(self, node):
        return node.target if node.op == "call_module" else node.name

    def what(self, node):
        if node.op == "call_module":
            return type(self.modules[node.target]).__name__
        t = node.target
        return t if isinstance(t, str) else getattr(t, "__name__", str(t))

    def fail(self, node, why):
        if not self.skip:
            raise Unsupported(self.src, clean_name(self.label(node)), self.what(node), why,
                              _SUPPORTED)
        source = next(a for a in _flat(node.args) if getattr(a, "name", None) in self.data)
        self.b.placeholder(self.what(node), self.label(node), source.name, [node.name])

    def add(self, node, kind, fields=None, sources=None):
        sources = sources or [self._first(node)]
        self.b.add(kind, fields or {}, self.label(node), [s.name for s in sources],
                   [node.name])

    def alias(self, node):
        self.b.alias(node.name, self._first(node).name)

    def _first(self, node):
        return next(a for a in _flat(node.args) if getattr(a, "name", None) in self.data)

    # ------------------------------------------------------------ dispatch

    def node(self, node):
        if node.op == "call_module":
            m = self.modules[node.target]
            method = getattr(self, f"m_{type(m).__name__}", None)
            if method is None:
                return self.fail(node, "no spec layer represents it")
            return method(node, m)
        if node.op in ("call_function", "call_method"):
            return self.function(node, self.what(node))
        self.fail(node, f"{node.op} nodes are not mapped")

    def m_Conv2d(self, node, m):
        if m.padding_mode != "zeros":
            return self.fail(node, f"padding_mode {m.padding_mode!r}: only zeros")
        padding = m.padding if isinstance(m.padding, str) else pair_or_one(m.padding)
        self.add(node, "conv", _drop({
            "out": m.out_channels, "kernel": pair_or_one(m.kernel_size),
            "stride": pair_or_one(m.stride), "padding": padding,
            "dilation": pair_or_one(m.dilation), "groups": m.groups,
            "bias": m.bias is not None}))

    def m_ConvTranspose2d(self, node, m):
        self.add(node, "conv_transpose", _drop({
            "out": m.out_channels, "kernel": pair_or_one(m.kernel_size),
            "stride": pair_or_one(m.stride), "padding": pair_or_one(m.padding),
            "output_padding": pair_or_one(m.output_padding),
            "dilation": pair_or_one(m.dilation), "groups": m.groups,
            "bias": m.bias is not None}))

    def m_BatchNorm2d(self, node, m):
        fields = {} if math.isclose(m.eps, 1e-5) else {"eps": m.eps}
        if not m.affine:
            fields["affine"] = False
        self.add(node, "batchnorm", fields)

    m_BatchNorm1d = m_BatchNorm2d

    def m_Linear(self, node, m):
        if len(self.shape(self._first(node))) != 1:
            return self.fail(node, "a linear layer on a map (only on a flat input)")
        self.add(node, "linear", _drop({"out": m.out_features, "bias": m.bias is not None}))

    def _simple(kind):
        def method(self, node, m=None):
            self.add(node, kind)
        return method

    m_ReLU = _simple("relu")
    m_ReLU6 = _simple("relu6")
    m_Sigmoid = _simple("sigmoid")
    m_Tanh = _simple("tanh")
    m_SiLU = _simple("silu")
    m_Hardswish = _simple("hardswish")
    m_Hardsigmoid = _simple("hardsigmoid")

    def m_Hardtanh(self, node, m):
        if (m.min_val, m.max_val) != (0.0, 6.0):
            return self.fail(node, "only Hardtanh(0, 6) (relu6)")
        self.add(node, "relu6")

    def m_GELU(self, node, m):
        self.add(node, "gelu", {} if m.approximate == "none" else {"approximate": m.approximate})

    def m_Softmax(self, node, m):
        if m.dim not in (1, -1 if len(self.shape(node)) == 1 else 1):
            return self.fail(node, "only a softmax over the channels")
        self.add(node, "softmax")

    def m_MaxPool2d(self, node, m):
        if m.return_indices:
            return self.fail(node, "return_indices is not mapped")
        fields = {"kernel": pair_or_one(m.kernel_size)}
        if m.stride is not None and pair_or_one(m.stride) != fields["kernel"]:
            fields["stride"] = pair_or_one(m.stride)
        fields.update(_drop({"padding": pair_or_one(m.padding),
                             "dilation": pair_or_one(m.dilation), "ceil_mode": m.ceil_mode}))
        self.add(node, "maxpool", fields)

    def m_AvgPool2d(self, node, m):
        if m.divisor_override is not None:
            return self.fail(node, "divisor_override is not mapped")
        fields = {"kernel": pair_or_one(m.kernel_size)}
        if m.stride is not None and pair_or_one(m.stride) != fields["kernel"]:
            fields["stride"] = pair_or_one(m.stride)
        fields.update(_drop({"padding": pair_or_one(m.padding), "ceil_mode": m.ceil_mode}))
        if not m.count_include_pad:
            fields["count_include_pad"] = False
        self.add(node, "avgpool", fields)

    def m_AdaptiveAvgPool2d(self, node, m):
        c, h, w = self.shape(node)
        self.add(node, "adaptive_avgpool", {"output": pair_or_one((h, w))})

    def m_AdaptiveMaxPool2d(self, node, m):
        c, h, w = self.shape(node)
        self.add(node, "adaptive_maxpool", {"output": pair_or_one((h, w))})

    def m_Dropout(self, node, m):
        self.add(node, "dropout", {} if m.p == 0.5 else {"p": m.p})

    m_Dropout2d = m_Dropout

    def m_Identity(self, node, m):
        self.alias(node)

    m_StochasticDepth = m_Identity

    def m_Flatten(self, node, m):
        if len(self.shape(node)) != 1:
            return self.fail(node, "only a flatten to one vector")
        self.add(node, "flatten")

    def m_LocalResponseNorm(self, node, m):
        self.add(node, "lrn", {"size": m.size, "alpha": m.alpha, "beta": m.beta, "k": m.k})

    def m_Upsample(self, node, m):
        c, h, w = self.shape(self._first(node))
        _, h2, w2 = self.shape(node)
        if m.mode not in ("nearest", "bilinear") or m.align_corners:
            return self.fail(node, f"mode {m.mode!r}: only nearest and bilinear "
                                   "(align_corners false)")
        fields = ({"scale": pair_or_one((h2 // h, w2 // w))}
                  if m.size is None and h2 % h == 0 and w2 % w == 0 else
                  {"size": pair_or_one((h2, w2))})
        if m.mode != "nearest":
            fields["mode"] = m.mode
        self.add(node, "upsample", fields)

    def m_ZeroPad2d(self, node, m):
        self.add(node, "pad", {"padding": [int(p) for p in m.padding]})

    def m_ChannelShuffle(self, node, m):
        self.add(node, "channel_shuffle", {"groups": m.groups})

    # ------------------------------------------------------------ functions

    def function(self, node, what):
        torch = self.torch
        data = [a for a in _flat(node.args) if getattr(a, "name", None) in self.data]
        out = self.shape(node)
        if what in ("add", "iadd", "mul", "imul"):
            if len(data) != 2:
                return self.fail(node, f"{what} with a constant is not mapped")
            return self.add(node, "add" if "add" in what else "multiply", {}, data)
        if what == "cat":
            dim = node.kwargs.get("dim", node.args[1] if len(node.args) > 1 else 0)
            if dim not in (1, -3 if len(out) == 3 else 1):
                return self.fail(node, "only a concatenation on the channels (dim 1)")
            if len(data) == 1:
                return self.alias(node)
            return self.add(node, "concat", {}, data)
        if what in ("flatten", "view", "reshape"):
            if out == self.shape(data[0]):
                return self.alias(node)
            if len(out) == 1:
                return self.add(node, "flatten")
            return self.fail(node, f"a {what} to {out}: only to one flat vector")
        if what in ("contiguous", "dropout", "stochastic_depth", "clone"):
            return self.alias(node)
        simple = {"relu": "relu", "relu_": "relu", "relu6": "relu6", "sigmoid": "sigmoid",
                  "tanh": "tanh", "silu": "silu", "hardswish": "hardswish",
                  "hardsigmoid": "hardsigmoid", "gelu": "gelu"}
        if what in simple:
            return self.add(node, simple[what])
        if what in ("adaptive_avg_pool2d", "mean") and len(out) == 3:
            if what == "mean" and out[1:] != (1, 1):
                return self.fail(node, "only a mean over the height and width")
            return self.add(node, "adaptive_avgpool", {"output": pair_or_one(out[1:])})
        if what in ("max_pool2d", "avg_pool2d"):
            params = dict(zip(("kernel_size", "stride", "padding"), node.args[1:4]))
            params.update(node.kwargs)
            kernel = pair_or_one(_two(params.get("kernel_size")))
            fields = {"kernel": kernel}
            stride = params.get("stride")
            if stride not in (None, [], ()) and pair_or_one(_two(stride)) != kernel:
                fields["stride"] = pair_or_one(_two(stride))
            fields.update(_drop({"padding": pair_or_one(_two(params.get("padding", 0))),
                                 "ceil_mode": bool(params.get("ceil_mode", False))}))
            return self.add(node, "maxpool" if what == "max_pool2d" else "avgpool", fields)
        del torch
        self.fail(node, "no spec layer represents it")


def _two(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def _flat(args):
    if isinstance(args, dict):
        args = list(args.values())
    out = []
    for a in args if isinstance(args, (list, tuple)) else [args]:
        if isinstance(a, (list, tuple, dict)):
            out += _flat(a)
        else:
            out.append(a)
    return out


_DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True,
             "ceil_mode": False, "output_padding": 0}


def _drop(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if _DEFAULTS.get(k, object()) != v}
