"""What the Python side says about a spec, row by row, in the calculator's terms.

The calculator shows every layer: computed, in error, or skipped (after an
error its input is unknown). The Python side stops at the first error, so the
oracle asks it layer by layer:

* field checks: :func:`generator.specs.parse_spec` on the layer alone (behind
  placeholders, so the location reads ``layer k``);
* PyTorch rows: :func:`generator.tables.layer_table` on the first k layers,
  for k = 1, 2, ... until one raises;
* TensorFlow rows: the rules of :mod:`generator.nn.tensorflow` where Keras
  parts from PyTorch, and the layer table of the single layer on the current
  shape for everything else. A PyTorch layer is read as its usual Keras port:
  a convolution is ``Conv2D`` (numeric padding: ``ZeroPadding2D`` first), which
  refuses a stride above 1 with a dilation above 1; a transposed convolution is
  ``Conv2DTranspose(padding='valid')`` then ``Cropping2D(padding)``, with
  PyTorch's output_padding passed on when it is not 0 (Keras refuses the stride
  with the dilation, and an output_padding not below the stride); a dilated pooling
  layer has no Keras port (Keras pooling takes no dilation); a pooling layer with
  ``ceil_mode`` is ``ZeroPadding2D(padding)`` then pooling with
  ``padding='same'`` (Keras has no ceil_mode), without it 'valid'.
"""

from __future__ import annotations

import yaml

from generator.errors import UserError
from generator.nn import shapes
from generator.nn import tensorflow as tfr
from generator.specs import parse_spec
from generator.specs import AvgPool, Conv, ConvTranspose, MaxPool
from generator.tables import conv2d_macs, conv2d_params, layer_table
from generator.tables.counts import conv_transpose2d_macs, conv_transpose2d_params
from generator.tables.formats import table_dict

SOURCE = "calculator.yaml"

#: The keys of a computed row that must agree (generator.tables.formats._row_dict).
ROW_KEYS = ("index", "name", "type", "details", "input_shape", "output_shape", "params",
            "weights", "biases", "trainable_params", "buffers", "macs", "activations",
            "activation_bytes", "receptive_field")
TF_KEYS = ("output_shape", "params", "weights", "biases", "macs", "activations")


def _parse(data: dict):
    return parse_spec(yaml.safe_dump(data, sort_keys=False), SOURCE, "calc")


def _message(exc: UserError) -> str:
    """The error without the file name: ``layer 3 'c1' (conv): kernel size ...``."""
    text = str(exc)
    assert text.startswith(SOURCE + ": "), text
    return text[len(SOURCE) + 2:]


def network_error(spec: dict) -> str | None:
    """The first error about the spec as a whole (name, input, layers), if any."""
    data = dict(spec)
    if isinstance(data.get("layers"), list) and data["layers"]:
        data["layers"] = ["relu"]
    try:
        _parse(data)
    except UserError as exc:
        return _message(exc)
    return None


def _input_ok(spec: dict) -> bool:
    try:
        _parse({"name": "n", "input": spec.get("input"), "layers": ["relu"]})
    except UserError:
        return False
    return True


def field_error(layers: list, k: int) -> str | None:
    """The spec checks' complaint about layer k (1-based) alone, if any."""
    try:
        _parse({"name": "n", "input": [1, 1, 1], "layers": ["relu"] * (k - 1) + [layers[k - 1]]})
    except UserError as exc:
        return _message(exc)
    return None


def _table_row(spec: dict, layers: list) -> dict:
    table = layer_table(_parse({"name": "n", "input": spec["input"], "layers": layers}))
    return table_dict(table)["layers"][-1]


def _tf_conv(layer: Conv, shape) -> dict:
    """A 'same'/'valid' convolution in TensorFlow's convention."""
    c, h, w = shape
    sizes = [shapes.tf_output_size(n, k, s, d, layer.padding)[0]
             for n, k, s, d in zip((h, w), layer.kernel, layer.stride, layer.dilation)]
    weights, biases = conv2d_params(c, layer.out, layer.kernel, layer.groups, layer.bias)
    macs = conv2d_macs(c, layer.out, layer.kernel, sizes, layer.groups)
    out = [layer.out, *sizes]
    return {"output_shape": out, "params": weights + biases, "weights": weights,
            "biases": biases, "macs": macs, "activations": out[0] * out[1] * out[2]}


