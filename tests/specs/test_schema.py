"""The spec format: built-ins load, good specs parse, every bad spec gets one clear line."""

from __future__ import annotations

import pytest

from generator.errors import UserError
from generator.specs import (
    BUILTINS,
    LAYER_KINDS,
    SPEC_DIR,
    Basic,
    Bottleneck,
    Concat,
    Conv,
    Linear,
    load_builtin,
    load_spec,
    parse_spec,
    spec_id,
)
from generator.specs.fields import spec_fields

SOURCE = "specs/mynet.yaml"


def parse(layers: str, input_: str = "[3, 32, 32]"):
    """Parse a spec whose ``layers:`` block is ``layers`` (YAML lines, 2-space indented)."""
    return parse_spec(f"name: My net\ninput: {input_}\nlayers:\n{layers}", SOURCE, "mynet")


def error_of(text: str) -> str:
    with pytest.raises(UserError) as info:
        parse_spec(text, SOURCE, "mynet")
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{SOURCE}: ")
    return message


def layer_error(layers: str) -> str:
    return error_of(f"name: My net\ninput: [3, 32, 32]\nlayers:\n{layers}")


# ------------------------------------------------------------------ what is accepted


def test_every_builtin_loads_and_every_yaml_file_is_a_builtin():
    assert sorted(p.stem for p in SPEC_DIR.glob("*.yaml")) == sorted(BUILTINS)
    for name in BUILTINS:
        net = load_builtin(name)
        assert net.id == name and net.name and net.layers


def test_a_layer_is_a_one_key_mapping_or_a_bare_kind_and_sizes_expand_to_pairs():
    net = parse("  - conv: {name: c1, out: 6, kernel: 5, stride: [2, 1], padding: same}\n"
                "  - relu\n  - fc: {out: 10, bias: false}\n")
    conv, relu, fc = net.layers
    assert conv == Conv(name="c1", out=6, kernel=(5, 5), stride=(2, 1), padding="same")
    assert conv.where == "layer 1 'c1' (conv)"
    assert relu.KIND == "relu" and relu.where == "layer 2 (relu)"
    assert fc == Linear(out=10, bias=False)  # the alias fc is linear


def test_blocks_hold_located_layers():
    net = parse("  - residual:\n      name: r\n      main: [relu, {conv: {out: 3, kernel: 1}}]\n"
                "  - concat: {branches: [[relu], [{maxpool: {kernel: 3}}]]}\n")
    res, cat = net.layers
    assert res.main[1].where == "layer 1 'r' (residual) > main 2 (conv)"
    assert res.shortcut == ()
    assert isinstance(cat, Concat)
    assert cat.branches[1][0].where == "layer 2 (concat) > branch 2, layer 1 (maxpool)"


def test_basic_and_bottleneck_expand_like_torchvision():
    block = parse("  - bottleneck: {name: layer2.0, width: 128, stride: 2}\n").layers[0]
    assert isinstance(block, Bottleneck)
    res = block.expand(256)
    assert [(l.name, l.KIND) for l in res.main] == [
        ("conv1", "conv"), ("bn1", "batchnorm"), ("relu", "relu"), ("conv2", "conv"),
        ("bn2", "batchnorm"), ("relu", "relu"), ("conv3", "conv"), ("bn3", "batchnorm")]
    assert res.main[3].stride == (2, 2) and res.main[0].stride == (1, 1)  # ResNet v1.5
    assert [l.name for l in res.shortcut] == ["downsample.0", "downsample.1"]
    assert res.shortcut[0].stride == (2, 2) and res.shortcut[0].out == 512
    assert res.main[6].where == "layer 1 'layer2.0' (bottleneck) > main 7 'conv3' (conv)"
    basic = parse("  - basic: {out: 64}\n").layers[0]
    assert isinstance(basic, Basic)
    assert basic.expand(64).shortcut == ()          # same shape: identity
    assert len(basic.expand(32).shortcut) == 2       # channels change: projection


def test_published_figures_parse_exact_and_rounded():
    net = parse_spec(
        "name: N\ninput: [1]\nlayers: [relu]\npublished:\n"
        "  - {source: paper, params: 1234, macs: 4.089G}\n", SOURCE, "n")
    pub = net.published[0]
    assert pub.params.exact and pub.params.matches(1234) and not pub.params.matches(1235)
    assert pub.macs.matches(4_089_184_256) and not pub.macs.matches(4_089_500_000)


def test_user_spec_ids_are_url_safe_file_stems(tmp_path):
    assert spec_id(tmp_path / "My Net v2.yaml") == "my-net-v2"
    path = tmp_path / "tiny.yaml"
    path.write_text("name: Tiny\ninput: [4]\nlayers: [{fc: {out: 2}}]\n")
    assert load_spec(path).id == "tiny"


def test_every_field_is_documented():
    for cls in LAYER_KINDS.values():
        assert cls.__doc__ and len(cls.__doc__) > 20, cls
        for f in spec_fields(cls):
            assert len(f.metadata["doc"]) > 10, (cls, f.name)


# ------------------------------------------------------------------ what is rejected


