"""Seeded random operator configurations shared by the cross-check tests.

Each ``random_*`` function draws one valid configuration from a NumPy
``Generator`` and returns ``(args, kwargs)`` for the operator, covering
every argument the operator has: asymmetric h/w, dilation, groups
(including depthwise), ceil_mode, count_include_pad, divisor_override,
output_padding, 'same' with even kernels, all pad modes, single images.
Sizes are small so a few hundred configurations run in seconds.
"""

from __future__ import annotations

import numpy as np

from generator.nn.shapes import pool2d_output_hw

DTYPES = (np.float32, np.float64)


def _pick(rng, options):
    return options[rng.integers(len(options))]


def _maybe_pair(rng, a, b):
    """An int if both entries agree (sometimes), else a tuple."""
    return int(a) if a == b and rng.random() < 0.7 else (int(a), int(b))


def _array(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


def _image(rng, n, c, h, w, dtype):
    """(N, C, H, W), or (C, H, W) one time in six."""
    if rng.random() < 1 / 6:
        return _array(rng, (c, h, w), dtype)
    return _array(rng, (n, c, h, w), dtype)


def random_conv2d(rng):
    dtype = _pick(rng, DTYPES)
    kind = _pick(rng, ["dense", "dense", "grouped", "depthwise"])
    if kind == "dense":
        groups, cg, fg = 1, int(rng.integers(1, 5)), int(rng.integers(1, 5))
    elif kind == "grouped":
        groups, cg, fg = int(rng.integers(2, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 3))
    else:
        groups, cg, fg = int(rng.integers(2, 6)), 1, int(rng.integers(1, 3))
    kh, kw = (int(v) for v in rng.integers(1, 6, 2))
    dh, dw = (int(v) for v in rng.integers(1, 4, 2)) if rng.random() < 0.4 else (1, 1)
    mode = _pick(rng, ["int", "int", "same", "valid"])
    if mode == "same":
        sh = sw = 1
        padding = "same"
        pads = (0, 0)
    else:
        sh, sw = (int(v) for v in rng.integers(1, 4, 2))
        pads = tuple(int(v) for v in rng.integers(0, 3, 2)) if mode == "int" else (0, 0)
        padding = _maybe_pair(rng, *pads) if mode == "int" else "valid"
    eff = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    h = int(rng.integers(max(1, eff[0] - 2 * pads[0]), eff[0] + 8))
    w = int(rng.integers(max(1, eff[1] - 2 * pads[1]), eff[1] + 8))
    n = int(rng.integers(1, 3))
    x = _image(rng, n, groups * cg, h, w, dtype)
    weight = _array(rng, (groups * fg, cg, kh, kw), dtype)
    bias = _array(rng, (groups * fg,), dtype) if rng.random() < 0.7 else None
    kwargs = dict(stride=_maybe_pair(rng, sh, sw), padding=padding,
                  dilation=_maybe_pair(rng, dh, dw), groups=groups)
    return (x, weight, bias), kwargs


def random_conv_transpose2d(rng):
    dtype = _pick(rng, DTYPES)
    groups = int(_pick(rng, [1, 1, 2, 3]))
    cg, fg = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    if rng.random() < 0.2:  # depthwise-transposed
        cg, fg = 1, 1
        groups = int(rng.integers(2, 5))
    kh, kw = (int(v) for v in rng.integers(1, 5, 2))
    sh, sw = (int(v) for v in rng.integers(1, 4, 2))
    dh, dw = (int(v) for v in rng.integers(1, 3, 2)) if rng.random() < 0.4 else (1, 1)
    h, w = (int(v) for v in rng.integers(1, 7, 2))
    # output_padding < max(stride, dilation); padding keeps the output >= 1
    oph = int(rng.integers(0, max(sh, dh)))
    opw = int(rng.integers(0, max(sw, dw)))
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + oph
    full_w = (w - 1) * sw + dw * (kw - 1) + 1 + opw
    ph = int(rng.integers(0, min(3, (full_h - 1) // 2) + 1))
    pw = int(rng.integers(0, min(3, (full_w - 1) // 2) + 1))
    n = int(rng.integers(1, 3))
    x = _image(rng, n, groups * cg, h, w, dtype)
    weight = _array(rng, (groups * cg, fg, kh, kw), dtype)
    bias = _array(rng, (groups * fg,), dtype) if rng.random() < 0.7 else None
    kwargs = dict(stride=_maybe_pair(rng, sh, sw), padding=_maybe_pair(rng, ph, pw),
                  output_padding=_maybe_pair(rng, oph, opw), groups=groups,
                  dilation=_maybe_pair(rng, dh, dw))
    return (x, weight, bias), kwargs


def _pool_geometry(rng, dilated: bool):
    """kernel, stride, padding, dilation, ceil_mode and an input size that fits."""
    kh, kw = (int(v) for v in rng.integers(1, 5, 2))
    dh, dw = (int(v) for v in rng.integers(1, 4, 2)) if dilated and rng.random() < 0.4 else (1, 1)
    # torch: pad <= effective kernel // 2 and pad <= kernel // 2
    ph = int(rng.integers(0, min(kh // 2, (dh * (kh - 1) + 1) // 2) + 1))
    pw = int(rng.integers(0, min(kw // 2, (dw * (kw - 1) + 1) // 2) + 1))
    stride = None if rng.random() < 0.25 else _maybe_pair(rng, *(int(v) for v in rng.integers(1, 4, 2)))
    eff = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    kwargs = dict(kernel_size=_maybe_pair(rng, kh, kw), stride=stride,
                  padding=_maybe_pair(rng, ph, pw), dilation=_maybe_pair(rng, dh, dw),
                  ceil_mode=bool(rng.random() < 0.5))
    while True:  # any size with a non-empty output (ceil_mode allows kernel > padded input)
        h, w = int(rng.integers(1, eff[0] + 8)), int(rng.integers(1, eff[1] + 8))
        try:
            pool2d_output_hw((h, w), **kwargs)
        except ValueError:
            continue
        return kwargs, (h, w)


def random_max_pool2d(rng):
    dtype = _pick(rng, DTYPES)
    kwargs, (h, w) = _pool_geometry(rng, dilated=True)
    x = _image(rng, int(rng.integers(1, 3)), int(rng.integers(1, 4)), h, w, dtype)
    return (x,), kwargs


def random_avg_pool2d(rng):
    dtype = _pick(rng, DTYPES)
    kwargs, (h, w) = _pool_geometry(rng, dilated=False)
    del kwargs["dilation"]
    kwargs["count_include_pad"] = bool(rng.random() < 0.5)
    kwargs["divisor_override"] = int(_pick(rng, [1, 2, 3, 7, -2])) if rng.random() < 0.2 else None
    x = _image(rng, int(rng.integers(1, 3)), int(rng.integers(1, 4)), h, w, dtype)
    return (x,), kwargs


def random_adaptive_avg_pool2d(rng):
    dtype = _pick(rng, DTYPES)
    h, w = (int(v) for v in rng.integers(1, 15, 2))
    oh, ow = (int(v) for v in rng.integers(1, 10, 2))
    r = rng.random()
    output_size = oh if r < 0.3 else (oh, None) if r < 0.4 else (None, ow) if r < 0.5 else (oh, ow)
    x = _image(rng, int(rng.integers(1, 3)), int(rng.integers(1, 4)), h, w, dtype)
    return (x, output_size), {}


def random_pad(rng):
    dtype = _pick(rng, DTYPES)
    mode = _pick(rng, ["constant", "reflect", "replicate", "circular"])
    dims = int(rng.integers(1, 4))  # how many trailing dims to pad
    ndim = dims + int(rng.integers(1, 3)) if mode != "constant" else int(rng.integers(dims, 5))
    shape = tuple(int(v) for v in rng.integers(1, 6, ndim))
    pad = []
    for size in shape[::-1][:dims]:  # last dimension first, as torch orders them
        if mode == "reflect":
            lo, hi = -(size - 1), size - 1
        elif mode == "circular":
            lo, hi = 0, size  # torch's negative circular padding misbehaves; see test_pad
        else:
            lo, hi = -(size - 1), 4
        while True:
            before, after = (int(v) for v in rng.integers(lo, hi + 1, 2))
            if size + before + after >= 1 and size - max(-before, 0) - max(-after, 0) >= 1:
                break
        pad += [before, after]
    value = float(rng.standard_normal()) if rng.random() < 0.5 else 0.0
    x = _array(rng, shape, dtype)
    return (x, tuple(pad)), dict(mode=mode, value=value) if mode == "constant" else dict(mode=mode)


def output_hw_of(op: str, x_shape, args, kwargs):
    """(H', W') that generator.nn.shapes predicts for a configuration."""
    from generator.nn import shapes

    hw = x_shape[-2:]
    if op == "conv2d":
        weight = args[1]
        return shapes.conv2d_output_hw(hw, weight.shape[2:], kwargs["stride"], kwargs["padding"],
                                       kwargs["dilation"])
    if op == "conv_transpose2d":
        weight = args[1]
        return shapes.conv_transpose2d_output_hw(hw, weight.shape[2:], kwargs["stride"],
                                                 kwargs["padding"], kwargs["output_padding"],
                                                 kwargs["dilation"])
    if op in ("max_pool2d", "avg_pool2d"):
        return shapes.pool2d_output_hw(hw, kwargs["kernel_size"], kwargs["stride"],
                                       kwargs["padding"], kwargs.get("dilation", 1),
                                       kwargs["ceil_mode"])
    if op == "adaptive_avg_pool2d":
        return shapes.adaptive_pool2d_output_hw(hw, args[1])
    raise KeyError(op)
