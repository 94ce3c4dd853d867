"""Random settings of the convolution explorer, and what generator.nn says about each.

A case is the explorer's state (see ``compute()`` in docs/javascripts/explorer.js)
with its tensors: x (C, H, W), w (conv: (F, C // groups, KH, KW); transposed:
(C, F // groups, KH, KW)) and b (F,). :func:`expected` runs it through the
site's NumPy operators and returns the output shape and values, every output's
window (found by feeding one-hot inputs through the same operator, so the
windows come from generator.nn too, not from a formula typed here), or the
ValueError message.
"""

from __future__ import annotations

import numpy as np

from generator import nn
from generator.nn import shapes

OPS = ("conv", "conv_transpose", "max_pool", "avg_pool")


def _pair(rng, lo, hi, same=0.6):
    a = int(rng.integers(lo, hi + 1))
    return [a, a] if rng.random() < same else [a, int(rng.integers(lo, hi + 1))]


def _rare_zero(rng, pair, p=0.015):
    """Now and then a 0, so the messages of PyTorch's range checks come up."""
    return [0 if rng.random() < p else v for v in pair]


def weight_shape(case) -> tuple[int, ...]:
    """The weight a reader's setting asks for (possibly empty: Python then says so)."""
    g = case["groups"] if case["groups"] >= 1 else 1
    kh, kw = case["kernel"]
    if case["op"] == "conv":
        return case["F"], case["C"] // g, kh, kw
    return case["C"], case["F"] // g, kh, kw


