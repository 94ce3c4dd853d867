"""Counting conventions and tool predictions on small networks counted by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.specs import BUILTINS, load_builtin, load_spec, parse_spec
from generator.tables import layer_table
from generator.tables.conventions import COLUMNS, Counts, counting, leaves
from generator.tables.tools import DIALECTS, FUNCTION, LINEAR_CHANNELS_LAST, calls, predict

EXAMPLES = Path(__file__).parents[2] / "generator/specs/examples"


def _table(yaml: str):
    return layer_table(parse_spec(yaml, "test.yaml", "test"))


def test_each_column_on_a_plain_stack():
    c = counting(_table("""
name: plain
input: [1, 6, 6]
layers:
  - conv: {out: 2, kernel: 3}          # 2×4×4: 32 outputs of 9 products, 32 biases
  - batchnorm                          # 32 values, one multiply-add each
  - relu                               # 32
  - maxpool: {kernel: 2, stride: 2}    # 8 outputs of a 2×2 window: 32
  - flatten
  - fc: {out: 3}                       # 3 × 8 products, 3 biases
  - softmax                            # 3 values × 3
"""))
    assert c.totals == Counts(weight_macs=288 + 24, bias=32 + 3, normalisation=32,
                              activations=32 + 9, pooling=32)
    assert c.totals.cumulative() == (312, 347, 379, 420, 452)
    assert c.totals.flops == 624 and c.totals.all_operations == 452
    assert len(COLUMNS) == len(c.totals.values())


def test_graph_kinds_merges_and_upsampling():
    c = counting(_table("""
name: graph
input: [4, 2, 2]
layers:
  - conv: {out: 4, kernel: 1, bias: false}           # 16 outputs × 4 products
  - layernorm                                        # 16 values × 4
  - scale: {name: s}                                 # 16
  - add: {name: sum, inputs: [s, input]}             # 16 × (2 − 1)
  - global_pool: {name: g}                           # 16 values read
  - multiply: {inputs: [sum, g]}                     # 16 × (2 − 1), broadcast
  - upsample: {scale: 2, mode: bilinear}             # 64 outputs × 4
  - conv_transpose: {out: 1, kernel: 2, stride: 2}   # 64 inputs × 4 taps; 64 biases
"""))
    assert c.totals == Counts(weight_macs=64 + 256, bias=64, normalisation=64 + 16,
                              activations=0, pooling=16 + 16 + 16 + 256)


def test_a_residual_block_counts_its_addition_and_its_activation():
    table = _table("""
name: res
input: [2, 3, 3]
layers:
  - basic: {out: 2}
""")
    c = counting(table)
    # two 3×3 convs of 18 outputs × 18 products; two batchnorms and two relus of 18
    # values (one relu after the addition); the addition of 18 values.
    assert c.totals == Counts(weight_macs=648, normalisation=36, activations=36, pooling=18)
    kinds = [(row.type, layer is None) for row, layer in leaves(table)]
    assert kinds == [("conv", False), ("batchnorm", False), ("relu", False),
                     ("conv", False), ("batchnorm", False), ("add", True), ("relu", True)]


def test_lrn_and_layernorm_without_affine():
    c = counting(_table("""
name: norms
input: [5, 2, 2]
layers:
  - lrn: {size: 3}                  # 20 values × (3 + 1)
  - layernorm: {affine: false}      # 20 values × 3
