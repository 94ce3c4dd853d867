"""Topics about sizes: stride, the output-size formula, padding, dilation, layer notation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ... import nn
from .. import snippets


def fraction(f: Fraction) -> str:
    """``Fraction(4, 3)`` -> ``'4/3'``, ``Fraction(2)`` -> ``'2'``."""
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def stride() -> dict:
    n, f = 7, 3
    rows = []
    for s in (1, 2, 3):
        exact = Fraction(n - f, s) + 1
        out = nn.conv_output_size(n, f, stride=s)
        last_start = (out - 1) * s
        rows.append({
            "s": s, "exact": fraction(exact), "decimal": f"{float(exact):.2f}",
            "fits": exact.denominator == 1, "out": out,
            "starts": list(range(0, last_start + 1, s)),
            "unused": list(range(last_start + f, n)),
        })
    tf = nn.tf_output_size(n, f, stride=3, padding="SAME")
    mnist = [{"s": s, "out": nn.conv_output_size(28, 5, stride=s)} for s in (1, 2)]
    return {
        "n": n, "f": f, "rows": rows, "mnist": mnist,
        "tf_out": tf[0], "tf_pad": tf[1:], "tf_valid": nn.tf_output_size(n, f, 3, padding="VALID")[0],
        "code": snippets.run("stride"),
    }


#: Formulas people write for the output size, as functions of (n, f, s, p).
_VARIANTS = [
    ("\\lfloor (n + 2p - f)/s \\rfloor + 1", "the standard form (PyTorch, and the course's layer notation)",
     lambda n, f, s, p: (n + 2 * p - f) // s + 1),
    ("(n + 2p - f)/s + 1", "without the floor: right only when the division is exact",
     lambda n, f, s, p: Fraction(n + 2 * p - f, s) + 1),
    ("(n - f)/s + 1", "forgets the padding: right only for p = 0 and an exact division",
     lambda n, f, s, p: Fraction(n - f, s) + 1),
    ("(n - f + 1)/s", "right for s = 1; rounded up it is TensorFlow's 'VALID' (p = 0)",
     lambda n, f, s, p: Fraction(n + 2 * p - f + 1, s)),
    ("\\lceil n/s \\rceil", "TensorFlow's 'SAME': padding is chosen to make this true",
     lambda n, f, s, p: -(-n // s)),
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
    for tex, note, formula in _VARIANTS:
        cells = []
        for q in probes:
            value = formula(q["n"], q["f"], q["s"], q["p"])
            cells.append({"value": fraction(Fraction(value)), "right": value == q["truth"]})
        variants.append({"tex": tex, "note": note, "cells": cells})
    pool = [
        {"n": n, "k": k, "s": s, "floor": nn.pool_output_size(n, k, s),
         "ceil": nn.pool_output_size(n, k, s, ceil_mode=True),
         "tf": nn.tf_output_size(n, k, s, padding="SAME")}
        for n, k, s in [(7, 2, 2), (5, 3, 2), (6, 3, 3), (224, 3, 2)]
    ]
    same = [{"k": k, "pads": nn.same_padding(k)} for k in (3, 4, 5)]
    return {"probes": probes, "variants": variants, "pool": pool, "same": same,
            "code": snippets.run("output_size")}


def padding() -> dict:
    from ...tables import counts

    n, f = 6, 3
    half = (f - 1) // 2
    rows = []
    for k in (1, 3, 5, 7):
        p = (k - 1) // 2
        rows.append({"f": k, "p": p, "out": nn.conv_output_size(32, k, padding=p)})
    small = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    modes = [
        {"mode": mode, "padded": nn.pad(small, (1, 1, 1, 1), mode=mode)[0, 0]}
        for mode in ("constant", "reflect", "replicate", "circular")
    ]
    weights, biases = counts.conv2d_params(3, 10, (5, 5))
    return {
        "n": n, "f": f, "p": half,
        "valid": nn.conv_output_size(n, f), "same": nn.conv_output_size(n, f, padding=half),
        "padded_size": n + 2 * half,
        "full_p": f - 1, "full": nn.conv_output_size(n, f, padding=f - 1),
        "rows": rows, "small": small[0, 0], "modes": modes,
        "cs231n": {"hw": nn.conv2d_output_hw((32, 32), 5, padding=2), "weights": weights,
                   "biases": biases, "per_filter": weights // 10 + 1, "total": weights + biases},
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
    return {
        "spans": spans, "example": {"n": 7, "k": 3, "d": 2, "out": nn.conv_output_size(7, 3, dilation=2)},
        "stack": stack, "code": snippets.run("dilation"),
    }
