"""'Your notes, page by page': the five course-note files in order, topic by topic, each
with the site's page for it and the errata entries where the note slips.

Errata are matched by a piece of their ``where`` text (data/errata.yaml), so the
entry numbers and values shown here are the errata page's own.
"""

from __future__ import annotations

import posixpath

from ...specs import load_builtin
from .. import errata, site_map
from .sizes import ALEXNET_ANCHOR

#: (title of the note file, [(topic, page relative to foundations/, [pieces of errata "where"])]).
NOTES = [
    ("Notes, page 1: output sizes and parameters, worked by hand", [
        ("The output-size formula, \\(H' = (H - f)/s + 1\\), tried with stride 1 and 2 on an MNIST-sized image",
         "output-size.md", []),
        ("Parameters of a single 5x5 filter: its weights plus one bias", "parameters.md", []),
        ("The formula written with 'valid' and with padding, and tried on a stride-2 case", "output-size.md",
         ["notes p. 1: \"padding = 'valid'"]),
        ("Conv2D as feature extraction, followed by pooling", "pooling.md", []),
        ("Conv2D(100, 5x5) and its learnable parameters", "parameters.md", ["Conv2D (100, 5x5)"]),
        ("Transfer learning: keep a trained network's layers, add your own", "../beyond/transfer-learning.md", []),
        ("A LeNet walk-through: Conv2D(6, 5x5), average pooling, Conv2D(16, 5x5, valid)",
         "../architectures/lenet5-course.md",
         ["LeNet walk-through: average pool", "LeNet walk-through: Conv2D(16"]),
        ("The summary: Conv2D(n, f×f, s) with 'valid' and 'same', \\((f \\times f \\times d + 1) \\times n\\) "
         "learnable parameters (here \\((f \\cdot f \\cdot c_{\\text{in}} + 1) \\cdot c_{\\text{out}}\\)); "
         "max pooling learns nothing", "parameters.md", []),
        ("Reading class scores with argmax: top-1 and top-5", "../beyond/top-k.md", []),
    ]),
    ("Notes, page 2: CS231n's convolutional layer", [
        ("A fully connected layer on a stretched 3×32×32 image (the notes write 32x32x3)", "fully-connected-vs-convolution.md", []),
        ("The convolutional layer keeps the spatial structure; 1×1 convolutions", "one-by-one.md", []),
        ("Torch's SpatialConvolution documentation, quoted", "volumes.md",
         ["channel = inChannels * outChannels / groups"]),
        ("What one neuron sees", "receptive-field.md", ["5x5 filter → 5x1"]),
        ("The pooling layer: max and average, no parameters", "pooling.md", []),
        ("The worked layer: 3×32×32 input, 10 filters 5x5, stride 1, pad 2: its output and its parameters",
         "padding.md", ["conv-layer summary \"W2", "conv-layer summary \"D2"]),
    ]),
    ("Notes, page 3: spatial dimensions, step by step", [
        ("Fully connected: stretch the image into a column", "fully-connected-vs-convolution.md", []),
        ("A 7x7 input and a 3x3 filter at stride 1, 2 and 3: the case that does not fit", "stride.md",
         ["7x7 input, 3x3 filter, stride 3"]),
        ("Six 5x5 filters give six activation maps, stacked into a new volume", "volumes.md", []),
        ("Zero padding keeps the size", "padding.md", []),
        ("Max pooling and average pooling on a single depth slice", "pooling.md", ["average pooling example"]),
    ]),
    ("Notes, page 4: why CNNs work, transfer learning, autoencoders", [
        ("Use several kernels and learn them", "convolution.md", []),
        ("Images are numbers: an RGB image as three matrices", "images-as-tensors.md", ["RGB matrix with an entry"]),
        ("A 3×32×32 image through six 5x5 filters: six maps", "volumes.md", []),
        ("Max pooling keeps the most salient information", "pooling.md", []),
        ("Hyperparameters: number of kernels, kernel size, padding, stride", "output-size.md", []),
        ("Transfer learning and ImageNet", "../beyond/transfer-learning.md", ["14 million images"]),
        ("Autoencoders: dimensionality reduction with neural networks", "../beyond/autoencoder.md", []),
    ]),
    ("Notes, page 5: the deeplearning.ai course, from edges to style", [
        ("Edge detection with a vertical filter", "edge-detection.md", ["6x6 matrix convolved"]),
        ("Padding: valid and same convolutions", "padding.md", []),
        ("Strided convolution and the general formula", "stride.md", []),
        ("Convolution over an RGB volume; ten 3×3×3 filters and their parameters", "parameters.md", []),
        ("The layer notation \\(f^{[l]}, p^{[l]}, s^{[l]}, n_C^{[l]}\\) on a 3×39×39 network (the notes' 39x39x3)", "layer-notation.md",
         ["3×39×39 example (the notes write 39x39x3), layer 1", "n_H^(1) = n_W^(1)"]),
        ("The LeNet-5 table: activation shapes, sizes, parameters", "../architectures/lenet5-course.md",
         ["FC4 parameters", "softmax layer parameters"]),
        ("AlexNet: ReLU, bigger, multi-GPU (two GPUs: grouped convolutions)", "../architectures/alexnet-original.md", []),
        ("AlexNet's input, 224 or 227: the first layer's output size",
         f"stride.md#{ALEXNET_ANCHOR}", []),
        ("VGG-16: 3×3 'same' convolutions and 2×2 pooling", "../architectures/vgg16.md", []),
        ("ResNet: the skip connection, and why it does not vanish", "residual-connections.md", []),
        ("1×1 convolutions cut the computation", "one-by-one.md", []),
        ("The Inception module", "../architectures/inception3a.md", []),
        ("Object detection", "../beyond/object-detection.md", []),
        ("Triplet loss", "../beyond/triplet-loss.md", []),
        ("Neural style transfer's cost and Gram matrix", "../beyond/style-transfer.md", []),
    ]),
]

