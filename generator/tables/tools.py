"""What profiling tools print for a network, predicted from its layer table alone.

Each tool counts by its own rules, read from its source (the versions pinned in the
``oracle`` extra: torchinfo 1.8.0, fvcore 0.1.5.post20221221, ptflops 0.7.5,
thop 0.1.1.post2209072238) and checked against the tools themselves by
``tests/tables/test_tools_real.py``. The numbers are those of these calls, on a batch
of one:

* torchinfo: ``summary(model, (1, C, H, W)).total_mult_adds``;
* fvcore: ``FlopCountAnalysis(model, x).total()``;
* ptflops: ``get_model_complexity_info(model, (C, H, W), as_strings=False,
  print_per_layer_stat=False, backend=...)[0]``, backends ``pytorch`` and ``aten``;
* thop: ``profile(model, (x,))[0]`` (a float).

A tool sees a layer only in the form the torch definition gives it. Module hooks
(torchinfo, ptflops' pytorch backend, thop) see modules and only modules of the exact
classes they list; ptflops also patches a few ``torch.nn.functional`` calls (which
modules make too, so ``nn.ReLU`` is counted twice); fvcore counts the ATen operators of
a trace, ptflops' aten backend those a dispatch mode sees. So the prediction follows
the torch definition: a spec's own layers as modules (``tests/torch_build.py`` builds
exactly that), and where a spec names its ``torchvision`` counterpart, the
differences of torchvision's code declared once in :data:`DIALECTS`.

>>> from generator.specs import load_builtin
>>> from generator.tables import layer_table
>>> p = {t.tool: t.value for t in predict(layer_table(load_builtin("resnet50")))}
>>> p["torchinfo"], p["fvcore"], p["ptflops (aten)"]
(4089238376, 4111512576, 4089185256)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .conventions import leaves
from .table import Row, Table

__all__ = ["TOOLS", "Tool", "Prediction", "Dialect", "DIALECTS", "dialect_of", "calls",
           "predict", "MODULE", "FUNCTION", "OPERATOR", "LINEAR_CHANNELS_LAST",
           "LAYERNORM_CHANNELS_LAST"]

# How the torch definition runs a layer.
#: A module of the layer's own class (``nn.Conv2d``, ``nn.ReLU``, ...).
MODULE = "module"
#: A ``torch.nn.functional`` call (``F.relu``): no module hook sees it.
FUNCTION = "function"
#: A tensor operator or method (``a + b``, ``a * b``, ``torch.cat``, slicing).
OPERATOR = "operator"
#: ConvNeXt's pointwise layer: ``nn.Linear`` on channels-last data (the spec's 1×1 conv).
LINEAR_CHANNELS_LAST = "linear, channels last"
#: ``nn.LayerNorm`` itself on channels-last data (inside a ConvNeXt block); elsewhere
#: layer normalisation is a subclass, torchvision's ``LayerNorm2d``.
LAYERNORM_CHANNELS_LAST = "layernorm, channels last"

#: Kinds that are tensor operators in any torch definition.
_OPERATOR_KINDS = frozenset({"add", "multiply", "concat", "crop"})


@dataclass(frozen=True)
class Dialect:
    """Where a torchvision definition departs from one module per spec layer."""

    #: Kinds called as functions everywhere (``F.relu`` in GoogLeNet's BasicConv2d).
    functional: tuple[str, ...] = ()
    #: Kinds called as functions inside blocks, modules at the top level.
    functional_inside: tuple[str, ...] = ()
    #: Kinds whose LAST top-level layer is a functional call.
    last_functional: tuple[str, ...] = ()
    #: Kinds whose LAST top-level layer is a tensor method (``x.mean([2, 3])``).
    last_operator: tuple[str, ...] = ()
    #: ConvNeXt blocks: a layernorm before a 1×1 conv is ``nn.Linear``'s channels-last
    #: ``nn.LayerNorm``, and the 1×1 convs after it (GELU between) are ``nn.Linear``.
    channels_last_blocks: bool = False
    #: Why, in one line (for the reference page).
    note: str = ""


_POOL = ("adaptive_avgpool", "global_pool")

#: torchvision function name prefix -> its dialect. Every other definition (and
#: ``tests/torch_build.py``) runs each spec layer as its own module.
DIALECTS: dict[str, Dialect] = {
    "mobilenet_v2": Dialect(last_functional=("adaptive_avgpool",),
                            note="the final pooling is `F.adaptive_avg_pool2d`"),
    "densenet": Dialect(last_functional=("relu", "adaptive_avgpool"),
                        note="the final relu and pooling are `F.relu` and "
                        "`F.adaptive_avg_pool2d`"),
    "googlenet": Dialect(functional=("relu",),
                         note="every relu is `F.relu` (in `BasicConv2d`)"),
    "inception_v3": Dialect(functional=("relu",), functional_inside=("maxpool", "avgpool"),
                            note="every relu is `F.relu`, the pooling inside the modules "
                            "`F.max_pool2d` and `F.avg_pool2d`"),
    "mnasnet": Dialect(last_operator=_POOL, note="the final pooling is `x.mean([2, 3])`"),
    "shufflenet_v2": Dialect(last_operator=_POOL,
                             note="the final pooling is `x.mean([2, 3])`"),
    "convnext": Dialect(channels_last_blocks=True, note="the block's 1×1 layers are "
                        "`nn.Linear` on channels-last data after `nn.LayerNorm`, its layer "
                        "scale a parameter of the block"),
}


def dialect_of(table: Table) -> Dialect:
    """The dialect of the network's torch definition."""
    name = table.network.torchvision or ""
    for prefix, dialect in DIALECTS.items():
        if name.startswith(prefix):
            return dialect
    return Dialect()


