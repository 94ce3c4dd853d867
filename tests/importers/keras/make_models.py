"""Writes the Keras models the importer tests read, and what real Keras says of them.

Run with TensorFlow/Keras installed (not a project dependency), from the project root:

    python tests/importers/keras/make_models.py [FOLDER]           # Keras 3: keras/
    python tests/importers/keras/make_models.py --keras2 [FOLDER]  # tf_keras: keras/keras2/

For each small model: ``NAME.json`` (``model.to_json()``), for two also ``NAME.keras``
(``model.save``); the JSON files are the same bytes on every run of one Keras version, the
``.keras`` files are not (random weights, dates in the zip). ``expected.json`` holds
Keras' own answers (its version too): per layer, the output shape (channels-last, no
batch) and the parameters (all, trainable, non-trainable), and the totals; for the
applications (``weights=None``) the totals, and the config and per-layer answers of
each whose config is under MAX_APP_CONFIG bytes. ``bad_*.json``: one layer each that no
spec layer represents. The re-generating test calls :func:`write`.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

#: Applications compared by their totals (built offline, weights=None).
APPLICATIONS = ("MobileNetV2", "ResNet50", "VGG16", "EfficientNetB0", "DenseNet121",
                "MobileNetV3Small", "ConvNeXtTiny")
#: The Keras the models are built with: "keras" (3), or "tf_keras" (2; ``--keras2``).
KERAS = "keras"
#: The applications whose config is committed, if small (default: every one).
APP_CONFIGS = {"tf_keras": ("MobileNetV3Small",)}  # Keras 2's TFOpLambda hard sigmoid
#: Largest application config committed beside its totals.
MAX_APP_CONFIG = 200_000
#: Small models also written as ``.keras`` files.
AS_KERAS_FILE = ("seq_conv", "func_merge")


def _keras():
    """Keras 3 (``keras``), or Keras 2 (``tf_keras``) when ``KERAS`` says so."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's start-up notices
    return importlib.import_module(KERAS)


