"""Network pages link the ideas they use (issues #13/#15): the "Built from" section,
related networks and the AlexNet 224/227 paragraph, computed from the layer tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.pages import architectures, concepts, site_map
from generator.pages.foundations import sizes
from generator.render import render
from generator.specs import BUILTINS, load_builtin, parse_spec
from generator.tables import layer_table
from tests.pages.helpers import render_page
from tests.torchvision_oracle import build

TEMPLATES = Path(architectures.__file__).parent.parent / "templates"


@pytest.fixture(scope="module")
def tables():
    return {i: layer_table(load_builtin(i)) for i in BUILTINS}


def test_every_target_is_a_foundations_page_in_the_site_map():
    pages = {p.slug: p for p in site_map.FOUNDATIONS.pages}
    assert len({c.slug for c in concepts.CONCEPTS}) == len(concepts.CONCEPTS)
    for c in concepts.CONCEPTS:
        assert c.slug in pages, c.slug
        assert c.page is pages[c.slug]
        assert c.path == f"{site_map.FOUNDATIONS.slug}/{c.slug}.md"
        assert (TEMPLATES / site_map.FOUNDATIONS.template(c.page)).is_file(), c.slug
    order = [p.slug for p in site_map.FOUNDATIONS.pages]
    places = [order.index(c.slug) for c in concepts.CONCEPTS]
    assert places == sorted(places)  # a page lists them in the site's order


def test_counts_of_known_networks(tables):
    got = {i: concepts.counts(tables[i]) for i in
           ("resnet50", "resnet152", "mobilenet-v2", "unet", "alexnet", "vgg16")}
    assert got["resnet50"]["residual-connections"] == 16
    assert got["resnet152"]["residual-connections"] == 50
    assert got["resnet50"]["one-by-one"] == 36 and got["resnet50"]["convolution"] == 53
    assert got["mobilenet-v2"]["depthwise-separable"] == 17
    assert got["mobilenet-v2"]["residual-connections"] == 10
    assert got["unet"]["transposed-convolution"] == 4
    assert got["alexnet"] == {"fully-connected-vs-convolution": 3, "convolution": 5,
                              "padding": 5, "stride": 1, "pooling": 4}
    assert "depthwise-separable" not in got["resnet50"]
    assert "residual-connections" not in got["vgg16"]


#: Counted by hand from the papers and torchvision's modules: ResNeXt-50 has one grouped 3×3
#: per bottleneck (3 + 4 + 6 + 3), RegNetX-400MF one per block (1 + 2 + 7 + 12), the original
#: AlexNet conv2, conv4 and conv5; a batchnorm after every convolution of the ResNets
#: (ResNet-50: 49 + 4 projections), VGG-16-BN's 13, DenseNet-121's 2 per dense layer (116)
#: + 3 transitions + the stem and the final one; a concatenation per Inception module
#: (GoogLeNet 9; Inception-v3 11, plus 2 inside each of the two last ones), per fire module
#: (8), per dense layer (6 + 12 + 24 + 16), per ShuffleNet unit (4 + 8 + 4) and per U-Net scale (4).
CHANNEL_COUNTS = {
    "resnext50-32x4d": {"grouped-convolution": 16, "batch-normalization": 53},
    "regnet-x-400mf": {"grouped-convolution": 22},
    "alexnet-original": {"grouped-convolution": 3},
    "resnet50": {"batch-normalization": 53},
    "vgg16-bn": {"batch-normalization": 13},
    "densenet121": {"batch-normalization": 121, "concatenation": 58},
    "googlenet": {"concatenation": 9},
    "inception-v3": {"concatenation": 15},
    "squeezenet1-0": {"concatenation": 8},
    "shufflenet-v2-x1-0": {"concatenation": 16},
    "unet": {"concatenation": 4},
}
_CHANNEL_SLUGS = ("grouped-convolution", "batch-normalization", "concatenation")


def test_channel_concepts_of_known_networks(tables):
    for net_id, want in CHANNEL_COUNTS.items():
        got = concepts.counts(tables[net_id])
        for slug, n in want.items():
            assert got.get(slug, 0) == n, (net_id, slug)
    # depthwise (groups = channels) is not grouped; no batchnorm or concat in the plain ones
    for net_id in ("mobilenet-v2", "convnext-tiny", "efficientnet-b0", "shufflenet-v2-x1-0"):
        assert "grouped-convolution" not in concepts.counts(tables[net_id]), net_id
    for net_id in ("vgg16", "alexnet", "lenet5"):
        assert not set(_CHANNEL_SLUGS) & set(concepts.counts(tables[net_id])), net_id
    with_grouped = [i for i in BUILTINS if "grouped-convolution" in concepts.counts(tables[i])]
    assert with_grouped == ["alexnet-original", "resnext50-32x4d", "regnet-x-400mf"]


def test_built_from_lists_the_channel_pages(tables):
    ctx = concepts.context("resnext50-32x4d", tables["resnext50-32x4d"],
                           "architectures/resnext50-32x4d.md")
    lines = {b["href"]: b["what"] for b in ctx["built_from"]}
    assert lines["../foundations/grouped-convolution.md"] == \
        "16 grouped convolutions (1 < groups < channels)"
    assert lines["../foundations/batch-normalization.md"] == "53 batchnorm layers"
    dense = concepts.context("densenet121", tables["densenet121"], "architectures/densenet121.md")
    assert {b["href"]: b["what"] for b in dense["built_from"]}[
        "../foundations/concatenation.md"] == "58 concatenations on the channels"


def test_counts_equal_the_tables_rows(tables):
    """Every row of the table, walked as the page folds it, gives the same counts."""
    for net_id, table in tables.items():
        rows = [r for top in table.rows for r in top.walk()]
        found = concepts.counts(table)
        kinds = {"residual-connections": "add", "transposed-convolution": "conv_transpose",
                 "fully-connected-vs-convolution": "linear", "convolution": "conv"}
        for slug, kind in kinds.items():
            assert found.get(slug, 0) == sum(r.type == kind for r in rows), (net_id, slug)
        pools = sum(r.type.endswith("pool") for r in rows)
        assert found.get("pooling", 0) == pools, net_id
        assert found.get("batch-normalization", 0) == sum(r.type == "batchnorm" for r in rows)
        # a block of branches is a concat row holding its branches and its own merge row
        merges = sum(r.type == "concat" and not r.children for r in rows)
        assert found.get("concatenation", 0) == merges, net_id


_TV_CHECKS = {
    "convolution": lambda m: True,
    "one-by-one": lambda m: tuple(m.kernel_size) == (1, 1),
    "depthwise-separable": lambda m: 1 < m.groups == m.in_channels,
    "stride": lambda m: max(m.stride) > 1,
    "dilation": lambda m: max(m.dilation) > 1,
    "padding": lambda m: max(m.padding) > 0,
    "grouped-convolution": lambda m: 1 < m.groups < m.in_channels,
}


@pytest.mark.parametrize("net_id", ["resnet50", "mobilenet-v2", "resnext50-32x4d",
                                    "alexnet", "mobilenet-v3-small", "regnet-x-400mf"])
def test_convolution_counts_match_torchvision(net_id, tables):
    """An oracle: torchvision's Conv2d modules, counted by the same properties."""
    model = build(load_builtin(net_id))  # skips, saying why, without torch or torchvision
    import torch.nn as tnn

    convs = [m for m in model.modules() if isinstance(m, tnn.Conv2d)]
    found = concepts.counts(tables[net_id])
    for slug, test in _TV_CHECKS.items():
        assert found.get(slug, 0) == sum(map(test, convs)), (net_id, slug)
    linears = sum(isinstance(m, tnn.Linear) for m in model.modules())
    assert found.get("fully-connected-vs-convolution", 0) == linears, net_id
    norms = sum(isinstance(m, tnn.BatchNorm2d) for m in model.modules())
    assert found.get("batch-normalization", 0) == norms, net_id