def calls(table: Table, dialect: Dialect | None = None) -> list[tuple[Row, object, str]]:
    """``(row, layer, how)`` for every leaf row: how the torch definition runs it (in
    ``dialect``; default: the network's own, :func:`dialect_of`)."""
    d = dialect_of(table) if dialect is None else dialect
    pairs = list(leaves(table))
    top = {id(r) for r in table.rows}
    last = {}
    for i, (row, _) in enumerate(pairs):
        if id(row) in top:
            last[row.type] = i
    functional = {last[k] for k in d.last_functional if k in last}
    operator = {last[k] for k in d.last_operator if k in last}
    hows = []
    for i, (row, layer) in enumerate(pairs):
        inside = id(row) not in top
        how = MODULE
        if row.type in _OPERATOR_KINDS or i in operator:
            how = OPERATOR
        elif (i in functional or row.type in d.functional
              or (inside and row.type in d.functional_inside)):
            how = FUNCTION
        elif d.channels_last_blocks:
            after = pairs[i + 1][0] if i + 1 < len(pairs) else None
            before = hows[-1] if hows else None
            if (row.type == "layernorm" and after is not None and after.type == "conv"
                    and pairs[i + 1][1].kernel == (1, 1)):
                how = LAYERNORM_CHANNELS_LAST
            elif row.type == "conv" and layer.kernel == (1, 1) and (
                    before == LAYERNORM_CHANNELS_LAST
                    or (pairs[i - 1][0].type == "gelu" and len(hows) > 1
                        and hows[-2] == LINEAR_CHANNELS_LAST)):
                how = LINEAR_CHANNELS_LAST
        hows.append(how)
    return [(row, layer, how) for (row, layer), how in zip(pairs, hows)]


# ------------------------------------------------------------------ the tools' rules


def _n(shape) -> int:
    return math.prod(shape)


def _bias(row: Row) -> int:
    """Bias additions: one per output value of a layer with a bias."""
    return _n(row.output_shape) if row.biases else 0


def _torchinfo(row, layer, how) -> int:
    # A leaf module's parameters named weight or bias; × output positions for a class
    # whose name holds "Conv" (a transposed conv too: by its OUTPUT), × the batch else.
    if how in (FUNCTION, OPERATOR):
        return 0
    if row.type in ("conv", "conv_transpose") and how == MODULE:
        return row.params * _n(row.output_shape[1:])
    if row.type in ("conv", "linear", "batchnorm", "layernorm", "conv_transpose"):
        return row.params
    return 0  # no parameters, or a layer scale: a parameter named otherwise


