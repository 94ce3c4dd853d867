"""Totals equal the published figures; per-layer values of the small networks."""

from __future__ import annotations

import pytest

from generator.specs import BUILTINS, load_builtin
from generator.tables import compare, layer_table

#: Published parameter counts (torchvision weight metadata, num_params), as the issue
#: states them; the specs keep them as data, and this repeats them so a typo in a
#: spec cannot make both sides wrong together.
PUBLISHED_PARAMS = {
    "alexnet": 61_100_840,
    "vgg11": 132_863_336,
    "vgg16": 138_357_544,
    "vgg19": 143_667_240,
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "resnet101": 44_549_160,
    "resnet152": 60_192_808,
    "mobilenet-v2": 3_504_872,
    "efficientnet-b0": 5_288_548,
    "densenet121": 7_978_856,
    "squeezenet1-0": 1_248_424,
    "squeezenet1-1": 1_235_496,
    "vgg16-bn": 138_365_992,
    "wide-resnet50-2": 68_883_240,
    "resnext50-32x4d": 25_028_904,
    "mobilenet-v3-small": 2_542_856,
    "mobilenet-v3-large": 5_483_032,
    "mnasnet1-0": 4_383_312,
    "regnet-x-400mf": 5_495_976,
    "convnext-tiny": 28_589_128,
    "googlenet": 6_624_904,
    "shufflenet-v2-x1-0": 2_278_604,
    # torchvision's metadata (27,161,264) includes the auxiliary classifier; this is its
    # model with aux_logits=False, as the spec
    "inception-v3": 23_834_568,
    # the paper's two-GPU AlexNet: no torchvision model; the sum of its layers' weights
    # and biases as the paper describes them
    "alexnet-original": 60_965_224,
}


@pytest.fixture(scope="module")
def tables():
    return {name: layer_table(load_builtin(name)) for name in BUILTINS}


@pytest.mark.parametrize("name", PUBLISHED_PARAMS)
def test_parameter_totals_equal_the_published_counts_exactly(tables, name):
    assert tables[name].totals.params == PUBLISHED_PARAMS[name]
    assert tables[name].totals.trainable_params == PUBLISHED_PARAMS[name]


def test_every_published_figure_in_the_specs_matches_except_the_one_documented(tables):
    mismatches = []
    for name, table in tables.items():
        for c in compare(table.network, table):
            if not c.matches:
                mismatches.append((name, c.quantity, c.published.text, c.computed_as_printed))
    # GoogLeNet's Table 1 prints 159K for inception (3a); its own column values give
    # 163,328 weights + 368 biases. The spec's note says so on the page.
    # MobileNetV2's paper prints 3.4M parameters and 300M multiply-adds for the network
    # torchvision (and this spec) counts 3,504,872 and 300,774,272 of; its note says so.
    # The papers' figures of the networks added with #15 and torchvision's count for
    # Inception-v3 with its auxiliary head differ for the reasons their notes give.
    assert mismatches == [("inception3a", "params", "159K", "164K"),
                          ("inception-v3", "params", "27,161,264", "23,834,568"),
                          ("inception-v3", "macs", "5G", "6G"),
                          ("regnet-x-400mf", "params", "5.2M", "5.5M"),
                          ("convnext-tiny", "params", "28M", "29M"),
                          ("mobilenet-v2", "params", "3.4M", "3.5M"),
                          ("mobilenet-v2", "macs", "300M", "301M"),
                          ("mobilenet-v3-small", "macs", "56M", "57M"),
                          ("mobilenet-v3-large", "params", "5.4M", "5.5M"),
                          ("mobilenet-v3-large", "macs", "219M", "217M"),
                          ("mnasnet1-0", "params", "3.9M", "4.4M"),
                          ("mnasnet1-0", "macs", "312M", "314M"),
                          ("shufflenet-v2-x1-0", "macs", "146M", "145M")]
    assert tables["inception3a"].totals.weights == 163_328


