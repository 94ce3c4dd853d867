"""Write tests/nn/tf_golden.json: what real TensorFlow/Keras gives, for the tests that run without it.

Run under an environment with TensorFlow (not a dependency of the site), from the
repository's root:

    PYTHONPATH=. /path/to/tf-venv/bin/python tests/nn/make_tf_golden.py

Every case is drawn from a fixed seed and every value is read from TensorFlow
itself (in float64 where the dtype matters: on x86 the float32 kernels go through
oneDNN, which gives a window longer than its input a wrong size instead of 0): output sizes from the layers' outputs, the 'SAME' padding split by
trying explicit paddings until ``tf.nn.conv2d`` gives the same numbers, pooled
values, parameter counts from ``count_params()`` and the weights' shapes, the
layers' defaults and the messages of their refusals.  Only the last part,
``statements``, imports ``generator``: it reads the inputs of the site's own
TensorFlow examples from the page-value functions and records what TensorFlow
gives for them (tests/pages/test_statements.py compares the pages' values).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path

import numpy as np

try:  # pytest's doctest run imports every module under tests/, TensorFlow or not
    import tensorflow as tf
    import keras
except ImportError:
    tf = keras = L = None
else:
    L = keras.layers
OUT = Path(__file__).with_name("tf_golden.json")
SEED = 2026


def _error(exc: Exception) -> str:
    """The first line of a refusal, without Keras's ANSI colours."""
    first = str(exc).strip().split("\n")[0]
    return f"{type(exc).__name__}: {first}".replace("\x1b[1m", "").replace("\x1b[0m", "")


def _conv1d(x, w, s, padding, d):
    """tf.nn.conv2d along the height only: x (1, n, 1, 1), w (k, 1, 1, 1)."""
    return tf.nn.conv2d(x, w, [1, s, 1, 1], padding, dilations=[1, d, 1, 1]).numpy()


def _same_splits(x, w, s, d):
    """The (before, after) that 'SAME' may have used: for each ``before``, the least
    explicit ``after`` that gives its numbers.  One pair, unless the input falls between
    the taps of a dilated kernel for several shifts (then every such pair is listed)."""
    target = _conv1d(x, w, s, "SAME", d)
    span = d * (w.shape[0] - 1) + 1
    found = []
    for before in range(span + 1):
        for after in range(span + 1):
            pads = [[0, 0], [before, after], [0, 0], [0, 0]]
            try:
                got = _conv1d(x, w, s, pads, d)
            except (tf.errors.InvalidArgumentError, ValueError):
                continue
            if got.shape == target.shape and np.array_equal(got, target):
                found.append([before, after])
                break
    assert found, "no explicit padding reproduces 'SAME'"
    return found


def conv_cases(rng) -> list[dict]:
    """tf.nn.conv2d 'SAME'/'VALID' (any stride with any dilation) and Keras Conv2D."""
    out = []
    for _ in range(120):
        n, k = int(rng.integers(1, 30)), int(rng.integers(1, 7))
        s, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        x = tf.constant(rng.standard_normal((1, n, 1, 1)))
        w = tf.constant(rng.standard_normal((k, 1, 1, 1)))
        for padding in ("SAME", "VALID"):
            case = {"n": n, "k": k, "s": s, "d": d, "padding": padding}
            try:
                case["tf_nn"] = int(_conv1d(x, w, s, padding, d).shape[1])
            except (tf.errors.InvalidArgumentError, ValueError) as exc:
                case["tf_nn"] = None
                case["tf_nn_error"] = _error(exc)
            if padding == "SAME":
                case["splits"] = _same_splits(x, w, s, d)
            try:
                layer = L.Conv2D(1, (k, 1), (s, 1), padding.lower(), dilation_rate=(d, 1))
                case["keras"] = int(layer(np.zeros((1, n, 1, 1), "float32")).shape[1])
            except Exception as exc:  # noqa: BLE001 -- the refusal is the datum
                case["keras"] = None
                case["keras_error"] = _error(exc)
            out.append(case)
    return out


