"""The YAML writer on hand-made imports (no optional package needed): repeated windows
fold into one block, values that differ become parameters, a value taken from inside a
window stops the fold, and the text loads as a spec with the same table."""

from __future__ import annotations

from generator.importers import Imported, to_yaml
from generator.importers.emit import HEADER
from generator.specs import parse_spec
from generator.tables import layer_table


def _block(prefix, out, stride=1):
    return [
        {"conv": {"name": f"{prefix}/conv", "out": out, "kernel": 3, "stride": stride,
                  "padding": 1}},
        {"relu": {"name": f"{prefix}/relu"}},
    ]


def _model(extra=()):
    layers = [{"conv": {"name": "stem", "out": 8, "kernel": 1}}]
    for i, (out, stride) in enumerate([(8, 1), (16, 2), (32, 2)]):
        layers += _block(f"stage.{i}", out, stride)
    layers += list(extra)
    layers += [{"global_pool": {"name": "pool"}}, {"flatten": {"name": "flat"}},
               {"linear": {"name": "fc", "out": 10}}]
    return Imported("Tiny: a 'model'", (3, 32, 32), "Hand-made.\n\nTwo paragraphs.", layers)


def _flat_table(model):
    """The table of the layers as written, without folding."""
    lines = ["name: flat", "input: [3, 32, 32]", "layers:"]
    for layer in model.layers:
        (kind, body), = layer.items()
        fields = ", ".join(f"{k}: {v!r}".replace("'", "") if k != "name" else f"name: '{v}'"
                           for k, v in body.items())
        lines.append(f"  - {kind}: {{{fields}}}")
    return layer_table(parse_spec("\n".join(lines) + "\n", "flat.yaml", "flat"))


def _counted(table):
    return [(r.output_shape, r.params, r.macs) for r in table.walk() if not r.children]


def test_a_repeated_window_folds_with_its_differences_as_parameters():
    model = _model()
    text = to_yaml(model)
    assert text == to_yaml(model)  # same bytes every time
    assert text.splitlines()[0] == HEADER
    assert "    params: {out: ~, stride: ~}\n" in text
    assert "      - conv: {name: conv, out: $out, kernel: 3, stride: $stride, padding: 1}\n" \
        in text
    assert ("  - repeat: {name: stage.0-2, block: block1, each: [{out: 8, stride: 1}, "
            "{out: 16, stride: 2}, {out: 32, stride: 2}]}\n") in text
    net = parse_spec(text, "t.yaml", "t")
    assert net.name == "Tiny: a 'model'" and net.description.count("\n\n") == 1
    assert _counted(layer_table(net)) == _counted(_flat_table(model))


def test_a_value_taken_from_inside_a_window_stops_the_fold():
    # an add after the windows takes stage.1's convolution: stage.1 cannot be folded
    extra = [{"conv": {"name": "side", "inputs": ["stage.1/conv"], "out": 32, "kernel": 1,
                       "stride": 2}},
             {"add": {"name": "sum", "inputs": ["stage.2/relu", "side"]}}]
    text = to_yaml(_model(extra))
    assert "repeat" not in text
    assert "  - conv: {name: side, inputs: [stage.1/conv], out: 32, kernel: 1, stride: 2}\n" \
        in text
    net = parse_spec(text, "t.yaml", "t")
    assert layer_table(net).rows[-1].output_shape == (10,)


def _residual(prefix, out, stride):
    """A block with a projection shortcut: relu, conv, relu, conv, shortcut conv, add."""
    into = f"{prefix}/in"
    return [
        {"relu": {"name": into}},
        {"conv": {"name": f"{prefix}/conv1", "out": out, "kernel": 1, "stride": stride}},
        {"relu": {"name": f"{prefix}/relu1"}},
        {"conv": {"name": f"{prefix}/conv2", "out": out, "kernel": 3, "padding": 1}},
        {"conv": {"name": f"{prefix}/down", "inputs": [into], "out": out, "kernel": 1,
                  "stride": stride}},
        {"add": {"name": f"{prefix}/add", "inputs": [f"{prefix}/conv2", f"{prefix}/down"]}},
    ]


def test_windows_alike_apart_from_each_other_share_one_block():
    # stage.1 and stage.2 start with the same projection block, each followed by a run of
    # plain blocks: the two projection blocks are one block, each a repeat of one
    layers = [{"conv": {"name": "stem", "out": 8, "kernel": 1}}]
    for i, out in ((1, 16), (2, 32)):
        layers += _residual(f"stage.{i}.0", out, 2)
        for j in (1, 2):
            layers += _block(f"stage.{i}.{j}", out)
    layers += [{"global_pool": {"name": "pool"}}, {"flatten": {"name": "flat"}},
               {"linear": {"name": "fc", "out": 10}}]
    model = Imported("Stages", (3, 32, 32), "", layers)
    text = to_yaml(model)
    repeats = [line for line in text.splitlines() if line.startswith("  - repeat:")]
    assert repeats == [
        "  - repeat: {name: stage.1.0, block: block1, params: {out: 16}}",
        "  - repeat: {name: stage.1.1-2, block: block2, times: 2, params: {out: 16}}",
        "  - repeat: {name: stage.2.0, block: block1, params: {out: 32}}",
        "  - repeat: {name: stage.2.1-2, block: block2, times: 2, params: {out: 32}}",
    ]
    assert "      - conv: {name: down, inputs: [in], out: $out, kernel: 1, stride: 2}" in text
    net = parse_spec(text, "t.yaml", "t")
    assert _counted(layer_table(net)) == _counted(_flat_table(model))
    # once only: nothing to share, the layers stay as they are
    once = Imported("Once", (3, 32, 32), "", layers[:1] + _residual("s", 16, 2))
    assert "repeat" not in to_yaml(once)
