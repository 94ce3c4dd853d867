"""Keras import (JSON config or .keras, read as JSON): output shapes follow Keras'
documented rules, worked out here by hand:

- Conv2D/pooling 'valid': ceil((n - k_eff + 1) / s); 'same': ceil(n / s), padded by
  max((out - 1)·s + k_eff - n, 0) with the odd pixel at the bottom/right;
- Conv2DTranspose without output_padding: 'valid' n·s + max(k_eff - s, 0), 'same' n·s;
- ZeroPadding2D adds, Cropping2D removes, UpSampling2D multiplies;
- channels-last (H, W, C) in Keras is C×H×W in the spec.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path


from generator.__main__ import main
from generator.importers import load, to_yaml
from generator.specs import parse_spec
from generator.tables import layer_table

HERE = Path(__file__).parent / "keras"


def _shapes(path):
    net = parse_spec(to_yaml(load(str(path))), "k.yaml", "k")
    table = layer_table(net)
    out = {}
    for row in table.walk():  # a Keras layer's output: the last row named after it
        out[row.name.split(" ")[0]] = row.output_shape
    return net, table, out


def test_keras3_functional_same_stride2_depthwise_separable_add_concat():
    net, table, shapes = _shapes(HERE / "functional_keras3.json")
    assert net.input == (3, 32, 30)  # batch_shape [None, 32, 30, 3]
    assert shapes == {
        "c1": (8, 16, 15),     # same, s=2: ceil(32/2), ceil(30/2)
        "dw": (16, 16, 15),    # depth_multiplier 2
        "c2": (16, 16, 15), "sum": (16, 16, 15),
        "sep": (24, 8, 8),     # same, s=2 on 16×15
        "pool": (24, 4, 4),    # same, 3×3, s=2 on 8×8
        "side": (8, 4, 4),     # valid, 3×3, s=4 on 16×15: ceil(14/4), ceil(13/4)
        "cat": (32, 4, 4), "gap": (32,), "out": (10,),
    }
    rows = {r.name: r for r in table.walk()}
    # 'same' with stride 2 pads 1 in all on 32 and on 30: the extra pixel after
    assert rows["c1 same padding"].details == "l=0, r=1, t=0, b=1"
    assert rows["sep same padding"].details == "l=1, r=1, t=0, b=1"  # 2 on 15, 1 on 16
    # Keras' own parameter counts: 3·3·3·8 + 8, 3·3·8·2, and SeparableConv2D's 3·3·16 +
    # 16·24 + 24 split over its depthwise and pointwise convolutions
    assert rows["c1"].params == 224 and rows["dw"].params == 144
    assert rows["sep depthwise"].params + rows["sep"].params == 552


def test_keras2_sequential_transposed_padding_cropping_upsampling():
    net, table, shapes = _shapes(HERE / "sequential_keras2.json")
    assert net.input == (1, 28, 28)
    assert shapes == {
        "conv_valid": (6, 24, 24),    # 28 - 5 + 1
        "avg_same": (6, 12, 12),
        "up_same_odd": (4, 24, 24),   # same: 12·2 (PyTorch gives 25, cropped)
        "up_valid": (4, 48, 48),      # valid: 24·2 + max(2 - 2, 0)
        "zpad": (4, 51, 55),          # + 1 + 2, + 3 + 4
        "crop": (4, 48, 49),
        "conv_same_s2": (8, 24, 25),  # ceil(48/2), ceil(49/2)
        "upsample": (8, 48, 50), "bn": (8, 48, 50),
        "up_same_2": (2, 96, 100),
        "up_k1_s3": (2, 288, 300),    # valid: 96·3 + max(1 - 3, 0)
        "gmp": (2,), "drop": (2,), "head": (3,),
    }
    rows = {r.name: r for r in table.walk()}
    assert rows["conv_same_s2 same padding"].details == "l=1, r=2, t=1, b=1"
    assert rows["bn"].params == 16  # scale and shift; eps 0.001 kept
    assert "eps: 0.001" in to_yaml(load(str(HERE / "sequential_keras2.json")))


def test_a_keras_file_reads_its_config_json(tmp_path):
    src = tmp_path / "model.keras"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("metadata.json", "{}")
        zf.writestr("config.json", (HERE / "functional_keras3.json").read_text())
    from_zip = to_yaml(load(str(src)))
    from_json = to_yaml(load(str(HERE / "functional_keras3.json")))
    assert "model.keras" in from_zip
    assert from_zip.partition("\ninput:")[2] == from_json.partition("\ninput:")[2]


def _bad(tmp_path, capsys, edit):
    data = json.loads((HERE / "sequential_keras2.json").read_text())
    edit(data["config"]["layers"])
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data))
    out = tmp_path / "out" / "bad.yaml"
    code = main(["import", str(src), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and not out.exists(), err
    return err


def test_keras_what_pytorch_cannot_do_is_one_line(tmp_path, capsys):
    def same_pool_stride_1(layers):  # pads 0 before, 1 after: no PyTorch pooling does
        layers.insert(1, {"class_name": "MaxPooling2D", "config": {
            "name": "p", "pool_size": [2, 2], "strides": [1, 1], "padding": "same"}})
    err = _bad(tmp_path, capsys, same_pool_stride_1)
    assert "layer 'p' (MaxPooling2D): 'same' pooling of 24×24" in err

    def off_centre(layers):
        layers[5]["config"]["cropping"] = [[0, 3], [3, 3]]
    assert "layer 'crop' (Cropping2D): cropping top 0, bottom 3" in _bad(tmp_path, capsys,
                                                                         off_centre)

    def lstm(layers):
        layers.insert(2, {"class_name": "LSTM", "config": {"name": "rnn", "units": 4}})
    err = _bad(tmp_path, capsys, lstm)
    assert "layer 'rnn' (LSTM): no spec layer represents it; supported: InputLayer, Conv2D" in err


def test_not_a_keras_file(tmp_path, capsys):
    for name, data in (("m.keras", b"not a zip"), ("m.json", b"{\"class_name\": 3}"),
                       ("n.json", b"\xff\xfe")):
        src = tmp_path / name
        src.write_bytes(data)
        assert main(["import", str(src), "-o", str(tmp_path / "o.yaml")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not a" in err and not (tmp_path / "o.yaml").exists()


def test_a_malformed_keras_config_is_one_line(tmp_path, capsys):
    def bad_filters(layers):
        layers[0]["config"]["filters"] = "six"
    assert "layer 'conv_valid' (Conv2D): its config is not as Keras writes it" in _bad(
        tmp_path, capsys, bad_filters)
    src = tmp_path / "deep.json"
    src.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["import", str(src), "-o", str(tmp_path / "d.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and not (tmp_path / "d.yaml").exists(), err


def test_keras2_hard_sigmoid_is_not_pytorchs(tmp_path, capsys):
    """Keras 2's hard_sigmoid is clip(0.2·x + 0.5, 0, 1); Keras 3's (and PyTorch's) is
    relu6(x + 3) / 6. A config that says it is Keras 2 (keras_version) is refused; one
    from Keras 3 maps to hardsigmoid."""
    def hard_sigmoid(layers):
        layers[0]["config"]["activation"] = "hard_sigmoid"
    err = _bad(tmp_path, capsys, hard_sigmoid)
    assert "layer 'conv_valid' (Conv2D): activation 'hard_sigmoid' of Keras 2" in err
    data = json.loads((HERE / "sequential_keras2.json").read_text())
    hard_sigmoid(data["config"]["layers"])
    data["keras_version"] = "3.15.1"
    src = tmp_path / "k3.json"
    src.write_text(json.dumps(data))
    assert "  - hardsigmoid: {name: conv_valid hard_sigmoid}" in to_yaml(load(str(src)))
    del data["keras_version"]
    with zipfile.ZipFile(tmp_path / "k2.keras", "w") as zf:  # the version in metadata.json
        zf.writestr("metadata.json", json.dumps({"keras_version": "2.15.0"}))
        zf.writestr("config.json", json.dumps(data))
    assert main(["import", str(tmp_path / "k2.keras"), "-o", str(tmp_path / "o.yaml")]) == 2
    assert "of Keras 2 is clip(0.2·x + 0.5, 0, 1)" in capsys.readouterr().err
