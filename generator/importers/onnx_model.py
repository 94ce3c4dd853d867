"""An ONNX model (``model.onnx``) as an :class:`~.model.Imported` spec.

Reads the graph with the optional ``onnx`` package (weights are never needed, only
their shapes), runs ONNX shape inference, and maps each node to spec layers in graph
order, keeping node names as layer names. Nodes that only compute constants (shapes,
indices) make no layer; an ``Identity`` or ``Dropout`` is its input. Arithmetic on the
static shapes (``Shape``, ``Gather``, ``Div``, ``Mul``...) is computed and shape inference
run again with its results, so bounds that depend on a shape are known.

ShuffleNetV2's channel operations: a ``Slice`` (or ``Split``) of the channels is the
``channel_split`` that ``torch.chunk`` cuts; ``Reshape`` to groups, ``Transpose`` [0, 2,
1, 3, 4] and ``Reshape`` back is one ``channel_shuffle``. With ``--skip-unsupported``
an op no layer represents becomes a ``placeholder`` layer (the identity, marked on the
page).

Batch normalisation that the exporter folded into the convolution before it (the
TorchScript exporter does in inference mode) stays folded: that convolution has a bias
and no batchnorm follows it. Such convolutions are recognised by the weights' names the
exporter gives (``onnx::Conv_…``) and the spec's description says how many.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..errors import UserError
from ..nn import shapes as torch_shapes
from ..nn.split import chunk_sizes
from ..specs.limits import MAX_LAYERS
from .lowering import conv_padding, pool_padding, tf_same_pads
from .model import Builder, Imported, Unsupported, clean_name, pair_or_one, regular_file

__all__ = ["read", "SUPPORTED", "MAX_ONNX_BYTES", "MAX_ONNX_NODES"]

#: The ONNX operators the importer maps (besides nodes that only compute constants).
SUPPORTED: tuple[str, ...] = (
    "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
    "Gemm", "MatMul", "BatchNormalization", "Relu", "Clip", "Sigmoid", "HardSigmoid",
    "HardSwish", "Tanh", "Softmax", "Gelu", "Mul", "Add", "Concat", "Flatten", "Reshape",
    "Squeeze", "Resize", "Upsample", "Pad", "Slice", "LRN", "Dropout", "Identity",
    "ReduceMean", "ReduceMax", "Transpose", "LayerNormalization", "Split",
)
#: The operators mapped on channels-last data (after a Transpose from NCHW).
_CHANNELS_LAST_OPS = ("Transpose", "LayerNormalization", "MatMul", "Add", "Mul", "Relu",
                      "Gelu", "Sigmoid", "Tanh", "Clip", "HardSwish", "HardSigmoid",
                      "Identity", "Dropout")
#: The largest file read (protobuf's own limit is 2 GiB).
MAX_ONNX_BYTES = 2 << 30
#: The most nodes a graph may have: ten per layer a spec may have (nodes that compute
#: shapes and constants make no layer). Shape inference and the walk take time in
#: proportion; 200,000 nodes took 50 s before the spec's own limit refused them.
MAX_ONNX_NODES = 10 * MAX_LAYERS
#: Inputs that hold weights or settings, per operator: not data.
_PARAM_SLOTS = {
    "Conv": (1, 2), "ConvTranspose": (1, 2), "Gemm": (1, 2), "MatMul": (1,),
    "BatchNormalization": (1, 2, 3, 4), "Clip": (1, 2), "Pad": (1, 2, 3),
    "Slice": (1, 2, 3, 4), "Resize": (1, 2, 3), "Upsample": (1,), "Reshape": (1,),
    "Dropout": (1, 2), "Squeeze": (1,), "Split": (1,), "LayerNormalization": (1, 2), "ReduceMean": (1,), "ReduceMax": (1,),
}


def _onnx():
    try:
        import onnx
    except ImportError:
        raise UserError("reading ONNX needs the onnx package: pip install '.[onnx]'") from None
    return onnx


def read(path, input_shape=None, name=None, skip_unsupported=False) -> Imported:
    """The model in the ONNX file ``path``; ``input_shape`` (C, H, W) replaces the
    model's input size; ``skip_unsupported`` puts a placeholder for each node no layer
    represents instead of stopping."""
    onnx = _onnx()
    path = Path(path)
    shown = str(path)
    regular_file(path, "an ONNX model", MAX_ONNX_BYTES, "an ONNX file may hold")
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as exc:  # protobuf's DecodeError, or anything the parser raises
        raise UserError(f"{shown}: not an ONNX model (the file cannot be parsed: "
                        f"{type(exc).__name__})") from None
    if model.ir_version <= 0 or not model.graph.node or not model.graph.input:
        raise UserError(f"{shown}: not an ONNX model (no graph of nodes in it)")
    if len(model.graph.node) > MAX_ONNX_NODES:
        raise UserError(f"{shown}: the graph has {len(model.graph.node):,} nodes; the importer "
                        f"reads at most {MAX_ONNX_NODES:,} (a spec has at most "
                        f"{MAX_LAYERS:,} layers)")
    return _Reader(onnx, model, shown, input_shape, skip_unsupported).read(name or path.stem)


class _Reader:
    def __init__(self, onnx, model, shown, input_shape, skip):
        self.onnx, self.model, self.src, self.skip = onnx, model, shown, skip
        graph = model.graph
        self.inits = {t.name: t for t in graph.initializer}
        self.consts = dict.fromkeys(self.inits)  # value name -> array, None until needed
        self.data_input = self._data_input(input_shape)
        #: values computed from static shapes (``Shape`` and arithmetic on it) -> array
        self.shape_consts = {}
        self.dims = self._infer(model)
        for _ in range(_MAX_FOLDS):  # each round may give shapes the next one folds
            if not self._fold_shape_arithmetic():
                break
            self.dims = self._infer(self._with_folded())
        self.consumers = {}
        for node in graph.node:
            for v in node.input:
                self.consumers.setdefault(v, []).append(node)
        # values that do not depend on the data input: weights and what is computed from them
        self.static = {v.name for v in graph.input if v.name != self.data_input}
        self.static |= set(self.inits)
        for node in graph.node:
            if all(not v or v in self.static for v in node.input):
                self.static.update(node.output)
        #: values in channels-last layout (N, H, W, C), after a Transpose from NCHW
        self.nhwc = set()
        #: values inside a channel shuffle -> (its input, groups, transposed yet)
        self.shuffle = {}

    # ---------------------------------------------------------------- set-up

    def _infer(self, model) -> dict:
        """value name -> its dimensions (None where unknown), by ONNX shape inference."""
        try:
            inferred = self.onnx.shape_inference.infer_shapes(model, strict_mode=True)
        except Exception as exc:
            raise UserError(f"{self.src}: ONNX shape inference failed: "
                            f"{str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__}"
                            ) from None
        dims = {}
        for vi in (*inferred.graph.input, *inferred.graph.value_info, *inferred.graph.output):
            t = vi.type.tensor_type
            if t.HasField("shape"):
                dims[vi.name] = tuple(d.dim_value if d.HasField("dim_value") else None
                                      for d in t.shape.dim)
        for t in model.graph.initializer:
            dims[t.name] = tuple(t.dims)
        return dims

    def _fold_shape_arithmetic(self) -> bool:
        """Computes the values that follow from static shapes: a ``Shape`` of a value with
        known dimensions, and :data:`_SHAPE_ARITHMETIC` on such values and constants (as
        ShuffleNetV2's exported ``chunk``: Shape, Gather, Add, Div, Mul give the bounds
        of its channel Slices). True when it computed a value not known before."""
        new = False
        for node in self.model.graph.node:
            if any(o in self.shape_consts for o in node.output) or not node.output:
                continue
            if node.op_type == "Constant":
                if node.output[0] not in self.consts:
                    self._constant(node)
                continue
            if node.op_type == "Shape":
                dims = self.dims.get(node.input[0])
                if dims is None or any(d is None for d in dims[1:]):
                    continue
                a = self.attrs(node)
                value = np.array((1, *dims[1:]), np.int64)[a.get("start", 0):a.get("end")]
            elif node.op_type in _SHAPE_ARITHMETIC:
                args = [self._small_const(v) for v in node.input]
                if not args or any(x is None for x in args):
                    continue
                try:
                    value = _SHAPE_ARITHMETIC[node.op_type](args, self.attrs(node))
                except (IndexError, ValueError, TypeError, OverflowError):
                    continue  # not as the operator defines it: the node says so when met
                if value is None:
                    continue
            else:
                continue
            self.shape_consts[node.output[0]] = np.asarray(value)
            new = True
        return new

    def _small_const(self, value):
        """The array of a constant ``value`` of at most :data:`_MAX_SHAPE_VALUES` values,
        else None (weights are never read)."""
        dims = self.inits[value].dims if value in self.inits else ()
        if not value or math.prod(dims) > _MAX_SHAPE_VALUES:
            return None
        x = self.const(value)
        return None if x is None or np.asarray(x).size > _MAX_SHAPE_VALUES else x

    def _with_folded(self):
        """A copy of the model whose folded values are initializers (their nodes gone),
        for ONNX shape inference to see them."""
        model = self.onnx.ModelProto()
        model.CopyFrom(self.model)
        keep = [n for n in model.graph.node
                if not all(o in self.shape_consts for o in n.output)]
        del model.graph.node[:]
        model.graph.node.extend(keep)
        model.graph.initializer.extend(
            self.onnx.numpy_helper.from_array(v, name) for name, v in self.shape_consts.items())
        return model

    def _data_input(self, input_shape):
        graph = self.model.graph
        uses = {}
        for node in graph.node:
            for i, v in enumerate(node.input):
                uses.setdefault(v, []).append((node, i))
        memo = {}

        def weight(v):  # every use a weight slot, or an Identity whose output is a weight
            if v not in memo:
                memo[v] = False
                memo[v] = bool(uses.get(v)) and all(
                    i in _PARAM_SLOTS.get(n.op_type, ()) or
                    (n.op_type == "Identity" and weight(n.output[0])) for n, i in uses[v])
            return memo[v]

        data = [vi for vi in graph.input if vi.name not in self.inits and not weight(vi.name)]
        if not data:
            raise UserError(f"{self.src}: the model has no data input")
        # exporters list the data input first; inputs after it hold weights (a model
        # exported without its parameters) that a layer scale or a bias may use
        vi = data[0]
        dims = vi.type.tensor_type.shape.dim
        if input_shape is not None:
            if len(dims) != len(input_shape) + 1:
                raise UserError(f"{self.src}: --input gives {len(input_shape)} sizes but the "
                                f"input {vi.name!r} has {len(dims) - 1} besides the batch")
            dims[0].dim_value = 1
            for d, n in zip(dims[1:], input_shape):
                d.dim_value = n
        return vi.name

    def attrs(self, node) -> dict:
        return {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}

    def const(self, value):
        """The array of a constant value (an initializer, a Constant node's output, or a
        value computed from static shapes)."""
        if value in self.shape_consts:
            return self.shape_consts[value]
        if value not in self.consts:
            return None
        if self.consts[value] is None and value in self.inits:
            self.consts[value] = self.onnx.numpy_helper.to_array(self.inits[value])
        return self.consts[value]

    def shape(self, value, node) -> tuple[int, ...]:
        """The static shape of one example (batch dropped) of ``value``."""
        dims = self.dims.get(value)
        if dims is None or len(dims) < 1 or any(d is None or d <= 0 for d in dims[1:]) \
                or dims[0] not in (None, 1):
            shown = "unknown" if dims is None else "×".join("?" if d is None else str(d)
                                                          for d in dims)
            raise UserError(f"{self.src}: node {self.node_name(node)!r} ({node.op_type}): "
                            f"{value!r} has no static shape ({shown}); export with fixed "
                            "sizes or give --input C,H,W")
        return tuple(dims[1:])

    def node_name(self, node) -> str:
        return clean_name(node.name) or f"{node.op_type}_{self.index[id(node)]}"

    # ---------------------------------------------------------------- the walk

    def read(self, name) -> Imported:
        graph = self.model.graph
        self.index = {id(n): i for i, n in enumerate(graph.node)}
        in_shape = self.shape(self.data_input, graph.node[0])
        if len(in_shape) not in (1, 3):
            raise UserError(f"{self.src}: the input {self.data_input!r} has shape "
                            f"{in_shape}; a spec takes C×H×W images or flat vectors")
        self.b = Builder(self.src, self.data_input)
        self.skipped = set()   # nodes fused into another
        self.fused_bias = {}   # MatMul node -> the Add that adds its bias
        self.folded = 0
        self._fusions()
        for node in graph.node:
            if id(node) in self.skipped or (node.output and all(
                    o in self.shape_consts for o in node.output)):
                continue
            data = [v for v in node.input if v and self.b.has(v)]
            if not data:  # computes a constant (shapes, indices, weights)
                if node.op_type == "Constant":
                    self._constant(node)
                for out in node.output:
                    if node.op_type != "Constant":
                        self.consts.setdefault(out, None)
                continue
            if node.domain not in ("", "ai.onnx"):
                self.unsupported(node, f"operators of domain {node.domain!r} are not mapped")
                continue
            method = getattr(self, f"op_{node.op_type}", None)
            if method is None or node.op_type not in SUPPORTED:
                self.unsupported(node, "no spec layer represents it")
                continue
            if node.op_type not in ("Transpose", "Reshape") and any(
                    v in self.shuffle for v in data):
                self.unsupported(node, "it works on channels cut into groups (only the "
                                       "Transpose and Reshape of a channel shuffle are mapped)")
                continue
            if node.op_type not in _CHANNELS_LAST_OPS and any(v in self.nhwc for v in data):
                self.unsupported(node, "it works on channels-last data here (only "
                                       f"{', '.join(_CHANNELS_LAST_OPS)} are mapped there)")
                continue
            if len({v in self.nhwc for v in data}) > 1:
                self.unsupported(node, "it mixes channels-last and channels-first data")
                continue
            try:
                method(node)
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise Unsupported(self.src, self.node_name(node), node.op_type,
                                  f"its attributes or inputs are not as the operator "
                                  f"defines them ({type(exc).__name__}: {str(exc)[:80]})"
                                  ) from None
        outputs = [o.name for o in graph.output]
        if len(outputs) != 1:
            raise UserError(f"{self.src}: the model has {len(outputs)} outputs; a spec has one")
        last = next(iter(self.b.layers[-1].values()))["name"] if self.b.layers else None
        if self.b.made_by.get(outputs[0]) != last:
            raise UserError(f"{self.src}: the output {outputs[0]!r} is not made by the last "
                            "node; a spec's output is its last layer")
        opset = next((o.version for o in self.model.opset_import if o.domain in ("", "ai.onnx")),
                     "?")
        producer = " ".join(filter(None, (self.model.producer_name,
                                          self.model.producer_version)))
        text = (f"Imported from the ONNX model {Path(self.src).name} (opset {opset}"
                + (f", made by {producer}" if producer else "") + ").")
        if self.folded:
            convs = "1 convolution" if self.folded == 1 else f"{self.folded} convolutions"
            text += (f" Batch normalisation that the exporter folded into {convs} stays "
                     "folded: such a convolution has a bias and no batchnorm after it, so "
                     "the parameter count lacks the batchnorm's scale and shift per channel, "
                     "and there are no running statistics.")
        note = self.b.placeholder_note()
        if note:
            text += "\n\n" + note
        return Imported(clean_name(name) or "Imported model", in_shape, text, self.b.layers)

    def _constant(self, node):
        a = self.attrs(node)
        if "value" in a:
            self.consts[node.output[0]] = self.onnx.numpy_helper.to_array(a["value"])
        else:
            self.consts[node.output[0]] = None

    def _fusions(self):
        """Sigmoid followed by a Mul of its input (SiLU); MatMul followed by a bias Add."""
        for node in self.model.graph.node:
            uses = self.consumers.get(node.output[0], []) if node.output else []
            if node.op_type == "Sigmoid" and len(uses) == 1 and uses[0].op_type == "Mul":
                mul = uses[0]
                if sorted(mul.input) == sorted([node.input[0], node.output[0]]):
                    self.skipped.add(id(node))
                    self.silu = getattr(self, "silu", set()) | {id(mul)}
            if node.op_type == "MatMul" and len(uses) == 1 and uses[0].op_type == "Add":
                add = uses[0]
                other = [v for v in add.input if v != node.output[0]]
                if len(other) == 1 and other[0] in self.static:
                    self.fused_bias[id(node)] = add
                    self.skipped.add(id(add))

    def _const_outputs(self) -> dict:
        return {o: None for n in self.model.graph.node if n.op_type == "Constant"
                for o in n.output}

    def unsupported(self, node, why, what=None):
        if not self.skip:
            raise Unsupported(self.src, self.node_name(node), node.op_type, why, SUPPORTED)
        source = next(v for v in node.input if v and self.b.has(v))
        self.b.placeholder(node.op_type, self.node_name(node), source, list(node.output))
        self._bounded(node)

    def add(self, node, kind, fields, sources=None, outputs=None):
        if any(v in self.nhwc for v in (sources or node.input[:1])):
            self.nhwc.update(outputs or node.output[:1])
        for out in node.output[:1]:
            self.shape(out, node)  # every layer's output has a static shape
        name = self.b.add(kind, fields, self.node_name(node),
                          sources or [node.input[0]], outputs or [node.output[0]])
        self._bounded(node)
        return name

    def _bounded(self, node):
        """Stop at the first layer past what a spec may hold, before the rest of a huge
        graph is walked and written out."""
        if len(self.b.layers) > MAX_LAYERS:
            raise UserError(f"{self.src}: node {self.node_name(node)[:60]!r} "
                            f"({node.op_type}): more than {MAX_LAYERS:,} layers, the most a "
                            "spec may have")

    # ---------------------------------------------------------------- operators

    def _window(self, node, a, hw):
        kernel = tuple(a.get("kernel_shape") or ())
        if len(kernel) != 2:
            self.unsupported(node, "only 2-D windows are mapped")
            return None
        stride = tuple(a.get("strides") or (1, 1))
        dilation = tuple(a.get("dilations") or (1, 1))
        pads = tuple(a.get("pads") or (0, 0, 0, 0))
        auto = a.get("auto_pad", b"NOTSET")
        auto = auto.decode(errors="replace") if isinstance(auto, bytes) else auto
        if auto not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
            self.unsupported(node, f"auto_pad {auto[:40]!r} is none of NOTSET, SAME_UPPER, "
                                   "SAME_LOWER and VALID")
            return None
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            (t, b_), (l, r) = tf_same_pads(hw, kernel, stride, dilation)
            if auto == "SAME_LOWER":
                t, b_, l, r = b_, t, r, l
            pads = (t, l, b_, r)
        elif auto == "VALID":
            pads = (0, 0, 0, 0)
        return kernel, stride, dilation, ((pads[0], pads[2]), (pads[1], pads[3]))

    def op_Conv(self, node):
        a = self.attrs(node)
        c, h, w = self._map(node)
        wdims = self.dims.get(node.input[1])
        if wdims is None or len(wdims) != 4:
            return self.unsupported(node, "only 2-D convolutions with known weight shapes")
        a.setdefault("kernel_shape", wdims[2:])
        win = self._window(node, a, (h, w))
        if win is None:
            return
        kernel, stride, dilation, pads = win
        bias = len(node.input) > 2 and bool(node.input[2])
        if bias and node.input[1].startswith("onnx::"):
            self.folded += 1
        self._conv_like(node, "conv", pads, {
            "out": int(wdims[0]), "kernel": pair_or_one(kernel), "stride": pair_or_one(stride),
            "dilation": pair_or_one(dilation), "groups": int(a.get("group", 1)),
            "bias": bias})

    def _conv_like(self, node, kind, pads, fields):
        pad_layer, padding = conv_padding(pads)
        source = node.input[0]
        if pad_layer is not None:
            tmp = f"{node.output[0]}\0padded"
            self.b.add("pad", {"padding": pad_layer}, f"{self.node_name(node)}/pad",
                       [source], [tmp])
            source = tmp
        fields = dict(fields)
        fields = {"out": fields.pop("out"), "kernel": fields.pop("kernel"),
                  "stride": fields.pop("stride"), "padding": pair_or_one(padding), **fields}
        self.add(node, kind, _drop_defaults(fields), [source])

    def op_ConvTranspose(self, node):
        a = self.attrs(node)
        c, h, w = self._map(node)
        wdims = self.dims.get(node.input[1])
        if wdims is None or len(wdims) != 4:
            return self.unsupported(node, "only 2-D transposed convolutions with known "
                                          "weight shapes")
        groups = int(a.get("group", 1))
        kernel = tuple(a.get("kernel_shape") or wdims[2:])
        stride = tuple(a.get("strides") or (1, 1))
        dilation = tuple(a.get("dilations") or (1, 1))
        pads = tuple(a.get("pads") or (0, 0, 0, 0))
        out_pad = tuple(a.get("output_padding") or (0, 0))
        if pads[0] != pads[2] or pads[1] != pads[3] or a.get("auto_pad", b"NOTSET") not in (
                b"NOTSET", "NOTSET"):
            return self.unsupported(node, "uneven or automatic padding of a transposed "
                                          "convolution is not mapped")
        got = self.shape(node.output[0], node)
        want = torch_shapes.conv_transpose2d_output_hw((h, w), kernel, stride, pads[:2],
                                                       out_pad, dilation)
        if tuple(got[1:]) != tuple(want):
            return self.unsupported(node, f"output {got[1]}×{got[2]} is not what PyTorch's "
                                          f"rule gives ({want[0]}×{want[1]})")
        self.add(node, "conv_transpose", _drop_defaults({
            "out": int(wdims[1]) * groups, "kernel": pair_or_one(kernel),
            "stride": pair_or_one(stride), "padding": pair_or_one(pads[:2]),
            "output_padding": pair_or_one(out_pad), "dilation": pair_or_one(dilation),
            "groups": groups, "bias": len(node.input) > 2 and bool(node.input[2])}))

    def _pool(self, node, kind):
        a = self.attrs(node)
        if len(node.output) > 1 and self.consumers.get(node.output[1]):
            return self.unsupported(node, "the indices of a max pooling are not mapped")
        c, h, w = self._map(node)
        win = self._window(node, a, (h, w))
        if win is None:
            return
        kernel, stride, dilation, pads = win
        ceil = bool(a.get("ceil_mode", 0))
        (t, b_), (l, r) = pads
        if t == b_ and l == r and 2 * t <= kernel[0] and 2 * l <= kernel[1]:
            fields = {"padding": (t, l), "ceil_mode": ceil}
        elif not ceil:
            fields = pool_padding((h, w), kernel, stride, pads, dilation)
            if fields is None:
                return self.unsupported(node, f"padding top {t}, bottom {b_}, left {l}, "
                                              f"right {r} has no PyTorch equivalent")
        else:
            return self.unsupported(node, "uneven padding with ceil_mode is not mapped")
        if kind == "avgpool" and dilation != (1, 1):
            return self.unsupported(node, "dilated average pooling is not mapped")
        out = {"kernel": pair_or_one(kernel)}
        if stride != kernel:  # a spec's pooling steps by its kernel unless told
            out["stride"] = pair_or_one(stride)
        out.update(_drop_defaults({"padding": pair_or_one(fields["padding"]),
                                   "dilation": pair_or_one(dilation),
                                   "ceil_mode": fields["ceil_mode"]}))
        if kind == "avgpool" and not a.get("count_include_pad", 0) and (
                fields["padding"] != (0, 0) or fields["ceil_mode"]):
            out["count_include_pad"] = False
        self.add(node, kind, out)

    def op_MaxPool(self, node):
        self._pool(node, "maxpool")

    def op_AveragePool(self, node):
        self._pool(node, "avgpool")

    def op_GlobalAveragePool(self, node):
        self._map(node)
        self.add(node, "global_pool", {})

    def op_GlobalMaxPool(self, node):
        self._map(node)
        self.add(node, "global_pool", {"mode": "max"})

    def _map(self, node):
        shape = self.shape(node.input[0], node)
        if len(shape) != 3:
            raise Unsupported(self.src, self.node_name(node), node.op_type,
                              f"takes a C×H×W map here, found a shape of {len(shape)} sizes")
        return shape

    def _flat(self, node, value):
        shape = self.shape(value, node)
        if len(shape) != 1:
            raise Unsupported(self.src, self.node_name(node), node.op_type,
                              f"takes a flat input here, found {len(shape)} sizes "
                              "(a spec's linear layer needs a flatten before it)")
        return shape[0]

    def op_Gemm(self, node):
        a = self.attrs(node)
        self._flat(node, node.input[0])
        bdims = self.dims.get(node.input[1])
        if a.get("transA", 0) or bdims is None or len(bdims) != 2:
            return self.unsupported(node, "only x·Wᵀ + b with a 2-D weight is mapped")
        out = bdims[0] if a.get("transB", 0) else bdims[1]
        bias = len(node.input) > 2 and bool(node.input[2])
        self.add(node, "linear", _drop_defaults({"out": int(out), "bias": bias}))

    def op_MatMul(self, node):
        bdims = self.dims.get(node.input[1])
        if self.b.has(node.input[1]) or bdims is None or len(bdims) != 2:
            return self.unsupported(node, "only a product with a 2-D weight is mapped")
        add = self.fused_bias.get(id(node))
        outputs = [add.output[0]] if add is not None else [node.output[0]]
        fields = {"out": int(bdims[1]), "bias": add is not None}
        if node.input[0] in self.nhwc:  # a linear layer on each pixel: a 1×1 convolution
            self.nhwc.update(outputs)
            return self.add(node, "conv", _drop_defaults({"out": fields["out"], "kernel": 1,
                                                          "bias": fields["bias"]}),
                            outputs=outputs)
        self._flat(node, node.input[0])
        self.add(node, "linear", _drop_defaults(fields), outputs=outputs)

    def op_Transpose(self, node):
        perm = tuple(self.attrs(node).get("perm") or ())
        x = node.input[0]
        if x in self.shuffle:  # the channel shuffle's middle step: swap groups and channels
            source, groups, transposed = self.shuffle[x]
            if transposed or perm != (0, 2, 1, 3, 4):
                return self.unsupported(node, "a transpose of channels cut into groups: "
                                              "only a channel shuffle [0, 2, 1, 3, 4]")
            self.shuffle[node.output[0]] = (source, groups, True)
            return self.b.alias(node.output[0], x)
        if perm == (0, 2, 3, 1) and x not in self.nhwc:
            self.nhwc.add(node.output[0])
        elif perm == (0, 3, 1, 2) and x in self.nhwc:
            pass
        else:
            return self.unsupported(node, f"a transpose {list(perm)}: only NCHW to "
                                          "channels-last and back")
        self.b.alias(node.output[0], x)

    def op_LayerNormalization(self, node):
        a = self.attrs(node)
        rank = len(self.shape(node.input[0], node)) + 1
        if node.input[0] not in self.nhwc or a.get("axis", -1) % rank != rank - 1:
            return self.unsupported(node, "only a layer norm over the channels of "
                                          "channels-last data")
        fields = {}
        eps = float(f"{a.get('epsilon', 1e-5):.6g}")
        if not math.isclose(eps, 1e-5):
            fields["eps"] = eps
        if len(node.input) < 3 or not node.input[2]:
            fields["affine"] = False if len(node.input) < 2 else None
            if fields["affine"] is None:
                return self.unsupported(node, "a scale without a shift")
        self.nhwc.add(node.output[0])
        self.add(node, "layernorm", fields)

    def op_BatchNormalization(self, node):
        a = self.attrs(node)
        if a.get("training_mode", 0):
            return self.unsupported(node, "batch normalisation in training mode")
        eps = float(f"{a.get('epsilon', 1e-5):.6g}")
        self.add(node, "batchnorm", {} if math.isclose(eps, 1e-5) else {"eps": eps})

    def op_Relu(self, node):
        self.add(node, "relu", {})

    def op_Clip(self, node):
        a = self.attrs(node)
        lo, hi = a.get("min"), a.get("max")
        for i, v in ((1, "lo"), (2, "hi")):
            if len(node.input) > i and node.input[i]:
                arr = self.const(node.input[i])
                if arr is None:
                    return self.unsupported(node, "clip bounds that are not constants")
                if v == "lo":
                    lo = float(arr)
                else:
                    hi = float(arr)
        if lo == 0 and hi == 6:
            return self.add(node, "relu6", {})
        if lo == 0 and (hi is None or math.isinf(hi)):
            return self.add(node, "relu", {})
        self.unsupported(node, f"clip to [{lo}, {hi}]: only [0, 6] (relu6) and [0, ∞) (relu)")

    def op_Sigmoid(self, node):
        self.add(node, "sigmoid", {})

    def op_HardSigmoid(self, node):
        a = self.attrs(node)
        if math.isclose(a.get("alpha", 0.2), 1 / 6, rel_tol=1e-5) and \
                math.isclose(a.get("beta", 0.5), 0.5):
            return self.add(node, "hardsigmoid", {})
        self.unsupported(node, "only alpha 1/6 and beta 1/2 (PyTorch's Hardsigmoid)")

    def op_HardSwish(self, node):
        self.add(node, "hardswish", {})

    def op_Tanh(self, node):
        self.add(node, "tanh", {})

    def op_Gelu(self, node):
        a = self.attrs(node)
        approx = a.get("approximate", b"none")
        approx = approx.decode() if isinstance(approx, bytes) else approx
        self.add(node, "gelu", {} if approx == "none" else {"approximate": approx})

    def op_Softmax(self, node):
        rank = len(self.shape(node.input[0], node)) + 1
        axis = self.attrs(node).get("axis", -1)
        if axis % rank != 1:
            return self.unsupported(node, "only a softmax over the channels (axis 1)")
        self.add(node, "softmax", {})

    def op_LRN(self, node):
        a = self.attrs(node)
        fields = {"size": int(a["size"])}
        for key, spec, default in (("alpha", "alpha", 1e-4), ("beta", "beta", 0.75),
                                   ("bias", "k", 1.0)):
            v = float(f"{a.get(key, default):.6g}")
            if not math.isclose(v, default):
                fields[spec] = v
        self.add(node, "lrn", fields)

    def op_Mul(self, node):
        if id(node) in getattr(self, "silu", ()):
            x = next(v for v in node.input if self.b.has(v))
            return self.add(node, "silu", {}, [x])
        self._merge(node, "multiply")

    def op_Add(self, node):
        self._merge(node, "add")

    def _merge(self, node, kind):
        data = [v for v in node.input if self.b.has(v)]
        if len(data) == len(node.input):
            return self.add(node, kind, {}, data)
        other = next(v for v in node.input if not self.b.has(v))
        shape = self.shape(data[0], node)
        if data[0] in self.nhwc:  # (H, W, C): a scale per channel has shape [C]
            shape = (shape[-1], *shape[:-1])
        cdims = self.dims.get(other)
        if kind == "multiply" and data[0] in self.nhwc and cdims is not None and \
                tuple(d for d in cdims if d != 1) == (shape[0],) and cdims[-1] == shape[0]:
            return self.add(node, "scale", {}, data)
        if kind == "multiply" and cdims is not None and len(shape) == 3 and \
                tuple(d for d in cdims if d != 1) == (shape[0],) and \
                tuple(cdims[-2:]) == (1, 1):
            return self.add(node, "scale", {}, data)
        self.unsupported(node, f"{kind} with a constant is not mapped (only a learned scale "
                               "per channel)")

    def op_Concat(self, node):
        shape = self.shape(node.input[0], node)
        axis = self.attrs(node).get("axis", 1) % (len(shape) + 1)
        data = [v for v in node.input if v]
        if axis != 1 or not all(self.b.has(v) for v in data):
            return self.unsupported(node, "only a concatenation of layers' outputs on the "
                                          "channels (axis 1)")
        if len(data) == 1:
            return self.b.alias(node.output[0], data[0])
        self.add(node, "concat", {}, data)

    def op_Flatten(self, node):
        if self.attrs(node).get("axis", 1) != 1:
            return self.unsupported(node, "only a flatten from axis 1")
        self.add(node, "flatten", {})

    def op_Reshape(self, node):
        shape_in = self.shape(node.input[0], node)
        shape_out = self.shape(node.output[0], node)
        x = node.input[0]
        if x in self.shuffle:  # the channel shuffle's last step: back to C×H×W
            source, groups, transposed = self.shuffle[x]
            if transposed and shape_out == self.shape(source, node):
                return self.add(node, "channel_shuffle", {"groups": groups}, [source])
            return self.unsupported(node, "a reshape of channels cut into groups: only a "
                                          "channel shuffle (Reshape, Transpose, Reshape)")
        if len(shape_in) == 3 and len(shape_out) == 4 and shape_out[2:] == shape_in[1:] \
                and shape_out[0] * shape_out[1] == shape_in[0]:
            # C×H×W as g×(C/g)×H×W: the first step of a channel shuffle, checked by the next
            self.shuffle[node.output[0]] = (x, shape_out[0], False)
            return self.b.alias(node.output[0], x)
        if shape_out == shape_in:
            return self.b.alias(node.output[0], node.input[0])
        if shape_out == (math.prod(shape_in),):
            return self.add(node, "flatten", {})
        self.unsupported(node, f"a reshape to {shape_out}: only to one flat vector")

    op_Squeeze = op_Reshape

    def _reduce(self, node, mode):
        """A mean or maximum over the height and width: global pooling."""
        a = self.attrs(node)
        c, h, w = self._map(node)
        axes = a.get("axes")
        if len(node.input) > 1 and node.input[1]:
            axes = self.const(node.input[1])
        if axes is None or sorted(int(x) % 4 for x in list(axes)) != [2, 3]:
            return self.unsupported(node, "only a reduction over the height and width")
        fields = {} if mode == "avg" else {"mode": mode}
        if a.get("keepdims", 1):
            return self.add(node, "global_pool", fields)
        tmp = f"{node.output[0]}\0pooled"
        self.b.add("global_pool", fields, f"{self.node_name(node)}/pool", [node.input[0]],
                   [tmp])
        self.add(node, "flatten", {}, [tmp])

    def op_ReduceMean(self, node):
        self._reduce(node, "avg")

    def op_ReduceMax(self, node):
        self._reduce(node, "max")

    def op_Identity(self, node):
        self.b.alias(node.output[0], node.input[0])

    def op_Dropout(self, node):
        self.b.alias(node.output[0], node.input[0])

    def op_Resize(self, node):
        a = self.attrs(node)
        c, h, w = self._map(node)
        c2, h2, w2 = self.shape(node.output[0], node)
        mode = _text(a.get("mode", "nearest"))
        ctm = _text(a.get("coordinate_transformation_mode", "half_pixel"))
        nearest_mode = _text(a.get("nearest_mode", "round_prefer_floor"))
        if mode == "nearest" and ctm == "asymmetric" and nearest_mode == "floor":
            spec_mode = "nearest"
        elif mode == "linear" and ctm in ("half_pixel", "pytorch_half_pixel"):
            spec_mode = "bilinear"
        else:
            return self.unsupported(node, f"mode {mode} with {ctm} coordinates: only "
                                          "PyTorch's nearest and bilinear (align_corners "
                                          "false)")
        if h2 % h == 0 and w2 % w == 0 and h2 >= h and w2 >= w:
            fields = {"scale": pair_or_one((h2 // h, w2 // w))}
        else:
            fields = {"size": pair_or_one((h2, w2))}
        if spec_mode != "nearest":
            fields["mode"] = spec_mode
        self.add(node, "upsample", fields)

    op_Upsample = op_Resize

    def op_Pad(self, node):
        a = self.attrs(node)
        if _text(a.get("mode", "constant")) != "constant":
            return self.unsupported(node, "only constant (zero) padding")
        pads = a.get("pads")
        if len(node.input) > 1 and node.input[1]:
            pads = self.const(node.input[1])
        value = self.const(node.input[2]) if len(node.input) > 2 and node.input[2] else 0
        if pads is None or value is None or float(value) != 0 or (
                len(node.input) > 3 and node.input[3]):
            return self.unsupported(node, "only zero padding with constant pads on all axes")
        pads = [int(p) for p in list(pads)]
        if len(pads) != 8 or any(pads[i] for i in (0, 1, 4, 5)) or min(pads) < 0:
            return self.unsupported(node, "only non-negative padding of the height and width")
        self._map(node)
        self.add(node, "pad", {"padding": [pads[3], pads[7], pads[2], pads[6]]})

    def _channel_part(self, node, channels, first, size, output):
        part = _chunk_of(channels, first, size)
        if part is None:
            return self.unsupported(node, f"channels {first} to {first + size} of "
                                          f"{channels}: only a part as torch.chunk cuts them")
        chunks, index = part
        self.add(node, "channel_split", {"chunks": chunks, "index": index},
                 [node.input[0]], [output])

    def op_Split(self, node):
        """The parts of the channels, each a ``channel_split`` layer (torch.chunk)."""
        c, h, w = self._map(node)
        a = self.attrs(node)
        if a.get("axis", 0) % 4 != 1:
            return self.unsupported(node, "only a split of the channels (axis 1)")
        sizes = a.get("split")
        if len(node.input) > 1 and node.input[1]:
            sizes = self.const(node.input[1])
        if sizes is None:
            sizes = [self.shape(o, node)[0] for o in node.output]
        sizes = [int(v) for v in list(sizes)]
        if len(sizes) != len(node.output) or sum(sizes) != c:
            return self.unsupported(node, f"parts {sizes} of {c} channels")
        first = 0
        for out, size in zip(node.output, sizes):
            if out and (self.consumers.get(out) or out in self._graph_outputs()):
                self._channel_part(node, c, first, size, out)
            first += size

    def _graph_outputs(self):
        return {o.name for o in self.model.graph.output}

    def op_Slice(self, node):
        c, h, w = self._map(node)
        c2, h2, w2 = self.shape(node.output[0], node)
        if (c2, h2, w2) == (c, h, w):
            return self.b.alias(node.output[0], node.input[0])
        starts = self.const(node.input[1])
        axes = self.const(node.input[3]) if len(node.input) > 3 and node.input[3] else None
        steps = self.const(node.input[4]) if len(node.input) > 4 and node.input[4] else None
        if c2 != c and (h2, w2) == (h, w) and starts is not None and (
                steps is None or all(int(s) == 1 for s in steps)):
            axes = list(range(len(starts))) if axes is None else [int(x) % 4 for x in axes]
            if axes.count(1) == 1:  # a part of the channels: as torch.chunk cuts them
                first = int(starts[axes.index(1)])
                return self._channel_part(node, c, max(0, first + c if first < 0 else first),
                                          c2, node.output[0])
        if starts is None or c2 != c:
            return self.unsupported(node, "only a crop of the height and width with "
                                          "constant bounds")
        axes = list(range(len(starts))) if axes is None else [int(x) % 4 for x in axes]
        if steps is not None and any(int(s) != 1 for s in steps):
            return self.unsupported(node, "only a crop with step 1")
        first = {2: 0, 3: 0}
        for ax, st in zip(axes, starts):
            if ax in (0, 1):
                continue
            n = h if ax == 2 else w
            st = int(st)
            first[ax] = max(0, min(n, st + n if st < 0 else st))
        if first[2] != (h - h2) // 2 or first[3] != (w - w2) // 2:
            return self.unsupported(node, f"a crop from row {first[2]}, column {first[3]}: "
                                          "only centred crops")
        self.add(node, "crop", {"size": pair_or_one((h2, w2))})


def _gather(args, a):
    data, index = args
    return np.take(data, index, axis=a.get("axis", 0))


def _int_div(args, a):
    x, y = (np.asarray(v) for v in args)
    if not (np.issubdtype(x.dtype, np.integer) and np.issubdtype(y.dtype, np.integer)) \
            or np.any(y == 0):
        return None
    q = np.abs(x) // np.abs(y)  # ONNX's integer Div truncates toward zero
    return np.where((x < 0) != (y < 0), -q, q).astype(np.result_type(x, y))


def _unsqueeze(args, a):
    axes = args[1] if len(args) > 1 else a.get("axes")
    x = np.asarray(args[0])
    for ax in sorted(int(v) % (x.ndim + len(axes)) for v in axes):
        x = np.expand_dims(x, ax)
    return x


#: Operators on small integer arrays that shape arithmetic uses: op -> (inputs,
#: attributes) -> array, or None when it is not computed here.
_SHAPE_ARITHMETIC = {
    "Gather": _gather,
    "Add": lambda args, a: np.add(*args),
    "Sub": lambda args, a: np.subtract(*args),
    "Mul": lambda args, a: np.multiply(*args),
    "Div": _int_div,
    "Unsqueeze": _unsqueeze,
    "Concat": lambda args, a: np.concatenate([np.atleast_1d(x) for x in args],
                                             axis=a.get("axis", 0)),
    "Identity": lambda args, a: args[0],
}
#: The most values an array of shape arithmetic holds (a shape has a few).
_MAX_SHAPE_VALUES = 16
#: The most rounds of folding and shape inference (ShuffleNetV2 needs 1).
_MAX_FOLDS = 8


def _chunk_of(channels: int, first: int, size: int):
    """``(chunks, index)`` such that ``x.chunk(chunks, 1)[index]`` is the channels
    ``first`` to ``first + size``, the fewest chunks; None if no chunk is."""
    for chunks in range(1, channels + 1):
        sizes = chunk_sizes(channels, chunks)
        if first % sizes[0] == 0 and first // sizes[0] < len(sizes) \
                and sizes[first // sizes[0]] == size:
            return chunks, first // sizes[0]
    return None


def _text(v) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


_DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True,
             "ceil_mode": False, "output_padding": 0}


def _drop_defaults(fields: dict) -> dict:
    """The fields whose values are not the spec's defaults."""
    return {k: v for k, v in fields.items() if _DEFAULTS.get(k, object()) != v}