def test_users_spec_dilation_transposed_and_escaping():
    spec = ("name: My <b>net</b>\ninput: [3, 32, 32]\nlayers:\n"
            "  - conv: {out: 8, kernel: 3, dilation: 2, padding: same}\n"
            "  - conv: {out: 8, kernel: 3, groups: 8, padding: 1}\n"
            "  - conv_transpose: {out: 4, kernel: 2, stride: 2}\n")
    net = parse_spec(spec, "specs/resnet-mine.yaml", "resnet-mine")
    table = layer_table(net)
    assert concepts.counts(table) == {"convolution": 2, "padding": 2, "dilation": 1,
                                      "transposed-convolution": 1, "depthwise-separable": 1}
    ctx = concepts.context(net.id, table, "architectures/resnet-mine.md")
    assert [r["href"] for r in ctx["related"]] == [
        f"{i}.md" for i in ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
                            "wide-resnet50-2", "resnext50-32x4d")]
    assert ctx["discussed"] == []
    assert ctx["built_from"][0] == {"what": "2 convolutions", "title": "2-D convolution",
                                    "href": "../foundations/convolution.md"}


def test_related_networks_link_both_ways():
    assert concepts.related("alexnet") == ["alexnet-original"]
    assert concepts.related("alexnet-original") == ["alexnet"]
    assert concepts.related("resnet50") == ["resnet18", "resnet34", "resnet101", "resnet152",
                                            "wide-resnet50-2", "resnext50-32x4d"]
    assert concepts.related("resnext50-32x4d") == ["resnet18", "resnet34", "resnet50",
                                                   "resnet101", "resnet152", "wide-resnet50-2"]
    assert concepts.related("googlenet") == ["inception3a", "inception-v3"]
    assert concepts.related("inception-v3") == ["inception3a", "googlenet"]
    assert concepts.related("vgg16") == ["vgg11", "vgg16-bn", "vgg19"]
    assert concepts.related("unet") == []
    assert concepts.related("regnet-x-400mf") == []
    for a in BUILTINS:
        for b in concepts.related(a):
            assert a in concepts.related(b), (a, b)


