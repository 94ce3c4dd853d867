"""Topics about channels: grouped convolution, batch normalisation, concatenation.

Every number here is computed: the worked examples by :mod:`generator.nn`, the
networks' figures from their layer tables (:func:`generator.tables.layer_table`),
the counts by :mod:`generator.tables.counts`. Which rows are grouped convolutions,
batchnorms or concatenations is decided by the predicates of :mod:`..concepts`,
the same ones the network pages' "Built from" lists count with.
"""

from __future__ import annotations

import numpy as np

from ... import nn, text
from ...figures.concat_volumes import concat_parts
from ...figures.grouped_channels import connections
from ...specs import BUILTINS, load_builtin
from ...tables import counts, layer_table
from ...tables.conventions import leaves
from .. import concepts, site_map, snippets

#: The network whose grouped 3×3 convolutions the grouped-convolution page counts, and the
#: plain ResNet of the same depth whose 3×3 convolutions they take the place of.
RESNEXT, RESNET = "resnext50-32x4d", "resnet50"
#: The built-in that shuffles its channels between branches (``channel_shuffle``).
SHUFFLENET = "shufflenet-v2-x1-0"
#: Networks whose batchnorm layers the batch-normalization page counts.
BATCHNORM_NETWORKS = ("resnet50", "vgg16-bn")
#: PyTorch's and Keras's defaults (``torch.nn.BatchNorm2d``, ``keras.layers.BatchNormalization``).
TORCH_MOMENTUM, TORCH_EPS = 0.1, 1e-5
KERAS_MOMENTUM, KERAS_EPS = 0.99, 1e-3
#: The share of a new batch statistic the running estimate must reach in the momentum example.
REACH = 0.9
#: Networks whose concatenations the concatenation page shows, one concatenation each.
CONCAT_NETWORKS = ("inception3a", "squeezenet1-0", "densenet121", "unet")


def _href(net_id: str) -> str:
    """A link from a Foundations page to a network page."""
    return "../" + site_map.ARCHITECTURES.path(net_id)


def _network(net_id: str) -> dict:
    return {"id": net_id, "name": text.markdown(load_builtin(net_id).name), "href": _href(net_id)}


# ----------------------------------------------------------------- grouped convolution


def sees(weight: np.ndarray, groups: int) -> list[list[int]]:
    """For each output channel of a convolution with ``weight`` (F, C // groups, KH, KW),
    the input channels it reads (:func:`generator.figures.grouped_channels.connections`:
    found by running :func:`nn.conv2d` on one input channel at a time)."""
    return [[int(i) for i in np.flatnonzero(row)] for row in connections(weight, groups)]