"""))
    assert c.totals.normalisation == 20 * 4 + 20 * 3


@pytest.mark.parametrize("name", BUILTINS)
def test_weight_macs_are_the_tables_and_rows_add_up(name):
    table = layer_table(load_builtin(name))
    c = counting(table)
    assert c.totals.weight_macs == table.totals.macs
    total = Counts()
    for _, counts in c.rows:
        total += counts
    assert total == c.totals
    leaf_rows = [r for r in table.walk() if not r.children and r.type not in ("repeat",
                                                                             "block")]
    assert [id(r) for r, _ in leaves(table)] == [id(r) for r in leaf_rows]


def _predicted(table, dialect=None):
    return {p.tool: p.value for p in predict(table, dialect)}


def test_tools_on_the_transposed_conv_autoencoder():
    # enc1 16×14×14 (144 weights, 16 biases), enc2 32×7×7 (4,608 + 32), dec1 7×7 -> 16×14×14
    # (8,192 + 16), dec2 14×14 -> 1×28×28 (256 + 1).
    table = layer_table(load_spec(EXAMPLES / "autoencoder-transposed.yaml", "ae"))
    true = 16 * 196 * 9 + 32 * 49 * 144 + 32 * 49 * 16 * 16 + 16 * 196 * 16
    assert table.totals.macs == true == 705_600
    p = _predicted(table)
    # torchinfo: (weights + biases) × OUTPUT positions, for transposed convs too
    assert p["torchinfo"] == 160 * 196 + 4640 * 49 + 8208 * 196 + 257 * 784 == 2_068_976
    # thop: output values × input channels × kernel, for transposed convs too
    assert p["thop"] == float(28_224 + 225_792 + 3136 * 32 * 16 + 784 * 16 * 16)
    assert p["fvcore"] == true  # by input for transposed convs; biases not counted
    biases = 3136 + 1568 + 3136 + 784
    assert p["ptflops (aten)"] == true + biases
    # nn.ReLU: the hook and the patched F.relu count each value; sigmoid is not listed
    assert p["ptflops (pytorch)"] == true + biases + 2 * (3136 + 1568 + 3136)


def test_tools_on_a_convnext_block_as_modules_and_as_torchvision_writes_it():
    table = layer_table(load_spec(EXAMPLES / "convnext-block.yaml", "cn"))
    hw = 56 * 56
    dw, pw = 96 * hw * 49, 2 * 96 * 384 * hw
    assert table.totals.macs == dw + pw
    conv_style = _predicted(table)
    assert conv_style["torchinfo"] == (96 * 49 + 96) * hw + (96 * 384 + 384) * hw \
        + (384 * 96 + 96) * hw + 2 * 96
    tv = _predicted(table, DIALECTS["convnext"])
    hows = [how for _, _, how in calls(table, DIALECTS["convnext"])]
    assert hows.count(LINEAR_CHANNELS_LAST) == 2
    # channels-last nn.Linear: torchinfo multiplies its parameters by the batch (1) only
    assert tv["torchinfo"] == (96 * 49 + 96) * hw + 2 * 96 + (96 * 384 + 384) \
        + (384 * 96 + 96)
    assert tv["fvcore"] == dw + pw + 5 * 96 * hw  # layer_norm 5 per value
    # nn.LayerNorm (no attribute `affine`): 1 per value; LayerNorm2d: not counted
    assert tv["ptflops (pytorch)"] - conv_style["ptflops (pytorch)"] == 96 * hw
    assert tv["thop"] - conv_style["thop"] == 4 * 96 * hw


def test_functional_calls_are_seen_by_ptflops_only():
    table = layer_table(load_builtin("densenet121"))
    functional = [(row.type, row.output_shape) for row, _, how in calls(table)
                  if how == FUNCTION]
    assert functional == [("relu", (1024, 7, 7)), ("adaptive_avgpool", (1024, 1, 1))]


def test_resnet50_predictions_match_the_measured_numbers():
    # measured with torch 2.13 and the pinned tools (tests/tables/test_tools_real.py
    # checks every network against the tools themselves where they are installed)
    p = _predicted(layer_table(load_builtin("resnet50")))
    assert p == {"torchinfo": 4_089_238_376, "fvcore": 4_111_512_576,
                 "ptflops (pytorch)": 4_132_436_968, "ptflops (aten)": 4_089_185_256,
                 "thop": 4_133_742_592.0}


def test_the_pages_show_the_computed_numbers():
    from generator.pages import counting as page
    table = layer_table(load_builtin("resnet50"))
    ctx = page.network_context(table, "architectures/resnet50.md")
    assert [t["value"] for t in ctx["tools"]] == [f"{int(v):,}" for v in
                                                 _predicted(table).values()]
    assert ctx["conventions"][0]["value"] == "4,089,184,256"
    assert ctx["conventions"][-1]["value"] == "8,178,368,512"  # FLOPs
    assert ctx["reference"] == "../reference/counting-conventions.md"
    values = page.values()
    resnet = next(p for p in values["published"] if "ResNet" in p["network"])
    # torchvision's 4.089G is the weight MACs (and, at four digits, the bias additions too)
    assert resnet["matching"] == ["weight MACs", "+ bias additions"]
    vgg = next(p for p in values["published"] if "VGG" in p["network"])
    assert vgg["matching"] == ["weight MACs"]
    rows = {r["kind"]: r["cells"] for r in values["kinds"]["rows"]}
    # torchinfo and thop overcount the transposed conv, fvcore counts it right
    assert rows["conv_transpose"][1] == "= weight MACs"
    assert rows["conv_transpose"][0] != "= weight MACs" != rows["conv_transpose"][4]