#: What the course teaches around the notes but the notes do not write down: (topic, page).
BEYOND_NOTES = [
    ("Dilated (atrous) convolution: taps spread apart, the same weights over a larger patch", "dilation.md"),
    ("Transposed convolution: scatter, insert zeros and convolve, or the transposed matrix; "
     "and the size Keras gives", "transposed-convolution.md"),
    ("im2col: a convolution as one matrix product, with a VGG-16 layer's shapes and memory", "im2col.md"),
    ("Backpropagation through a convolution: a transposed convolution with the flipped filter",
     "conv-backprop.md"),
    ("Batch normalization: each channel normalised, its running statistics, and folding it into "
     "the convolution", "batch-normalization.md"),
    ("Concatenation: how Inception, DenseNet and U-Net join their paths, channel by channel",
     "concatenation.md"),
    ("Grouped convolution: the original AlexNet's two groups, ResNeXt's 32", "grouped-convolution.md"),
    ("Depthwise-separable convolution (MobileNet): parameters and MACs against a standard one",
     "depthwise-separable.md"),
    ("Training LeNet-5 on digits: the trained network the other pages reuse", "../beyond/training-lenet5.md"),
]


def _erratum(entries, piece: str) -> dict:
    """The one erratum whose ``where`` contains ``piece``, with its number on the errata page."""
    found = [(i, e) for i, e in enumerate(entries, start=1) if piece in e["where"]]
    if len(found) != 1:
        raise ValueError(f"notes.py: {len(found)} errata match {piece!r}, expected exactly one")
    number, entry = found[0]
    return {"number": number, "note": entry["note"], "shown": entry["shown"], "why": entry["why"]}


def _title(page: str) -> str:
    """The title of the site page at ``page`` (relative to foundations/), from where it is declared."""
    page = page.partition("#")[0]  # a section of the page: the page's title
    section, _, slug = posixpath.normpath(posixpath.join("foundations", page)).rpartition("/")
    slug = slug.removesuffix(".md")
    if section == site_map.ARCHITECTURES.slug:
        return load_builtin(slug).name
    return site_map.page(section, slug).title


def your_notes() -> dict:
    entries = errata.entries()
    files = []
    for title, topics in NOTES:
        files.append({"title": title, "topics": [
            {"topic": topic, "page": page, "title": _title(page), "errata": [_erratum(entries, piece) for piece in pieces]}
            for topic, page, pieces in topics]})
    beyond = [{"topic": topic, "page": page, "title": _title(page)} for topic, page in BEYOND_NOTES]
    return {"files": files, "beyond": beyond, "n_errata": len(entries)}