def _fvcore(row, layer, how) -> int:
    # ATen operators of a trace: convolutions and matrix products by their weights (no
    # bias), batch_norm at inference 2 per value (1 without the affine), layer_norm
    # 5 per value (4 without), adaptive_avg_pool2d one per input value, upsampling; nothing else.
    kind = row.type
    if how == OPERATOR:  # x.mean([2, 3]) is aten::mean: not counted
        return 0
    if kind in ("conv", "conv_transpose", "linear"):
        return row.macs
    if kind == "batchnorm":
        return _n(row.input_shape) * (2 if row.weights else 1)
    if kind == "layernorm":
        return _n(row.input_shape) * (5 if row.weights else 4)
    if kind == "adaptive_avgpool" or (kind == "global_pool" and layer.mode == "avg"):
        return _n(row.input_shape)
    if kind == "upsample":
        return _n(row.output_shape) * (4 if layer.mode == "bilinear" else 1)
    return 0


_PT_ONCE = frozenset({"relu6"})                    # hook only (nn.ReLU6 calls F.hardtanh)
_PT_TWICE = frozenset({"relu", "gelu"})            # hook + the patched F.relu / F.gelu
_PT_FUNCTIONAL_ONLY = frozenset({"silu", "softmax"})  # no hook, but F.silu / F.softmax
_PT_POOLS = frozenset({"maxpool", "avgpool", "adaptive_avgpool", "adaptive_maxpool",
                       "global_pool"})


def _ptflops(row, layer, how) -> int:
    # Hooks on modules of listed classes, plus patched F.* calls (modules call them).
    kind, out, inp = row.type, _n(row.output_shape), _n(row.input_shape)
    if how == OPERATOR:
        return 0
    if how == FUNCTION:  # only the patched function counts
        return inp if kind in _PT_POOLS | _PT_TWICE | _PT_FUNCTIONAL_ONLY | _PT_ONCE else 0
    if kind in ("conv", "conv_transpose", "linear"):
        return row.macs + _bias(row)
    if kind == "batchnorm":
        return inp * (2 if row.weights else 1)
    if kind == "layernorm":  # nn.LayerNorm has no attribute `affine`; LayerNorm2d unlisted
        return inp if how == LAYERNORM_CHANNELS_LAST else 0
    if kind in _PT_TWICE | _PT_POOLS:
        return 2 * inp
    if kind in _PT_ONCE | _PT_FUNCTIONAL_ONLY:
        return inp
    if kind == "upsample":  # the hook and the patched F.interpolate
        return 2 * out
    if kind == "lrn":  # inside F.local_response_norm: x.mul(x), avg_pool3d, .mul, .add
        c, hw = row.input_shape[0], _n(row.input_shape[1:])
        return 3 * inp + (c + layer.size - 1) * hw
    return 0


def _ptflops_aten(row, layer, how) -> int:
    # aten.convolution (weights × positions, + bias per output value), aten.addmm
    # (+ bias) and aten.mm; nothing else.
    if row.type in ("conv", "conv_transpose", "linear"):
        return row.macs + _bias(row)
    return 0