def models():
    """``{name: model}``: the small models, each exercising a group of layers."""
    keras = _keras()
    L = keras.layers

    out = {}
    out["seq_conv"] = keras.Sequential([
        keras.Input(batch_shape=(None, 32, 30, 3), name="img"),
        L.Conv2D(8, 3, name="valid"),
        L.Conv2D(8, 3, strides=2, padding="same", name="same_s2"),
        L.Conv2D(12, 3, dilation_rate=2, padding="same", activation="relu", name="dil2"),
        L.Conv2D(12, (3, 1), groups=3, use_bias=False, padding="same", name="grouped"),
        L.BatchNormalization(name="bn"),
        L.ReLU(max_value=6.0, name="relu6"),
        L.MaxPooling2D(3, strides=2, padding="same", name="max_same"),
        L.AveragePooling2D(2, name="avg_valid"),
        L.Dropout(0.25, name="drop"),
        L.Flatten(name="flat"),
        L.Dense(16, activation="relu", name="fc1"),
        L.Dense(10, use_bias=False, name="fc2"),
        L.Activation("softmax", name="prob"),
    ], name="seq_conv")

    x = keras.Input(shape=(33, 31, 3), name="image")
    a = L.Conv2D(16, 3, strides=2, padding="same", use_bias=False, name="stem")(x)
    a = L.BatchNormalization(center=False, scale=False, name="bn_plain")(a)
    a = L.Activation("relu", name="stem_relu")(a)
    d1 = L.DepthwiseConv2D(3, padding="same", name="dw1")(a)
    d2 = L.DepthwiseConv2D(3, strides=2, depth_multiplier=2, padding="same", use_bias=False,
                           name="dw2")(a)
    s = L.SeparableConv2D(32, 3, strides=2, padding="same", name="sep")(d1)
    t = L.Add(name="sum")([d2, s])
    se = L.GlobalAveragePooling2D(keepdims=True, name="se_pool")(t)
    se = L.Conv2D(32, 1, activation="sigmoid", name="se_gate")(se)
    t = L.Multiply(name="excite")([t, se])
    p = L.ZeroPadding2D(((1, 2), (3, 0)), name="zpad")(t)
    p = L.Cropping2D(((1, 2), (1, 2)), name="crop")(p)
    c = L.Concatenate(name="cat")([t, L.Conv2D(8, 1, name="side")(p)])
    g = L.GlobalMaxPooling2D(name="gmp")(c)
    y = L.Dense(5, name="out")(g)
    out["func_merge"] = keras.Model(x, y, name="func_merge")

    x = keras.Input(shape=(9, 10, 4), name="small")
    u = L.Conv2DTranspose(6, 3, strides=2, padding="same", name="tr_same")(x)
    u = L.Conv2DTranspose(6, 4, strides=2, padding="same", name="tr_same_even")(u)
    u = L.Conv2DTranspose(4, 3, strides=2, padding="valid", name="tr_valid")(u)
    u = L.Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1,
                          use_bias=False, name="tr_op_same")(u)
    u = L.Conv2DTranspose(3, 2, strides=3, output_padding=2, name="tr_op_valid")(u)
    u = L.UpSampling2D(2, name="up_nearest")(u)
    u = L.UpSampling2D((1, 2), interpolation="bilinear", name="up_bilinear")(u)
    u = L.AveragePooling2D(3, strides=2, padding="same", name="avg_same")(u)
    u = L.MaxPooling2D(2, name="max_valid")(u)
    u = L.Identity(name="nothing")(u)
    u = L.CenterCrop(200, 451, name="centre")(u)
    u = L.GlobalAveragePooling2D(name="gap")(u)
    out["func_transpose"] = keras.Model(x, u, name="func_transpose")

    x = keras.Input(shape=(3, 20, 18), name="chw")
    f = L.Conv2D(8, 3, padding="same", data_format="channels_first", name="cf_conv")(x)
    f = L.BatchNormalization(axis=1, name="cf_bn")(f)
    f = L.MaxPooling2D(2, data_format="channels_first", name="cf_pool")(f)
    f2 = L.Conv2D(4, 1, data_format="channels_first", name="cf_side")(f)
    f = L.Concatenate(axis=1, name="cf_cat")([f, f2])
    f = L.GlobalAveragePooling2D(data_format="channels_first", name="cf_gap")(f)
    f = L.Dense(3, name="cf_out")(f)
    out["channels_first"] = keras.Model(x, f, name="channels_first")

    x = keras.Input(shape=(8, 8, 6), name="pix")
    h = L.Dense(12, activation="gelu", name="pointwise")(x)  # Dense on each pixel
    h = L.BatchNormalization(center=False, name="bn_scale")(h)
    q = L.GlobalAveragePooling2D(name="squeeze")(h)
    q = L.Reshape((1, 1, 12), name="unsqueeze")(q)
    h = L.Multiply(name="gate")([h, q])
    h = L.Reshape((768,), name="flat")(h)
    out["func_dense_reshape"] = keras.Model(x, h, name="func_dense_reshape")

    x = keras.Input(shape=(16, 16, 3), name="raw")
    r = L.Rescaling(1 / 127.5, offset=-1, name="scale_in")(x)
    r = L.Normalization(name="norm_in")(r)  # not adapted: mean and variance are weights
    stem = keras.Sequential([L.Conv2D(8, 4, strides=4, name="patchify"),
                             L.LayerNormalization(epsilon=1e-6, name="stem_ln")],
                            name="stem")
    r = stem(r)
    b = L.Conv2D(8, 3, padding="same", groups=8, name="dw")(r)
    b = L.ReLU(6.0, name="capped")(b + 3.0)  # Keras 3 ops: MobileNetV3's hard sigmoid
    b = b * (1.0 / 6.0)
    r = r + b  # an op of two tensors: an Add
    r = L.GlobalAveragePooling2D(name="pool")(r)
    r = L.LayerNormalization(name="head_ln")(r)
    out["func_ops_nested"] = keras.Model(x, L.Dense(4, name="head")(r),
                                         name="func_ops_nested")

    built = keras.Sequential([L.Conv2D(4, 3, strides=2, padding="same", name="c"),
                              L.Flatten(name="f"), L.Dense(2, name="d")], name="seq_built")
    built.build((None, 15, 15, 3))  # no Input: the config's build_input_shape
    out["seq_built"] = built

    def backbone():
        xi = keras.Input(shape=(20, 20, 3), name="backbone_in")
        f = L.Conv2D(8, 3, strides=2, padding="same", use_bias=False, name="bb_conv")(xi)
        f = L.BatchNormalization(name="bb_bn")(f)
        f = L.Activation("swish", name="bb_act")(f)
        s = L.GlobalAveragePooling2D(name="bb_squeeze")(f)
        s = L.Reshape((1, 1, 8), name="bb_unsqueeze")(s)
        gate = L.Dense(8, activation="sigmoid", name="bb_gate")(s)
        return keras.Model(xi, L.Multiply(name="bb_excite")([f, gate]), name="backbone")

    x = keras.Input(shape=(20, 20, 3), name="photo")
    y = backbone()(L.Rescaling(1 / 255, name="to_unit")(x), training=False)
    y = L.GlobalMaxPooling2D(name="head_pool")(y)
    out["func_backbone"] = keras.Model(x, L.Dense(3, name="head")(y), name="func_backbone")
    frozen = backbone()
    frozen.trainable = False  # transfer learning: its weights are not trained
    out["seq_backbone"] = keras.Sequential([keras.Input((20, 20, 3), name="seq_in"), frozen,
                                            L.Flatten(name="seq_flat")], name="seq_backbone")

    if KERAS == "tf_keras":  # Keras 2 takes only names TensorFlow's scopes take
        return out
    x = keras.Input(shape=(6, 6, 2), name="{{x}}")
    y = L.Conv2D(3, 3, name="<script>alert(1)<\\script>")(x)
    y = L.Activation("relu", name="[odd](javascript:x) | *x*")(y)
    out["func_names"] = keras.Model(x, L.Flatten(name="{{x}}{% raw %}")(y),
                                    name="<b>names<\\b>")
    return out