def explicit_cases(rng) -> list[dict]:
    """tf.nn.conv2d with explicit (before, after) padding of the height."""
    out = []
    for _ in range(60):
        n, k = int(rng.integers(1, 25)), int(rng.integers(1, 7))
        s, d = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        before, after = (int(v) for v in rng.integers(0, 5, size=2))
        x, w = tf.zeros((1, n, 1, 1), tf.float64), tf.zeros((k, 1, 1, 1), tf.float64)
        case = {"n": n, "k": k, "s": s, "d": d, "pads": [before, after]}
        try:
            case["tf_nn"] = int(_conv1d(x, w, s, [[0, 0], [before, after], [0, 0], [0, 0]], d).shape[1])
        except (tf.errors.InvalidArgumentError, ValueError) as exc:
            case["tf_nn"] = None
            case["tf_nn_error"] = _error(exc)
        out.append(case)
    return out


def pool_size_cases(rng) -> list[dict]:
    """Keras MaxPooling2D / AveragePooling2D sizes ('valid', 'same'; strides None = pool_size)."""
    out = []
    for _ in range(80):
        n, k = int(rng.integers(1, 30)), int(rng.integers(1, 6))
        s = None if rng.random() < 0.2 else int(rng.integers(1, 5))
        for padding in ("same", "valid"):
            case = {"n": n, "k": k, "s": s, "padding": padding}
            for name, cls in (("max", L.MaxPooling2D), ("avg", L.AveragePooling2D)):
                try:
                    layer = cls((k, 1), None if s is None else (s, 1), padding, dtype="float64")
                    case[name] = int(layer(np.zeros((1, n, 1, 1))).shape[1])
                except Exception as exc:  # noqa: BLE001
                    case[name] = None
                    case[name + "_error"] = _error(exc)
            out.append(case)
    return out


def pool_value_cases(rng) -> list[dict]:
    """Pooled values on small integer inputs: 'same' pooling, and ZeroPadding2D then 'valid'."""
    out = []
    for _ in range(50):
        h, w = (int(v) for v in rng.integers(1, 7, size=2))
        k, s, p = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(0, 2))
        x = rng.integers(-9, 10, size=(h, w)).astype(np.float64)
        xin = x[None, :, :, None]  # (H, W) -> (1, H, W, 1): Keras's channels last
        case = {"x": x.astype(int).tolist(), "k": k, "s": s, "p": p}
        for name, cls in (("max", L.MaxPooling2D), ("avg", L.AveragePooling2D)):
            case[name + "_same"] = cls(k, s, "same", dtype="float64")(xin).numpy()[0, :, :, 0].tolist()
            padded = L.ZeroPadding2D(p, dtype="float64")(xin)
            if min(padded.shape[1:3]) >= k:
                case[name + "_zero_pad_valid"] = cls(k, s, "valid", dtype="float64")(padded).numpy()[0, :, :, 0].tolist()
        out.append(case)
    return out


def conv_transpose_cases(rng) -> list[dict]:
    """Keras Conv2DTranspose: sizes with and without output_padding, and its refusals."""
    out = []
    for _ in range(260):
        n, k = int(rng.integers(1, 9)), int(rng.integers(1, 6))
        s, d = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        padding = ("valid", "same")[int(rng.integers(0, 2))]
        op = None if rng.random() < 0.4 else int(rng.integers(0, 3))
        case = {"n": n, "k": k, "s": s, "d": d, "padding": padding, "output_padding": op}
        try:
            layer = L.Conv2DTranspose(1, (k, 1), (s, 1), padding, output_padding=None if op is None else (op, 0),
                                      dilation_rate=(d, 1))
            case["keras"] = int(layer(np.zeros((1, n, 1, 1), "float32")).shape[1])
        except Exception as exc:  # noqa: BLE001
            case["keras"] = None
            case["keras_error"] = _error(exc)
        out.append(case)
    return out