def _grouped_example() -> dict:
    rng = np.random.default_rng(7)
    c, f, g = 4, 4, 2
    x = rng.integers(-2, 3, size=(1, c, 3, 3)).astype(float)          # (N, C, H, W)
    w = rng.integers(-1, 2, size=(f, c // g, 2, 2)).astype(float)     # (F, C // g, KH, KW)
    y = nn.conv2d(x, w, groups=g)                                     # (1, F, 2, 2)
    # the same layer as g separate convolutions on the channel slices, concatenated
    halves = [nn.conv2d(x[:, i * c // g:(i + 1) * c // g], w[i * f // g:(i + 1) * f // g])
              for i in range(g)]
    split = np.concatenate(halves, axis=1)                            # (1, F, 2, 2)
    return {"c": c, "f": f, "g": g, "x_shape": x.shape[1:], "w_shape": w.shape, "kernel": w.shape[2:],
            "y_shape": y.shape[1:], "per_group": c // g, "sees": sees(w, g),
            "dense_sees": sees(rng.integers(-1, 2, size=(f, c, 2, 2)).astype(float), 1),
            "split_error": float(np.abs(y - split).max()),
            "weights": counts.conv2d_params(c, f, (2, 2), groups=g, bias=False)[0],
            "dense_weights": counts.conv2d_params(c, f, (2, 2), bias=False)[0]}


def grouped_rows(table) -> list[tuple]:
    """``(row, layer)`` of every grouped convolution of ``table`` (the concept's rule)."""
    return [(r, l) for r, l in leaves(table) if concepts.GROUPED.uses(r, l)]


def _plain_3x3(net_id: str) -> list:
    """The rows of the 3×3 convolutions inside the blocks of a plain ResNet, in order."""
    return [r for r, l in leaves(layer_table(load_builtin(net_id)))
            if concepts.CONV_KIND == r.type and l is not None and tuple(l.kernel) == (3, 3)
            and "." in r.index]


def _resnext() -> dict:
    table = layer_table(load_builtin(RESNEXT))
    grouped = grouped_rows(table)
    plain = _plain_3x3(RESNET)
    if len(plain) != len(grouped):
        raise ValueError(f"{RESNET} has {len(plain)} 3×3 convolutions in its blocks, "
                         f"{RESNEXT} {len(grouped)} grouped ones")
    shapes: dict[tuple, dict] = {}
    for (row, layer), other in zip(grouped, plain):
        key = (row.input_shape, row.output_shape)
        entry = shapes.setdefault(key, {"input": row.input_shape, "output": row.output_shape,
                                        "groups": layer.groups, "kernel": layer.kernel,
                                        "width": row.input_shape[0] // layer.groups,
                                        "count": 0, "params": row.params, "macs": row.macs,
                                        "resnet": {"input": other.input_shape,
                                                   "output": other.output_shape,
                                                   "params": other.params, "macs": other.macs}})
        entry["count"] += 1
        dense_w, dense_b = counts.conv2d_params(row.input_shape[0], row.output_shape[0],
                                                layer.kernel, bias=layer.bias)
        entry["dense_params"] = dense_w + dense_b
        entry["dense_macs"] = counts.conv2d_macs(row.input_shape[0], row.output_shape[0],
                                                 layer.kernel, row.output_shape[1:])
    rows = list(shapes.values())
    grouped_params = sum(r["count"] * r["params"] for r in rows)
    dense_params = sum(r["count"] * r["dense_params"] for r in rows)
    grouped_macs = sum(r["count"] * r["macs"] for r in rows)
    dense_macs = sum(r["count"] * r["dense_macs"] for r in rows)
    total, resnet_total = table.totals, layer_table(load_builtin(RESNET)).totals
    macs = {r["macs"] for r in rows}
    ratios = {r["dense_params"] / r["params"] for r in rows} | {r["dense_macs"] / r["macs"] for r in rows}
    return {**_network(RESNEXT), "count": len(grouped), "rows": rows, "resnet": _network(RESNET),
            "same_macs": macs.pop() if len(macs) == 1 else None,
            "first": rows[0], "ratio": int(ratios.pop()) if len(ratios) == 1 else None,
            "resnet_total_params": resnet_total.params, "resnet_total_macs": resnet_total.macs,
            "resnet_params": sum(r["count"] * r["resnet"]["params"] for r in rows),
            "resnet_macs": sum(r["count"] * r["resnet"]["macs"] for r in rows),
            "grouped_params": grouped_params, "grouped_macs": grouped_macs,
            "total_params": total.params, "total_macs": total.macs,
            "dense_total_params": total.params - grouped_params + dense_params,
            "dense_total_macs": total.macs - grouped_macs + dense_macs}


def _grouped_networks() -> list[dict]:
    out = []
    for net_id in BUILTINS:
        found = grouped_rows(layer_table(load_builtin(net_id)))
        if not found:
            continue
        groups = sorted({l.groups for _, l in found})
        widths = sorted({r.input_shape[0] // l.groups for r, l in found})
        out.append({**_network(net_id), "count": len(found), "groups": groups, "widths": widths,
                    "names": [text.markdown(r.name) for r, _ in found]})
    return out


def _shuffle(channels: int = 6, groups: int = 2) -> dict:
    """``channel_shuffle`` on channels numbered 0, 1, ...: the order they come out in."""
    x = np.arange(float(channels)).reshape(1, channels, 1, 1)        # (N, C, 1, 1)
    out = nn.channel_shuffle(x, groups)[0, :, 0, 0]                  # (C,)
    per = channels // groups
    return {"channels": channels, "groups": groups, "order": [int(v) for v in out],
            "before": [list(range(i * per, (i + 1) * per)) for i in range(groups)]}


def grouped_convolution() -> dict:
    return {"example": _grouped_example(), "resnext": _resnext(), "networks": _grouped_networks(),
            "shuffle": _shuffle(), "shufflenet": _network(SHUFFLENET),
            "layout": text.SHAPE_LAYOUT,
            "code": snippets.run("grouped_convolution")}


# ----------------------------------------------------------------- batch normalisation


def fold(weight, bias, mean, var, gamma, beta, eps):
    """A convolution (weight (F, C, KH, KW), bias (F,) or None) followed by batchnorm at
    inference, as one convolution: ``(weight', bias')`` with
    ``weight' = weight * s`` and ``bias' = (bias - mean) * s + beta``, ``s = gamma / sqrt(var + eps)``."""
    s = gamma / np.sqrt(var + eps)                      # (F,)
    b = np.zeros_like(mean) if bias is None else bias
    return weight * s[:, None, None, None], (b - mean) * s + beta  # (F,) -> (F, 1, 1, 1)


def _bn_example() -> dict:
    rng = np.random.default_rng(11)
    c = 3
    x = rng.integers(-4, 9, size=(1, c, 2, 2)).astype(float)        # (N, C, H, W)
    mean = np.array([2.0, -1.0, 4.0])
    var = np.array([4.0, 0.25, 9.0])
    gamma = np.array([1.0, 2.0, 0.5])
    beta = np.array([0.0, 1.0, -1.0])
    y = nn.batch_norm(x, mean, var, gamma, beta, eps=TORCH_EPS)
    ch = 0
    v = x[0, ch, 0, 0]
    by_hand = (v - mean[ch]) / np.sqrt(var[ch] + TORCH_EPS) * gamma[ch] + beta[ch]
    rows = [{"c": i, "x": [float(t) for t in x[0, i].ravel()], "mean": mean[i], "var": var[i],
             "gamma": gamma[i], "beta": beta[i], "y": [float(t) for t in y[0, i].ravel()]}
            for i in range(c)]
    return {"shape": x.shape[1:], "rows": rows, "mean": mean, "gamma": gamma, "beta": beta,
            "eps": TORCH_EPS, "eps_exponent": int(round(np.log10(TORCH_EPS))), "var": var,
            "ch": ch, "value": float(v), "by_hand": float(by_hand),
            "std": float(np.sqrt(var[ch] + TORCH_EPS)), "out": float(y[0, ch, 0, 0])}


def _fold_check() -> dict:
    """ResNet-18's first convolution and its batchnorm, folded and checked on a real input size."""
    net = load_builtin("resnet18")
    table = layer_table(net)
    pairs = list(leaves(table))
    conv_at = next(i for i, (r, l) in enumerate(pairs) if r.type == concepts.CONV_KIND)
    (conv, layer), (bn_row, bn_layer) = pairs[conv_at], pairs[conv_at + 1]
    assert concepts.BATCHNORM.uses(bn_row, bn_layer), "the stem's convolution is followed by a batchnorm"
    rng = np.random.default_rng(1)
    c_in, f = conv.input_shape[0], conv.output_shape[0]
    kh, kw = layer.kernel
    w = rng.standard_normal((f, c_in, kh, kw)) * 0.1             # (F, C, KH, KW)
    b = rng.standard_normal(f) if layer.bias else None
    mean, var = rng.standard_normal(f), rng.uniform(0.5, 2.0, f)
    gamma, beta = rng.uniform(0.5, 1.5, f), rng.standard_normal(f)
    x = rng.standard_normal((1, *conv.input_shape))                # (1, C, H, W)
    geo = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation)
    two = nn.batch_norm(nn.conv2d(x, w, b, **geo), mean, var, gamma, beta, eps=bn_layer.eps)
    fw, fb = fold(w, b, mean, var, gamma, beta, bn_layer.eps)
    one = nn.conv2d(x, fw, fb, **geo)
    return {"conv": conv.name, "bn": bn_row.name, "input": conv.input_shape, "output": conv.output_shape,
            "kernel": layer.kernel, "bias": layer.bias, "eps": bn_layer.eps,
            "error": float(np.abs(one - two).max()), "scale": float(np.abs(two).max()),
            "bn_params": bn_row.params, "bn_buffers": bn_row.buffers, **_network("resnet18")}


#: The batch mean the momentum example's running mean follows, from 0.
MOMENTUM_TARGET = 1.0


def _momentum(torch_momentum: float, target: float = MOMENTUM_TARGET) -> int:
    """Training steps until PyTorch's running mean, from 0, reaches :data:`REACH` of a batch
    mean that stays ``target``: :func:`nn.batch_norm` with ``training=True``, step by step."""
    running_mean, running_var = np.zeros(1), np.ones(1)
    batch = np.array([[target - 1.0], [target + 1.0]])  # (N, C) = (2, 1), mean ``target``
    steps = 0
    while running_mean[0] < REACH * target:
        nn.batch_norm(batch, running_mean, running_var, training=True, momentum=torch_momentum)
        steps += 1
    return steps


def _bn_counts() -> list[dict]:
    out = []
    for net_id in BATCHNORM_NETWORKS:
        table = layer_table(load_builtin(net_id))
        rows = [r for r, l in leaves(table) if concepts.BATCHNORM.uses(r, l)]
        channels = sum(r.output_shape[0] for r in rows)
        params = sum(r.params for r in rows)
        out.append({**_network(net_id), "layers": len(rows), "channels": channels,
                    "params": params, "buffers": sum(r.buffers for r in rows),
                    "formula_params": sum(sum(counts.batchnorm_params(r.output_shape[0])) for r in rows),
                    "formula_buffers": sum(counts.batchnorm_buffers(r.output_shape[0]) for r in rows),
                    "total": table.totals.params, "share": params / table.totals.params,
                    "total_buffers": table.totals.buffers})
    return out


def batch_norm() -> dict:
    torch_steps = _momentum(TORCH_MOMENTUM)
    keras_steps = _momentum(round(1 - KERAS_MOMENTUM, 12))  # Keras's momentum as PyTorch's
    plain, bn = (layer_table(load_builtin(i)).totals.params for i in ("vgg16", "vgg16-bn"))
    return {"example": _bn_example(), "fold": _fold_check(), "networks": _bn_counts(),
            "torch": {"momentum": TORCH_MOMENTUM, "eps": TORCH_EPS, "steps": torch_steps},
            "keras": {"momentum": KERAS_MOMENTUM, "eps": KERAS_EPS, "steps": keras_steps,
                      "as_torch": round(1 - KERAS_MOMENTUM, 12),
                      "of_torch": round(1 - TORCH_MOMENTUM, 12)},
            "reach": REACH, "target": MOMENTUM_TARGET, "vgg": {"plain": plain, "bn": bn, "difference": bn - plain},
            "layout": text.SHAPE_LAYOUT,
            "counting": "../" + site_map.REFERENCE.path("counting-conventions"),
            "code": snippets.run("batch_norm")}


# ----------------------------------------------------------------------- concatenation


def _concat_networks() -> list[dict]:
    out = []
    for net_id in CONCAT_NETWORKS:
        table = layer_table(load_builtin(net_id))
        found = concat_parts(table)
        row, parts = found[0]
        assert sum(parts) == row.output_shape[0], (net_id, parts)
        out.append({**_network(net_id), "count": len(found), "parts": parts,
                    "output": row.output_shape, "hw": row.output_shape[1:]})
    return out


def _densenet_block() -> dict:
    """DenseNet-121's first dense block: the channels after each concatenation."""
    table = layer_table(load_builtin("densenet121"))
    found = concat_parts(table)
    first_block = found[0][0].index.split(".")[0]
    block = [(r, p) for r, p in found if r.index.split(".")[0] == first_block]
    return {"start": block[0][0].input_shape[0], "growth": block[0][1][1],
            "channels": [r.output_shape[0] for r, _ in block], "layers": len(block),
            "hw": block[0][0].output_shape[1:]}


def _concat_example() -> dict:
    """Concatenate two small volumes, channels first and channels last, and show that a 1×1
    convolution of the concatenation is the sum of 1×1 convolutions of the parts."""
    rng = np.random.default_rng(5)
    a = rng.integers(-2, 3, size=(1, 2, 3, 3)).astype(float)          # (N, 2, H, W)
    b = rng.integers(-2, 3, size=(1, 3, 3, 3)).astype(float)          # (N, 3, H, W)
    cat = np.concatenate([a, b], axis=1)                               # (N, 5, H, W)
    last = np.concatenate([a.transpose(0, 2, 3, 1), b.transpose(0, 2, 3, 1)], axis=-1)  # NHWC
    w = rng.integers(-1, 2, size=(4, 5, 1, 1)).astype(float)          # (F, 5, 1, 1)
    whole = nn.conv2d(cat, w)                                          # (N, F, H, W)
    parts = nn.conv2d(a, w[:, :2]) + nn.conv2d(b, w[:, 2:])
    return {"a": a.shape[1:], "b": b.shape[1:], "cat": cat.shape[1:],
            "a_nhwc": a.transpose(0, 2, 3, 1).shape, "b_nhwc": b.transpose(0, 2, 3, 1).shape,
            "last": last.shape, "same_values": bool(np.array_equal(last, cat.transpose(0, 2, 3, 1))),
            "f": w.shape[0], "error": float(np.abs(whole - parts).max())}


def concatenation() -> dict:
    return {"example": _concat_example(), "networks": _concat_networks(),
            "densenet": _densenet_block(), "layout": text.SHAPE_LAYOUT,
            "counting": "../" + site_map.REFERENCE.path("counting-conventions"),
            "code": snippets.run("concatenation")}
