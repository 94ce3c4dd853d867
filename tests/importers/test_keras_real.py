"""The Keras importer against real Keras 3, without TensorFlow.

``keras/make_models.py`` built the models in ``keras/`` with real Keras (the versions are
in ``keras/expected.json``) and wrote what Keras says of each layer: its output shape
(channels-last, no batch) and its parameters, trainable and not. Here every model is
imported and its layer table compared, layer by layer and in total:

- a Keras layer's output is the last row named after it (``conv`` and ``conv relu``);
  its parameters are the sum of those rows;
- Keras counts batch normalisation's moving mean and variance as non-trainable
  parameters; the table keeps them apart as buffers, so Keras' count is params +
  buffers, its trainable count is ours, its non-trainable count our buffers plus the
  parameters of frozen layers (``trainable=False`` in Keras, ``frozen`` in the spec);
- a layer with no row of its own is one of :data:`NO_ROW`'s, exactly as many as listed.

When TensorFlow is installed, the last test builds the models again and checks the
same against what it says (EfficientNetB0 and DenseNet121 too, whose configs are too
large to commit: here only their totals are kept).
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.__main__ import main
from generator.importers import load, to_yaml
from generator.specs import parse_spec
from generator.tables import layer_table

HERE = Path(__file__).parent / "keras"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))

#: Keras layers that have no row of their own, per model: class -> how many.
#: Rescaling, Normalization: preprocessing right after the input (said in the
#: description); Sequential: a nested model, whose layers have rows; ReLU: the middle
#: of a hard sigmoid written as x + 3, ReLU(6), × 1/6 (one hardsigmoid row); Reshape:
#: a global pooling reshaped back to 1×1, which the table keeps 1×1; Activation: linear;
#: Functional: a nested model (a backbone), whose layers have rows.
NO_ROW = {
    "func_ops_nested": {"Rescaling": 1, "Normalization": 1, "Sequential": 1, "ReLU": 1},
    "func_dense_reshape": {"Reshape": 1},
    "func_backbone": {"Rescaling": 1, "Functional": 1, "Reshape": 1},
    "seq_backbone": {"Functional": 1, "Reshape": 1},
    "MobileNetV3Small": {"Rescaling": 1, "ReLU": 9},
    "ConvNeXtTiny": {"Normalization": 1, "Sequential": 4, "Activation": 18},
    "EfficientNetB0": {"Rescaling": 1, "Normalization": 1, "Reshape": 16},
}
#: The input the applications were built with (channels first).
APP_INPUT = (3, 224, 224)


def _flat_table(imported):
    """The layer table of the importer's layers as they are, before any folding."""
    doc = {"name": "flat", "input": list(imported.input), "layers": imported.layers}
    return layer_table(parse_spec(yaml.safe_dump(doc, sort_keys=False), "flat.yaml", "flat"))


def _keras_layout(shape, channels_first):
    """The table's C×H×W as Keras writes it (H, W, C); flat vectors as they are."""
    return list(shape) if channels_first or len(shape) != 3 else [*shape[1:], shape[0]]


def compare(imported, facts, totals, channels_first=False):
    """Our table against Keras' facts: ``(disagreements, no-row classes)``; checks the
    totals and the folded spec on the way."""
    table = _flat_table(imported)
    rows = list(table.walk())
    wrong, no_row = [], Counter()
    for name, f in facts.items():
        mine = [r for r in rows if r.name == name or r.name.startswith(name + " ")]
        if not mine:
            no_row[f["class"]] += 1
            continue
        params, buffers = sum(r.params for r in mine), sum(r.buffers for r in mine)
        trainable = sum(r.trainable_params for r in mine)
        ours = (_keras_layout(mine[-1].output_shape, channels_first), params + buffers,
                trainable, buffers + params - trainable)
        theirs = (f["shape"], f["params"], f["trainable"], f["non_trainable"])
        if ours != theirs:
            wrong.append((name, f["class"], theirs, ours))
    # Normalization's statistics, if adapted, are weights to Keras and not in the table
    stats = sum(f["params"] for f in facts.values() if f["class"] == "Normalization")
    t = table.totals
    assert (totals["params"], totals["trainable"], totals["non_trainable"]) == (
        t.params + t.buffers + stats, t.trainable_params,
        t.buffers + stats + t.non_trainable_params)
    assert _keras_layout(rows[-1].output_shape, channels_first) == totals["output"]
    if stats:
        assert f"Keras counts {stats} values of it" in imported.description
    # the spec as written (structure folded into blocks) is the same network
    folded = layer_table(parse_spec(to_yaml(imported), "k.yaml", "k")).totals
    assert (folded.params, folded.buffers, folded.macs, folded.activations) == (
        t.params, t.buffers, t.macs, t.activations)
    return wrong, no_row