def conv_transpose_same_grid() -> list[dict]:
    """Every small Conv2DTranspose(padding='same') with an output_padding Keras accepts
    (below the stride): where TensorFlow computes it and where it fails when it runs."""
    out = []
    for n in range(1, 5):
        for k in range(1, 5):
            for s in range(1, 4):
                for op in range(s):
                    case = {"n": n, "k": k, "s": s, "d": 1, "padding": "same", "output_padding": op}
                    try:
                        layer = L.Conv2DTranspose(1, (k, 1), (s, 1), "same", output_padding=(op, 0))
                        case["keras"] = int(layer(np.zeros((1, n, 1, 1), "float32")).shape[1])
                    except Exception as exc:  # noqa: BLE001
                        case["keras"] = None
                        case["keras_error"] = _error(exc)
                    out.append(case)
    return out


def _counts(layer, input_shape) -> dict:
    model = keras.Sequential([keras.Input(input_shape), layer])
    return {"total": int(model.count_params()),
            "trainable": int(sum(np.prod(v.shape) for v in model.trainable_weights)),
            "non_trainable": int(sum(np.prod(v.shape) for v in model.non_trainable_weights)),
            "shapes": {v.name: list(v.shape) for v in layer.weights},
            "trainable_names": sorted(v.name for v in layer.trainable_weights),
            "non_trainable_names": sorted(v.name for v in layer.non_trainable_weights)}


def param_cases(rng) -> list[dict]:
    """count_params() and weight shapes of each Keras layer kind the site talks about."""
    out = []
    for _ in range(30):
        c, g = int(rng.integers(1, 5)), int(rng.choice([1, 1, 2, 3]))
        cin, f = c * g, g * int(rng.integers(1, 5))
        k = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        bias = bool(rng.random() < 0.8)
        m = int(rng.integers(1, 4))
        out.append({"kind": "Conv2D", "in": cin, "filters": f, "kernel": list(k), "groups": g, "bias": bias,
                    **_counts(L.Conv2D(f, k, groups=g, use_bias=bias), (8, 8, cin))})
        out.append({"kind": "Conv2DTranspose", "in": cin, "filters": f, "kernel": list(k), "bias": bias,
                    **_counts(L.Conv2DTranspose(f, k, use_bias=bias), (8, 8, cin))})
        out.append({"kind": "DepthwiseConv2D", "in": cin, "kernel": list(k), "depth_multiplier": m, "bias": bias,
                    **_counts(L.DepthwiseConv2D(k, depth_multiplier=m, use_bias=bias), (8, 8, cin))})
        out.append({"kind": "SeparableConv2D", "in": cin, "filters": f, "kernel": list(k), "depth_multiplier": m,
                    "bias": bias, **_counts(L.SeparableConv2D(f, k, depth_multiplier=m, use_bias=bias), (8, 8, cin))})
        out.append({"kind": "Dense", "in": cin * 3, "units": f, "bias": bias,
                    **_counts(L.Dense(f, use_bias=bias), (cin * 3,))})
        out.append({"kind": "BatchNormalization", "in": cin, **_counts(L.BatchNormalization(), (4, 4, cin))})
    out.append({"kind": "Conv2D", "in": 50, "filters": 100, "kernel": [5, 5], "groups": 1, "bias": True,
                **_counts(L.Conv2D(100, (5, 5)), (9, 9, 50))})  # the errata's Conv2D(100, 5x5)
    return out


def batchnorm_steps(target: float, reach: float) -> int:
    """Training steps of a default BatchNormalization, from moving_mean 0, until it reaches
    ``reach * target`` when every batch has mean ``target``."""
    layer = L.BatchNormalization(dtype="float64")
    batch = np.array([[target - 1.0], [target + 1.0]])  # (N, C) = (2, 1), mean ``target``
    layer.build(batch.shape)
    steps = 0
    while float(layer.moving_mean.numpy()[0]) < reach * target:
        layer(batch, training=True)
        steps += 1
    return steps


