"""Graph specs against PyTorch: the built-in MobileNetV2 (blocks, repeat, add),
EfficientNet-B0 (squeeze-and-excitation: multiply), DenseNet-121 (concat of named
inputs), U-Net (crops to another layer's size, concatenations across scales),
SqueezeNet 1.0 and 1.1 (a block of concatenated branches with parameters), the two-GPU
AlexNet (groups, LRN) and ResNeXt-50 (grouped bottlenecks with a projection branch)
have, layer by layer, the output shapes and parameters of the same networks built by hand from torch.nn
modules, and torchvision's totals.

The torch model is written here from torchvision's definition (torchvision itself is not
a dependency), in its module order; the table's leaf rows are compared with the torch
modules' outputs in the order they run.
"""

from __future__ import annotations

import numpy as np
import pytest

from generator.specs import load_builtin
from generator.tables import layer_table
from generator.tables.forward import forward

#: Our kind -> the torch.nn class of the same layer.
TORCH_CLASS = {"conv": "Conv2d", "batchnorm": "BatchNorm2d", "relu6": "ReLU6",
               "adaptive_avgpool": "AdaptiveAvgPool2d", "flatten": "Flatten",
               "dropout": "Dropout", "linear": "Linear", "silu": "SiLU", "sigmoid": "Sigmoid",
               "global_pool": "AdaptiveAvgPool2d", "relu": "ReLU", "maxpool": "MaxPool2d",
               "avgpool": "AvgPool2d", "conv_transpose": "ConvTranspose2d",
               "lrn": "LocalResponseNorm"}
#: Rows that group others or merge paths: no torch module of their own (an addition is
#: ``x + y`` in torchvision's forward, the gate ``scale * input``).
GROUPS = {"repeat", "block", "add", "multiply", "concat", "crop"}


def mobilenet_v2_torch(torch):
    """torchvision's MobileNetV2 (width 1.0, 1000 classes) from torch.nn modules."""
    nn = torch.nn

    def conv_bn(cin, cout, k, stride=1, groups=1, act=True):
        layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
                  nn.BatchNorm2d(cout)]
        return layers + [nn.ReLU6()] if act else layers

    class Inverted(nn.Module):
        def __init__(self, cin, cout, stride, t):
            super().__init__()
            hidden = cin * t
            layers = conv_bn(cin, hidden, 1) if t != 1 else []
            layers += conv_bn(hidden, hidden, 3, stride, hidden)
            layers += conv_bn(hidden, cout, 1, act=False)
            self.conv = nn.Sequential(*layers)
            self.residual = stride == 1 and cin == cout

        def forward(self, x):
            return x + self.conv(x) if self.residual else self.conv(x)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            features, cin = conv_bn(3, 32, 3, 2), 32
            for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                               (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
                for i in range(n):
                    features.append(Inverted(cin, c, s if i == 0 else 1, t))
                    cin = c
            features += conv_bn(cin, 1280, 1)
            self.features = nn.Sequential(*features)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.flatten = nn.Flatten()
            self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 1000))

        def forward(self, x):
            return self.classifier(self.flatten(self.pool(self.features(x))))

    return Net()


def efficientnet_b0_torch(torch):
    """torchvision's EfficientNet-B0 (1000 classes) from torch.nn modules."""
    nn = torch.nn

    def conv_bn(cin, cout, k, stride=1, groups=1, act=True):
        layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
                  nn.BatchNorm2d(cout)]
        return layers + [nn.SiLU()] if act else layers

    class SqueezeExcitation(nn.Module):
        def __init__(self, channels, squeeze):
            super().__init__()
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc1, self.activation = nn.Conv2d(channels, squeeze, 1), nn.SiLU()
            self.fc2, self.scale_activation = nn.Conv2d(squeeze, channels, 1), nn.Sigmoid()

        def forward(self, x):
            s = self.avgpool(x)
            s = self.scale_activation(self.fc2(self.activation(self.fc1(s))))
            return s * x

    class MBConv(nn.Module):
        def __init__(self, t, k, stride, cin, cout):
            super().__init__()
            hidden = cin * t
            layers = conv_bn(cin, hidden, 1) if t != 1 else []
            layers += conv_bn(hidden, hidden, k, stride, hidden)
            layers.append(SqueezeExcitation(hidden, max(1, cin // 4)))
            layers += conv_bn(hidden, cout, 1, act=False)
            self.block = nn.Sequential(*layers)
            self.residual = stride == 1 and cin == cout

        def forward(self, x):
            return x + self.block(x) if self.residual else self.block(x)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            features = conv_bn(3, 32, 3, 2)
            for t, k, s, cin, cout, n in [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2),
                                          (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
                                          (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4),
                                          (6, 3, 1, 192, 320, 1)]:
                for i in range(n):
                    features.append(MBConv(t, k, s if i == 0 else 1, cin if i == 0 else cout,
                                           cout))
            features += conv_bn(320, 1280, 1)
            self.features = nn.Sequential(*features)
            self.avgpool, self.flatten = nn.AdaptiveAvgPool2d(1), nn.Flatten()
            self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 1000))

        def forward(self, x):
            return self.classifier(self.flatten(self.avgpool(self.features(x))))

    return Net()


def densenet121_torch(torch):
    """torchvision's DenseNet-121 (growth 32, bottleneck 4, 1000 classes) from torch.nn
    modules; the final ReLU, pooling and flattening, functional in torchvision, as modules."""
    nn = torch.nn

    class DenseLayer(nn.Module):
        def __init__(self, cin):
            super().__init__()
            self.norm1, self.relu1 = nn.BatchNorm2d(cin), nn.ReLU()
            self.conv1 = nn.Conv2d(cin, 128, 1, bias=False)
            self.norm2, self.relu2 = nn.BatchNorm2d(128), nn.ReLU()
            self.conv2 = nn.Conv2d(128, 32, 3, padding=1, bias=False)

        def forward(self, x):
            new = self.conv2(self.relu2(self.norm2(self.conv1(self.relu1(self.norm1(x))))))
            return torch.cat([x, new], 1)

    layers, c = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                 nn.MaxPool2d(3, 2, 1)], 64
    for i, n in enumerate((6, 12, 24, 16)):
        for _ in range(n):
            layers.append(DenseLayer(c))
            c += 32
        if i < 3:
            layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1, bias=False),
                       nn.AvgPool2d(2, 2)]
            c //= 2
    layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
               nn.Linear(c, 1000)]
    return nn.Sequential(*layers)


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