def random_case(rng) -> dict:
    op = OPS[int(rng.choice(4, p=[0.4, 0.2, 0.2, 0.2]))]
    big = rng.random() < 0.08
    C = int(rng.integers(1, 5))
    H, W = (int(rng.integers(1, 33 if big else 13)) for _ in range(2))
    case = {
        "op": op, "C": C, "H": H, "W": W, "F": int(rng.integers(1, 5)),
        "kernel": _rare_zero(rng, _pair(rng, 1, 5)),
        "stride": _rare_zero(rng, _pair(rng, 1, 3)),
        "dilation": _rare_zero(rng, [1, 1] if rng.random() < 0.5 else _pair(rng, 1, 3)),
        "pad_mode": "numbers", "padding": [0, 0, 0, 0], "output_padding": [0, 0], "groups": 1,
        "bias": bool(rng.random() < 0.5), "ceil_mode": bool(rng.random() < 0.4),
        "count_include_pad": bool(rng.random() < 0.5),
    }
    if op == "conv":
        case["pad_mode"] = str(rng.choice(["numbers", "numbers", "same", "valid", "SAME", "VALID"]))
        if rng.random() < 0.6:
            t, l = (int(rng.integers(0, 4)) for _ in range(2))
            case["padding"] = [t, t, l, l]
        else:
            case["padding"] = [int(rng.integers(0, 4)) for _ in range(4)]
    else:  # mostly within PyTorch's limit for pooling (half the kernel), sometimes past it
        t, l = (int(rng.integers(0, max(k // 2, 0) + 1 + (rng.random() < 0.1))) for k in case["kernel"])
        case["padding"] = [t, t, l, l]
    if op in ("conv", "conv_transpose"):
        roll = rng.random()
        if roll < 0.2:  # depthwise: one group per channel
            case["groups"] = C
            case["F"] = C * int(rng.integers(1, 3)) if C <= 2 else C
        elif roll < 0.3:  # any count, often one that does not divide
            case["groups"] = int(rng.integers(0, 5))
        elif roll < 0.6:
            common = [g for g in range(1, 5) if C % g == 0 and case["F"] % g == 0]
            case["groups"] = int(rng.choice(common))
    if op == "conv_transpose":
        case["output_padding"] = [int(rng.integers(0, max(s, d, 1) + (rng.random() < 0.1)))
                                  for s, d in zip(case["stride"], case["dilation"])]
    if op == "avg_pool":
        case["dilation"] = [1, 1]
    case["x"] = rng.integers(-3, 4, size=(C, H, W)).tolist()
    ws = weight_shape(case)
    case["w"] = rng.integers(-2, 3, size=ws).tolist() if min(ws) > 0 else []
    case["b"] = rng.integers(-3, 4, size=case["F"]).tolist()
    return case


def random_cases(n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [random_case(rng) for _ in range(n)]


def _conv_padding(case, x):
    """(input, padding argument) of conv2d for the case's padding mode; x is (N, C, H, W)."""
    mode, (t, b, l, r) = case["pad_mode"], case["padding"]
    if mode in ("same", "valid"):
        return x, mode
    if mode in ("SAME", "VALID"):
        (_, t, b), (_, l, r) = (
            shapes.tf_output_size(n, k, s, d, mode)
            for n, k, s, d in zip((case["H"], case["W"]), case["kernel"], case["stride"], case["dilation"]))
        return nn.pad(x, (l, r, t, b)), 0
    if t == b and l == r:
        return x, (t, l)
    return nn.pad(x, (l, r, t, b)), 0


def _run(case, x, w, b):
    """The case's operator on x (N, C, H, W) with weight w and bias b (None for none)."""
    op, s, d = case["op"], tuple(case["stride"]), tuple(case["dilation"])
    p = (case["padding"][0], case["padding"][2])
    if op == "conv":
        xp, padding = _conv_padding(case, x)
        return nn.conv2d(xp, w, b, stride=s, padding=padding, dilation=d, groups=case["groups"])
    if op == "conv_transpose":
        return nn.conv_transpose2d(x, w, b, stride=s, padding=p, output_padding=tuple(case["output_padding"]),
                                   groups=case["groups"], dilation=d)
    if op == "max_pool":
        return nn.max_pool2d(x, tuple(case["kernel"]), s, p, d, ceil_mode=case["ceil_mode"])
    return nn.avg_pool2d(x, tuple(case["kernel"]), s, p, ceil_mode=case["ceil_mode"],
                         count_include_pad=case["count_include_pad"])


def _windows(case) -> dict:
    """{(y, x): sorted in-bounds taps} from one-hot inputs: (i, j, row, col) for the
    convolutions (the weight holds each tap's number), (row, col) for pooling."""
    H, W = case["H"], case["W"]
    onehot = np.eye(H * W).reshape(H * W, 1, H, W)  # (N=H*W, 1, H, W), one input cell lit each
    single = dict(case, C=1, F=1, groups=1)
    conv = case["op"] in ("conv", "conv_transpose")
    if conv:
        kh, kw = case["kernel"]
        w = np.arange(1, kh * kw + 1, dtype=float).reshape(1, 1, kh, kw)  # tap number + 1
        out = _run(single, onehot, w, None)[:, 0]
    else:
        out = _run(single, onehot, None, None)[:, 0]  # (N, OH, OW)
    found: dict = {}
    for n, y, x in zip(*np.nonzero(out > 0)):  # a window of padding only is -inf: not a tap
        row, col = divmod(int(n), W)
        if conv:
            i, j = divmod(int(round(out[n, y, x])) - 1, case["kernel"][1])
            found.setdefault((int(y), int(x)), []).append([i, j, row, col])
        else:
            found.setdefault((int(y), int(x)), []).append([row, col])
    return {k: sorted(v) for k, v in found.items()}


def expected(case) -> dict:
    """{"error": message} or {"out_shape", "values" (F, OH, OW), "windows"}."""
    x = np.array(case["x"], dtype=float)[None]  # (C, H, W) -> (1, C, H, W)
    w = None
    if case["op"] in ("conv", "conv_transpose"):
        ws = weight_shape(case)
        w = np.array(case["w"], dtype=float).reshape(ws) if min(ws) > 0 else np.zeros(ws)
    b = np.array(case["b"], dtype=float) if case["bias"] and w is not None else None
    try:
        y = _run(case, x, w, b)[0]
    except ValueError as exc:
        return {"error": str(exc)}
    return {"out_shape": list(y.shape), "values": y, "windows": _windows(case)}


def js_windows(case, got) -> dict:
    """The explorer's windows in the form of :func:`_windows` (in-bounds taps only)."""
    H, W = case["H"], case["W"]
    conv = case["op"] in ("conv", "conv_transpose")
    out = {}
    for y, row in enumerate(got["windows"]):
        for x, taps in enumerate(row):
            inside = [t if conv else t[2:] for t in taps if 0 <= t[2] < H and 0 <= t[3] < W]
            if inside:
                out[(y, x)] = sorted(inside)
    return out


def random_stack(rng) -> dict:
    """An input size and a stack of 1-4 square layers in the explorer's text form, with its layers."""
    layers = []
    for _ in range(int(rng.integers(1, 5))):
        kind = str(rng.choice(["conv", "conv", "maxpool", "avgpool"]))
        if kind == "conv":
            layer = {"kind": kind, "kernel": int(rng.integers(1, 5)), "stride": int(rng.integers(1, 3)),
                     "padding": int(rng.integers(0, 3)), "dilation": int(rng.choice([1, 1, 2, 3]))}
        else:
            k = int(rng.integers(2, 4))
            dilated = kind == "maxpool" and rng.random() < 0.3
            layer = {"kind": kind, "kernel": k, "stride": int(rng.integers(1, k + 1)),
                     "padding": 0 if dilated else int(rng.integers(0, k // 2 + 1)),
                     "dilation": 2 if dilated else 1}
        layers.append(layer)
    text = "\n".join(
        " ".join([l["kind"]] + [f"{f}={l[f]}" for f in ("kernel", "stride", "padding", "dilation")
                                if not (l["kind"] == "avgpool" and f == "dilation")])
        for l in layers)
    return {"H": int(rng.integers(3, 21)), "W": int(rng.integers(3, 21)), "layers": layers, "text": text,
            "at": [int(rng.integers(0, 8)), int(rng.integers(0, 8))]}


def expected_region(stack) -> dict:
    """{"error"} or {"sizes", "at", "region"}: the input cells output ``at`` (clamped) of the
    last map depends on, by sending one-hot inputs through generator.nn (ones as weights)."""
    H, W = stack["H"], stack["W"]
    sizes = [[H, W]]
    for i, l in enumerate(stack["layers"], start=1):
        k, s, p, d = l["kernel"], l["stride"], l["padding"], l["dilation"]
        try:
            if l["kind"] == "conv":
                out = shapes.conv2d_output_hw(sizes[-1], k, s, p, d)
            else:
                out = shapes.pool2d_output_hw(sizes[-1], k, s, p, d)
        except ValueError as exc:
            return {"error": f"layer {i} ({l['kind']}): {exc}"}
        sizes.append(list(out))
    x = np.eye(H * W).reshape(H * W, 1, H, W)  # one input cell lit per image
    for l in stack["layers"]:
        k, s, p, d = l["kernel"], l["stride"], l["padding"], l["dilation"]
        if l["kind"] == "conv":
            x = nn.conv2d(x, np.ones((1, 1, k, k)), stride=s, padding=p, dilation=d)
        elif d > 1:  # max pooling without padding: no -inf, a positive wins
            x = nn.max_pool2d(x, k, s, 0, d)
        else:  # the same windows as max pooling; any positive input makes the mean positive
            x = nn.avg_pool2d(x, k, s, p)
    last = sizes[-1]
    at = [min(stack["at"][0], last[0] - 1), min(stack["at"][1], last[1] - 1)]
    lit = np.nonzero(x[:, 0, at[0], at[1]] > 0)[0]
    return {"sizes": sizes, "at": at, "region": sorted(list(divmod(int(n), W)) for n in lit)}