def _kept_1x1(wrong):
    """The disagreements that are a global pooling kept 1×1: Keras (C,), ours 1×1×C."""
    return all(cls == "GlobalAveragePooling2D" and ours[0] == [1, 1, *theirs[0]]
               and ours[1:] == theirs[1:] == (0, 0, 0) for _, cls, theirs, ours in wrong)


@pytest.mark.parametrize("model", sorted(EXPECTED["models"]))
def test_small_models_agree_with_keras(model):
    e = EXPECTED["models"][model]
    wrong, no_row = compare(load(str(HERE / f"{model}.json")), e["layers"], e["totals"],
                            channels_first=model == "channels_first")
    assert no_row == Counter(NO_ROW.get(model, {}))
    assert _kept_1x1(wrong) and len(wrong) == no_row["Reshape"], wrong


@pytest.mark.parametrize("app", sorted(a for a, e in EXPECTED["applications"].items()
                                       if e["config"]))
def test_applications_agree_with_keras(app):
    e = EXPECTED["applications"][app]
    imported = load(str(HERE / f"app_{app}.json"))
    assert imported.input == APP_INPUT
    wrong, no_row = compare(imported, e["layers"], e["totals"])
    assert no_row == Counter(NO_ROW.get(app, {}))
    assert _kept_1x1(wrong) and len(wrong) == no_row["Reshape"], wrong


def _configs(layers):
    """Layer name -> config of every layer in a Keras config, nested models included."""
    for layer in layers:
        cfg = layer.get("config") or {}
        yield layer.get("name") or cfg.get("name"), cfg
        yield from _configs(cfg.get("layers") or [])


@pytest.mark.parametrize("model", sorted(
    [*EXPECTED["models"], *(f"app_{a}" for a, e in EXPECTED["applications"].items()
                            if e["config"])]))
def test_fields_that_counts_do_not_show(model):
    """What shapes and counts cannot tell: each normalisation's epsilon, each dropout's
    rate and each upsampling's interpolation are the Keras layer's."""
    path = HERE / f"{model}.json"
    configs = dict(_configs(json.loads(path.read_text(encoding="utf-8"))["config"]["layers"]))
    seen = Counter()
    for layer in load(str(path)).layers:
        (kind, body), = layer.items()
        cfg = configs.get(body["name"])
        if kind in ("batchnorm", "layernorm"):
            assert body["eps"] == cfg["epsilon"], body
        elif kind == "dropout":
            assert body["p"] == cfg["rate"], body
        elif kind == "upsample":
            assert body.get("mode", "nearest") == cfg["interpolation"], body
        else:
            continue
        seen[kind] += 1
    assert seen == Counter(FIELDS_SEEN.get(model, {}))


#: How many layers of each kind the test above checks, per model.
FIELDS_SEEN = {
    "seq_conv": {"batchnorm": 1, "dropout": 1}, "func_merge": {"batchnorm": 1},
    "func_transpose": {"upsample": 2}, "channels_first": {"batchnorm": 1},
    "func_dense_reshape": {"batchnorm": 1}, "func_ops_nested": {"layernorm": 2},
    "func_backbone": {"batchnorm": 1}, "seq_backbone": {"batchnorm": 1},
    "app_ResNet50": {"batchnorm": 53}, "app_MobileNetV2": {"batchnorm": 52},
    "app_MobileNetV3Small": {"batchnorm": 34, "dropout": 1},
    "app_ConvNeXtTiny": {"layernorm": 23},
}


def test_the_applications_checked_and_their_totals():
    """Seven applications built (weights=None); Keras' totals as recorded."""
    apps = EXPECTED["applications"]
    assert {a: e["totals"]["params"] for a, e in apps.items()} == {
        "MobileNetV2": 3_538_984, "ResNet50": 25_636_712, "VGG16": 138_357_544,
        "EfficientNetB0": 5_330_571, "DenseNet121": 8_062_504,
        "MobileNetV3Small": 2_554_968, "ConvNeXtTiny": 28_589_128}
    assert not apps["EfficientNetB0"]["config"] and not apps["DenseNet121"]["config"]


def test_the_command_writes_what_keras_counts(tmp_path, capsys):
    """Through ``python -m generator import``: ResNet50's 25,636,712 Keras parameters are
    25,583,592 here plus 53,120 batchnorm buffers; the MobileNetV3 hard sigmoids are rows."""
    out = tmp_path / "r.yaml"
    assert main(["import", str(HERE / "app_ResNet50.json"), "-o", str(out)]) == 0
    assert "resnet50, 200 rows, 25,583,592 parameters" in capsys.readouterr().err
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert "repeat: {name: conv4_block2-6, block: block1, times: 5" in text
    imported = load(str(HERE / "app_MobileNetV3Small.json"))
    kinds = Counter(next(iter(layer)) for layer in imported.layers)
    assert kinds["hardsigmoid"] == 9 and kinds["hardswish"] == 19
    assert kinds["placeholder"] == 0