def squeezenet_torch(torch, version):
    """torchvision's SqueezeNet 1.0 or 1.1 (1000 classes) from torch.nn modules."""
    nn = torch.nn

    class Fire(nn.Module):
        def __init__(self, cin, squeeze, expand):
            super().__init__()
            self.squeeze, self.squeeze_activation = nn.Conv2d(cin, squeeze, 1), nn.ReLU()
            self.expand1x1, self.expand1x1_activation = nn.Conv2d(squeeze, expand, 1), nn.ReLU()
            self.expand3x3 = nn.Conv2d(squeeze, expand, 3, padding=1)
            self.expand3x3_activation = nn.ReLU()

        def forward(self, x):
            x = self.squeeze_activation(self.squeeze(x))
            return torch.cat([self.expand1x1_activation(self.expand1x1(x)),
                              self.expand3x3_activation(self.expand3x3(x))], 1)

    def pool():
        return nn.MaxPool2d(3, 2, ceil_mode=True)

    if version == "1_0":
        features = [nn.Conv2d(3, 96, 7, 2), nn.ReLU(), pool(), Fire(96, 16, 64),
                    Fire(128, 16, 64), Fire(128, 32, 128), pool(), Fire(256, 32, 128),
                    Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256), pool(),
                    Fire(512, 64, 256)]
    else:
        features = [nn.Conv2d(3, 64, 3, 2), nn.ReLU(), pool(), Fire(64, 16, 64),
                    Fire(128, 16, 64), pool(), Fire(128, 32, 128), Fire(256, 32, 128), pool(),
                    Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256),
                    Fire(512, 64, 256)]
    return nn.Sequential(*features, nn.Dropout(0.5), nn.Conv2d(512, 1000, 1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten())


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


def resnext50_torch(torch):
    """torchvision's ResNeXt-50 (32×4d) from torch.nn modules."""
    nn = torch.nn

    class Bottleneck(nn.Module):
        def __init__(self, cin, width, out, stride):
            super().__init__()
            self.conv1, self.bn1 = nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width)
            self.conv2 = nn.Conv2d(width, width, 3, stride, 1, groups=32, bias=False)
            self.bn2 = nn.BatchNorm2d(width)
            self.conv3, self.bn3 = nn.Conv2d(width, out, 1, bias=False), nn.BatchNorm2d(out)
            self.relu = nn.ReLU()
            self.downsample = None if stride == 1 and cin == out else nn.Sequential(
                nn.Conv2d(cin, out, 1, stride, bias=False), nn.BatchNorm2d(out))

        def forward(self, x):
            y = self.relu(self.bn1(self.conv1(x)))
            y = self.relu(self.bn2(self.conv2(y)))
            y = self.bn3(self.conv3(y))
            return self.relu(y + (x if self.downsample is None else self.downsample(x)))

    layers, cin = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                   nn.MaxPool2d(3, 2, 1)], 64
    for i, n in enumerate((3, 4, 6, 3)):
        planes = 64 << i
        for j in range(n):
            layers.append(Bottleneck(cin, planes * 2, planes * 4, 2 if i and not j else 1))
            cin = planes * 4
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000))


TORCH_MODELS = {"mobilenet-v2": (mobilenet_v2_torch, 3_504_872, 3 + 5 + 16 * 8 + 3 + 4),
                "efficientnet-b0": (efficientnet_b0_torch, 5_288_548,
                                    3 + 10 + 15 * 13 + 3 + 4),
                "densenet121": (densenet121_torch, 7_978_856, 4 + 58 * 6 + 3 * 4 + 5),
                "unet": (unet_torch, 31_030_658, 4 * 5 + 4 + 4 * (1 + 4) + 1),
                "squeezenet1-0": (lambda torch: squeezenet_torch(torch, "1_0"), 1_248_424,
                                  3 + 8 * 6 + 2 + 5),
                "squeezenet1-1": (lambda torch: squeezenet_torch(torch, "1_1"), 1_235_496,
                                  3 + 8 * 6 + 2 + 5),
                "alexnet-original": (alexnet_original_torch, 60_965_224, 23),
                "resnext50-32x4d": (resnext50_torch, 25_028_904, 4 + 16 * 9 + 4 * 2 + 3)}


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


@pytest.mark.parametrize("network", TORCH_MODELS)
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