def _thop(row, layer, how) -> float:
    # Hooks on modules of listed classes: a conv by its OUTPUT values × input channels
    # per group × kernel (wrong for a transposed conv), norms 2 per value (4 with the
    # affine), average pooling, upsampling, softmax; relu, max pooling: zero.
    kind, out, inp = row.type, _n(row.output_shape), _n(row.input_shape)
    if how in (FUNCTION, OPERATOR):
        return 0
    if kind == "conv":
        return row.macs
    if kind == "conv_transpose":
        kh, kw = layer.kernel
        return out * (row.input_shape[0] // layer.groups) * kh * kw
    if kind == "linear":
        return row.macs
    if kind == "batchnorm" or (kind == "layernorm" and how == LAYERNORM_CHANNELS_LAST):
        return inp * (4 if row.weights else 2)
    if kind == "avgpool":
        return out
    if kind == "adaptive_avgpool" or (kind == "global_pool" and layer.mode == "avg"):
        window = 1.0
        for a, b in zip(row.input_shape[1:], row.output_shape[1:]):
            window *= a / b
        return int((window + 1) * out)
    if kind == "upsample":
        return out * (11 if layer.mode == "bilinear" else 1)
    if kind == "softmax":
        return (3 * row.input_shape[0] - 1) * (inp // row.input_shape[0])
    return 0


@dataclass(frozen=True)
class Tool:
    name: str          # as pages show it
    call: str          # the call whose number is predicted
    unit: str          # what the tool calls its number
    reason: str        # its rules, in one line
    rule: object = None

    def count(self, row, layer, how):
        return self.rule(row, layer, how)


TOOLS: tuple[Tool, ...] = (
    Tool("torchinfo", "summary(model, (1, C, H, W)).total_mult_adds", "mult-adds",
         "a leaf module's parameters × its output positions when its class name holds "
         "`Conv`, × the batch (1) otherwise: biases and batchnorm parameters added, a "
         "transposed conv counted by its output, an `nn.Linear` on channels-last data "
         "(ConvNeXt) by its parameters only", _torchinfo),
    Tool("fvcore", "FlopCountAnalysis(model, x).total()", "flops",
         "weight MACs of the traced convolutions and matrix products (no bias), plus 2 "
         "per batchnorm value, 5 per layer-norm value, 1 per input value of adaptive "
         "average pooling, upsampling; activations, max pooling and additions are free",
         _fvcore),
    Tool("ptflops (pytorch)", "get_model_complexity_info(..., backend='pytorch')[0]",
         "MACs",
         "weight MACs plus biases, batchnorm 2 per value, listed activations and pooling "
         "1 per value, twice when the module calls a `torch.nn.functional` it patches "
         "(`nn.ReLU`, `nn.GELU`, `nn.MaxPool2d`); subclasses (`LayerNorm2d`), unlisted "
         "classes (`nn.SiLU` counts only through `F.silu`) and tensor operators (`+`, "
         "`*`, `torch.cat`) are free", _ptflops),
    Tool("ptflops (aten)", "get_model_complexity_info(..., backend='aten')[0]", "MACs",
         "weight MACs of `aten.convolution`, `aten.addmm` and `aten.mm`, plus 1 per "
         "output value of a layer with bias; nothing else", _ptflops_aten),
    Tool("thop", "profile(model, (x,))[0]", "ops",
         "a conv's output values × its input channels per group × its kernel (right "
         "for a conv, wrong for a transposed conv), linear layers by their weights, "
         "batchnorm 4 per value with its affine, average pooling, adaptive average "
         "pooling (window + 1) per output; no biases, activations or max pooling; "
         "returns a float", _thop),
)


@dataclass(frozen=True)
class Prediction:
    tool: str
    call: str
    unit: str
    value: int | float
    reason: str
    #: (row kind, how it runs when not as its module: "function", ..., or "", what the
    #: tool counts for those layers minus their weight MACs), non-zero only, in the order
    #: they first appear.
    differences: tuple[tuple[str, str, int], ...]

    @property
    def difference(self) -> int:
        return sum(d for _, _, d in self.differences)


def predict(table: Table, dialect: Dialect | None = None) -> tuple[Prediction, ...]:
    """Every tool's number for ``table``'s network (batch of one), with what it adds, for
    its torch definition (or the one written in ``dialect``)."""
    runs = calls(table, dialect)
    out = []
    for tool in TOOLS:
        total = 0
        by_kind: dict[tuple[str, str], int] = {}
        for row, layer, how in runs:
            n = tool.count(row, layer, how)
            total += n
            d = n - (row.macs if row.type in ("conv", "conv_transpose", "linear") else 0)
            key = (row.type, "" if how in (MODULE, OPERATOR) else how)
            by_kind[key] = by_kind.get(key, 0) + d
        value = float(total) if tool.name == "thop" else total
        out.append(Prediction(tool.name, tool.call, tool.unit, value, tool.reason,
                              tuple((*k, int(d)) for k, d in by_kind.items() if d)))
    return tuple(out)