@pytest.mark.parametrize("layers, expected", [
    # unknown layer type, with a suggestion
    ("  - convv: {out: 6, kernel: 5}\n",
     "specs/mynet.yaml: layer 1: unknown layer type 'convv' (did you mean 'conv'?"),
    # unknown field, with a suggestion and the fields the layer takes
    ("  - relu\n  - conv: {name: c2, out: 6, kernal: 5}\n",
     "specs/mynet.yaml: layer 2 'c2' (conv): unknown field 'kernal' (did you mean 'kernel'?"),
    # missing field
    ("  - conv: {name: conv1, kernel: 5}\n",
     "specs/mynet.yaml: layer 1 'conv1' (conv): missing field 'out' (number of filters"),
    # wrong type
    ("  - relu\n  - relu\n  - conv: {name: conv2, out: 6, kernel: \"five\"}\n",
     "specs/mynet.yaml: layer 3 'conv2' (conv): kernel must be a positive integer or a pair "
     "[height, width] of them, found the string 'five'"),
    # zero and negative sizes
    ("  - conv: {out: 0, kernel: 3}\n",
     "layer 1 (conv): out must be a positive integer, found 0"),
    ("  - maxpool: {kernel: 2, stride: -2}\n",
     "layer 1 (maxpool): stride must be a positive integer or a pair [height, width] of them, "
     "found -2"),
    ("  - conv: {out: 4, kernel: 3, padding: -1}\n",
     "layer 1 (conv): padding must be a non-negative integer, a pair [height, width] of them, "
     "'same' or 'valid', found -1"),
    # a float, a boolean and a pair of the wrong length are not sizes
    ("  - conv: {out: 4, kernel: 3.0}\n", "kernel must be a positive integer"),
    ("  - conv: {out: 4, kernel: true}\n", "found true"),
    ("  - conv: {out: 4, kernel: [3, 3, 3]}\n", "found the list [3, 3, 3]"),
    ("  - conv: {out: 4, kernel: 3, bias: 1}\n",
     "layer 1 (conv): bias must be true or false, found 1"),
    ("  - dropout: {p: 1.5}\n", "layer 1 (dropout): p must be a number from 0 to 1, found 1.5"),
    # out channels not divisible by groups (input channels are checked by the table)
    ("  - conv: {name: g, out: 6, kernel: 3, groups: 4}\n",
     "layer 1 'g' (conv): out 6 is not divisible by groups 4"),
    # not a one-key mapping
    ("  - {conv: {out: 1, kernel: 1}, relu: null}\n",
     "layer 1: expected a one-key mapping like 'conv: {out: 6, kernel: 5}'"),
    ("  - conv: 5\n",
     "layer 1 (conv): the fields of a conv layer must be a mapping like "
     "'conv: {out: ..., kernel: ...}', found 5"),
    ("  - 7\n", "layer 1: expected a one-key mapping"),
    # nested layers name their path
    ("  - residual:\n      name: layer2.0\n      main:\n        - relu\n"
     "        - conv: {out: 8, kernel: 0}\n",
     "layer 1 'layer2.0' (residual) > main 2 (conv): kernel must be a positive integer"),
    ("  - residual: {main: []}\n",
     "layer 1 (residual): main must be a non-empty list of layers, found the list []"),
    ("  - concat: {branches: [[relu]]}\n",
     "layer 1 (concat): branches must be a list of at least two branches"),
    ("  - concat: {branches: [[relu], [{pool: {kernel: 2}}]]}\n",
     "layer 1 (concat) > branch 2, layer 1: unknown layer type 'pool'"),
    ("  - basic: {name: b, out: 8, stride: 2, padding: 1}\n",
     "layer 1 'b' (basic): unknown field 'padding'"),
])
def test_a_bad_layer_is_one_line_naming_file_layer_and_field(layers, expected):
    assert expected in layer_error(layers)


@pytest.mark.parametrize("text, expected", [
    ("name: x\ninput: [3, 32, 32]\nlayers:\n  - conv: {out: 6, kernel: 5\n",
     "specs/mynet.yaml: line 5, column 1: not valid YAML: "),
    ("name: x\ninput: [3, 32]\nlayers: [relu]\n",
     "specs/mynet.yaml: input must be a list [C, H, W] (or [features]) of positive integers, "
     "found the list [3, 32]"),
    ("name: x\ninput: [3, 0, 32]\nlayers: [relu]\n", "input must be a list [C, H, W]"),
    ("name: x\nlayers: [relu]\n", "specs/mynet.yaml: missing field 'input'"),
    ("name: x\ninput: [1]\nlayers: []\n",
     "specs/mynet.yaml: layers must be a non-empty list of layers, found the list []"),
    ("name: x\ninput: [1]\nlayer: [relu]\n",
     "specs/mynet.yaml: unknown field 'layer' (did you mean 'layers'?"),
    ("- conv\n", "specs/mynet.yaml: expected a mapping with name, input and layers"),
    ("", "specs/mynet.yaml: expected a mapping with name, input and layers at the top, "
         "found nothing"),
    ("name: x\nname: y\ninput: [1]\nlayers: [relu]\n",
     "specs/mynet.yaml: line 2, column 1: not valid YAML: the key 'name' is given twice"),
    ("name: x\ninput: [1]\nlayers: [relu]\npublished: [{source: s}]\n",
     "specs/mynet.yaml: published 1: give at least one of params and macs"),
    ("name: x\ninput: [1]\nlayers: [relu]\npublished: [{source: s, params: 4.1 billion}]\n",
     "published 1: params must be an exact integer or a rounded figure as printed"),
])
def test_a_bad_file_is_one_line_naming_the_file(text, expected):
    assert expected in error_of(text)


def test_a_missing_or_unreadable_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="nope.yaml: no such file"):
        load_spec(tmp_path / "nope.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(UserError, match="latin1.yaml: not UTF-8 text"):
        load_spec(bad)
    with pytest.raises(UserError, match="unknown built-in network 'vgg17'"):
        load_builtin("vgg17")


def test_a_built_in_is_parsed_once_per_process_and_cannot_be_changed():
    import dataclasses

    from generator.specs import load_builtin

    first = load_builtin("resnet18")
    assert load_builtin("resnet18") is first  # a build reads the built-ins ~270 times
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "changed"
    assert isinstance(first.layers, tuple) and isinstance(first.blocks, tuple)
