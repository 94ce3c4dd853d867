"""A Keras model (a ``.keras`` file or its JSON config) as an :class:`~.model.Imported`
spec, read as JSON: TensorFlow and Keras are not needed.

Keras' sizes are kept exact. 'valid' is PyTorch's padding 0; 'same' pads
``max((out - 1)·s + k_eff - n, 0)`` in all with the odd pixel at the bottom/right
(:func:`generator.nn.tensorflow.conv_output_size` is that rule). Even padding stays on
the convolution; uneven padding becomes a ``pad`` layer before a convolution with
padding 0; pooling keeps its own padding (with ``ceil_mode`` for the odd pixel), since
zeros would change a maximum. Keras' layout is channels-last; the spec's is channels
first (C×H×W), so a model's ``(H, W, C)`` input becomes ``[C, H, W]``.

Keras 3 writes some of a model as operations rather than layers (``x + y`` is the op
``Add`` of ``keras.src.ops.numpy``): one of two tensors is the merge it names; an op with
a constant is mapped only in MobileNetV3's hard sigmoid, ``x + 3`` -> ``ReLU(6)`` ->
``× 1/6``. A nested ``Sequential`` (ConvNeXt's stem) or functional model (a backbone
called on the input) is read layer by layer. ``Rescaling``
and ``Normalization`` right after the input are the model's preprocessing: the spec's
input is the preprocessed image (the description says so, with the statistics Keras
counts as weights). A ``Dense`` on a channels-last image is a 1×1 convolution; a
``Reshape`` of a global pooling back to 1×1 (EfficientNet's squeeze) keeps the 1×1.
"""

from __future__ import annotations

import json
import zipfile
from collections import defaultdict
from pathlib import Path

from ..errors import UserError
from ..nn.tensorflow import check_keras_conv, keras_conv2d_output_hw, pool_output_size
from ..specs.layers import INPUT
from .lowering import conv_padding, pool_padding, tf_same_pads
from .model import Builder, Imported, Unsupported, clean_name, pair_or_one, regular_file

__all__ = ["read", "SUPPORTED", "ACTIVATIONS", "MAX_CONFIG_BYTES"]

#: The Keras layers the importer maps.
SUPPORTED: tuple[str, ...] = (
    "InputLayer", "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose",
    "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
    "Dense", "BatchNormalization", "Activation", "ReLU", "Softmax", "Dropout",
    "SpatialDropout2D", "Add", "Concatenate", "Multiply", "ZeroPadding2D", "Cropping2D",
    "UpSampling2D", "Flatten", "Reshape", "LayerNormalization", "LayerScale",
    "StochasticDepth", "Rescaling", "Normalization", "Sequential", "Functional",
    "Model", "TFOpLambda", "Identity", "CenterCrop",
)
#: Keras 2's recorded operations (TFOpLambda ``function``) that merge two tensors.
TF_OPS = {"__operators__.add": "Add", "math.add": "Add", "math.multiply": "Multiply",
          "__operators__.mul": "Multiply"}
#: Nested models: read layer by layer, never one placeholder.
_NESTED = ("Sequential", "Functional", "Model")
#: The hard sigmoid Keras 3 writes as operations: add 3, ReLU capped at 6, times 1/6.
HARD_SIGMOID = (3.0, 6.0, 1.0 / 6.0)
#: Keras activation name -> spec kind (None: no layer).
ACTIVATIONS: dict[str, str | None] = {
    "linear": None, "relu": "relu", "relu6": "relu6", "sigmoid": "sigmoid", "tanh": "tanh",
    "softmax": "softmax", "swish": "silu", "silu": "silu", "gelu": "gelu",
    "hard_sigmoid": "hardsigmoid", "hard_swish": "hardswish", "hard_silu": "hardswish",
}
#: The largest config read.
MAX_CONFIG_BYTES = 64 << 20
#: The largest ``.keras`` file opened (its weights are never read: only config.json).
MAX_KERAS_BYTES = 8 << 30


def read(path, input_shape=None, name=None, skip_unsupported=False) -> Imported:
    """The model of the ``.keras`` file or JSON config at ``path``."""
    path = Path(path)
    shown = str(path)
    zipped = path.suffix.lower() == ".keras"
    # a .keras zip is read from its end (its directory), its config.json bounded below
    regular_file(path, "a Keras model", MAX_KERAS_BYTES if zipped else MAX_CONFIG_BYTES,
                 "the importer reads")
    try:
        if zipped:
            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo("config.json")
                if info.file_size > MAX_CONFIG_BYTES:
                    raise UserError(f"{shown}: config.json is larger than "
                                    f"{MAX_CONFIG_BYTES >> 20} MiB")
                raw = zf.read(info)
                version = _saved_version(zf)
        else:
            raw = path.read_bytes()
            version = None
        data = json.loads(raw.decode("utf-8"))
        if isinstance(data, dict) and isinstance(data.get("keras_version"), str):
            version = data["keras_version"]  # Keras 2's to_json() writes it
    except (zipfile.BadZipFile, KeyError):
        raise UserError(f"{shown}: not a .keras file (a zip holding config.json)") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UserError(f"{shown}: not a Keras JSON config ({type(exc).__name__})") from None
    except OSError as exc:
        raise UserError(f"{shown}: cannot be read: {exc.strerror}") from None
    reader = None
    try:
        reader = _Reader(shown, data, input_shape, skip_unsupported, version)
        return reader.read(name)
    except RecursionError:
        raise UserError(f"{shown}: the config is nested too deeply") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # a value of a type or shape Keras never writes, outside any one layer's fields
        at = f" layer {reader.at!r}:" if reader is not None and reader.at else ""
        raise UserError(f"{shown}:{at} the config is not as Keras writes it "
                        f"({type(exc).__name__}: {str(exc)[:80]})") from None


