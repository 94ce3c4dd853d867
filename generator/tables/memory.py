"""Memory of a network, each kind named: parameters and buffers, activations at inference
(their sum and the peak), training for a batch of N, and what torchinfo prints.

>>> from generator.specs import load_builtin
>>> from generator.tables import layer_table
>>> m = memory(layer_table(load_builtin("resnet18")))
>>> m.param_bytes, m.batchnorm_layers
(46758048, 20)

Everything is computed from the layer table (:mod:`.table`) by walking its data flow:
:func:`dataflow` turns the rows into the tensors a forward pass makes, in the order
PyTorch makes them, each with the tensors it reads.

The models, stated once (the network page prints them from here)
----------------------------------------------------------------
* Values are float32 (:data:`~.counts.FLOAT32_BYTES` bytes); batchnorm's step counter
  ``num_batches_tracked`` is one int64 per batchnorm layer.
* Inference peak: a tensor is freed as soon as no later layer reads it; the network's
  input is held by the caller throughout and its output is returned, so neither is
  freed. Views share their input's memory (:data:`VIEWS`; dropout is the identity at
  inference). ``peak`` lets every other layer write a new tensor (``torch.nn.ReLU()``'s
  default); ``peak_inplace`` lets the kinds whose ``torch.nn`` module takes
  ``inplace=True`` (:data:`INPLACE`) overwrite their input when no later layer reads
  it, as torchvision builds its models.
* Training: what autograd keeps for the backward pass at the end of the forward pass
  (:data:`SAVED`, read from PyTorch's derivative formulas and checked with
  ``torch.autograd.graph.saved_tensors_hooks``); a tensor kept by several layers counts
  once. Gradients are one value per trainable parameter; SGD with momentum keeps one
  more (the momentum buffer), Adam two (``exp_avg``, ``exp_avg_sq``) and one float32
  ``step`` per parameter tensor. Every layer is assumed to train (frozen layers keep
  less), and the backward pass's transient tensors (activation gradients, workspaces)
  are not counted: the figures are what is held when the backward pass starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import counts
from .table import Row, Table

__all__ = ["Node", "Memory", "Training", "Torchinfo", "dataflow", "memory", "training",
           "torchinfo", "peak", "saved_bytes", "FLOAT32_BYTES", "INT64_BYTES", "VIEWS",
           "INPLACE", "SAVED", "INPUT"]

FLOAT32_BYTES = counts.FLOAT32_BYTES
#: Bytes of an int64 (batchnorm's num_batches_tracked, max pooling's saved indices).
INT64_BYTES = 8
#: The node id of the network's input in :attr:`Node.inputs`.
INPUT = -1

#: Kinds whose output is a view of (the same memory as) their first input, at inference.
VIEWS = frozenset({"flatten", "crop", "dropout", "channel_split", "placeholder"})
#: Kinds whose ``torch.nn`` module takes ``inplace=True``.
INPLACE = frozenset({"relu", "relu6", "hardswish", "hardsigmoid", "silu"})

#: What autograd keeps of each kind for the backward pass: ``input`` (its first input),
#: ``inputs`` (every input), ``output``; a kind not listed keeps no tensor. Extra tensors
#: it makes for the purpose are in :func:`_extra_saved`.
SAVED: dict[str, tuple[str, str]] = {
    "conv": ("input", "the input (for the weights' gradient)"),
    "conv_transpose": ("input", "the input (for the weights' gradient)"),
    "linear": ("input", "the input (for the weights' gradient)"),
    "batchnorm": ("input", "the input, and the batch's mean and 1/std per channel"),
    "layernorm": ("input", "a channels-last copy of the input, and a mean and 1/std "
                           "per position"),
    "scale": ("input", "the input (for the scale's gradient)"),
    "relu": ("output", "the output"),
    "sigmoid": ("output", "the output"),
    "tanh": ("output", "the output"),
    "softmax": ("output", "the output"),
    "relu6": ("input", "the input (a copy of it when in place)"),
    "hardswish": ("input", "the input (a copy of it when in place)"),
    "hardsigmoid": ("input", "the input (a copy of it when in place)"),
    "silu": ("input", "the input (a copy of it when in place)"),
    "gelu": ("input", "the input"),
    "lrn": ("input", "the input and the divisor (a model: PyTorch's composite "
                     "implementation keeps more)"),
    "maxpool": ("input", "the input, and the argmax of each window as int64"),
    "adaptive_maxpool": ("input", "the input, and the argmax of each window as int64"),
    "avgpool": ("input", "the input"),
    "adaptive_avgpool": ("input", "the input (nothing at output 1×1: PyTorch takes the "
                                  "mean)"),
    "global_pool": ("input", "nothing for the average (a mean); the input and the argmax "
                             "as int64 for the maximum"),
    "multiply": ("inputs", "both inputs"),
    "dropout": ("", "the scaled mask, one float32 per value"),
}
#: Kinds that keep nothing, for the page's list (a view, a copy, or a sum).
KEEP_NOTHING = ("add", "concat", "flatten", "crop", "pad", "upsample", "channel_shuffle",
                "channel_split", "placeholder")


@dataclass(frozen=True)
class Node:
    """One tensor a forward pass makes: a leaf row of the table (a merge included)."""

    row: Row
    #: The node ids this one reads, in order; :data:`INPUT` is the network's input.
    inputs: tuple[int, ...]

    @property
    def values(self) -> int:
        """Values per sample of the output."""
        return math.prod(self.row.output_shape)


def dataflow(table: Table) -> list[Node]:
    """The tensors of a forward pass in PyTorch's order (the table's walk order: a block's
    main path, then its shortcut, then the merge), each with the node ids it reads."""
    nodes: list[Node] = []
    out: dict[str, int] = {}  # row index -> node id of its output

    def sequence(rows, x: int, prefix: str) -> int:
        prev = x
        for row in rows:
            ins = ([x if s == f"{prefix}0" else out[s] for s in row.sources]
                   if row.sources else [prev])
            prev = out[row.index] = emit(row, ins)
        return prev

    def emit(row: Row, ins: list[int]) -> int:
        if not row.children:
            nodes.append(Node(row, tuple(ins)))
            return len(nodes) - 1
        prefix = f"{row.index}."
        paths = [c.path for c in row.children]
        if "main" in paths:  # residual: main, shortcut, then the add and its activation
            main = sequence([c for c in row.children if c.path == "main"], ins[0], prefix)
            short = sequence([c for c in row.children if c.path == "shortcut"], ins[0],
                             prefix)
            y = None
            for merge in (c for c in row.children if c.path == ""):
                y = out[merge.index] = emit(merge, [main, short] if y is None else [y])
            return y
        branches = list(dict.fromkeys(p for p in paths if p.startswith("branch")))
        if branches:  # parallel branches, then their concatenation
            ends = [sequence([c for c in row.children if c.path == b], ins[0], prefix)
                    for b in branches]
            merge = row.children[-1]
            out[merge.index] = emit(merge, ends)
            return out[merge.index]
        return sequence(row.children, ins[0], prefix)  # a repeat, or one instance

    sequence(table.rows, INPUT, "")
    return nodes


# ------------------------------------------------------------------ inference


@dataclass(frozen=True)
class Peak:
    """The most activation memory held at once during a forward pass."""

    bytes: int
    #: The row being computed when it is reached.
    row: Row


def _last_use(nodes: list[Node]) -> list[int]:
    """For each node, the position of the last node reading it (itself if none)."""
    last = list(range(len(nodes)))
    for i, node in enumerate(nodes):
        for j in node.inputs:
            if j != INPUT:
                last[j] = i
    return last


def buffers(nodes: list[Node], inplace: bool, training: bool = False) -> list[int]:
    """The memory each node's output lives in: a buffer id per node (:data:`INPUT` for the
    network's input). A view shares its input's buffer (dropout only at inference); with
    ``inplace``, an :data:`INPLACE` kind shares it when no later node reads that buffer."""
    last = _last_use(nodes)
    buf: list[int] = []
    holders: dict[int, list[int]] = {INPUT: []}  # buffer -> nodes whose output is in it
    for i, node in enumerate(nodes):
        kind, src = node.row.type, node.inputs[0]
        b = i
        if kind in VIEWS and not (training and kind == "dropout"):
            b = INPUT if src == INPUT else buf[src]
        elif inplace and kind in INPLACE and src != INPUT:
            shared = buf[src]
            if shared != INPUT and all(last[h] <= i for h in holders[shared]):
                b = shared
        buf.append(b)
        holders.setdefault(b, []).append(i)
    return buf


def peak(table: Table, inplace: bool = False, nodes: list[Node] | None = None) -> Peak:
    """Peak bytes of activations for one sample, the input included (see the module's
    models): walk the nodes in order, allocate each new buffer, free a buffer after the
    last node that reads any tensor in it."""
    nodes = dataflow(table) if nodes is None else nodes
    last = _last_use(nodes)
    buf = buffers(nodes, inplace)
    end = {}  # buffer -> last node position that reads or writes it
    size = {}
    for i, b in enumerate(buf):
        end[b] = max(end.get(b, i), last[i])
        size.setdefault(b, nodes[i].values * FLOAT32_BYTES)
    end[buf[-1] if nodes else INPUT] = len(nodes)  # the output is returned
    held = math.prod(table.input_shape) * FLOAT32_BYTES  # the caller's input, never freed
    best = Peak(held, nodes[0].row if nodes else None)
    freed_at: dict[int, list[int]] = {}
    for b, e in end.items():
        if b != INPUT:
            freed_at.setdefault(e, []).append(b)
    for i, b in enumerate(buf):
        if b == i:  # a new buffer
            held += size[b]
        if held > best.bytes:
            best = Peak(held, nodes[i].row)
        held -= sum(size[f] for f in freed_at.get(i, ()))
    return best


# ------------------------------------------------------------------ training


def _extra_saved(node: Node, batch: int) -> int:
    """Bytes a kind keeps for backward besides its input and output tensors."""
    kind, row = node.row.type, node.row
    if kind in ("maxpool", "adaptive_maxpool") or (kind == "global_pool"
                                                    and row.details == "max"):
        return INT64_BYTES * node.values * batch  # the argmax of each window
    if kind == "batchnorm":
        return 2 * row.output_shape[0] * FLOAT32_BYTES  # batch mean and 1/std per channel
    if kind == "layernorm":
        positions = math.prod(row.output_shape[1:])
        return (node.values + 2 * positions) * FLOAT32_BYTES * batch  # copy, mean, 1/std
    if kind == "dropout":
        return node.values * FLOAT32_BYTES * batch  # the scaled mask
    if kind == "lrn":
        return node.values * FLOAT32_BYTES * batch  # the divisor
    return 0


def _saved_tensors(node: Node, i: int, buf: list[int]) -> list[int]:
    """The buffers node ``i`` keeps for backward (see :data:`SAVED`)."""
    kind, row = node.row.type, node.row
    what = SAVED.get(kind, ("", ""))[0]
    if kind == "adaptive_avgpool" and row.output_shape[1:] == (1, 1):
        what = ""  # PyTorch computes it as a mean, which keeps no tensor
    if kind == "global_pool" and row.details != "max":
        what = ""
    if kind == "layernorm":
        what = ""  # it keeps a copy, counted in _extra_saved
    if what == "input":
        src = node.inputs[0]
        return [INPUT if src == INPUT else buf[src]]
    if what == "inputs":
        return [INPUT if s == INPUT else buf[s] for s in node.inputs]
    if what == "output":
        return [buf[i]]
    return []


def saved_bytes(table: Table, batch: int = 1, nodes: list[Node] | None = None) -> int:
    """Bytes autograd keeps for the backward pass of a batch of ``batch`` (the network's
    input excluded: the caller holds it anyway); a tensor kept by several layers once."""
    nodes = dataflow(table) if nodes is None else nodes
    buf = buffers(nodes, inplace=False, training=True)
    kept: set[int] = set()
    extra = 0
    for i, node in enumerate(nodes):
        kept.update(_saved_tensors(node, i, buf))
        extra += _extra_saved(node, batch)
    kept.discard(INPUT)
    size = {b: nodes[b].values for b in kept}
    return sum(size.values()) * FLOAT32_BYTES * batch + extra


@dataclass(frozen=True)
class Training:
    """Memory of one training step on a batch of ``batch`` inputs, in bytes."""

    batch: int
    input: int
    saved: int
    params: int
    buffers: int
    gradients: int
    sgd_momentum: int
    adam: int

    @property
    def total_sgd(self) -> int:
        return (self.input + self.saved + self.params + self.buffers + self.gradients
                + self.sgd_momentum)

    @property
    def total_adam(self) -> int:
        return (self.input + self.saved + self.params + self.buffers + self.gradients
                + self.adam)


def parameter_tensors(table: Table) -> int:
    """How many parameter tensors the network has (a weight and a bias are two)."""
    return sum((r.weights > 0) + (r.biases > 0) for r in table.walk() if not r.children)


def training(table: Table, batch: int, nodes: list[Node] | None = None) -> Training:
    """Memory of a training step on ``batch`` inputs (see the module's models)."""
    trainable = table.totals.trainable_params * FLOAT32_BYTES
    return Training(
        batch=batch,
        input=batch * math.prod(table.input_shape) * FLOAT32_BYTES,
        saved=saved_bytes(table, batch, nodes),
        params=table.totals.params * FLOAT32_BYTES,
        buffers=buffer_bytes(table),
        gradients=trainable,
        sgd_momentum=trainable,
        adam=2 * trainable + _trainable_tensors(table) * FLOAT32_BYTES,
    )


def _trainable_tensors(table: Table) -> int:
    return sum((r.weights > 0) + (r.biases > 0) for r in table.walk()
               if not r.children and r.trainable_params)


# ------------------------------------------------------------------ parameters, buffers


def batchnorm_layers(table: Table) -> int:
    return sum(1 for r in table.walk() if r.type == "batchnorm")


def buffer_bytes(table: Table) -> int:
    """Running mean and variance (float32) and ``num_batches_tracked`` (one int64) of
    every batchnorm layer."""
    return table.totals.buffers * FLOAT32_BYTES + batchnorm_layers(table) * INT64_BYTES


# ------------------------------------------------------------------ torchinfo


#: Kinds whose parameters torchvision keeps on the enclosing block, not in a leaf
#: module of their own (ConvNeXt's layer scale): torchinfo's sizes miss them.
NOT_A_MODULE = frozenset({"scale"})


@dataclass(frozen=True)
class Torchinfo:
    """What ``torchinfo.summary(model, input_size=(batch, *input))`` prints, in bytes."""

    batch: int
    input: int           #: ``total_input`` less the storage object's Python header
    forward_backward: int  #: ``total_output_bytes``
    params: int          #: ``total_param_bytes``

    @property
    def total(self) -> int:
        """"Estimated Total Size" (less the same Python header)."""
        return self.input + self.forward_backward + self.params


def torchinfo(table: Table, batch: int = 1) -> Torchinfo:
    """torchinfo's sizes: it adds up the output of every leaf module that has parameters,
    times 2 ("for gradients"), and the parameters of leaf modules; its input size is
    ``sys.getsizeof`` of the input's storage (the bytes plus a Python header)."""
    leaves = [r for r in table.walk() if not r.children and r.type not in NOT_A_MODULE]
    outputs = sum(math.prod(r.output_shape) for r in leaves if r.params > 0)
    return Torchinfo(
        batch=batch,
        input=batch * math.prod(table.input_shape) * FLOAT32_BYTES,
        forward_backward=2 * batch * outputs * FLOAT32_BYTES,
        params=sum(r.params for r in leaves) * FLOAT32_BYTES,
    )


# ------------------------------------------------------------------ all of it


@dataclass(frozen=True)
class Memory:
    """Every memory figure of a network for one input (training for each batch asked)."""

    param_bytes: int
    buffer_bytes: int
    batchnorm_layers: int
    input_bytes: int
    activation_bytes: int   #: the sum of every layer's output, one sample
    peak: Peak              #: every layer writes a new tensor
    peak_inplace: Peak      #: in-place activations where possible
    training: tuple[Training, ...]
    torchinfo: tuple[Torchinfo, ...]


def memory(table: Table, batches: tuple[int, ...] = (1,)) -> Memory:
    """All the memory figures of ``table``, training and torchinfo for each batch size."""
    nodes = dataflow(table)
    return Memory(
        param_bytes=table.totals.params * FLOAT32_BYTES,
        buffer_bytes=buffer_bytes(table),
        batchnorm_layers=batchnorm_layers(table),
        input_bytes=math.prod(table.input_shape) * FLOAT32_BYTES,
        activation_bytes=sum(n.values for n in nodes) * FLOAT32_BYTES,
        peak=peak(table, False, nodes),
        peak_inplace=peak(table, True, nodes),
        training=tuple(training(table, n, nodes) for n in batches),
        torchinfo=tuple(torchinfo(table, n) for n in batches),
    )
