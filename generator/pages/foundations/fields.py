"""Topics about what a layer sees and how sizes go back up: receptive field,
transposed convolution, and the course's layer notation."""

from __future__ import annotations

import numpy as np

from ... import nn, text
from ...nn import tensorflow as tfr
from ...specs import load_builtin
from ...tables import layer_table, receptive
from .. import snippets

#: A small VGG-like stack, as (kind, kernel, stride, padding) per layer.
_STACK = [
    ("conv", 3, 1, 1), ("conv", 3, 1, 1), ("max-pool", 2, 2, 0),
    ("conv", 3, 1, 1), ("conv", 3, 1, 1), ("max-pool", 2, 2, 0),
    ("conv", 3, 1, 1),
]


def _label(kind: str, k: int, s: int) -> str:
    """``conv 3×3``, ``max-pool 2×2, s2``: the row's name, from its numbers."""
    return f"{kind} {text.shape((k, k))}" + (f", s{s}" if s != 1 else "")


def receptive_field() -> dict:
    field = receptive.INPUT
    rows = [{"label": "input", "k": "", "s": "", "r": 1, "j": 1, "start": 0, "r_prev": None, "j_prev": None}]
    for kind, k, s, p in _STACK:
        label = _label(kind, k, s)
        before = field[0]
        field = receptive.window(field, (k, k), (s, s), (p, p))
        rows.append({"label": label, "k": k, "s": s, "r": field[0].size, "j": field[0].jump,
                     "start": field[0].start, "r_prev": before.size, "j_prev": before.jump})
    single = receptive.window(receptive.INPUT, (5, 5), (1, 1), (0, 0))[0].size
    stacked = receptive.INPUT
    for _ in range(2):
        stacked = receptive.window(stacked, (3, 3), (1, 1), (0, 0))
    vgg = layer_table(load_builtin("vgg16"))
    vgg_last = next(r for r in reversed(vgg.rows) if r.receptive_field is not None and r.type == "maxpool")
    return {"rows": rows, "single": single, "two_3x3": stacked[0].size,
            "vgg": {"name": vgg_last.name, "r": vgg_last.receptive_field[0].size,
                    "j": vgg_last.receptive_field[0].jump},
            "code": snippets.run("receptive_field")}


def transposed_convolution() -> dict:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    w = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 1.0], [1.0, 1.0, 1.0]])
    up = nn.conv_transpose2d(x[None, None], w[None, None], stride=2)[0, 0]
    scatter = [
        {"i": i, "j": j, "x": x[i, j], "at": (2 * i, 2 * j)}
        for i in range(2) for j in range(2)
    ]
    pairs = []
    for n in (5, 6):
        small = nn.conv_output_size(n, 3, stride=2, padding=1)
        back = nn.conv_transpose_output_size(small, 3, stride=2, padding=1)
        pairs.append({"n": n, "small": small, "back": back,
                      "output_padding": n - back,
                      "fixed": nn.conv_transpose_output_size(small, 3, 2, 1, output_padding=n - back)})
    # The transposed convolution is the adjoint of the convolution: <conv(a), b> = <a, convT(b)>.
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3))
    k = rng.normal(size=(1, 1, 3, 3))
    lhs = float((nn.conv2d(a, k, stride=2, padding=1) * b).sum())
    rhs = float((a * nn.conv_transpose2d(b, k, stride=2, padding=1)).sum())
    keras = [
        {"n": n, "k": k, "s": s, "torch": nn.conv_transpose_output_size(n, k, s),
         "valid": tfr.conv_transpose_output_size(n, k, s, "valid"),
         "same": tfr.conv_transpose_output_size(n, k, s, "same")}
        for n, k, s in [(4, 2, 3), (4, 3, 2), (4, 4, 2), (7, 3, 1), (5, 5, 2)]
    ]
    # the same numbers two more ways: insert zeros, pad, convolve with the flipped filter ...
    stride, f = 2, w.shape[0]
    spread = np.zeros(((x.shape[0] - 1) * stride + 1,) * 2)
    spread[::stride, ::stride] = x  # s - 1 zeros between neighbours
    padded = nn.pad(spread[None, None], (f - 1,) * 4)[0, 0]
    via_zeros = nn.conv2d(padded[None, None], w[::-1, ::-1][None, None])[0, 0]
    # ... and as a matrix: a convolution is y = C x; the transposed one is C^T
    small_w = np.array([[1.0, 2.0], [3.0, 4.0]])
    small_in = (3, 3)
    basis = np.eye(small_in[0] * small_in[1]).reshape(-1, 1, *small_in)  # one input pixel set at a time
    conv_matrix = nn.conv2d(basis, small_w[None, None]).reshape(len(basis), -1).T  # (out pixels, in pixels)
    small_y = np.array([[1.0, -1.0], [2.0, 0.0]])
    matrix = {"w": small_w, "in_hw": small_in, "C": conv_matrix, "y": small_y,
              "Ct_y": (conv_matrix.T @ small_y.reshape(-1)).reshape(small_in),
              "transposed": nn.conv_transpose2d(small_y[None, None], small_w[None, None])[0, 0]}
    matrix["equal"] = bool(np.array_equal(matrix["Ct_y"], matrix["transposed"]))
    dilated_op = {"n": 5, "k": 3, "s": 1, "d": 2, "a": 1,
                  "out": nn.conv_transpose_output_size(5, 3, stride=1, output_padding=1, dilation=2)}
    return {"x": x, "w": w, "up": up, "up_size": up.shape[0], "scatter": scatter, "pairs": pairs,
            "keras": keras, "dilated_op": dilated_op,
            "zeros": {"spread": spread, "padded": padded, "result": via_zeros,
                      "equal": bool(np.array_equal(via_zeros, up)), "flipped": w[::-1, ::-1]},
            "matrix": matrix,
            "adjoint": {"lhs": f"{lhs:.6f}", "rhs": f"{rhs:.6f}"},
            "code": snippets.run("transposed_convolution")}


def layer_notation() -> dict:
    network = load_builtin("convnet39")
    table = layer_table(network)
    steps = []
    for layer, row in zip(network.layers, table.rows):
        if layer.KIND != "conv":
            continue
        steps.append({"f": layer.kernel[0], "s": layer.stride[0], "p": layer.padding[0],
                      "n_prev": row.input_shape[1], "c_prev": row.input_shape[0],
                      "n": row.output_shape[1], "c": row.output_shape[0],
                      "weights": row.weights, "biases": row.biases})
    flat = table.rows[-1].output_shape[0]
    return {"network": network, "input": network.input, "steps": steps, "flat": flat,
            "totals": table.totals, "code": snippets.run("layer_notation")}