@pytest.mark.parametrize("model", ["seq_conv", "func_merge"])
def test_a_keras_file_is_its_json_config(model):
    with zipfile.ZipFile(HERE / f"{model}.keras") as zf:
        assert "config.json" in zf.namelist()
    from_file = to_yaml(load(str(HERE / f"{model}.keras")))
    from_json = to_yaml(load(str(HERE / f"{model}.json")))
    assert from_file.partition("\ninput:")[2] == from_json.partition("\ninput:")[2]


#: Each unsupported model: what its one line must say after the layer and class.
WHY = {
    "bad_leaky": "no spec layer represents it; supported: InputLayer",
    "bad_relu_cap": "max_value 4.0: a ReLU is capped only at 6",
    "bad_crop": "cropping top 0, bottom 2, left 1, right 1: only centred crops",
    "bad_shift": "scale false with center true",
    "bad_rescale": "preprocessing is mapped only right after the input",
    "bad_reshape": "target_shape [6, 24]: only to one flat vector",
    "bad_constant": "multiplies by the constant 2: no spec layer does",
}


@pytest.mark.parametrize("model", sorted(EXPECTED["unsupported"]))
def test_an_unsupported_layer_is_one_line(model, tmp_path, capsys):
    e = EXPECTED["unsupported"][model]
    src, out = HERE / f"{model}.json", tmp_path / "out.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {src}: layer {e['layer']!r} (")
    assert f"{e['class']}): {WHY[model]}" in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("model", sorted(EXPECTED["unsupported"]))
def test_skip_unsupported_puts_one_placeholder(model, tmp_path, capsys):
    """With ``--skip-unsupported`` the same layer is a placeholder, named as in Keras."""
    e = EXPECTED["unsupported"][model]
    out = tmp_path / "out.yaml"
    assert main(["import", str(HERE / f"{model}.json"), "-o", str(out),
                 "--skip-unsupported"]) == 0, capsys.readouterr().err
    lines = [ln for ln in out.read_text(encoding="utf-8").splitlines()
             if ln.startswith("  - placeholder:")]
    assert len(lines) == 1 and f"{{name: {e['layer']}, op: " in lines[0], lines
    assert e["class"] in lines[0]


def test_names_are_kept_and_escaped_on_the_page():
    """Layer names with markup and template syntax are the spec's names exactly, and the
    network page shows them as text."""
    from generator.figures.library import page_context
    from generator.pages import architectures
    from generator.render import page
    from tests.tables.test_pages import cell_texts, no_markup_from_the_spec, render

    text = to_yaml(load(str(HERE / "func_names.json")))
    net = parse_spec(text, "names.yaml", "names")
    names = [r.name for r in layer_table(net).walk()]
    odd = "[odd](javascript:x) | *x*"
    assert names == ["<script>alert(1)<\\script>", odd, "{{x}}{% raw %}"]
    assert net.name == "<b>names<\\b>"
    values = architectures._network_context(net, layer_table(net), "docs/specs/names.yaml",
                                            "architectures/names.md")
    out = page("architectures/names.md", "pages/architectures/network.md.j2", **values,
               **page_context("architectures/names.md"), diagram=None)
    html = render(out.data)[1]
    no_markup_from_the_spec(html)
    cells = cell_texts(html, "td")
    assert all(n in cells for n in names), cells


def _make_models():
    spec = importlib.util.spec_from_file_location("make_models", HERE / "make_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_real_keras_agrees(tmp_path):
    """With TensorFlow: the models built again agree with the importer (every
    application, config and layers) and with the committed expectations."""
    pytest.importorskip("tensorflow", reason="TensorFlow is not installed (not a project "
                                             "dependency; the committed golden files are "
                                             "checked without it)")
    fresh = _make_models().write(tmp_path, everything=True)
    for part in ("models", "unsupported"):
        assert fresh[part] == EXPECTED[part], part
    for app, e in fresh["applications"].items():
        assert e["totals"] == EXPECTED["applications"][app]["totals"], app
        if EXPECTED["applications"][app]["config"]:
            assert e["layers"] == EXPECTED["applications"][app]["layers"], app
        wrong, no_row = compare(load(str(tmp_path / f"app_{app}.json")), e["layers"],
                                e["totals"])
        assert no_row == Counter(NO_ROW.get(app, {})), app
        assert _kept_1x1(wrong) and len(wrong) == no_row["Reshape"], (app, wrong)
    for model, e in fresh["models"].items():
        wrong, no_row = compare(load(str(tmp_path / f"{model}.json")), e["layers"],
                                e["totals"], channels_first=model == "channels_first")
        assert no_row == Counter(NO_ROW.get(model, {})) and _kept_1x1(wrong), model
