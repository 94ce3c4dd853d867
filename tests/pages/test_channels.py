"""The Foundations pages on channels: grouped convolution, batch normalization,
concatenation. Their numbers against independent computations and PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator import nn
from generator.pages.foundations import channels
from generator.specs import load_builtin
from generator.tables import counts, layer_table
from tests.pages.helpers import render_page


@pytest.fixture(scope="module")
def grouped():
    return channels.grouped_convolution()


@pytest.fixture(scope="module")
def bn():
    return channels.batch_norm()


@pytest.fixture(scope="module")
def concat():
    return channels.concatenation()


# ----------------------------------------------------------------- grouped convolution


def test_grouped_example_sees_its_own_half(grouped):
    e = grouped["example"]
    assert e["sees"] == [[0, 1], [0, 1], [2, 3], [2, 3]]
    assert e["dense_sees"] == [[0, 1, 2, 3]] * 4
    assert e["split_error"] == 0.0
    assert (e["weights"], e["dense_weights"]) == (32, 64)


def test_connections_find_a_zero_weight_connection():
    """A filter whose weights are all 0 on a channel still reads it (the layout, not the values)."""
    w = np.zeros((4, 2, 1, 1))
    assert channels.sees(w, 2) == [[0, 1], [0, 1], [2, 3], [2, 3]]
    assert channels.sees(np.zeros((3, 1, 3, 3)), 3) == [[0], [1], [2]]


def test_resnext_grouped_against_dense(grouped):
    r = grouped["resnext"]
    assert r["count"] == 16 and sum(x["count"] for x in r["rows"]) == 16
    first = r["first"]
    assert (first["input"], first["output"], first["groups"], first["width"]) == \
        ((128, 56, 56), (128, 56, 56), 32, 4)
    assert (first["params"], first["dense_params"]) == (32 * 4 * 3 * 3 * 4, 128 * 128 * 3 * 3)
    assert first["macs"] == 56 * 56 * 128 * 4 * 3 * 3
    assert r["same_macs"] == first["macs"] and r["ratio"] == 32
    # independently: every grouped row of the table, each replaced by its dense version
    table = layer_table(load_builtin(channels.RESNEXT))
    rows = channels.grouped_rows(table)
    dense = sum(sum(counts.conv2d_params(x.input_shape[0], x.output_shape[0], l.kernel, bias=l.bias))
                for x, l in rows)
    assert r["dense_total_params"] == table.totals.params - sum(x.params for x, _ in rows) + dense
    assert r["total_params"] == 25028904  # torchvision's resnext50_32x4d
    # ResNet-50's 3×3 convolutions in the same places: 3, 4, 6, 3 blocks of 64, 128, 256, 512
    assert first["resnet"]["params"] == 64 * 64 * 3 * 3
    assert r["resnet_params"] == sum(n * c * c * 9 for n, c in ((3, 64), (4, 128), (6, 256), (3, 512)))
    assert r["resnet_total_params"] == 25557032  # torchvision's resnet50


def test_grouped_networks_and_shuffle(grouped):
    nets = {n["id"]: n for n in grouped["networks"]}
    assert list(nets) == ["alexnet-original", "resnext50-32x4d", "regnet-x-400mf"]
    assert nets["alexnet-original"]["names"] == ["conv2", "conv4", "conv5"]
    assert nets["alexnet-original"]["groups"] == [2] and nets["regnet-x-400mf"]["widths"] == [16]
    assert grouped["shuffle"]["order"] == [0, 3, 1, 4, 2, 5]
    assert grouped["shuffle"]["before"] == [[0, 1, 2], [3, 4, 5]]


def test_grouped_conv_matches_torch(grouped):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of the grouped example")
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((1, 4, 5, 5)), rng.standard_normal((6, 2, 3, 3))
    ours = nn.conv2d(x, w, groups=2)
    theirs = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), groups=2)
    assert np.allclose(ours, theirs.numpy(), atol=1e-12)


def test_grouped_page(grouped):
    page = render_page("foundations", "grouped-convolution", grouped)
    assert "| 128×56×56 → 128×56×56 | 3 | 4 | 4,608 | 147,456 | 14,450,688 | 462,422,016 |" in page
    assert "| 0 | 0, 1 | 0, 1, 2, 3 |" in page
    assert "conv2, conv4, conv5" in page
    assert "`0 1 2 | 3 4 5`,\ncome out of `channel_shuffle(x, 2)` in the order `0 3 1 4 2 5`" in page and "(../architectures/shufflenet-v2-x1-0.md)" in page
    assert "11,317,248\nweights and 1,849,688,064 MACs" in page
    assert '{{ figure' not in page and "grouped-channels.svg" in page


# ----------------------------------------------------------------- batch normalisation


def test_bn_example_by_hand_and_torch(bn):
    e = bn["example"]
    assert e["by_hand"] == e["out"]
    assert math.isclose(e["by_hand"], -5 / math.sqrt(4 + 1e-5))
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of batchnorm at inference")
    layer = torch.nn.BatchNorm2d(3).double().eval()
    with torch.no_grad():
        layer.running_mean.copy_(torch.from_numpy(e["mean"]))
        layer.running_var.copy_(torch.from_numpy(e["var"]))
        layer.weight.copy_(torch.from_numpy(e["gamma"]))
        layer.bias.copy_(torch.from_numpy(e["beta"]))
        x = torch.tensor([[r["x"] for r in e["rows"]]], dtype=torch.float64).reshape(1, 3, 2, 2)
        y = layer(x).numpy()[0].reshape(3, 4)
    assert np.allclose(y, [r["y"] for r in e["rows"]], atol=1e-12)


def test_bn_fold_is_exact_on_resnet18_stem(bn):
    f = bn["fold"]
    assert (f["conv"], f["bn"], f["input"], f["output"]) == ("conv1", "bn1", (3, 224, 224), (64, 112, 112))
    assert f["error"] < 1e-10 < f["scale"]
    assert (f["bn_params"], f["bn_buffers"]) == (128, 128)


def test_momentum_steps_match_the_closed_form_and_torch(bn):
    for m, steps in ((0.1, bn["torch"]["steps"]), (0.01, bn["keras"]["steps"])):
        assert steps == math.ceil(math.log(1 - channels.REACH) / math.log(1 - m) - 1e-12)
    assert (bn["torch"]["steps"], bn["keras"]["steps"]) == (22, 230)
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of the running mean")
    layer = torch.nn.BatchNorm1d(1).double()  # momentum 0.1, training mode
    batch = torch.tensor([[0.0], [2.0]], dtype=torch.float64)
    means = []
    for _ in range(22):
        layer(batch)
        means.append(float(layer.running_mean[0]))
    assert means[-2] < channels.REACH <= means[-1]


def test_bn_counts_are_2c(bn):
    nets = {n["id"]: n for n in bn["networks"]}
    r50 = nets["resnet50"]
    assert (r50["layers"], r50["params"], r50["buffers"]) == (53, 53120, 53120)
    assert r50["params"] == r50["formula_params"] == 2 * r50["channels"] == r50["formula_buffers"]
    assert nets["vgg16-bn"]["params"] == bn["vgg"]["difference"] == 2 * (64 * 2 + 128 * 2 + 256 * 3 + 512 * 6)


def test_bn_page(bn):
    page = render_page("foundations", "batch-normalization", bn)
    assert "`keras.layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001)`" in page
    assert "`torch.nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1)`" in page
    assert "Keras's default\n0.99 is PyTorch's `momentum=0.01`" in page
    assert "| 53 | 26,560 | 53,120 | 53,120 |" in page
    assert "../reference/counting-conventions.md" in page


# ----------------------------------------------------------------------- concatenation


def test_concat_channel_sums(concat):
    nets = {n["id"]: n for n in concat["networks"]}
    assert nets["inception3a"]["parts"] == [64, 128, 32, 32]
    assert nets["inception3a"]["output"] == (256, 28, 28)
    assert nets["squeezenet1-0"]["parts"] == [64, 64]
    assert nets["densenet121"]["parts"] == [64, 32] and nets["densenet121"]["count"] == 58
    assert nets["unet"]["parts"] == [512, 512] and nets["unet"]["output"] == (1024, 56, 56)
    d = concat["densenet"]
    assert d["channels"] == [64 + 32 * k for k in range(1, 7)]


def test_concat_example(concat):
    e = concat["example"]
    assert e["cat"] == (5, 3, 3) and e["last"] == (1, 3, 3, 5) and e["same_values"]
    assert e["error"] == 0.0


def test_concat_page(concat):
    page = render_page("foundations", "concatenation", concat)
    assert "| 64 + 128 + 32 + 32 | 256×28×28 |" in page
    assert "`keras.layers.Concatenate(axis=-1)([a, b])`" in page and "dim=1" in page
    assert "96, 128, 160, 192, 224, 256" in page
