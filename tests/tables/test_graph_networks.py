"""Graph specs: U-Net (crops to another layer's size, concatenations across scales) and
the two-GPU AlexNet (groups, LRN), which torchvision does not have, have layer by layer
the output shapes and parameters of the same networks built by hand from torch.nn
modules (the built-ins torchvision has are compared with its models in
test_torchvision.py); the NumPy forward pass of the graph built-ins gives the table's
shapes on sizes other than their own; and facts of MobileNetV2 (blocks, repeat, add),
EfficientNet-B0 (squeeze-and-excitation: multiply), DenseNet-121 (concat of named
inputs) and U-Net.

The torch model is written here in its module order; the table's leaf rows are compared
with the torch modules' outputs in the order they run.
"""

from __future__ import annotations

import numpy as np
import pytest

from generator.specs import load_builtin
from generator.tables import layer_table
from generator.tables.forward import forward

#: Our kind -> the torch.nn class of the same layer.
TORCH_CLASS = {"conv": "Conv2d", "flatten": "Flatten", "dropout": "Dropout",
               "linear": "Linear", "relu": "ReLU", "maxpool": "MaxPool2d",
               "conv_transpose": "ConvTranspose2d", "lrn": "LocalResponseNorm"}
#: Rows that group others or merge paths: no torch module of their own (U-Net's crops
#: and concatenations are tensor operations in its forward).
GROUPS = {"repeat", "block", "add", "multiply", "concat", "crop"}


def unet_torch(torch):
    """Ronneberger et al.'s U-Net (valid convolutions, width 64, two classes) from torch.nn
    modules; crops and concatenations are tensor operations in its forward."""
    nn = torch.nn

    def double(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3), nn.ReLU(), nn.Conv2d(cout, cout, 3),
                             nn.ReLU())

    def crop(x, like):
        h, w = x.shape[2:]
        th, tw = like.shape[2:]
        top, left = (h - th) // 2, (w - tw) // 2
        return x[:, :, top:top + th, left:left + tw]

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            widths = [64, 128, 256, 512]
            self.down = nn.ModuleList()
            cin = 1
            for c in widths:
                self.down.append(nn.ModuleList([double(cin, c), nn.MaxPool2d(2)]))
                cin = c
            self.bottom = double(512, 1024)
            self.up = nn.ModuleList(
                nn.ModuleList([nn.ConvTranspose2d(2 * c, c, 2, 2), double(2 * c, c)])
                for c in reversed(widths))
            self.output = nn.Conv2d(64, 2, 1)

        def forward(self, x):
            skips = []
            for conv, pool in self.down:
                x = conv(x)
                skips.append(x)
                x = pool(x)
            x = self.bottom(x)
            for (upconv, conv), skip in zip(self.up, reversed(skips)):
                x = upconv(x)
                x = conv(torch.cat([crop(skip, x), x], 1))
            return self.output(x)

    return UNet()


def alexnet_original_torch(torch):
    """Krizhevsky et al.'s two-GPU AlexNet from torch.nn modules: grouped convolutions
    and local response normalisation."""
    nn = torch.nn

    def lrn():
        return nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)

    return nn.Sequential(
        nn.Conv2d(3, 96, 11, 4), nn.ReLU(), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2, groups=2), nn.ReLU(), lrn(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1, groups=2), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, groups=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Flatten(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096),
        nn.ReLU(), nn.Dropout(), nn.Linear(4096, 1000))


#: The graph networks without a torchvision counterpart, built by hand (the others are
#: compared with torchvision's own models in test_torchvision.py).
TORCH_MODELS = {"unet": (unet_torch, 31_030_658, 4 * 5 + 4 + 4 * (1 + 4) + 1),
                "alexnet-original": (alexnet_original_torch, 60_965_224, 23)}
#: The built-in graph specs whose NumPy forward pass is checked on odd sizes.
GRAPH_NETWORKS = ["mobilenet-v2", "efficientnet-b0", "densenet121", "unet", "squeezenet1-0",
                  "squeezenet1-1", "alexnet-original", "resnext50-32x4d",
                  "mobilenet-v3-small", "shufflenet-v2-x1-0", "convnext-tiny"]


def torch_leaves(model, torch, input_shape):
    """(class name, output shape without N, parameters) of every leaf module, in the
    order they run."""
    seen = []
    hooks = [m.register_forward_hook(
        lambda m, i, o: seen.append((type(m).__name__, tuple(o.shape[1:]),
                                     sum(p.numel() for p in m.parameters()))))
        for m in model.modules() if not list(m.children())]
    model.eval()
    with torch.no_grad():  # on the meta device: shapes without the arithmetic
        model(torch.zeros((1, *input_shape), device="meta"))
    for h in hooks:
        h.remove()
    return seen


