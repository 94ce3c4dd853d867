"""Topics about volumes: convolution over channels, parameter counts, 1x1
convolutions and their cost, pooling."""

from __future__ import annotations

import numpy as np

from ... import nn, text
from ...figures import catalog
from ...tables import counts
from .. import snippets

#: The notes' pooling examples (single depth slices), shared with their figures.
MAX_POOL_INPUT = np.array(catalog.MAX_POOL_INPUT, dtype=float)
AVG_POOL_INPUT = np.array(catalog.AVG_POOL_INPUT, dtype=float)


def volumes() -> dict:
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, size=(3, 6, 6)).astype(float)      # (C, H, W)
    w = rng.integers(-1, 2, size=(1, 3, 3, 3)).astype(float)  # (F, C, KH, KW)
    y = nn.conv2d(x, w)                                       # (1, 4, 4)
    per_channel = [
        {"c": c, "window": x[c, :3, :3], "kernel": w[0, c],
         "value": float((x[c, :3, :3] * w[0, c]).sum())}
        for c in range(3)
    ]
    bias = np.ones(1)  # CS231n's demo adds a bias of 1 to its filter
    with_bias = nn.conv2d(x, w, bias)                         # (1, 4, 4)
    filters = 6
    six = nn.conv2d_output_hw((32, 32), 5)
    return {
        "x": x, "w": w[0], "y": y[0], "per_channel": per_channel, "first": y[0, 0, 0],
        "bias": bias[0], "with_bias": with_bias[0], "first_with_bias": with_bias[0, 0, 0],
        "out_hw": y.shape[1:], "layout": text.SHAPE_LAYOUT,
        "six": {"hw": six, "n": filters, "shape": (filters, *six), "input": (3, 32, 32),
                "filter": (3, 5, 5),
                "params": counts.conv2d_params(3, filters, (5, 5))},
        "code": snippets.run("volumes"),
    }


def parameters() -> dict:
    cases = [  # label: {f} the filter's size, {cf} its shape with the channels
        ("one {f} filter on a single channel", 1, 1, 5),
        ("{n} filters {cf}", 3, 10, 5),
        ("{n} filters {cf}", 3, 10, 3),
        ("{n} filters {f} over {c} channels", 100, 50, 5),
    ]
    rows = []
    for label, c_in, n, f in cases:
        w, b = counts.conv2d_params(c_in, n, (f, f))
        label = label.format(f=text.shape((f, f)), cf=text.shape((c_in, f, f)), n=n, c=c_in)
        rows.append({"label": label, "f": f, "c": c_in, "n": n,
                     "per_filter": w // n + b // n, "w": w, "b": b, "total": w + b})
    return {"rows": rows, "code": snippets.run("parameters")}


def one_by_one() -> dict:
    tube = next(f.params for f in catalog.FIGURES if f.id == "one-by-one-tube")  # its figure
    c_in, *hw = tube["input"]
    hw, c_out, mid = tuple(hw), tube["filters"], 16
    kernel, point = (5, 5), (1, 1)  # the direct path's filters; the bottleneck's reduction
    direct = counts.conv2d_macs(c_in, c_out, kernel, hw)
    reduce = counts.conv2d_macs(c_in, mid, point, hw)
    expand = counts.conv2d_macs(mid, c_out, kernel, hw)
    p_direct = sum(counts.conv2d_params(c_in, c_out, kernel))
    p_bottleneck = sum(counts.conv2d_params(c_in, mid, point)) + sum(counts.conv2d_params(mid, c_out, kernel))
    return {
        "hw": hw, "c_in": c_in, "c_out": c_out, "mid": mid, "kernel": kernel, "point": point,
        "in_shape": (c_in, *hw), "out_shape": (c_out, *hw),
        "direct": direct, "reduce": reduce, "expand": expand, "bottleneck": reduce + expand,
        "ratio": f"{direct / (reduce + expand):.1f}",
        "rounded": {k: f"{v / 1e6:.1f} M" for k, v in
                    (("direct", direct), ("reduce", reduce), ("expand", expand))},
        "p_direct": p_direct, "p_bottleneck": p_bottleneck,
        "same_hw": nn.conv2d_output_hw(hw, kernel, padding="same"),
        "code": snippets.run("one_by_one"),
    }


def pooling() -> dict:
    x_max = MAX_POOL_INPUT[None, None]
    x_avg = AVG_POOL_INPUT[None, None]
    maxed = nn.max_pool2d(x_max, 2, 2)[0, 0]
    averaged = nn.avg_pool2d(x_avg, 2, 2)[0, 0]

    def windows(x, out):
        return [
            {"i": i, "j": j, "cells": x[2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel().tolist(), "out": out[i, j]}
            for i in range(out.shape[0]) for j in range(out.shape[1])
        ]

    volume = np.random.default_rng(5).normal(size=(1, 8, 6, 6))
    gap = nn.adaptive_avg_pool2d(volume, 1)
    return {
        "max_in": MAX_POOL_INPUT, "max_out": maxed, "max_windows": windows(MAX_POOL_INPUT, maxed),
        "avg_in": AVG_POOL_INPUT, "avg_out": averaged, "avg_windows": windows(AVG_POOL_INPUT, averaged),
        "gap": {"in": volume.shape[1:], "out": gap.shape[1:]},
        "vgg": {"in": (64, 224, 224), "out": (64, *nn.pool2d_output_hw((224, 224), 2, 2))},
        "tf": _pooling_in_tensorflow(),
        "code": snippets.run("pooling"),
    }


def _pooling_in_tensorflow() -> dict:
    """Keras pooling beside PyTorch's, on the output-size page's own examples."""
    from ...nn import tensorflow as tfr
    from . import sizes

    n, k, s = 7, 2, 2
    out, before, after = tfr.pool_output_size(n, k, s, padding="same")
    return {"n": n, "k": k, "s": s, "same": out, "pads": (before, after),
            "valid": tfr.pool_output_size(n, k, s, padding="valid")[0],
            "floor": nn.pool_output_size(n, k, s), "ceil": nn.pool_output_size(n, k, s, ceil_mode=True),
            "facts": sizes.tensorflow_facts()}