def test_family_is_declared_in_the_spec_or_read_from_the_id():
    """The one rule: a spec's ``family`` field, else its id's leading letters."""
    declared = {i: load_builtin(i).family for i in BUILTINS if load_builtin(i).family}
    assert declared == {"googlenet": "inception", "wide-resnet50-2": "resnet",
                        "resnext50-32x4d": "resnet"}
    assert concepts.family("vgg16-bn") == "vgg" and concepts.family("googlenet") == "inception"
    spec = "name: Mine\nfamily: densenet\ninput: [3, 8, 8]\nlayers:\n  - conv: {out: 4, kernel: 3}\n"
    mine = parse_spec(spec, "specs/mine.yaml", "mine")
    assert concepts.family(mine) == "densenet" and concepts.related(mine) == ["densenet121"]
    ctx = concepts.context(mine.id, layer_table(mine), "architectures/mine.md")
    assert [r["href"] for r in ctx["related"]] == ["densenet121.md"]
    assert concepts.related(parse_spec(spec.replace("family: densenet\n", ""),
                                       "specs/mine.yaml", "mine")) == []


def test_alexnet_pages_link_the_stride_paragraph_by_its_anchor(tables):
    stride = render_page("foundations", "stride")
    headings = re.findall(r"^## .*\{: #([\w-]+) \}$", stride, re.M)
    assert headings == [sizes.ALEXNET_ANCHOR]
    for net_id in sizes.ALEXNET_NETWORKS:
        ctx = concepts.context(net_id, tables[net_id], f"architectures/{net_id}.md")
        assert [d["href"] for d in ctx["discussed"]] == [
            f"../foundations/stride.md#{sizes.ALEXNET_ANCHOR}"]
        assert "takes 227×227" in ctx["discussed"][0]["what"]
        assert "takes 224×224" in ctx["discussed"][0]["what"]
    assert concepts.context("vgg16", tables["vgg16"], "architectures/vgg16.md")["discussed"] == []


def test_the_network_page_shows_the_section(tables):
    page = render("pages/architectures/concepts.md.j2", concepts=concepts.context(
        "resnet50", tables["resnet50"], "architectures/resnet50.md"))
    assert "## Built from" in page
    assert ("- 16 additions of paths (residual connections): "
            "[Residual connections](../foundations/residual-connections.md)") in page
    assert "- 36 1×1 convolutions: [1×1 convolution and cost](../foundations/one-by-one.md)" in page
    assert ("Related networks: [ResNet&#45;18](resnet18.md), [ResNet&#45;34](resnet34.md), "
            "[ResNet&#45;101](resnet101.md), [ResNet&#45;152](resnet152.md), "
            "[Wide ResNet&#45;50&#45;2](wide-resnet50-2.md), "
            "[ResNeXt&#45;50 &#40;32×4d&#41;](resnext50-32x4d.md).") in page
    mobile = render("pages/architectures/concepts.md.j2", concepts=concepts.context(
        "mobilenet-v2", tables["mobilenet-v2"], "architectures/mobilenet-v2.md"))
    assert ("- 17 depthwise convolutions (groups = channels): "
            "[Depthwise-separable convolution](../foundations/depthwise-separable.md)") in mobile
    network = (TEMPLATES / "pages/architectures/network.md.j2").read_text(encoding="utf-8")
    assert network.count('{% include "pages/architectures/concepts.md.j2" %}') == 1