def table_leaves(table):
    return [(TORCH_CLASS[r.type], r.output_shape, r.params)
            for r in table.walk() if not r.children and r.type not in GROUPS]


def test_mobilenet_v2_has_torchvisions_totals():
    t = layer_table(load_builtin("mobilenet-v2"))
    assert t.totals.params == t.totals.trainable_params == 3_504_872
    assert t.totals.macs == 300_774_272
    # 17 inverted residual blocks, 10 of them with their input added
    blocks = [r for r in t.walk() if r.type == "block" and r.name.startswith("features.")]
    assert len(blocks) == 16  # features.2 to features.17 (features.1 is written out)
    assert sum(r.type == "add" for r in t.walk()) == 10
    assert t.rows[-1].output_shape == (1000,)


@pytest.mark.parametrize("size", ["full", (97, 130)])
@pytest.mark.parametrize("network", TORCH_MODELS)
def test_layer_by_layer_equal_to_torch(network, size):
    torch = pytest.importorskip("torch")
    spec = load_builtin(network).input
    input_shape = spec if size == "full" else (spec[0], *size)
    if network == "alexnet-original" and size != "full":
        pytest.skip("its first linear layer is sized for the 6×6 maps of a 227×227 input")
    if network == "unet" and size != "full":
        input_shape = (1, 188, 204)  # U-Net needs maps of at least 8 after the last pool
    build, params, leaves = TORCH_MODELS[network]
    with torch.device("meta"):
        model = build(torch)
    assert sum(p.numel() for p in model.parameters()) == params
    table = layer_table(load_builtin(network), input_shape)
    ours, theirs = table_leaves(table), torch_leaves(model, torch, input_shape)
    assert len(ours) == len(theirs) == leaves
    assert ours == theirs
    assert table.totals.params == params


def test_efficientnet_b0_gates_every_block():
    t = layer_table(load_builtin("efficientnet-b0"))
    gates = [r for r in t.walk() if r.type == "multiply"]
    assert len(gates) == 16
    # the gate is C×1×1, the map C×H×W: the product has the map's shape
    assert all(r.output_shape == r.input_shape and r.output_shape[1] > 1 for r in gates)
    assert sum(r.type == "add" for r in t.walk()) == 9


@pytest.mark.parametrize("network", GRAPH_NETWORKS)
def test_forward_pass_has_the_table_shapes(network):
    net = load_builtin(network)
    shape = {"unet": (1, 188, 197), "alexnet-original": (3, 99, 106)}.get(network, (3, 65, 72))
    table = layer_table(net, shape)
    x = np.random.default_rng(0).standard_normal((1, *shape)).astype(np.float32)
    y, shapes = forward(net, x)
    assert shapes == [(r.index, r.output_shape) for r in table.walk()]
    assert y.shape == (1, *table.rows[-1].output_shape) and np.isfinite(y).all()


def test_the_add_of_a_repeated_block_names_its_sources():
    t = layer_table(load_builtin("mobilenet-v2"))
    adds = [r for r in t.walk() if r.type == "add"]
    # the block's input ("<block>.0") and the body repeat before it
    assert all(r.sources == (r.index.rsplit(".", 1)[0] + ".0",
                             r.index.rsplit(".", 1)[0] + ".1") for r in adds)
    assert all(r.input_shape == r.output_shape for r in adds)


def test_densenet121_grows_32_channels_a_layer():
    t = layer_table(load_builtin("densenet121"))
    concats = [r for r in t.walk() if r.type == "concat"]
    assert len(concats) == 6 + 12 + 24 + 16
    assert all(r.output_shape[0] == r.input_shape[0] + 32 for r in concats)
    assert [r.output_shape for r in t.rows if r.name.startswith("denseblock")] == [
        (256, 56, 56), (512, 28, 28), (1024, 14, 14), (1024, 7, 7)]


def test_unet_maps_a_572_tile_to_388_with_every_skip_cropped():
    t = layer_table(load_builtin("unet"))
    assert t.input_shape == (1, 572, 572) and t.rows[-1].output_shape == (2, 388, 388)
    crops = [r for r in t.rows if r.type == "crop"]
    assert [(r.input_shape, r.output_shape) for r in crops] == [
        ((512, 64, 64), (512, 56, 56)), ((256, 136, 136), (256, 104, 104)),
        ((128, 280, 280), (128, 200, 200)), ((64, 568, 568), (64, 392, 392))]
    assert [r.sources for r in crops] == [("7", "10"), ("5", "14"), ("3", "18"), ("1", "22")]
    assert t.totals.params == 31_030_658