def _tf_conv_transpose(layer: ConvTranspose, shape) -> dict:
    """Keras Conv2DTranspose(padding='valid'), then Cropping2D(padding)."""
    c, h, w = shape
    sizes = [tfr.conv_transpose_output_size(n, k, s, "valid", dilation=d) - 2 * p
             for n, k, s, p, d in zip((h, w), layer.kernel, layer.stride, layer.padding,
                                      layer.dilation)]
    if min(sizes) < 1:
        raise ValueError(f"calculated output size {sizes[0]}x{sizes[1]} is too small "
                         f"(input size {h}x{w})")
    weights, biases = conv_transpose2d_params(c, layer.out, layer.kernel, layer.groups, layer.bias)
    macs = conv_transpose2d_macs(c, layer.out, layer.kernel, (h, w), layer.groups)
    out = [layer.out, *sizes]
    return {"output_shape": out, "params": weights + biases, "weights": weights,
            "biases": biases, "macs": macs, "activations": out[0] * out[1] * out[2]}


def _tf_pool_same(layer, shape) -> dict:
    """ZeroPadding2D(padding), then Keras pooling with padding='same'."""
    c, h, w = shape
    stride = layer.stride or layer.kernel
    sizes = [tfr.pool_output_size(n + 2 * p, k, s, "same")[0]
             for n, k, s, p in zip((h, w), layer.kernel, stride, layer.padding)]
    return {"output_shape": [c, *sizes], "params": 0, "weights": 0, "biases": 0, "macs": 0,
            "activations": c * sizes[0] * sizes[1]}


def _tf_row(layer_data, shape) -> dict:
    """One layer on ``shape`` in TensorFlow's convention: values or {"error": message}."""
    net = _parse({"name": "n", "input": list(shape), "layers": [layer_data]})
    layer = net.layers[0]
    on_maps = len(shape) == 3
    try:
        if isinstance(layer, Conv) and on_maps:
            tfr.check_keras_conv(layer.stride, layer.dilation)
            if isinstance(layer.padding, str):
                return _tf_conv(layer, shape)
        if isinstance(layer, ConvTranspose) and on_maps:
            tfr.check_keras_conv_transpose(layer.stride, layer.dilation,
                                           None if layer.output_padding == (0, 0) else layer.output_padding,
                                           layer.groups)
        if isinstance(layer, MaxPool) and on_maps:
            tfr.check_keras_pool(layer.dilation)
        if isinstance(layer, ConvTranspose) and on_maps and layer.output_padding == (0, 0):
            return _tf_conv_transpose(layer, shape)
        if isinstance(layer, (MaxPool, AvgPool)) and on_maps and layer.ceil_mode:
            return _tf_pool_same(layer, shape)
    except ValueError as exc:
        return {"error": str(exc)}
    try:
        row = table_dict(layer_table(net))["layers"][0]
    except UserError as exc:
        where = " ".join(layer.where.split())  # as UserError prints it
        return {"error": _message(exc).removeprefix(where + ": ")}
    return {k: row[k] for k in TF_KEYS}


def expected(spec: dict, convention: str = "torch") -> dict:
    """{"error": first spec-wide error or None, "layers": [row, ...]} where a row is
    {"status": "ok", **values} | {"status": "error", "error": "where: message"} |
    {"status": "skipped"}."""
    layers = spec.get("layers") if isinstance(spec.get("layers"), list) else []
    fields = [field_error(layers, k) for k in range(1, len(layers) + 1)]
    rows: list[dict] = [{"status": "error", "error": f} if f else {"status": "skipped"}
                        for f in fields]
    if _input_ok(spec):
        first_bad = next((k for k, f in enumerate(fields, 1) if f), len(layers) + 1)
        shape = list(spec["input"])
        for k in range(1, first_bad):
            if convention == "torch":
                try:
                    rows[k - 1] = {"status": "ok", **_table_row(spec, layers[:k])}
                except UserError as exc:
                    rows[k - 1] = {"status": "error", "error": _message(exc)}
                    break
            else:
                row = _tf_row(layers[k - 1], shape)
                if "error" in row:
                    rows[k - 1] = {"status": "error", "message": row["error"]}
                    break
                rows[k - 1] = {"status": "ok", **row}
                shape = row["output_shape"]
    return {"error": network_error(spec), "layers": rows}