def grouped_is_concatenation(rng) -> bool:
    """Keras Conv2D(groups=g) is g convolutions on the channel slices, concatenated on the
    last (channel) axis, and its kernel is (kh, kw, in // g, filters)."""
    cin, f, g = 6, 4, 2
    x = rng.standard_normal((1, 5, 5, cin))
    layer = L.Conv2D(f, 3, groups=g, use_bias=False, dtype="float64")
    y = layer(x).numpy()
    kernel = layer.kernel.numpy()  # (kh, kw, in // g, filters)
    parts = [tf.nn.conv2d(x[..., i * cin // g:(i + 1) * cin // g], kernel[..., i * f // g:(i + 1) * f // g],
                          1, "VALID").numpy() for i in range(g)]
    return kernel.shape == (3, 3, cin // g, f) and bool(np.allclose(np.concatenate(parts, axis=-1), y))


def defaults() -> dict:
    bn, conv, pool, dense = L.BatchNormalization(), L.Conv2D(1, 3), L.MaxPooling2D(3), L.Dense(1)
    zero = L.ZeroPadding2D(((1, 3), (2, 4)))(np.ones((1, 2, 2, 1), "float32")).numpy()[0, :, :, 0]
    refusal = {}
    for name, make in (("Conv2D", lambda: L.Conv2D(1, 3, strides=2, dilation_rate=2)),
                       ("Conv2DTranspose", lambda: L.Conv2DTranspose(1, 3, strides=2, dilation_rate=2)),
                       ("Conv2DTranspose_output_padding",
                        lambda: L.Conv2DTranspose(1, 3, strides=2, output_padding=2)),
                       ("Conv2DTranspose_groups", lambda: L.Conv2DTranspose(4, 3, groups=2)),
                       ("Conv2D_groups_filters", lambda: L.Conv2D(3, 3, groups=2)),
                       ("Conv2D_groups_input", lambda: L.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32")))):
        try:
            make()
            refusal[name] = None
        except ValueError as exc:
            refusal[name] = _error(exc)
    x = np.arange(15 * 15, dtype="float32").reshape(1, 15, 15, 1)
    w = np.ones((3, 3, 1, 1), "float32")
    return {
        "image_data_format": keras.config.image_data_format(),
        "batchnorm": {"momentum": bn.momentum, "epsilon": bn.epsilon, "axis": bn.axis},
        "conv2d": {"use_bias": conv.use_bias, "padding": conv.padding, "data_format": conv.data_format},
        "dense_use_bias": dense.use_bias,
        "maxpool": {"strides": list(pool.strides), "pool_size": list(pool.pool_size), "padding": pool.padding},
        "arguments": {name: sorted(inspect.signature(getattr(L, name)).parameters) for name in (
            "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D",
            "BatchNormalization", "Dense", "Concatenate", "ZeroPadding2D")},
        "concatenate_axis": L.Concatenate().axis,
        "grouped_conv2d_is_concatenation": grouped_is_concatenation(np.random.default_rng(SEED + 1)),
        # ZeroPadding2D(((top, bottom), (left, right))) on 2x2 ones: the shape, and the ones' first row and column
        "zero_padding_2d_13_24": [list(zero.shape), [int(v) for v in np.argwhere(zero)[0]]],
        "refusals": refusal,
        "tf_nn_conv2d_stride2_dilation2_15": {
            p: int(tf.nn.conv2d(x, w, 2, p, dilations=2).shape[1]) for p in ("SAME", "VALID")},
    }


def _tf_same(n, k, s, d=1) -> list:
    """[out, before, after] of tf.nn.conv2d 'SAME' (pooling pads by the same rule)."""
    rng = np.random.default_rng(n * 1000 + k * 100 + s * 10 + d)
    x = tf.constant(rng.standard_normal((1, n, 1, 1)))
    w = tf.constant(rng.standard_normal((k, 1, 1, 1)))
    splits = _same_splits(x, w, s, d)
    assert len(splits) == 1, "an example whose split TensorFlow's numbers cannot tell"
    return [int(_conv1d(x, w, s, "SAME", d).shape[1]), *splits[0]]


def _keras_pool(cls, x, k, s, padding, pad=None):
    """A Keras pooling layer on the (H, W) array x, after ZeroPadding2D(pad) if given."""
    h = np.asarray(x, dtype=np.float64)[None, :, :, None]  # (H, W) -> (1, H, W, 1)
    if pad is not None:
        h = L.ZeroPadding2D(pad, dtype="float64")(h)
    return cls(k, s, padding, dtype="float64")(h).numpy()[0, :, :, 0].tolist()


def _example(text: str) -> dict:
    """'n = 7, f = 3, s = 2 ...' -> {'n': 7, 'f': 3, 's': 2} (a cheat-sheet example)."""
    return {key: int(v) for key, v in re.findall(r"\b([nfs]) = (\d+)", text)}


def statements() -> dict:
    """The site's own TensorFlow/Keras examples: the inputs as the page-value functions
    give them, the outputs from TensorFlow.  (This part imports ``generator``; the
    examples' fixed arguments written here are marked.)"""
    from generator.pages import cheatsheet
    from generator.pages.foundations import channels, fields, sizes, volumes

    facts = sizes.tensorflow_facts()
    avg, neg, dil, exp = facts["avg"], facts["negative"], facts["dilated"], facts["explicit"]
    b, a = avg["pads"]
    p, k3, s1 = 1, 3, 1  # written here: tensorflow_facts()'s "negative" example pads 1, pools 3x3, stride 1
    try:
        L.Conv2D(1, dil["k"], dil["s"], dilation_rate=dil["d"])
        refusal = None
    except ValueError as exc:
        refusal = _error(exc)
    x = tf.zeros((1, dil["n"], dil["n"], 1), tf.float64)
    w = tf.zeros((dil["k"], dil["k"], 1, 1), tf.float64)
    xe, we = tf.zeros((1, exp["n"], 1, 1), tf.float64), tf.zeros((exp["k"], 1, 1, 1), tf.float64)
    even = sizes.padding()["tf"]["even"]
    stride = sizes.stride()
    vol = volumes.pooling()["tf"]
    sheet = {r["name"]: _example(r["example"]) for r in cheatsheet.formulas()
             if "TensorFlow" in r["name"] or "Keras" in r["name"]}
    return {
        "batchnorm_steps": {"target": channels.MOMENTUM_TARGET, "reach": channels.REACH,
                            "steps": batchnorm_steps(channels.MOMENTUM_TARGET, channels.REACH)},
        "avg": {"x": avg["x"].astype(int).tolist(), "k": avg["k"], "s": avg["s"],
                "split": _tf_same(len(avg["x"]), avg["k"], avg["s"])[1:],
                "tf": _keras_pool(L.AveragePooling2D, avg["x"], avg["k"], avg["s"], "same"),
                "counted": _keras_pool(L.AveragePooling2D, avg["x"], avg["k"], avg["s"], "valid", ((b, a), (b, a)))},
        "negative": {"x": neg["x"].astype(int).tolist(), "p": p, "k": k3, "s": s1,
                     "zero_max": _keras_pool(L.MaxPooling2D, neg["x"], k3, s1, "valid", p),
                     "zero_avg": _keras_pool(L.AveragePooling2D, neg["x"], k3, s1, "valid", p),
                     "same_max": _keras_pool(L.MaxPooling2D, neg["x"], k3, s1, "same"),
                     "same_avg": _keras_pool(L.AveragePooling2D, neg["x"], k3, s1, "same")},
        "dilated": {**{key: dil[key] for key in ("n", "k", "s", "d")}, "keras_refusal": refusal,
                    **{m: int(tf.nn.conv2d(x, w, dil["s"], m, dilations=dil["d"]).shape[1])
                       for m in ("SAME", "VALID")}},
        "explicit": {"n": exp["n"], "k": exp["k"], "pads": list(exp["pads"]),
                     "out": int(_conv1d(xe, we, 1, [[0, 0], list(exp["pads"]), [0, 0], [0, 0]], 1).shape[1])},
        "pool_table": [{"n": r["n"], "k": r["k"], "s": r["s"], "same": _tf_same(r["n"], r["k"], r["s"]),
                        "keras_same": int(L.MaxPooling2D((r["k"], 1), (r["s"], 1), "same")(
                            np.zeros((1, r["n"], 1, 1), "float32")).shape[1])}
                       for r in sizes.output_size()["pool"]],
        "padding_even": {"n": even["n"], "f": even["f"], "same": _tf_same(even["n"], even["f"], 1)},
        "stride": {"n": stride["n"], "f": stride["f"], "s": 3,  # written here: stride() asks TF about stride 3
                   "same": _tf_same(stride["n"], stride["f"], 3),
                   "valid": int(_conv1d(tf.zeros((1, stride["n"], 1, 1), tf.float64),
                                        tf.zeros((stride["f"], 1, 1, 1), tf.float64), 3, "VALID", 1).shape[1])},
        "pooling_page": {"n": vol["n"], "k": vol["k"], "s": vol["s"], "split": _tf_same(vol["n"], vol["k"], vol["s"])[1:],
                         **{m: int(L.MaxPooling2D((vol["k"], 1), (vol["s"], 1), m)(
                             np.zeros((1, vol["n"], 1, 1), "float32")).shape[1]) for m in ("same", "valid")}},
        "transposed_table": [
            {"n": r["n"], "k": r["k"], "s": r["s"],
             **{m: int(L.Conv2DTranspose(1, (r["k"], 1), (r["s"], 1), m)(
                 np.zeros((1, r["n"], 1, 1), "float32")).shape[1]) for m in ("valid", "same")}}
            for r in fields.transposed_convolution()["keras"]],
        "cheatsheet": {
            "TensorFlow 'SAME'": {**sheet["TensorFlow 'SAME'"], "tf": _tf_same(*(
                sheet["TensorFlow 'SAME'"][key] for key in "nfs"))},
            "TensorFlow 'VALID'": {**sheet["TensorFlow 'VALID'"], "tf": int(_conv1d(
                tf.zeros((1, sheet["TensorFlow 'VALID'"]["n"], 1, 1), tf.float64),
                tf.zeros((sheet["TensorFlow 'VALID'"]["f"], 1, 1, 1), tf.float64),
                sheet["TensorFlow 'VALID'"]["s"], "VALID", 1).shape[1])},
            "Keras pooling 'same'": {**sheet["Keras pooling 'same'"], "tf": _tf_same(*(
                sheet["Keras pooling 'same'"][key] for key in "nfs"))},
            "Keras Conv2DTranspose": {**sheet["Keras Conv2DTranspose"], "tf": int(L.Conv2DTranspose(
                1, (sheet["Keras Conv2DTranspose"]["f"], 1), (sheet["Keras Conv2DTranspose"]["s"], 1), "valid")(
                np.zeros((1, sheet["Keras Conv2DTranspose"]["n"], 1, 1), "float32")).shape[1])},
        },
    }


def golden() -> dict:
    """Every recorded case, from the fixed seed (the same data on every run of one TensorFlow)."""
    rng = np.random.default_rng(SEED)
    return {
        "tensorflow": tf.__version__, "keras": keras.__version__, "seed": SEED,
        "made_by": "tests/nn/make_tf_golden.py",
        "defaults": defaults(),
        "conv": conv_cases(rng),
        "explicit": explicit_cases(rng),
        "pool_sizes": pool_size_cases(rng),
        "pool_values": pool_value_cases(rng),
        "conv_transpose": conv_transpose_cases(rng) + conv_transpose_same_grid(),
        "params": param_cases(rng),
        "statements": statements(),
    }


def dumps(data: dict) -> str:
    """JSON with one case a line: a readable diff when TensorFlow changes."""
    lines = ["{"]
    keys = list(data)
    for i, key in enumerate(keys):
        value = data[key]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            rows = [json.dumps(v, sort_keys=True) for v in value]
            lines.append(f"  {json.dumps(key)}: [\n    " + ",\n    ".join(rows) + f"\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, sort_keys=True)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    if tf is None:
        sys.exit("make_tf_golden.py reads real TensorFlow: run it where tensorflow is installed")
    data = golden()
    OUT.write_text(dumps(data), encoding="utf-8")
    print(f"{OUT}: TensorFlow {tf.__version__}, Keras {keras.__version__}, "
          f"{sum(len(v) for v in data.values() if isinstance(v, list))} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
