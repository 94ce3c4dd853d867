"""What the Python side says a question's answer is, from the numbers exercises.js drew.

Each question of ``docs/javascripts/exercises.js`` carries its drawn numbers as
``params``; :func:`answer` recomputes the answer from them with
:mod:`generator.nn` (shapes, pooling, TensorFlow's rules) and
:mod:`generator.tables` (parameter and MAC counts, receptive fields, the layer
tables of the built-in networks), never with the page's formulas.
"""

from __future__ import annotations

import functools

import numpy as np

from generator.nn import avg_pool2d, flatten, max_pool2d, shapes, tensorflow
from generator.specs import load_builtin
from generator.tables import conv2d_macs, conv2d_params, layer_table, linear_params, receptive


def _params(counts) -> int:
    weights, biases = counts
    return weights + biases


@functools.cache
def _rows(network: str) -> dict:
    return {row.index: row for row in layer_table(load_builtin(network)).walk()}


def answer(kind: str, p: dict):
    """The answer to question ``kind`` with numbers ``p``, as the page writes it (int or lists)."""
    if kind in ("output-size", "dilated-size"):
        return [p["cout"], *shapes.conv2d_output_hw((p["n"], p["n"]), p["k"], p["s"], p["p"], p["d"])]
    if kind == "window-fit":
        return shapes.conv_output_size(p["n"], p["k"], p["s"], 0, 1)
    if kind == "pooling-values":
        grid = np.asarray(p["grid"], dtype=float)[None, None]  # (H, W) -> (1, 1, H, W)
        op = max_pool2d if p["op"] == "max" else avg_pool2d
        return op(grid, p["k"], p["s"])[0, 0].tolist()
    if kind == "parameters":
        if p["variant"] == "linear":
            features = flatten(np.zeros((p["c"], p["h"], p["h"]))).size
            return _params(linear_params(features, p["m"]))
        return _params(conv2d_params(p["cin"], p["cout"], (p["k"], p["k"]), bias=p["bias"]))
    if kind == "macs":
        out = shapes.conv2d_output_hw((p["n"], p["n"]), p["k"], p["s"], p["p"])
        return conv2d_macs(p["cin"], p["cout"], (p["k"], p["k"]), out)
    if kind == "bottleneck":
        hw = (p["n"], p["n"])
        same = shapes.conv2d_output_hw(hw, p["k"], 1, "same")
        return (conv2d_macs(p["cin"], p["cmid"], (1, 1), hw)
                + conv2d_macs(p["cmid"], p["cout"], (p["k"], p["k"]), same))
    if kind == "receptive-field":
        field = receptive.INPUT
        for layer in p["layers"]:
            field = receptive.window(field, (layer["k"],) * 2, (layer["s"],) * 2, (0, 0))
        assert field[0] == field[1]
        return field[0].size
    if kind == "transposed":
        return shapes.conv_transpose_output_size(p["n"], p["k"], p["s"], p["p"], p["op"])
    if kind == "tf-same":
        _, before, after = tensorflow.conv_output_size(p["n"], p["k"], p["s"], 1, "SAME")
        return [before, after]
    if kind == "flatten":
        return flatten(np.zeros((p["c"], p["h"], p["w"]))).size
    if kind == "depthwise-separable":
        k = (p["k"], p["k"])
        return (_params(conv2d_params(p["cin"], p["cin"], k, groups=p["cin"], bias=False))
                + _params(conv2d_params(p["cin"], p["cout"], (1, 1), bias=False)))
    if kind == "named-layer":
        return _rows(p["network"])[p["index"]].params
    raise KeyError(f"the oracle has no rule for question kind {kind!r}")