def unsupported():
    """``{name: (model, layer name, class)}``: one model per layer the spec cannot
    represent."""
    keras = _keras()
    L = keras.layers

    def tiny(name, layer):
        x = keras.Input(shape=(8, 8, 3), name="x")
        y = L.Conv2D(4, 3, name="conv")(x)
        if isinstance(layer, str):  # an operation, named by Keras
            y = y * 2.0
            op = y._keras_history[0]
            return keras.Model(x, y, name=name), op.name, type(op).__name__
        return keras.Model(x, layer(y), name=name), layer.name, type(layer).__name__

    return {
        "bad_leaky": tiny("bad_leaky", L.LeakyReLU(0.1, name="leaky")),
        "bad_relu_cap": tiny("bad_relu_cap", L.ReLU(max_value=4.0, name="relu4")),
        "bad_crop": tiny("bad_crop", L.Cropping2D(((0, 2), (1, 1)), name="crop_top")),
        "bad_shift": tiny("bad_shift", L.BatchNormalization(scale=False, name="bn_shift")),
        "bad_rescale": tiny("bad_rescale", L.Rescaling(0.5, name="half")),
        "bad_reshape": tiny("bad_reshape", L.Reshape((6, 24), name="rows")),
        "bad_constant": tiny("bad_constant", "times two"),
    }


def layer_facts(layer):
    """Keras' output shape (without the batch) and parameter counts of one layer."""
    import numpy as np

    shape = layer.output.shape[1:]
    train = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in layer.non_trainable_weights)
    return {"class": type(layer).__name__, "shape": [int(d) for d in shape],
            "params": layer.count_params(), "trainable": train, "non_trainable": frozen}


def _layers(model):
    """The model's layers, those of a nested model after it (no InputLayer)."""
    keras = _keras()

    for lay in model.layers:
        if type(lay).__name__ != "InputLayer":
            yield lay
        if isinstance(lay, keras.Model):  # a nested Sequential or functional model
            yield from _layers(lay)


def totals(model):
    import numpy as np

    train = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return {"params": model.count_params(), "trainable": train, "non_trainable": frozen,
            "output": [int(d) for d in model.outputs[0].shape[1:]]}


def applications():
    """``{name: model}`` of the applications that build offline with ``weights=None``."""
    keras = _keras()

    out = {}
    for name in APPLICATIONS:
        try:
            # the input given: MobileNetV3's default leaves height and width open
            out[name] = getattr(keras.applications, name)(weights=None,
                                                          input_shape=(224, 224, 3))
        except Exception as exc:  # noqa: BLE001 - recorded and skipped, not hidden
            print(f"{name}: not built ({type(exc).__name__}: {exc})", file=sys.stderr)
    return out


def write(folder: Path, everything=False) -> dict:
    """Write the models and ``expected.json`` into ``folder``; return the expectations.

    What is committed: the small models, the applications' totals, and the config and
    per-layer facts of each application whose config is smaller than MAX_APP_CONFIG;
    ``everything`` writes every application's config and facts (the re-generating test).
    """
    keras = _keras()
    import tensorflow as tf

    folder.mkdir(parents=True, exist_ok=True)
    expected = {"keras": keras.__version__, "tensorflow": tf.__version__,
                "models": {}, "unsupported": {}, "applications": {}}
    for name, model in models().items():
        (folder / f"{name}.json").write_text(model.to_json(indent=1) + "\n")
        if name in AS_KERAS_FILE:
            model.save(folder / f"{name}.keras")
        expected["models"][name] = {
            "layers": {lay.name: layer_facts(lay) for lay in _layers(model)},
            "totals": totals(model)}
    for name, (model, layer, cls) in unsupported().items():
        (folder / f"{name}.json").write_text(model.to_json(indent=1) + "\n")
        expected["unsupported"][name] = {"layer": layer, "class": cls}
    for name, model in applications().items():
        text = model.to_json()
        kept = len(text.encode()) < MAX_APP_CONFIG and name in APP_CONFIGS.get(KERAS,
                                                                              APPLICATIONS)
        entry = expected["applications"][name] = {"totals": totals(model), "config": kept}
        if kept or everything:
            (folder / f"app_{name}.json").write_text(text + "\n")
            entry["layers"] = {lay.name: layer_facts(lay) for lay in _layers(model)}
    (folder / "expected.json").write_text(_dump(expected) + "\n")
    return expected


def _dump(value, depth=0) -> str:
    """JSON with one line per layer (the fourth level and deeper on one line)."""
    if not isinstance(value, dict) or depth >= 4 or not value:
        return json.dumps(value, sort_keys=True)
    pad = " " * (depth + 1)
    items = [f"{pad}{json.dumps(k)}: {_dump(v, depth + 1)}" for k, v in sorted(value.items())]
    return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--keras2" in args:
        args.remove("--keras2")
        KERAS = "tf_keras"
    default = Path(__file__).parent / ("keras2" if KERAS == "tf_keras" else "")
    write(Path(args[0]) if args else default)
