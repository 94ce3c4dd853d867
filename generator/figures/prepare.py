"""The numbers each figure kind draws, computed with ``generator.nn`` (and tables).

One function per figure kind turns a catalog entry's parameters into a
:class:`Prepared`: NumPy arrays (``data``) and plain values (``facts``, used
by the drawing code and in alt text and captions). This module never imports
matplotlib: a warm build computes these, hashes them, finds the figure in the
cache and draws nothing.

Index arithmetic is done by the operators themselves where possible: the
cells each output reads come from :func:`generator.nn.windows.window_view`
applied to a grid of cell numbers, the zeros a transposed convolution inserts
from :func:`generator.nn.conv.conv_transpose2d` with a 1x1 kernel of ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn import shapes
from ..nn.conv import conv2d, conv_transpose2d
from ..nn.pad import pad
from ..nn.pool import avg_pool2d, max_pool2d
from ..nn.windows import window_view
from ..specs import SPEC_DIR

#: Files the computations read besides code: the built-in specs (architecture diagrams).
DATA_FILES = tuple(sorted(SPEC_DIR.glob("*.yaml")))

#: Cell codes of the grids the sliding-window figures draw.
PAD, INPUT, ZERO = 0, 1, 2


@dataclass
class Prepared:
    """What a figure draws: arrays in ``data``; ints, strings and lists in ``facts``."""

    data: dict[str, np.ndarray] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)


def _taps(grid_hw, kernel, stride, dilation, out_hw):
    """Rows and columns of the cells each output position reads.

    Returns two int arrays of shape (OH*OW, KH*KW), outputs in row-major order.
    """
    hp, wp = grid_hw
    rows = np.broadcast_to(np.arange(hp)[:, None], (hp, wp)).astype(float)
    cols = np.broadcast_to(np.arange(wp)[None, :], (hp, wp)).astype(float)
    out = []
    for index in (rows, cols):
        v = window_view(index[None, None], kernel, stride, dilation, out_hw)  # (1, 1, KH, KW, OH, OW)
        v = v[0, 0].transpose(2, 3, 0, 1)  # -> (OH, OW, KH, KW)
        out.append(v.reshape(out_hw[0] * out_hw[1], kernel[0] * kernel[1]).astype(np.int16))
    return out


def _torch_pad(top, bottom, left, right):
    return (left, right, top, bottom)


# --------------------------------------------------------------- sliding windows


def _counterpart(conv: dict) -> dict:
    """The transposed convolution that maps ``conv``'s output size back to its input size.

    Its input is the convolution's output; ``output_padding`` restores the
    rows/columns the convolution's floor division dropped (Dumoulin & Visin's
    "a" parameter).
    """
    size = shapes.pair(conv["size"], "size")
    k, s = conv["kernel"], conv.get("stride", 1)
    pd, d = conv.get("padding", 0), conv.get("dilation", 1)
    out = shapes.conv2d_output_hw(size, k, s, pd, d)
    back = shapes.conv_transpose2d_output_hw(out, k, s, pd, 0, d)
    return {"size": list(out), "kernel": k, "stride": s, "padding": pd, "dilation": d,
            "output_padding": [a - b for a, b in zip(size, back)], "transposed": True,
            "counterpart_of": {"size": list(size), "out": list(out)}}



def sliding_window(p: dict) -> Prepared:
    """A convolution (or transposed convolution) drawn as a direct convolution.

    Parameters: ``size``, ``kernel``, ``stride`` (1), ``padding`` (0),
    ``dilation`` (1), ``transposed`` (false), ``output_padding`` (0); sizes
    are ints or [h, w]. A transposed convolution is drawn as Dumoulin & Visin
    do: ``stride - 1`` zeros inserted between input cells, implicit padding
    ``dilation*(kernel-1) - padding`` around them (plus ``output_padding``
    at the bottom/right), and a stride-1 convolution over the result.

    data: ``grid`` (Hp, Wp) int8 of PAD/INPUT/ZERO; ``tap_rows``/``tap_cols``
    (OH*OW, KH*KW). facts: the arguments as pairs, ``out`` (OH, OW), ``grid``
    (Hp, Wp), ``implicit_padding`` (transposed only), ``frames``.
    """
    if "counterpart_of" in p:
        p = _counterpart(p["counterpart_of"])
    size = shapes.pair(p["size"], "size")
    k = shapes.pair(p["kernel"], "kernel")
    s = shapes.pair(p.get("stride", 1), "stride")
    pd = shapes.pair(p.get("padding", 0), "padding")
    d = shapes.pair(p.get("dilation", 1), "dilation")
    facts = {"transposed": bool(p.get("transposed", False)), "size": size, "kernel": k,
             "stride": s, "padding": pd, "dilation": d}
    if not facts["transposed"]:
        out = shapes.conv2d_output_hw(size, k, s, pd, d)
        ones = np.ones(size)
        grid = pad(ones, _torch_pad(pd[0], pd[0], pd[1], pd[1]), value=PAD)  # input 1, padding 0
        codes = grid.astype(np.int8)
        step = s
    else:
        op = shapes.pair(p.get("output_padding", 0), "output_padding")
        out = shapes.conv_transpose2d_output_hw(size, k, s, pd, op, d)
        implicit = tuple(dd * (kk - 1) - pp for dd, kk, pp in zip(d, k, pd))
        if min(implicit) < 0:
            raise ValueError(
                f"padding {pd[0]} is larger than dilation*(kernel-1) = {d[0] * (k[0] - 1)}: "
                "the equivalent direct convolution would crop, which this figure does not draw")
        # ones where the inputs are, the inserted zeros between them
        spread = conv_transpose2d(np.ones((1, 1) + size), np.ones((1, 1, 1, 1)), stride=s)[0, 0]
        grid = pad(spread + 1.0, _torch_pad(implicit[0], implicit[0] + op[0],
                                            implicit[1], implicit[1] + op[1]), value=0.0)
        codes = np.choose(grid.astype(np.int8), [PAD, ZERO, INPUT]).astype(np.int8)
        step = (1, 1)
        facts.update(output_padding=op, implicit_padding=implicit,
                     inserted=tuple(ss - 1 for ss in s),
                     counterpart_of=p.get("counterpart_of"))
        direct = shapes.conv2d_output_hw(codes.shape, k, 1, 0, d)
        if direct != out:  # the picture would be wrong: fail loudly
            raise AssertionError(f"direct equivalent gives {direct}, transposed gives {out}")
    rows, cols = _taps(codes.shape, k, step, d, out)
    facts.update(out=out, grid=codes.shape, frames=out[0] * out[1])
    return Prepared({"grid": codes, "tap_rows": rows, "tap_cols": cols}, facts)


# --------------------------------------------------------------- value grids


def _matrix(v, name: str) -> np.ndarray:
    a = np.asarray(v, dtype=float)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D list of numbers, got shape {a.shape}")
    return a


def conv_values(p: dict) -> Prepared:
    """Input, kernel and output of a single-channel ``conv2d`` with every value.

    Parameters: ``x`` (H x W list), ``w`` (KH x KW list), ``stride`` (1),
    ``padding`` (0), ``animate`` (false), ``title`` (optional).

    data: ``x`` (H, W); ``w`` (KH, KW); ``xp`` (Hp, Wp) the zero-padded input;
    ``grid`` (Hp, Wp) PAD/INPUT codes; ``y`` (OH, OW) = conv2d(x, w);
    ``tap_rows``/``tap_cols`` (OH*OW, KH*KW) the cells of ``xp`` each output reads.
    """
    x, w = _matrix(p["x"], "x"), _matrix(p["w"], "w")
    s = shapes.pair(p.get("stride", 1), "stride")
    pd = shapes.pair(p.get("padding", 0), "padding")
    y = conv2d(x[None, None], w[None, None], stride=s, padding=pd)[0, 0]  # (1,1,H,W) -> (OH, OW)
    xp = pad(x, _torch_pad(pd[0], pd[0], pd[1], pd[1]))
    grid = pad(np.ones_like(x), _torch_pad(pd[0], pd[0], pd[1], pd[1])).astype(np.int8)
    rows, cols = _taps(xp.shape, w.shape, s, (1, 1), y.shape)
    facts = {"size": x.shape, "kernel": w.shape, "stride": s, "padding": pd, "out": y.shape,
             "frames": y.size if p.get("animate") else 1,
             "out_min": float(y.min()), "out_max": float(y.max()), "first": float(y[0, 0])}
    return Prepared({"x": x, "w": w, "xp": xp, "grid": grid, "y": y,
                     "tap_rows": rows, "tap_cols": cols}, facts)


def pooling(p: dict) -> Prepared:
    """Max or average pooling of one channel, each window with its values.

    Parameters: ``x`` (H x W list), ``mode`` ("max" or "avg"), ``kernel`` (2),
    ``stride`` (= kernel). Windows must not overlap (each gets one colour).

    data: ``x`` (H, W); ``y`` (OH, OW); ``tap_rows``/``tap_cols``
    (OH*OW, KH*KW); for max, ``arg_rows``/``arg_cols`` (OH*OW,) the cell
    each maximum comes from (the first one on ties, as PyTorch picks).
    """
    x = _matrix(p["x"], "x")
    mode = p.get("mode", "max")
    k = shapes.pair(p.get("kernel", 2), "kernel")
    s = shapes.pair(p.get("stride", k), "stride")
    if s[0] < k[0] or s[1] < k[1]:
        raise ValueError(f"stride {s} is smaller than kernel {k}: overlapping windows "
                         "cannot each get one colour")
    data = {"x": x}
    if mode == "max":
        y, idx = max_pool2d(x[None], k, s, return_indices=True)  # (1, OH, OW) each
        y, idx = y[0], idx[0]
        data["arg_rows"], data["arg_cols"] = (a.reshape(-1).astype(np.int16)
                                              for a in np.divmod(idx, x.shape[1]))
    elif mode == "avg":
        y = avg_pool2d(x[None], k, s)[0]  # (1, OH, OW) -> (OH, OW)
    else:
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    data["y"] = y
    data["tap_rows"], data["tap_cols"] = _taps(x.shape, k, s, (1, 1), y.shape)
    facts = {"mode": mode, "size": x.shape, "kernel": k, "stride": s, "out": y.shape,
             "windows": y.size}
    return Prepared(data, facts)


def padding_modes(p: dict) -> Prepared:
    """One small input padded in each of PyTorch's modes.

    Parameters: ``x`` (H x W list), ``pad`` (int, on every side), ``modes``
    (default all four: constant, reflect, replicate, circular).

    data: ``x``; ``<mode>`` (H+2p, W+2p) for each mode; ``inside`` (H+2p,
    W+2p) 1 where the original input lies.
    """
    x = _matrix(p["x"], "x")
    n = int(p["pad"])
    modes = list(p.get("modes", ["constant", "reflect", "replicate", "circular"]))
    data = {"x": x, "inside": pad(np.ones_like(x), (n,) * 4).astype(np.int8)}
    for m in modes:
        data[m] = pad(x[None], (n,) * 4, mode=m)[0]  # (1, H, W) -> (H+2p, W+2p)
    return Prepared(data, {"size": x.shape, "pad": n, "modes": modes,
                           "padded": data["inside"].shape})


# --------------------------------------------------------------- volumes


def volume_conv(p: dict) -> Prepared:
    """Shapes of a convolution over a volume: H x W x C input, F filters, output maps.

    Parameters: ``input`` [H, W, C], ``kernel`` (int), ``filters`` (int),
    ``stride`` (1), ``padding`` (0).

    facts: ``input`` [H, W, C], ``kernel``, ``filter`` [K, K, C], ``filters``,
    ``out`` [OH, OW, F] with OH, OW from :func:`generator.nn.shapes.conv2d_output_hw`.
    """
    h, w, c = (int(v) for v in p["input"])
    k, n = int(p["kernel"]), int(p["filters"])
    s, pd = p.get("stride", 1), p.get("padding", 0)
    oh, ow = shapes.conv2d_output_hw((h, w), k, s, pd)
    if n < 1:
        raise ValueError(f"filters must be at least 1, got {n}")
    return Prepared({}, {"input": [h, w, c], "kernel": k, "filter": [k, k, c],
                         "filters": n, "stride": shapes.pair(s, "stride"),
                         "padding": shapes.pair(pd, "padding"), "out": [oh, ow, n]})


# --------------------------------------------------------------- output-size curves


def _or_nan(f, *args, **kw) -> float:
    try:
        out = f(*args, **kw)
    except ValueError:  # the window does not fit, or an invalid pooling padding
        return np.nan
    return float(out[0] if isinstance(out, tuple) else out)


def output_size(p: dict) -> Prepared:
    """Output size against input size, in the conventions people mix up.

    Parameters: ``settings``, a list of {kernel, stride, padding}; ``sizes``
    [first, last] input sizes (default [1, 16]).

    data, each (S, N) for S settings and N sizes (NaN where undefined):
    ``exact`` = (n + 2p - k) / s + 1 without rounding; ``floor`` PyTorch
    conv/pool (:func:`shapes.conv_output_size`); ``ceil`` PyTorch pooling
    with ``ceil_mode=True`` (:func:`shapes.pool_output_size`); ``tf``
    TensorFlow 'SAME' (:func:`shapes.tf_output_size`, which ignores p);
    and ``n`` (N,).
    """
    lo, hi = (int(v) for v in p.get("sizes", [1, 16]))
    n = np.arange(lo, hi + 1)
    settings = [{"kernel": int(s["kernel"]), "stride": int(s.get("stride", 1)),
                 "padding": int(s.get("padding", 0))} for s in p["settings"]]
    data = {"n": n}
    rows = {"exact": [], "floor": [], "ceil": [], "tf": []}
    for st in settings:
        k, s, pd = st["kernel"], st["stride"], st["padding"]
        exact = (n + 2 * pd - k) / s + 1
        rows["exact"].append(np.where(n + 2 * pd >= k, exact, np.nan))
        rows["floor"].append([_or_nan(shapes.conv_output_size, int(v), k, s, pd) for v in n])
        rows["ceil"].append([_or_nan(shapes.pool_output_size, int(v), k, s, pd, ceil_mode=True)
                             for v in n])
        rows["tf"].append([_or_nan(shapes.tf_output_size, int(v), k, s, padding="SAME")
                           for v in n])
    for name, r in rows.items():
        data[name] = np.asarray(r, dtype=float)
    fractional = np.isfinite(data["exact"]) & (data["exact"] != np.floor(data["exact"]))
    data["fractional"] = fractional
    differ = [[int(v) for v in n[fractional[i]]] for i in range(len(settings))]
    return Prepared(data, {"settings": settings, "sizes": [lo, hi], "fractional": differ})


# --------------------------------------------------------------- feature maps

#: Sample photographs that ship with matplotlib (found without importing it).
SAMPLES = {"grace_hopper": "grace_hopper.jpg"}


def sample_image(name: str) -> np.ndarray:
    """A matplotlib sample photograph in greyscale, values 0..1: (H, W)."""
    from importlib.util import find_spec

    from PIL import Image

    if name not in SAMPLES:
        raise ValueError(f"image must be one of {', '.join(SAMPLES)}, got {name!r}")
    spec = find_spec("matplotlib")
    path = f"{spec.submodule_search_locations[0]}/mpl-data/sample_data/{SAMPLES[name]}"
    with Image.open(path) as im:
        grey = im.convert("L")  # ITU-R 601-2 luma
        return np.asarray(grey, dtype=float) / 255.0


def feature_maps(p: dict) -> Prepared:
    """Edge filters on a photograph with ``conv2d``, and ``max_pool2d`` of each map.

    Parameters: ``image`` (a :data:`SAMPLES` name), ``shrink`` (average-pool
    the photo by this factor first, default 3), ``filters`` {name: K x K list},
    ``magnitude`` [name_x, name_y, label] (optional: also show
    sqrt(x^2 + y^2) of two maps), ``pool`` (2).

    data: ``image`` (H, W); ``maps`` (F, H', W') for each filter (then the
    magnitude); ``pooled_image`` and ``pooled`` (F, H'/2, W'/2).
    """
    shrink, k_pool = int(p.get("shrink", 3)), int(p.get("pool", 2))
    photo = sample_image(p.get("image", "grace_hopper"))
    image = avg_pool2d(photo[None, None], shrink)[0, 0]  # (1,1,H,W) -> (H/s, W/s)
    names = list(p["filters"])
    weight = np.stack([_matrix(p["filters"][n], n) for n in names])[:, None]  # (F, 1, K, K)
    maps = conv2d(image[None, None], weight)[0]  # (1, 1, H, W) -> (F, H', W')
    labels = list(names)
    if p.get("magnitude"):
        gx, gy, label = p["magnitude"]
        mag = np.sqrt(maps[names.index(gx)] ** 2 + maps[names.index(gy)] ** 2)
        keep = [i for i, n in enumerate(names) if n not in (gx, gy)]
        maps = np.concatenate([maps[keep], mag[None]])
        labels = [names[i] for i in keep] + [label]
    pooled = max_pool2d(maps[None], k_pool)[0]  # (1, F, H', W') -> (F, H'/k, W'/k)
    pooled_image = max_pool2d(image[None, None], k_pool)[0, 0]
    return Prepared({"image": image, "maps": maps, "pooled": pooled,
                     "pooled_image": pooled_image},
                    {"image": p.get("image", "grace_hopper"), "size": image.shape,
                     "photo": photo.shape, "labels": labels, "out": maps.shape[1:],
                     "pooled": pooled.shape[1:], "pool": k_pool, "shrink": shrink,
                     "signed": [bool(m.min() < 0) for m in maps],
                     # display range of each map: a few extreme pixels would wash the rest out
                     "limits": [float(np.percentile(np.abs(m), 99.5)) for m in maps]})


# --------------------------------------------------------------- architectures

#: Layers that keep the shape and are not drawn as a volume of their own.
ELEMENTWISE = {"relu", "tanh", "sigmoid", "batchnorm", "dropout", "softmax"}
#: Pools that may leave the shape as it is (then drawn as a note on the stage before).
SHAPE_KEEPING_POOLS = {"adaptive_avgpool", "maxpool", "avgpool"}


def _stages(rows, first_shape) -> list[dict]:
    """Consecutive drawn rows folded into stages: one volume per stage.

    Rows of the same kind with the same output shape fold into one stage
    (``count``); a layer that does not change the shape (an adaptive pool to
    the size it already has) joins the stage before it as ``also``.
    """
    stages: list[dict] = []
    prev_shape = list(first_shape)
    for row in rows:
        shape = list(row.output_shape)
        if row.type in ELEMENTWISE:
            prev_shape = shape
            continue
        last = stages[-1] if stages else None
        if last and last["type"] == row.type and last["shape"] == shape and "branches" not in last:
            last["count"] += 1
            last["names"].append(row.name)
            if row.details != last["details"]:
                last["details"] = ""
        elif last and row.type in SHAPE_KEEPING_POOLS and shape == prev_shape == last["shape"]:
            last["also"].append(row.type)
        else:
            stage = {"type": row.type, "shape": shape, "count": 1, "names": [row.name],
                     "details": row.details, "also": []}
            if row.type == "concat" and row.children:
                lanes: dict[str, list] = {}
                for child in row.children:
                    if child.path:
                        lanes.setdefault(child.path, []).append(child)
                stage["branches"] = [_stages(lane, prev_shape) for lane in lanes.values()]
                stage["details"] = row.children[-1].details  # "channels 64 + 128 + ..."
            stages.append(stage)
        prev_shape = shape
    return stages


def architecture(p: dict) -> Prepared:
    """A network's volumes, from its spec (``generator.specs``) and layer table (``generator.tables``).

    Parameters: ``network``, a built-in id (``generator.specs.BUILTINS``).

    facts: ``name``; ``input`` (C, H, W); ``stages``, each {type, shape
    (C, H, W) or (features,), count, names, details, also, [branches]};
    ``layers``, the number of rows of the table; ``params``, the total.
    """
    from ..specs import load_builtin
    from ..tables import layer_table

    net = load_builtin(p["network"])
    table = layer_table(net)
    stages = [{"type": "input", "shape": list(table.input_shape), "count": 1, "names": [],
               "details": "", "also": []}]
    stages += _stages(table.rows, table.input_shape)
    return Prepared({}, {"network": p["network"], "name": net.name,
                         "input": list(table.input_shape), "stages": stages,
                         "layers": sum(1 for _ in table.walk()),
                         "params": table.totals.params})


# --------------------------------------------------------------- receptive field


def receptive_field(p: dict) -> Prepared:
    """How much of the input one output sees, after each layer of a stack.

    Parameters: ``size`` (input side), ``layers``: a list of {name, kernel,
    stride (1), padding (0), dilation (1)}.

    The fields come from :func:`generator.tables.receptive.window` (size,
    jump, start per layer); the output followed is the centre one of the last
    layer, and before it, layer by layer, the centre tap of its window.

    facts: ``size``; ``layers`` (as given, with defaults); ``out`` each
    layer's output side; ``fields`` [[start, size], ...] per layer, in
    input pixels, of the followed output (start < 0 reaches into padding);
    ``rf`` the receptive-field size per layer; ``jump`` per layer.
    """
    from ..tables import receptive

    n = int(p["size"])
    layers = [{"name": l.get("name", f"layer {i + 1}"), "kernel": int(l["kernel"]),
               "stride": int(l.get("stride", 1)), "padding": int(l.get("padding", 0)),
               "dilation": int(l.get("dilation", 1))} for i, l in enumerate(p["layers"])]
    field, fields, outs, size = receptive.INPUT, [], [], n
    for l in layers:
        k, s, pd, d = l["kernel"], l["stride"], l["padding"], l["dilation"]
        size = shapes.conv_output_size(size, k, s, pd, d)
        field = receptive.window(field, (k, k), (s, s), (pd, pd), (d, d))
        fields.append(field[0])
        outs.append(size)
    # follow the centre output of the last layer back through the centre taps
    index = [0] * len(layers)
    index[-1] = outs[-1] // 2
    for i in range(len(layers) - 1, 0, -1):
        l = layers[i]
        index[i - 1] = index[i] * l["stride"] - l["padding"] + l["dilation"] * (l["kernel"] - 1) // 2
    spans = [[f.start + i * f.jump, f.size] for f, i in zip(fields, index)]
    return Prepared({}, {"size": n, "layers": layers, "out": outs, "fields": spans,
                         "rf": [f.size for f in fields], "jump": [f.jump for f in fields]})
