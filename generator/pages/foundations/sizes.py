"""Topics about sizes: stride, the output-size formula, padding, dilation, layer notation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ... import nn
from ...figures import catalog
from ...figures.stride_fit import windows
from ...nn import tensorflow as tfr
from .. import snippets
from . import formulas as F


def fraction(f: Fraction) -> str:
    """``Fraction(4, 3)`` -> ``'4/3'``, ``Fraction(2)`` -> ``'2'``."""
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


#: The built-ins the stride page's AlexNet section compares (the paper's, torchvision's),
#: and that section's anchor: their pages link to it (:mod:`generator.pages.concepts`).
ALEXNET_NETWORKS = ("alexnet-original", "alexnet")
ALEXNET_ANCHOR = "alexnet-224-or-227"


def figure_params(fid: str) -> dict:
    """The parameters of catalog figure ``fid``: a page's worked example and its figure
    take their sizes from this one place."""
    return next(fig.params for fig in catalog.FIGURES if fig.id == fid)


def stride() -> dict:
    fig = figure_params("stride-7x7-fit")
    n, f = fig["size"], fig["kernel"]
    rows = []
    for s in (1, *fig["strides"]):
        exact = Fraction(n - f, s) + 1
        rows.append(windows(n, f, s) | {"decimal": f"{float(exact):.2f}"})
    tf = nn.tf_output_size(n, f, stride=3, padding="SAME")
    alexnet = alexnet_sizes()
    mnist = [{"s": s, "out": nn.conv_output_size(28, 5, stride=s)} for s in (1, 2)]
    return {
        "n": n, "f": f, "rows": rows, "mnist": mnist,
        "tf_out": tf[0], "tf_pad": tf[1:], "tf_valid": nn.tf_output_size(n, f, 3, padding="VALID")[0],
        "alexnet": alexnet, "code": snippets.run("stride"),
    }


def alexnet_sizes() -> dict:
    """224 or 227: AlexNet's first layer (the paper's 11x11 filters at stride 4, no padding,
    from the ``alexnet-original`` spec) on the 224x224 input the paper states (torchvision's
    ``alexnet`` input) and on 227x227 (the spec's), and torchvision's padding at 224."""
    from ...specs import load_builtin

    paper, tv = (load_builtin(i) for i in ALEXNET_NETWORKS)
    conv, tv_conv = paper.layers[0], tv.layers[0]
    f, s = conv.kernel[0], conv.stride[0]

    def case(n, p):
        exact = Fraction(n + 2 * p - f, s) + 1
        out = nn.conv_output_size(n, f, stride=s, padding=p)
        return {"n": n, "p": p, "exact": fraction(exact), "decimal": f"{float(exact):.2f}",
                "fits": exact.denominator == 1, "out": out,
                "unused": n + 2 * p - ((out - 1) * s + f)}

    return {"anchor": ALEXNET_ANCHOR, "f": f, "s": s, "filters": conv.out, "tv_filters": tv_conv.out,
            "paper": case(tv.input[1], conv.padding[0]),
            "original": case(paper.input[1], conv.padding[0]),
            "torchvision": case(tv.input[1], tv_conv.padding[0])}


#: Formulas people write for the output size, each shown and evaluated from one
#: :class:`~.formulas.Expr`; the note says when it is right, and ``right_when``
#: states that claim as code (the tests check it on a grid of sizes).
VARIANTS = [
    (F.floor((F.n + 2 * F.p - F.f) / F.s) + 1,
     "the standard form (PyTorch, and the course's layer notation): always right",
     lambda n, f, s, p: True),
    ((F.n + 2 * F.p - F.f) / F.s + 1,
     "without the floor: right when \\(s\\) divides \\(n + 2p - f\\)",
     lambda n, f, s, p: (n + 2 * p - f) % s == 0),
    ((F.n - F.f) / F.s + 1,
     "forgets the padding: right when \\(p = 0\\) and \\(s\\) divides \\(n - f\\)",
     lambda n, f, s, p: p == 0 and (n - f) % s == 0),
    ((F.n - F.f + 1) / F.s,
     "the notes' form: right when \\(s = 1\\) and \\(p = 0\\)",
     lambda n, f, s, p: s == 1 and p == 0),
    (F.ceil((F.n - F.f + 1) / F.s),
     "the notes' form rounded up, TensorFlow's `'VALID'`: right whenever \\(p = 0\\)",
     lambda n, f, s, p: p == 0),
    (F.ceil(F.n / F.s),
     "TensorFlow's `'SAME'`, which pads as much as this needs; with PyTorch's symmetric padding "
     "right when \\(s = 1\\) and \\(p = (f - 1)/2\\)",
     lambda n, f, s, p: s == 1 and 2 * p == f - 1),
]

#: Cases that separate the variants: (n, f, s, p).
_PROBES = [(6, 3, 1, 1), (7, 3, 2, 0), (7, 3, 3, 0), (28, 2, 2, 0), (4, 3, 2, 1), (32, 5, 1, 2)]


def output_size() -> dict:
    probes = [
        {"label": "ABCDEF"[i], "n": n, "f": f, "s": s, "p": p,
         "truth": nn.conv_output_size(n, f, stride=s, padding=p)}
        for i, (n, f, s, p) in enumerate(_PROBES)
    ]
    variants = []
    for expr, note, _ in VARIANTS:
        cells = []
        for q in probes:
            value = expr.value(n=q["n"], f=q["f"], s=q["s"], p=q["p"])
            cells.append({"value": fraction(value), "right": value == q["truth"]})
        variants.append({"tex": expr.tex, "note": note, "cells": cells})
    pool = [
        {"n": n, "k": k, "s": s, "floor": nn.pool_output_size(n, k, s),
         "ceil": nn.pool_output_size(n, k, s, ceil_mode=True),
         "tf": tfr.pool_output_size(n, k, s, padding="same")}
        for n, k, s in [(7, 2, 2), (5, 3, 2), (6, 3, 3), (224, 3, 2)]
    ]
    same = [{"k": k, "pads": nn.same_padding(k)} for k in (3, 4, 5)]
    return {"probes": probes, "variants": variants, "pool": pool, "same": same,
            "tf": tensorflow_facts(), "code": snippets.run("output_size")}


def tensorflow_facts() -> dict:
    """Where TensorFlow/Keras part from PyTorch, each on one computed example."""
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    k, s = 2, 2
    _, before, after = tfr.pool_output_size(x.shape[-1], k, s, "same")
    counted = nn.avg_pool2d(nn.pad(x, (before, after, before, after)), k, s)  # zeros counted in the divisor
    negative = -np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    dilated = {"n": 15, "k": 3, "s": 2, "d": 2}
    try:
        tfr.check_keras_conv(dilated["s"], dilated["d"])
        keras_refuses = False
    except ValueError:
        keras_refuses = True
    return {
        "avg": {"x": x[0, 0], "k": k, "s": s, "tf": tfr.avg_pool2d_same(x, k, s)[0, 0],
                "counted": counted[0, 0], "pads": (before, after)},
        "negative": {"x": negative[0, 0],
                     "zero_max": tfr.zero_pad_then_valid(negative, 1, 3, 1, "max")[0, 0],
                     "torch_max": nn.max_pool2d(negative, 3, 1, padding=1)[0, 0],
                     "zero_avg_corner": tfr.zero_pad_then_valid(negative, 1, 3, 1, "avg")[0, 0, 0, 0],
                     "exclude_avg_corner": nn.avg_pool2d(negative, 3, 1, padding=1,
                                                         count_include_pad=False)[0, 0, 0, 0]},
        "dilated": dilated | {
            "keras_refuses": keras_refuses,
            "valid": tfr.conv_output_size(dilated["n"], dilated["k"], dilated["s"], dilated["d"], "VALID")[0],
            "same": tfr.conv_output_size(dilated["n"], dilated["k"], dilated["s"], dilated["d"], "SAME")[0]},
        "explicit": {"n": 32, "k": 5, "pads": (1, 3),
                     "out": tfr.conv_output_size(32, 5, 1, 1, (1, 3))[0]},
    }


def padding() -> dict:
    from ...tables import counts

    fig = figure_params("padding-6x6-same")
    n, f = fig["size"], fig["kernel"]
    half = (f - 1) // 2
    table_n = 32
    rows = []
    for k in (1, 3, 5, 7):
        p = (k - 1) // 2
        rows.append({"f": k, "p": p, "out": nn.conv_output_size(table_n, k, padding=p)})
    small = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    modes = [
        {"mode": mode, "padded": nn.pad(small, (1, 1, 1, 1), mode=mode)[0, 0]}
        for mode in ("constant", "reflect", "replicate", "circular")
    ]
    c, n_in, k, pad, filters = 3, 32, 5, 2, 10  # CS231n's worked layer
    weights, biases = counts.conv2d_params(c, filters, (k, k))
    hw = nn.conv2d_output_hw((n_in, n_in), k, padding=pad)
    even = {"n": n, "f": 4}
    even["out"], even["before"], even["after"] = tfr.conv_output_size(even["n"], even["f"], padding="SAME")
    return {
        "n": n, "f": f, "p": half,
        "valid": nn.conv_output_size(n, f), "same": nn.conv_output_size(n, f, padding=half),
        "padded_size": n + 2 * half,
        "full_p": f - 1, "full": nn.conv_output_size(n, f, padding=f - 1),
        "rows": rows, "table_n": table_n, "small": small[0, 0], "modes": modes,
        "cs231n": {"hw": hw, "weights": weights, "n": n_in, "f": k, "p": pad, "c": c, "filters": filters,
                   "input": (c, n_in, n_in), "out": (filters, *hw),
                   "biases": biases, "per_filter": weights // filters + 1, "total": weights + biases},
        "tf": {"even": even, "explicit": tensorflow_facts()["explicit"]},
        "code": snippets.run("padding"),
    }


def dilation() -> dict:
    from ...tables import receptive

    # The footprint of one dilated kernel is the receptive field of that single layer.
    spans = [
        {"k": k, "d": d, "span": receptive.window(receptive.INPUT, (k, k), (1, 1), (0, 0), (d, d))[0].size}
        for k in (3, 5) for d in (1, 2, 3, 4)
    ]
    field = receptive.INPUT
    stack = []
    for d in (1, 2, 4):
        field = receptive.window(field, (3, 3), (1, 1), (d, d), (d, d))
        stack.append({"d": d, "size": field[0].size})
    dilated = tensorflow_facts()["dilated"]
    strided = dilated | {"torch": nn.conv_output_size(dilated["n"], dilated["k"], stride=dilated["s"],
                                                       dilation=dilated["d"])}
    return {
        "spans": spans, "example": {"n": 7, "k": 3, "d": 2, "out": nn.conv_output_size(7, 3, dilation=2)},
        "stack": stack, "strided": strided, "code": snippets.run("dilation"),
    }