def test_macs_follow_the_convention_behind_resnet50_4_09_g(tables):
    assert tables["resnet50"].totals.macs == 4_089_184_256
    assert tables["alexnet"].totals.macs == 714_188_480
    assert tables["inception3a"].totals.macs == 128_049_152
    assert tables["mobilenet-v2"].totals.macs == 300_774_272
    assert tables["efficientnet-b0"].totals.macs == 385_814_752
    assert tables["densenet121"].totals.macs == 2_834_161_664
    assert tables["squeezenet1-0"].totals.macs == 818_924_576
    assert tables["squeezenet1-1"].totals.macs == 349_151_936
    assert tables["wide-resnet50-2"].totals.macs == 11_398_021_120
    assert tables["resnext50-32x4d"].totals.macs == 4_230_479_872
    assert tables["vgg16-bn"].totals.macs == tables["vgg16"].totals.macs  # BN counts none
    assert tables["mobilenet-v3-small"].totals.macs == 56_510_400
    assert tables["mobilenet-v3-large"].totals.macs == 216_589_760
    assert tables["mnasnet1-0"].totals.macs == 314_415_872
    assert tables["regnet-x-400mf"].totals.macs == 413_812_608
    assert tables["convnext-tiny"].totals.macs == 4_455_531_264
    assert tables["googlenet"].totals.macs == 1_498_376_192
    assert tables["inception-v3"].totals.macs == 5_713_216_096
    assert tables["shufflenet-v2-x1-0"].totals.macs == 144_907_992


def test_batchnorm_statistics_are_buffers_not_parameters(tables):
    # ResNet-50: 53 batchnorms over 26,560 channels: weight+bias are parameters,
    # running mean+var are buffers.
    t = tables["resnet50"].totals
    assert t.buffers == 53_120
    assert t.params + t.buffers == 25_610_152
    assert tables["vgg16"].totals.buffers == 0


def test_lenet5_layer_by_layer():
    t = layer_table(load_builtin("lenet5"))
    named = {r.name: r for r in t.rows if r.name}
    assert {n: (r.output_shape, r.params) for n, r in named.items()} == {
        "C1": ((6, 28, 28), 156),
        "S2": ((6, 14, 14), 0),
        "C3": ((16, 10, 10), 2416),
        "S4": ((16, 5, 5), 0),
        "C5": ((120, 1, 1), 48_120),
        "F6": ((84,), 10_164),
        "output": ((10,), 850),
    }
    assert t.totals.params == 61_706


def test_course_lenet_computes_what_the_notes_table_should_say():
    t = layer_table(load_builtin("lenet5-course"))
    rows = {r.name: r for r in t.rows if r.name}
    assert [(n, rows[n].output_shape, rows[n].activations, rows[n].params) for n in rows] == [
        ("CONV1", (8, 28, 28), 6272, 608),
        ("POOL1", (8, 14, 14), 1568, 0),
        ("CONV2", (16, 10, 10), 1600, 3216),
        ("POOL2", (16, 5, 5), 400, 0),
        ("FC3", (120,), 120, 48_120),
        ("FC4", (84,), 84, 10_164),
        ("SOFTMAX", (10,), 10, 850),
    ]
    assert t.totals.params == 62_958


def test_convnet39_example_shapes():
    t = layer_table(load_builtin("convnet39"))
    assert [r.output_shape for r in t.rows] == [(10, 37, 37), (20, 17, 17), (40, 7, 7), (1960,)]


def test_vgg16_has_16_weight_layers_and_resnet50_stages_end_where_expected(tables):
    vgg = tables["vgg16"]
    assert sum(r.type in ("conv", "linear") for r in vgg.walk()) == 16
    res = {r.name: r.output_shape for r in tables["resnet50"].rows}
    assert res["layer1.2"] == (256, 56, 56)
    assert res["layer2.3"] == (512, 28, 28)
    assert res["layer3.5"] == (1024, 14, 14)
    assert res["layer4.2"] == (2048, 7, 7)


def test_inception3a_concatenates_256_channels(tables):
    (block,) = tables["inception3a"].rows
    assert block.output_shape == (256, 28, 28)
    assert block.children[-1].type == "concat"
    assert block.params == sum(c.params for c in block.children)


def test_a_different_input_size_changes_the_table_and_drops_the_comparison():
    net = load_builtin("resnet18")
    small = layer_table(net, (3, 112, 112))
    assert small.rows[-1].output_shape == (1000,)
    assert small.totals.params == PUBLISHED_PARAMS["resnet18"]  # global pooling
    assert small.totals.macs < layer_table(net).totals.macs
    assert compare(net, small) == ()


def test_totals_are_sums_of_top_level_rows_and_blocks_sum_their_children(tables):
    for table in tables.values():
        assert table.totals.params == sum(r.params for r in table.rows)
        assert table.totals.activations == sum(r.activations for r in table.rows)
        for row in table.walk():
            if row.children:
                assert row.macs == sum(c.macs for c in row.children)
                assert row.params == sum(c.params for c in row.children)
