"""The Keras importer against real Keras 3 and Keras 2, without TensorFlow.

``keras/make_models.py`` built the models in ``keras/`` with real Keras 3, and those in
``keras/keras2/`` with Keras 2 (tf_keras; the versions are in each ``expected.json``),
and wrote what Keras says of each layer: its output shape (channels-last, no batch) and
its parameters, trainable and not. Here every model is imported and its layer table
compared, layer by layer and in total:

- a Keras layer's output is the last row named after it (``conv`` and ``conv relu``);
  its parameters are the sum of those rows;
- Keras counts batch normalisation's moving mean and variance as non-trainable
  parameters; the table keeps them apart as buffers, so Keras' count is params +
  buffers, its trainable count is ours, its non-trainable count our buffers plus the
  parameters of frozen layers (``trainable=False`` in Keras, ``frozen`` in the spec);
- a layer with no row of its own is one of :data:`NO_ROW`'s, exactly as many as listed.

When TensorFlow is installed, the last test builds the models again and checks the
same against what it says (all seven applications too, whose configs are not all
committed: for some only their totals are kept).
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
#: Where each Keras' models are: Keras 3 (keras), Keras 2 (tf_keras).
FOLDERS = {"keras3": HERE, "keras2": HERE / "keras2"}
EXPECTED = {flavour: json.loads((folder / "expected.json").read_text(encoding="utf-8"))
            for flavour, folder in FOLDERS.items()}


def _cases(part, keep=lambda model, e: True):
    """``(flavour, model)`` of every model in ``part`` of both expectations."""
    return [pytest.param(flavour, model, id=f"{flavour}-{model}")
            for flavour, expected in EXPECTED.items()
            for model, e in sorted(expected[part].items()) if keep(model, e)]


#: Keras layers that have no row of their own, per model: class -> how many.
#: Rescaling, Normalization: preprocessing right after the input (said in the
#: description); Sequential: a nested model, whose layers have rows; ReLU: the middle
#: of a hard sigmoid written as x + 3, ReLU(6), × 1/6 (one hardsigmoid row); Reshape:
#: a global pooling reshaped back to 1×1, which the table keeps 1×1; Activation: linear;
#: Functional: a nested model (a backbone), whose layers have rows; Identity: nothing.
NO_ROW = {
    "func_ops_nested": {"Rescaling": 1, "Normalization": 1, "Sequential": 1, "ReLU": 1},
    "func_dense_reshape": {"Reshape": 1},
    "func_transpose": {"Identity": 1},
    "func_backbone": {"Rescaling": 1, "Functional": 1, "Reshape": 1},
    "seq_backbone": {"Functional": 1, "Reshape": 1},
    "MobileNetV3Small": {"Rescaling": 1, "ReLU": 9},
    "ConvNeXtTiny": {"Normalization": 1, "Sequential": 4, "Activation": 18},
    "EfficientNetB0": {"Rescaling": 1, "Normalization": 1, "Reshape": 16},
}
#: Keras 2 records ``x + y`` and ``x * c`` as TFOpLambda layers: an add of a constant
#: (in a hard sigmoid) has no row; its MobileNetV3 writes hard_swish as x · hard_sigmoid(x).
NO_ROW_KERAS2 = {
    "func_ops_nested": {**NO_ROW["func_ops_nested"], "TFOpLambda": 1},
    "MobileNetV3Small": {"Rescaling": 1, "ReLU": 28, "TFOpLambda": 28},
}
#: The input the applications were built with (channels first).
APP_INPUT = (3, 224, 224)


def _no_row(flavour, model):
    table = NO_ROW_KERAS2 if flavour == "keras2" and model in NO_ROW_KERAS2 else NO_ROW
    return Counter(table.get(model, {}))


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


@pytest.mark.parametrize("flavour, model", _cases("models"))
def test_small_models_agree_with_keras(flavour, model):
    e = EXPECTED[flavour]["models"][model]
    wrong, no_row = compare(load(str(FOLDERS[flavour] / f"{model}.json")), e["layers"],
                            e["totals"], channels_first=model == "channels_first")
    assert no_row == _no_row(flavour, model)
    assert _kept_1x1(wrong) and len(wrong) == no_row["Reshape"], wrong


@pytest.mark.parametrize("flavour, app", _cases("applications", lambda a, e: "layers" in e))
def test_applications_agree_with_keras(flavour, app):
    e = EXPECTED[flavour]["applications"][app]
    imported = load(str(FOLDERS[flavour] / f"app_{app}.json"))
    assert imported.input == APP_INPUT
    wrong, no_row = compare(imported, e["layers"], e["totals"])
    assert no_row == _no_row(flavour, app)
    assert _kept_1x1(wrong) and len(wrong) == no_row["Reshape"], wrong


def _configs(layers):
    """Layer name -> config of every layer in a Keras config, nested models included."""
    for layer in layers:
        cfg = layer.get("config") or {}
        yield layer.get("name") or cfg.get("name"), cfg
        yield from _configs(cfg.get("layers") or [])


@pytest.mark.parametrize("flavour, model", [
    *_cases("models"),
    *(pytest.param(f, f"app_{a}", id=f"{f}-app_{a}") for f, expected in EXPECTED.items()
      for a, e in sorted(expected["applications"].items()) if "layers" in e)])
def test_fields_that_counts_do_not_show(flavour, model):
    """What shapes and counts cannot tell: each normalisation's epsilon, each dropout's
    rate and each upsampling's interpolation are the Keras layer's."""
    path = FOLDERS[flavour] / f"{model}.json"
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


@pytest.mark.parametrize("flavour", FOLDERS)
def test_the_applications_checked_and_their_totals(flavour):
    """Seven applications built (weights=None), by Keras 3 and by Keras 2 alike; Keras'
    totals as recorded."""
    apps = EXPECTED[flavour]["applications"]
    assert {a: e["totals"]["params"] for a, e in apps.items()} == {
        "MobileNetV2": 3_538_984, "ResNet50": 25_636_712, "VGG16": 138_357_544,
        "EfficientNetB0": 5_330_571, "DenseNet121": 8_062_504,
        "MobileNetV3Small": 2_554_968, "ConvNeXtTiny": 28_589_128}
    kept = {a for a, e in apps.items() if e["config"]}
    assert kept == ({"MobileNetV3Small"} if flavour == "keras2" else {
        "MobileNetV2", "ResNet50", "VGG16", "MobileNetV3Small", "ConvNeXtTiny"})
    assert all((FOLDERS[flavour] / f"app_{a}.json").exists() == (a in kept) for a in apps)
    assert EXPECTED[flavour]["keras"].startswith("3." if flavour == "keras3" else "2.")


def test_the_command_writes_what_keras_counts(tmp_path, capsys):
    """Through ``python -m generator import``: ResNet50's 25,636,712 Keras parameters are
    25,583,592 here plus 53,120 batchnorm buffers; the MobileNetV3 hard sigmoids are rows."""
    out = tmp_path / "r.yaml"
    assert main(["import", str(HERE / "app_ResNet50.json"), "-o", str(out)]) == 0
    said = capsys.readouterr().err
    assert "resnet50, 200 rows, 25,583,592 parameters (+ 53,120 batchnorm buffers)" in said
    assert 25_583_592 + 53_120 == EXPECTED["keras3"]["applications"]["ResNet50"]["totals"]["params"]
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert "repeat: {name: conv4_block2-6, block: block1, times: 5" in text
    kinds = {f: Counter(next(iter(layer)) for layer in load(
        str(FOLDERS[f] / "app_MobileNetV3Small.json")).layers) for f in FOLDERS}
    assert kinds["keras3"]["hardsigmoid"] == 9 and kinds["keras3"]["hardswish"] == 19
    # Keras 2 writes hard_swish as x · hard_sigmoid(x): a hardsigmoid and a multiply
    assert kinds["keras2"]["hardsigmoid"] == 28 and kinds["keras2"]["hardswish"] == 0
    assert kinds["keras2"]["multiply"] == kinds["keras3"]["multiply"] + 19
    assert kinds["keras3"]["placeholder"] == kinds["keras2"]["placeholder"] == 0


@pytest.mark.parametrize("flavour", FOLDERS)
@pytest.mark.parametrize("model", ["seq_conv", "func_merge"])
def test_a_keras_file_is_its_json_config(flavour, model):
    folder = FOLDERS[flavour]
    with zipfile.ZipFile(folder / f"{model}.keras") as zf:
        assert "config.json" in zf.namelist()
    from_file = to_yaml(load(str(folder / f"{model}.keras")))
    from_json = to_yaml(load(str(folder / f"{model}.json")))
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


@pytest.mark.parametrize("flavour, model", _cases("unsupported"))
def test_an_unsupported_layer_is_one_line(flavour, model, tmp_path, capsys):
    e = EXPECTED[flavour]["unsupported"][model]
    src, out = FOLDERS[flavour] / f"{model}.json", tmp_path / "out.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {src}: layer {e['layer']!r} (")
    assert f"{e['class']}): {WHY[model]}" in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("flavour, model", _cases("unsupported"))
def test_skip_unsupported_puts_one_placeholder(flavour, model, tmp_path, capsys):
    """With ``--skip-unsupported`` the same layer is a placeholder, named as in Keras."""
    e = EXPECTED[flavour]["unsupported"][model]
    out = tmp_path / "out.yaml"
    assert main(["import", str(FOLDERS[flavour] / f"{model}.json"), "-o", str(out),
                 "--skip-unsupported"]) == 0, capsys.readouterr().err
    lines = [ln for ln in out.read_text(encoding="utf-8").splitlines()
             if ln.startswith("  - placeholder:")]
    assert len(lines) == 1 and f"{{name: {e['layer']}, op: " in lines[0], lines
    assert e["class"] in lines[0]


def test_open_sizes_need_the_input(tmp_path, capsys):
    """A model built for any height and width (MobileNetV3's default) imports with
    ``--input C,H,W`` and gives the same spec as one built for that size."""
    data = json.loads((HERE / "func_merge.json").read_text(encoding="utf-8"))
    data["config"]["layers"][0]["config"]["batch_shape"] = [None, None, None, 3]
    src, out = tmp_path / "open.json", tmp_path / "open.yaml"
    src.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "layer 'image': the input shape [None, None, 3] is not static; give --input " \
           "C,H,W" in err and err.count("\n") == 1
    assert main(["import", str(src), "-o", str(out), "--input", "3,33,31"]) == 0
    fixed = to_yaml(load(str(HERE / "func_merge.json")))
    assert out.read_text(encoding="utf-8").partition("\ninput:")[2] == \
        fixed.partition("\ninput:")[2]


#: Values of a type or shape Keras never writes, put in place of a layer's parts.
DAMAGE = (("inbound_nodes", 7), ("inbound_nodes", {"args": 3}), ("inbound_nodes", [[3]]),
          ("config", 3), ("config", {"layers": 4}), ("class_name", None))


@pytest.mark.parametrize("flavour, model", [("keras3", "func_ops_nested"),
                                            ("keras3", "func_backbone"),
                                            ("keras2", "func_ops_nested")])
def test_a_damaged_config_is_one_line(flavour, model, tmp_path, capsys):
    """Each layer's inbound nodes, config or class replaced by junk: the import writes a
    spec or says one line (exit 2), never a traceback."""
    data = json.loads((FOLDERS[flavour] / f"{model}.json").read_text(encoding="utf-8"))
    src, out, refused = tmp_path / "damaged.json", tmp_path / "out.yaml", 0
    for i in range(len(data["config"]["layers"])):
        for key, junk in DAMAGE:
            damaged = json.loads(json.dumps(data))
            damaged["config"]["layers"][i][key] = junk
            src.write_text(json.dumps(damaged), encoding="utf-8")
            code = main(["import", str(src), "-o", str(out), "--force"])
            err = capsys.readouterr().err
            assert code in (0, 2) and err.count("\n") == 1, (i, key, err)
            refused += code == 2
    assert refused >= len(data["config"]["layers"]) * 3


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
@pytest.mark.parametrize("flavour, package", [("keras3", "keras"), ("keras2", "tf_keras")])
def test_real_keras_agrees(flavour, package, tmp_path):
    """With TensorFlow: the models built again agree with the importer (every
    application, config and layers) and with the committed expectations."""
    pytest.importorskip("tensorflow", reason="TensorFlow is not installed (not a project "
                                             "dependency; the committed golden files are "
                                             "checked without it)")
    pytest.importorskip(package, reason=f"{package} is not installed")
    make = _make_models()
    make.KERAS = package
    fresh, expected = make.write(tmp_path, everything=True), EXPECTED[flavour]
    for part in ("models", "unsupported"):
        assert fresh[part] == expected[part], part
    for app, e in fresh["applications"].items():
        assert e["totals"] == expected["applications"][app]["totals"], app
        if "layers" in expected["applications"][app]:
            assert e["layers"] == expected["applications"][app]["layers"], app
        wrong, no_row = compare(load(str(tmp_path / f"app_{app}.json")), e["layers"],
                                e["totals"])
        assert no_row == _no_row(flavour, app), app
        assert _kept_1x1(wrong) and len(wrong) == no_row["Reshape"], (app, wrong)
    for model, e in fresh["models"].items():
        wrong, no_row = compare(load(str(tmp_path / f"{model}.json")), e["layers"],
                                e["totals"], channels_first=model == "channels_first")
        assert no_row == _no_row(flavour, model) and _kept_1x1(wrong), model