def _saved_version(zf) -> str | None:
    """The Keras version in a ``.keras`` file's metadata.json, if it says one."""
    try:
        info = zf.getinfo("metadata.json")
        if info.file_size > 1 << 16:
            return None
        meta = json.loads(zf.read(info).decode("utf-8"))
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    version = meta.get("keras_version") if isinstance(meta, dict) else None
    return version if isinstance(version, str) else None


def _all_layers(layers):
    """Every layer dict, those of nested models included."""
    for lay in layers:
        yield lay
        inner = (lay.get("config") or {}).get("layers")
        if isinstance(inner, list):
            yield from _all_layers([x for x in inner if isinstance(x, dict)])


def _op_label(layer) -> str:
    """What a placeholder for an operation says it was: ``operation Add`` (Keras 3),
    ``TFOpLambda math.multiply`` (Keras 2)."""
    cls = str(layer.get("class_name"))
    if cls == "TFOpLambda":
        return f"{cls} {(layer.get('config') or {}).get('function')}"
    return f"operation {cls}"


def _is_op(layer) -> bool:
    """True for an operation Keras 3 records in the graph (``x + y``), not a layer."""
    return str(layer.get("module") or "").startswith("keras.src.ops")


class _Reader:
    def __init__(self, shown, data, input_shape, skip, version=None):
        self.src, self.skip, self.input_shape = shown, skip, input_shape
        #: the name of the layer being read (for an error about its config)
        self.at = None
        #: Keras 2 (its version recorded): hard_sigmoid is another function there
        self.keras2 = bool(version) and version.split(".")[0] in ("1", "2")
        if not isinstance(data, dict) or data.get("class_name") not in (
                "Sequential", "Functional", "Model") or not isinstance(data.get("config"), dict):
            raise UserError(f"{shown}: not a Keras model config (expected class_name "
                            "Sequential or Functional with a config)")
        self.kind = data["class_name"]
        self.config = data["config"]
        layers = self.config.get("layers")
        if not isinstance(layers, list) or not layers:
            raise UserError(f"{shown}: the model config has no layers")
        self.layers = [lay for lay in layers if isinstance(lay, dict)]
        self.channels_first = any(
            (lay.get("config") or {}).get("data_format") == "channels_first"
            for lay in _all_layers(self.layers))
        #: layer name -> the layers that take its output
        self.consumers: dict[str, list] = defaultdict(list)
        #: value -> (the op adding 3, stage 1 or 2, its input, the ReLU's name or None) of
        #: a hard sigmoid being read (see HARD_SIGMOID): no layer until its last step
        self.pending: dict[str, tuple] = {}
        #: the preprocessing layers read as the input: (class, name, weights Keras counts)
        self.preprocessing: list[tuple[str, str, int]] = []

    def fail(self, layer, why, supported=True):
        cls = str(layer.get("class_name"))
        if _is_op(layer):
            cls = f"operation {cls}"
        return Unsupported(self.src, self.lname(layer), cls, why,
                           SUPPORTED if supported else (), unit="layer")

    @staticmethod
    def lname(layer) -> str:
        return clean_name(layer.get("name") or (layer.get("config") or {}).get("name") or "")

    # ------------------------------------------------------------ shapes and graph

    def _batch_shape(self, cfg):
        for key in ("batch_shape", "batch_input_shape"):
            if isinstance(cfg.get(key), list):
                return cfg[key][1:]
        return None

    def _to_spec_shape(self, dims, layer):
        if self.input_shape is not None:
            return tuple(self.input_shape)
        if dims is None or any(not isinstance(d, int) or d <= 0 for d in dims):
            raise UserError(f"{self.src}: layer {self.lname(layer)!r}: the input shape "
                            f"{dims} is not static; give --input C,H,W")
        if len(dims) == 3 and not self.channels_first:
            h, w, c = dims
            return (c, h, w)
        if len(dims) in (1, 3):
            return tuple(dims)
        raise UserError(f"{self.src}: layer {self.lname(layer)!r}: an input of "
                        f"{len(dims)} sizes; a spec takes images or flat vectors")

    def _inbound(self, layer):
        """The names of the layers feeding ``layer`` (its only call)."""
        nodes = layer.get("inbound_nodes") or []
        if len(nodes) > 1:
            raise self.fail(layer, "a layer called more than once (shared) is not mapped",
                            False)
        if not nodes:
            return []
        names = []
        op = layer.get("class_name") == "TFOpLambda"

        def walk(v):
            if isinstance(v, dict):
                hist = (v.get("config") or {}).get("keras_history")
                if v.get("class_name") == "__keras_tensor__" and isinstance(hist, list):
                    names.append(str(hist[0]))
                    return
                for x in v.values():
                    walk(x)
            elif isinstance(v, list):
                if len(v) >= 3 and isinstance(v[0], str) and isinstance(v[1], int):
                    names.append(v[0])  # Keras 2: [name, node index, tensor index, kwargs]
                    if op and len(v) > 3:  # an operation's other tensor: kwargs {"y": ref}
                        walk(v[3])
                    return
                for x in v:
                    walk(x)

        node = nodes[0]
        walk(node.get("args", []) if isinstance(node, dict) else node)
        return names

    def read(self, name) -> Imported:
        first = self.layers[0]
        if self.kind == "Sequential":
            cfg = first.get("config") or {}
            dims = self._batch_shape(cfg)
            if dims is None and isinstance(self.config.get("build_input_shape"), list):
                dims = self.config["build_input_shape"][1:]  # built with model.build()
            shape = self._to_spec_shape(dims, first)
            self.b = Builder(self.src, "\0input")
            prev = "\0input"
            self.shapes = {prev: shape}
            body = [lay for lay in self.layers if lay.get("class_name") != "InputLayer"]
            for a, b in zip(body, body[1:]):
                self.consumers[self.lname(a)].append(b)
            for layer in body:
                prev = self.layer(layer, [prev])
        else:
            inputs = [lay for lay in self.layers if lay.get("class_name") == "InputLayer"]
            if len(inputs) != 1:
                raise UserError(f"{self.src}: the model has {len(inputs)} inputs; a spec "
                                "has one")
            in_name = self.lname(inputs[0])
            shape = self._to_spec_shape(self._batch_shape(inputs[0].get("config") or {}),
                                        inputs[0])
            self.b = Builder(self.src, in_name)
            self.shapes = {in_name: shape}
            out = self._graph(self.layers, inputs[0], self.config.get("output_layers"))
            last = next(iter(self.b.layers[-1].values()))["name"] if self.b.layers else None
            if self.b.made_by.get(out) != last:
                raise UserError(f"{self.src}: the output {out!r} is not the last layer; a "
                                "spec's output is its last layer")
        title = name or self.config.get("name") or Path(self.src).stem
        text = (f"Imported from the Keras model {Path(self.src).name}: channels-last sizes "
                "written channels first; 'same' padding as Keras computes it (an uneven one "
                "as a pad layer before the convolution).")
        notes = [n for n in (self._preprocessing_note(), self.b.placeholder_note()) if n]
        return Imported(clean_name(title) or "Imported model", shape,
                        "\n\n".join([text, *notes]), self.b.layers)

    def _preprocessing_note(self) -> str:
        if not self.preprocessing:
            return ""
        named = ", ".join(f"{cls} {name}" for cls, name, _ in self.preprocessing)
        counted = sum(n for _, _, n in self.preprocessing)
        stats = (f" Keras counts {counted} values of it (Normalization's mean, variance and "
                 "count) as non-trainable weights; the table does not." if counted else "")
        return (f"The model's input preprocessing ({named}) is not a layer here: the input "
                f"is the preprocessed image.{stats}")

    def _graph(self, layers, input_layer, outputs) -> str:
        """Read a functional model's ``layers`` (``input_layer`` already a value); returns
        the value of its one output."""
        for layer in layers:
            if layer is not input_layer:
                self.at = self.lname(layer)
                for source in self._inbound(layer):
                    self.consumers[source].append(layer)
        for layer in layers:
            if layer is input_layer:
                continue
            sources = self._inbound(layer)
            missing = [s for s in sources if s not in self.shapes and s not in self.pending]
            if not sources or missing:
                raise self.fail(layer, f"its inputs {missing or sources} come from no "
                                       "earlier layer", False)
            self.layer(layer, sources)
        if isinstance(outputs, list) and outputs and isinstance(outputs[0], str):
            outputs = [outputs]
        if not isinstance(outputs, list) or len(outputs) != 1 \
                or not isinstance(outputs[0], list) or not outputs[0]:
            raise UserError(f"{self.src}: the model must have one output")
        out = str(outputs[0][0])
        if out in self.pending:
            self._unfinished(out)
        if out not in self.shapes:
            raise UserError(f"{self.src}: the output {out!r} is no layer of the model")
        return out

    # ------------------------------------------------------------ layers

    def _unfinished(self, value):
        """A value of a hard sigmoid read only in part: an error, or with
        ``--skip-unsupported`` a placeholder for the add (and the ReLU6 after it)."""
        origin, _, x, relu = self.pending[value]
        if not self.skip:
            raise self.fail(origin, "adds the constant 3: no spec layer does (mapped: x + 3, "
                                    "ReLU capped at 6, times 1/6: a hard sigmoid)", False)
        added = self.lname(origin)
        if self.pending.pop(added, None) is not None:  # not already a placeholder
            self.b.placeholder(_op_label(origin), added, x, [added])
            self.shapes[added] = self.shapes[x]
        if relu is not None and self.pending.pop(relu, None) is not None:
            self.b.add("relu6", {}, relu, [added], [relu])
            self.shapes[relu] = self.shapes[x]

    def layer(self, layer, sources) -> str:
        cls = layer.get("class_name")
        cfg = layer.get("config") or {}
        name = self.at = self.lname(layer)
        op = self._op(layer)
        if op is not None:
            consts = self._constants(layer)
            if consts:
                return self._op_constant(layer, op, name, sources, consts)
        for source in sources:
            if source not in self.pending:
                continue
            origin, stage, x, _ = self.pending[source]
            if (stage == 1 and cls == "ReLU" and not cfg.get("negative_slope")
                    and not cfg.get("threshold")
                    and cfg.get("max_value") in (HARD_SIGMOID[1], int(HARD_SIGMOID[1]))):
                self.pending[name] = (origin, 2, x, name)
                return name
            self._unfinished(source)
        first = len(self.b.layers)
        name = self._dispatch(layer, cls, cfg, name, sources)
        if cfg.get("trainable") is False:  # frozen (transfer learning): so is its table row
            for added in self.b.layers[first:]:
                (kind, body), = added.items()
                if kind in _WEIGHTED and body.get("affine", True):
                    body["frozen"] = True
        return name

    def _dispatch(self, layer, cls, cfg, name, sources) -> str:
        method = getattr(self, f"k_{cls}", None)
        if method is None or cls not in SUPPORTED:
            if not self.skip:
                raise self.fail(layer, "no spec layer represents it")
            self.b.placeholder(str(cls), name, sources[0], [name])
            self.shapes[name] = self.shapes[sources[0]]
            return name
        try:
            shape = method(layer, cfg, name, sources)
        except Unsupported:
            if not self.skip or len(sources) != 1 or cls in _NESTED:
                raise
            # mapped in general, not as configured here: a placeholder like any other
            self.b.placeholder(str(cls), name, sources[0], [name])
            shape = self.shapes[sources[0]]
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise self.fail(layer, f"its config is not as Keras writes it "
                                   f"({type(exc).__name__}: {str(exc)[:80]})", False) from None
        self.shapes[name] = shape
        return name

    @staticmethod
    def _constants(layer) -> list[float]:
        """The numbers among an operation's arguments (``x + 3.0``: ``[3.0]``): Keras 3's
        ``args``, or the kwargs of Keras 2's ``[name, node, tensor, {"y": 3.0}]``."""
        nodes = layer.get("inbound_nodes") or []
        node = nodes[0] if nodes else {}
        if isinstance(node, dict):
            args = node.get("args", [])
        else:
            while isinstance(node, list) and node and isinstance(node[0], list):
                node = node[0]  # Keras 2 nests a call's tensors one list deeper
            kwargs = node[3] if isinstance(node, list) and len(node) > 3 else {}
            args = list(kwargs.values()) if isinstance(kwargs, dict) else []
        return [float(a) for a in args if isinstance(a, (int, float))
                and not isinstance(a, bool)]

    @staticmethod
    def _op(layer) -> str | None:
        """``"Add"`` or ``"Multiply"`` for an operation recorded in the graph (Keras 3's
        ``keras.src.ops``, Keras 2's ``TFOpLambda``), else None."""
        if layer.get("class_name") == "TFOpLambda":
            return TF_OPS.get((layer.get("config") or {}).get("function"))
        if _is_op(layer) and layer.get("class_name") in ("Add", "Multiply"):
            return layer["class_name"]
        return None

    def _op_constant(self, layer, cls, name, sources, consts) -> str:
        """An operation of a tensor and a number: a step of a hard sigmoid, or an error."""
        add, _, times = HARD_SIGMOID
        if len(sources) == 1 and len(consts) == 1:
            (source,), (c,) = sources, consts
            held = self.pending.get(source)
            if cls == "Add" and c == add and held is None:
                self.pending[name] = (layer, 1, source, None)
                return name
            if cls == "Multiply" and abs(c - times) < 1e-6 and held and held[1] == 2:
                x = held[2]
                self.b.add("hardsigmoid", {}, name, [x], [name])
                self.shapes[name] = self.shapes[x]
                return name
            if held is not None:
                self._unfinished(source)
        verb = "adds" if cls == "Add" else "multiplies by"
        if not self.skip or not sources:
            raise self.fail(layer, f"{verb} the constant {consts[0]:g}: no spec layer does "
                                   "(mapped: x + 3, ReLU capped at 6, times 1/6: a hard "
                                   "sigmoid)", False)
        self.b.placeholder(_op_label(layer), name, sources[0], [name])
        self.shapes[name] = self.shapes[sources[0]]
        return name

    def emit(self, kind, fields, name, sources, shape):
        self.b.add(kind, fields, name, sources, [name])
        return shape

    def _activation(self, layer, act):
        """A Keras activation (a name, or a serialised function) as ``(name, kind)``."""
        if isinstance(act, dict):
            act = act.get("config", {}).get("name") if act.get("class_name") == "function" \
                else act.get("class_name")
        if act not in ACTIVATIONS:
            raise self.fail(layer, f"activation {act!r} is not mapped (mapped: "
                                   f"{', '.join(ACTIVATIONS)})", False)
        if act == "hard_sigmoid" and self.keras2:
            raise self.fail(layer, "activation 'hard_sigmoid' of Keras 2 is clip(0.2·x + "
                                   "0.5, 0, 1), not relu6(x + 3) / 6 as in Keras 3 and "
                                   "PyTorch", False)
        return act, ACTIVATIONS[act]

    def activation(self, layer, cfg, name, shape):
        """The layer's own activation, a layer after it (the layer itself is added)."""
        try:
            act, kind = self._activation(layer, cfg.get("activation", "linear"))
        except Unsupported:
            if not self.skip:
                raise
            self.b.placeholder(f"activation {cfg.get('activation')}", f"{name} activation",
                               name, [name])
            return shape
        if kind is not None:
            self.b.add(kind, {}, f"{name} {act}", [name], [name])
        return shape

    def _map(self, layer, source):
        shape = self.shapes[source]
        if len(shape) != 3:
            raise self.fail(layer, f"takes an image here, found a flat vector of {shape[0]}",
                            False)
        return shape

    @staticmethod
    def _two(v, what="size"):
        return tuple(v) if isinstance(v, (list, tuple)) else (v, v)

    def _padded(self, layer, cfg, name, source, hw, kernel, stride, dilation):
        """'valid' or 'same' as (the value the convolution reads, its padding)."""
        mode = str(cfg.get("padding", "valid")).lower()
        if mode == "valid":
            return source, (0, 0)
        if mode != "same":
            raise self.fail(layer, f"padding {mode!r}: Keras takes 'valid' or 'same'", False)
        pad_layer, padding = conv_padding(tf_same_pads(hw, kernel, stride, dilation))
        if pad_layer is None:
            return source, padding
        tmp = f"{name}\0padded"
        self.b.add("pad", {"padding": pad_layer}, f"{name} same padding", [source], [tmp])
        return tmp, (0, 0)

    def _conv(self, layer, cfg, name, sources, depthwise=False, separable=False):
        c, h, w = self._map(layer, sources[0])
        kernel = self._two(cfg.get("kernel_size"))
        stride = self._two(cfg.get("strides", 1))
        dilation = self._two(cfg.get("dilation_rate", 1))
        try:
            check_keras_conv(stride, dilation)
            hw = keras_conv2d_output_hw((h, w), kernel, stride, cfg.get("padding", "valid"),
                                        dilation)
        except ValueError as exc:
            raise self.fail(layer, str(exc), False) from None
        source, padding = self._padded(layer, cfg, name, sources[0], (h, w), kernel, stride,
                                       dilation)
        bias = bool(cfg.get("use_bias", True))
        common = {"kernel": pair_or_one(kernel), "stride": pair_or_one(stride),
                  "padding": pair_or_one(padding), "dilation": pair_or_one(dilation)}
        if depthwise or separable:
            mult = int(cfg.get("depth_multiplier", 1))
            dw_name = f"{name} depthwise" if separable else name
            fields = {"out": c * mult, **common, "groups": c,
                      "bias": bias and not separable}
            self.b.add("conv", _drop(fields), dw_name, [source], [dw_name if separable
                                                                   else name])
            if separable:
                self.b.add("conv", _drop({"out": int(cfg["filters"]), "kernel": 1,
                                          "bias": bias}), name, [dw_name], [name])
            out = int(cfg["filters"]) if separable else c * mult
        else:
            out = int(cfg["filters"])
            groups = int(cfg.get("groups", 1))
            self.b.add("conv", _drop({"out": out, **common, "groups": groups, "bias": bias}),
                       name, [source], [name])
        return self.activation(layer, cfg, name, (out, *hw))

    def k_Sequential(self, layer, cfg, name, sources):
        """A nested Sequential model: its layers in order, its output the last one's."""
        body = [lay for lay in cfg["layers"] if isinstance(lay, dict)
                and lay.get("class_name") != "InputLayer"]
        if not body:
            raise self.fail(layer, "a nested model without layers", False)
        for a, b in zip(body, body[1:]):
            self.consumers[self.lname(a)].append(b)
        prev = sources[0]
        for inner in body:
            prev = self.layer(inner, [prev])
        self.b.alias(name, prev)
        return self.shapes[prev]

    def k_Functional(self, layer, cfg, name, sources):
        """A nested functional model (a backbone called on the input): its layers read
        in place, its output the nested output."""
        inner = [lay for lay in cfg["layers"] if isinstance(lay, dict)]
        inputs = [lay for lay in inner if lay.get("class_name") == "InputLayer"]
        if len(inputs) != 1 or len(sources) != 1:
            raise self.fail(layer, f"a nested model of {len(inputs)} inputs: one is mapped",
                            False)
        taken = [n for n in map(self.lname, inner) if n in self.shapes or n in self.pending]
        if taken:
            raise self.fail(layer, f"its layer {taken[0]!r} has the name of a layer outside "
                                   "it", False)
        in_name = self.lname(inputs[0])
        self.b.alias(in_name, sources[0])
        self.shapes[in_name] = self.shapes[sources[0]]
        out = self._graph(inner, inputs[0], cfg.get("output_layers"))
        self.b.alias(name, out)
        return self.shapes[out]

    k_Model = k_Functional  # Keras 2 before 2.4

    def k_Conv2D(self, layer, cfg, name, sources):
        return self._conv(layer, cfg, name, sources)

    def k_DepthwiseConv2D(self, layer, cfg, name, sources):
        return self._conv(layer, cfg, name, sources, depthwise=True)

    def k_SeparableConv2D(self, layer, cfg, name, sources):
        return self._conv(layer, cfg, name, sources, separable=True)

    def k_Conv2DTranspose(self, layer, cfg, name, sources):
        c, h, w = self._map(layer, sources[0])
        kernel = self._two(cfg.get("kernel_size"))
        stride = self._two(cfg.get("strides", 1))
        dilation = self._two(cfg.get("dilation_rate", 1))
        mode = str(cfg.get("padding", "valid")).lower()
        given = cfg.get("output_padding")
        pads, extra, crop, hw = [], [], False, []
        for i, n in enumerate((h, w)):
            k_eff = dilation[i] * (kernel[i] - 1) + 1
            s = stride[i]
            if given is not None:
                p = 0 if mode == "valid" else k_eff // 2
                op = self._two(given)[i]
            elif mode == "valid":
                p, op = 0, max(s - k_eff, 0)
            else:  # 'same': n·s outputs; TF crops total//2 before, the rest after
                total = max(k_eff - s, 0)
                p, op = total // 2, max(s - k_eff, 0)
                crop = crop or total % 2 == 1
            if op and not (op < s or op < dilation[i]):
                raise self.fail(layer, f"output_padding {op} must be smaller than the stride "
                                       "or the dilation in PyTorch", False)
            pads.append(p)
            extra.append(op)
            hw.append((n - 1) * s + k_eff - 2 * p + op)
        bias = bool(cfg.get("use_bias", True))
        out = int(cfg["filters"])
        fields = _drop({"out": out, "kernel": pair_or_one(kernel),
                        "stride": pair_or_one(stride), "padding": pair_or_one(pads),
                        "output_padding": pair_or_one(extra),
                        "dilation": pair_or_one(dilation), "bias": bias})
        if crop:
            tmp = f"{name} full"
            self.b.add("conv_transpose", fields, tmp, sources, [tmp])
            hw = [n * s for n, s in zip((h, w), stride)]
            self.b.add("crop", {"size": pair_or_one(hw)}, name, [tmp], [name])
        else:
            self.b.add("conv_transpose", fields, name, sources, [name])
        return self.activation(layer, cfg, name, (out, *hw))

    def _pool(self, layer, cfg, name, sources, kind):
        c, h, w = self._map(layer, sources[0])
        kernel = self._two(cfg.get("pool_size", 2))
        stride = self._two(cfg.get("strides") or kernel)
        mode = str(cfg.get("padding", "valid")).lower()
        try:
            sizes = [pool_output_size(n, k, s, mode) for n, k, s in zip((h, w), kernel, stride)]
        except ValueError as exc:
            raise self.fail(layer, str(exc), False) from None
        fields = {"kernel": pair_or_one(kernel)}
        if stride != kernel:
            fields["stride"] = pair_or_one(stride)
        if mode == "same":
            pads = tuple((b, a) for _, b, a in sizes)
            got = pool_padding((h, w), kernel, stride, pads)
            if got is None:
                raise self.fail(layer, f"'same' pooling of {h}×{w} by {kernel} with stride "
                                       f"{stride} pads {pads}, which PyTorch's pooling "
                                       "cannot", False)
            if got["padding"] != (0, 0):
                fields["padding"] = pair_or_one(got["padding"])
            if got["ceil_mode"]:
                fields["ceil_mode"] = True
            if kind == "avgpool" and (got["padding"] != (0, 0) or got["ceil_mode"]):
                fields["count_include_pad"] = False  # TF divides by the pixels inside
        return self.emit(kind, fields, name, sources, (c, sizes[0][0], sizes[1][0]))

    def k_MaxPooling2D(self, layer, cfg, name, sources):
        return self._pool(layer, cfg, name, sources, "maxpool")

    def k_AveragePooling2D(self, layer, cfg, name, sources):
        return self._pool(layer, cfg, name, sources, "avgpool")

    def _global(self, layer, cfg, name, sources, mode):
        c, h, w = self._map(layer, sources[0])
        fields = {} if mode == "avg" else {"mode": mode}
        takers = self.consumers.get(name) or []
        if cfg.get("keepdims") or takers and all(
                self._keras_shape(_target(t)) == (c, 1, 1) for t in takers):
            # kept 1×1, or only reshaped back to 1×1 (a squeeze-and-excitation): no flatten
            return self.emit("global_pool", fields, name, sources, (c, 1, 1))
        pooled = f"{name} pool"
        self.b.add("global_pool", fields, pooled, sources, [pooled])
        return self.emit("flatten", {}, name, [pooled], (c,))

    def k_GlobalAveragePooling2D(self, layer, cfg, name, sources):
        return self._global(layer, cfg, name, sources, "avg")

    def k_GlobalMaxPooling2D(self, layer, cfg, name, sources):
        return self._global(layer, cfg, name, sources, "max")

    def k_Dense(self, layer, cfg, name, sources):
        shape = self.shapes[sources[0]]
        out = int(cfg["units"])
        bias = bool(cfg.get("use_bias", True))
        if len(shape) == 1:
            self.b.add("linear", _drop({"out": out, "bias": bias}), name, sources, [name])
            return self.activation(layer, cfg, name, (out,))
        if self.channels_first:
            raise self.fail(layer, "Dense on a channels-first image acts on its last axis, "
                                   "the width: no spec layer does", False)
        # channels-last: the same Dense at every pixel is a 1×1 convolution
        self.b.add("conv", _drop({"out": out, "kernel": 1, "bias": bias}), name, sources,
                   [name])
        return self.activation(layer, cfg, name, (out, *shape[1:]))

    def k_BatchNormalization(self, layer, cfg, name, sources):
        shape = self.shapes[sources[0]]
        self._channel_axis(layer, cfg, shape, "batch normalisation")
        center, scale = bool(cfg.get("center", True)), bool(cfg.get("scale", True))
        if center and not scale:
            raise self.fail(layer, "scale false with center true (a learned shift alone): "
                                   "no spec layer learns only a shift", False)
        fields = {"eps": float(cfg.get("epsilon", 1e-3))}
        if not center:
            fields["affine"] = False
        if center or not scale:
            return self.emit("batchnorm", fields, name, sources, shape)
        # center false, scale true: normalised, then a learned scale per channel
        tmp = f"{name}\0normalised"
        self.b.add("batchnorm", fields, name, sources, [tmp])
        self.b.add("scale", {}, f"{name} scale", [tmp], [name])
        return shape

    def _channel_axis(self, layer, cfg, shape, what):
        axis = cfg.get("axis", -1)
        axis = axis[0] if isinstance(axis, list) and len(axis) == 1 else axis
        ok = (-1, 1) if len(shape) == 1 else (1, -3) if self.channels_first else (-1, 3)
        if axis not in ok:
            raise self.fail(layer, f"axis {axis}: {what} over the channels only", False)

    def k_LayerNormalization(self, layer, cfg, name, sources):
        shape = self.shapes[sources[0]]
        self._channel_axis(layer, cfg, shape, "layer normalisation")
        center, scale = bool(cfg.get("center", True)), bool(cfg.get("scale", True))
        if center != scale or cfg.get("rms_scaling"):
            field = "rms_scaling" if cfg.get("rms_scaling") else "center" if center else "scale"
            raise self.fail(layer, f"{field} {cfg.get(field)}: a spec layernorm learns both "
                                   "or neither of scale and shift", False)
        fields = {"eps": float(cfg.get("epsilon", 1e-3))}
        if not center:
            fields["affine"] = False
        return self.emit("layernorm", fields, name, sources, shape)

    def k_LayerScale(self, layer, cfg, name, sources):
        """ConvNeXt's layer scale (keras.applications.convnext): a learned scale per
        channel."""
        shape = self.shapes[sources[0]]
        dim = cfg.get("projection_dim")
        if dim is not None and int(dim) != shape[0]:
            raise self.fail(layer, f"projection_dim {dim} on {shape[0]} channels", False)
        return self.emit("scale", {}, name, sources, shape)

    def k_StochasticDepth(self, layer, cfg, name, sources):
        """Drops a whole residual branch while training; the identity when used."""
        rate = float(cfg.get("drop_path_rate", 0.0))
        return self.emit("dropout", {"p": rate}, name, sources, self.shapes[sources[0]])

    def _preprocess(self, layer, cfg, name, sources, weights):
        if len(sources) != 1 or self.b.made_by.get(sources[0]) != INPUT:
            raise self.fail(layer, "preprocessing is mapped only right after the input (as "
                                   "part of it); no spec layer scales by a constant", False)
        self.preprocessing.append((str(layer.get("class_name")), name, weights))
        self.b.alias(name, sources[0])
        return self.shapes[sources[0]]

    def k_Rescaling(self, layer, cfg, name, sources):
        return self._preprocess(layer, cfg, name, sources, 0)

    def k_Normalization(self, layer, cfg, name, sources):
        shape = self.shapes[sources[0]]
        self._channel_axis(layer, cfg, shape, "normalisation")
        # adapted (mean not in the config): mean and variance per channel and a count
        weights = 0 if cfg.get("mean") is not None else 2 * shape[0] + 1
        return self._preprocess(layer, cfg, name, sources, weights)

    def k_Activation(self, layer, cfg, name, sources):
        _, kind = self._activation(layer, cfg.get("activation"))
        shape = self.shapes[sources[0]]
        if kind is None:
            self.b.alias(name, sources[0])
            return shape
        return self.emit(kind, {}, name, sources, shape)

    def k_ReLU(self, layer, cfg, name, sources):
        top = cfg.get("max_value")
        if cfg.get("negative_slope") or cfg.get("threshold"):
            field = "negative_slope" if cfg.get("negative_slope") else "threshold"
            raise self.fail(layer, f"{field} {cfg[field]}: a leaky or thresholded ReLU is "
                                   "not mapped", False)
        kind = "relu" if top is None else "relu6" if float(top) == 6 else None
        if kind is None:
            raise self.fail(layer, f"max_value {top}: a ReLU is capped only at 6 (relu6)",
                            False)
        return self.emit(kind, {}, name, sources, self.shapes[sources[0]])

    def k_Softmax(self, layer, cfg, name, sources):
        if cfg.get("axis", -1) not in (-1, 1 if self.channels_first else -1):
            raise self.fail(layer, "only a softmax over the channels", False)
        return self.emit("softmax", {}, name, sources, self.shapes[sources[0]])

    def k_Dropout(self, layer, cfg, name, sources):
        rate = float(cfg.get("rate", 0.5))
        return self.emit("dropout", {"p": rate}, name, sources, self.shapes[sources[0]])

    k_SpatialDropout2D = k_Dropout

    def _merge(self, layer, cfg, name, sources, kind):
        if len(sources) < 2:
            raise self.fail(layer, "a merge needs two inputs or more", False)
        shapes = [self.shapes[s] for s in sources]
        if kind == "concat":
            axis = cfg.get("axis", -1)
            ok = (1, -3) if self.channels_first and len(shapes[0]) == 3 else (-1, len(shapes[0]))
            if axis not in ok:
                raise self.fail(layer, f"concatenation on axis {axis}: only on the channels",
                                False)
            out = (sum(s[0] for s in shapes), *shapes[0][1:])
        else:
            out = tuple(max(d) for d in zip(*shapes))
        return self.emit(kind, {}, name, sources, out)

    def k_TFOpLambda(self, layer, cfg, name, sources):
        """Keras 2's record of a TensorFlow function: a sum or product of two tensors."""
        op = self._op(layer)
        if op is None:
            raise self.fail(layer, f"function {cfg.get('function')!r}: no spec layer "
                                   f"represents it (mapped: {', '.join(TF_OPS)})", False)
        return self._merge(layer, cfg, name, sources, "add" if op == "Add" else "multiply")

    def k_Add(self, layer, cfg, name, sources):
        return self._merge(layer, cfg, name, sources, "add")

    def k_Multiply(self, layer, cfg, name, sources):
        return self._merge(layer, cfg, name, sources, "multiply")

    def k_Concatenate(self, layer, cfg, name, sources):
        return self._merge(layer, cfg, name, sources, "concat")

    @staticmethod
    def _sides(v):
        """Keras' padding or cropping: n, (h, w) or ((top, bottom), (left, right))."""
        if isinstance(v, int):
            return (v, v), (v, v)
        a, b = v
        rows = tuple(a) if isinstance(a, (list, tuple)) else (a, a)
        cols = tuple(b) if isinstance(b, (list, tuple)) else (b, b)
        return rows, cols

    def k_ZeroPadding2D(self, layer, cfg, name, sources):
        c, h, w = self._map(layer, sources[0])
        (t, b), (l, r) = self._sides(cfg.get("padding", 1))
        return self.emit("pad", {"padding": [l, r, t, b]}, name, sources,
                         (c, h + t + b, w + l + r))

    def k_Cropping2D(self, layer, cfg, name, sources):
        c, h, w = self._map(layer, sources[0])
        (t, b), (l, r) = self._sides(cfg.get("cropping", 0))
        th, tw = h - t - b, w - l - r
        if (h - th) // 2 != t or (w - tw) // 2 != l:
            raise self.fail(layer, f"cropping top {t}, bottom {b}, left {l}, right {r}: "
                                   "only centred crops (the odd row or column at the "
                                   "bottom/right)", False)
        return self.emit("crop", {"size": pair_or_one((th, tw))}, name, sources, (c, th, tw))

    def k_CenterCrop(self, layer, cfg, name, sources):
        """Keras' centre crop: rows from (H − height) // 2, as the spec's crop (a smaller
        input Keras resizes instead, which no spec layer does)."""
        c, h, w = self._map(layer, sources[0])
        th, tw = int(cfg["height"]), int(cfg["width"])
        if th > h or tw > w:
            raise self.fail(layer, f"height {th}, width {tw} on a {h}×{w} input: Keras "
                                   "resizes a smaller input, no spec layer does", False)
        return self.emit("crop", {"size": pair_or_one((th, tw))}, name, sources, (c, th, tw))

    def k_Identity(self, layer, cfg, name, sources):
        self.b.alias(name, sources[0])
        return self.shapes[sources[0]]

    def k_UpSampling2D(self, layer, cfg, name, sources):
        c, h, w = self._map(layer, sources[0])
        size = self._two(cfg.get("size", 2))
        mode = cfg.get("interpolation", "nearest")
        if mode not in ("nearest", "bilinear"):
            raise self.fail(layer, f"interpolation {mode!r}: only nearest and bilinear", False)
        fields = {"scale": pair_or_one(size)}
        if mode != "nearest":
            fields["mode"] = mode
        return self.emit("upsample", fields, name, sources, (c, h * size[0], w * size[1]))

    def k_Flatten(self, layer, cfg, name, sources):
        shape = self.shapes[sources[0]]
        n = 1
        for d in shape:
            n *= d
        return self.emit("flatten", {}, name, sources, (n,))

    def _keras_shape(self, target):
        """A Keras shape (no batch) in the spec's layout, or None."""
        if not isinstance(target, list) or not all(isinstance(d, int) for d in target):
            return None
        if len(target) == 3 and not self.channels_first:
            h, w, c = target
            return (c, h, w)
        return tuple(target)

    def k_Reshape(self, layer, cfg, name, sources):
        target = cfg.get("target_shape")
        shape = self.shapes[sources[0]]
        n = 1
        for d in shape:
            n *= d
        if isinstance(target, list) and len(target) == 1 and target[0] in (n, -1):
            if len(shape) == 1:
                self.b.alias(name, sources[0])
                return shape
            return self.emit("flatten", {}, name, sources, (n,))
        if self._keras_shape(target) == tuple(shape):  # a global pooling kept 1×1
            self.b.alias(name, sources[0])
            return shape
        raise self.fail(layer, f"target_shape {target}: only to one flat vector, or to 1×1 "
                               "after a global pooling", False)


def _target(layer):
    """A Reshape layer's target shape (None for any other layer)."""
    if layer.get("class_name") != "Reshape":
        return None
    return (layer.get("config") or {}).get("target_shape")


#: The spec kinds that have parameters (a frozen Keras layer marks them ``frozen``).
_WEIGHTED = ("conv", "conv_transpose", "linear", "batchnorm", "layernorm", "scale")

_DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True,
             "output_padding": 0}


def _drop(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if _DEFAULTS.get(k, object()) != v}
