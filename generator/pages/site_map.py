"""The site's one declaration of what is where: sections, pages, titles, order, blurbs.

The navigation (``.nav.yml``), each section's index page and the previous/next
links at the foot of every page all come from here. A page's path in the
output folder is its URL (``foundations/padding.md`` -> ``/foundations/padding/``).

Adding a Foundations page touches its template, its values function and one
``Page`` entry below.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A page of a section, at ``<section>/<slug>.md``."""

    slug: str
    title: str
    #: One line shown after the title on the section's index page.
    blurb: str = ""
    #: "module:function" computing the template's values, for sections whose pages are
    #: rendered from ``templates/pages/<section>/<slug>.md.j2`` by their section's producer;
    #: None where another producer writes the page (it still takes its place in the nav).
    values: str | None = None
    #: Other words readers search for this page by (the search weighs them as a title).
    tags: tuple[str, ...] = ()
    #: Material's per-page search settings, e.g. ``{"exclude": True}`` or ``{"boost": 0.3}``.
    search: tuple[tuple[str, object], ...] = ()

    def front_matter(self) -> str:
        """The page's YAML front matter (search tags and settings), or ``""``."""
        meta = {}
        if self.tags:
            meta["tags"] = list(self.tags)
        if self.search:
            meta["search"] = dict(self.search)
        if not meta:
            return ""
        return "---\n" + json.dumps(meta, ensure_ascii=True) + "\n---\n"

    def values_function(self):
        """The function ``values`` names (imported on first use)."""
        module, _, function = self.values.partition(":")
        return getattr(importlib.import_module(module), function)


@dataclass(frozen=True)
class Section:
    """A top-level section: an index page at ``<slug>/index.md`` and its pages."""

    slug: str
    title: str
    #: The index page's opening paragraph (Markdown).
    intro: str
    pages: tuple[Page, ...] = ()
    #: Pages producers add at build time (``ctx.add_nav``) follow the declared ones.
    dynamic: bool = False

    def path(self, page: Page | str) -> str:
        slug = page.slug if isinstance(page, Page) else page
        return f"{self.slug}/{slug}.md"

    def template(self, page: Page) -> str:
        return f"pages/{self.slug}/{page.slug}.md.j2"

    @property
    def index(self) -> str:
        return f"{self.slug}/index.md"


@dataclass(frozen=True)
class Link:
    """A single page at the top of the nav (hand-written, in the docs folder)."""

    title: str
    path: str


_FOUNDATIONS = "generator.pages.foundations"
_BEYOND = "generator.pages.beyond"

FOUNDATIONS = Section(
    "foundations", "Foundations",
    intro=(
        "How a convolutional layer turns one volume of numbers into another: what an\n"
        "image is to a network, how a filter slides over it, and how padding, stride\n"
        "and dilation decide the size of what comes out. Each page has a worked\n"
        "example computed by the site's NumPy code, figures, and a snippet you can\n"
        "run yourself."
    ),
    pages=(
        Page("images-as-tensors", "Images as tensors",
             "height, width, channels; CHW vs HWC; flattening.", f"{_FOUNDATIONS}.basics:images_as_tensors"),
        Page("fully-connected-vs-convolution", "Fully connected vs convolution",
             "why sharing weights matters.", f"{_FOUNDATIONS}.basics:fully_connected_vs_convolution"),
        Page("convolution", "2-D convolution",
             "the sliding dot product, step by step.", f"{_FOUNDATIONS}.basics:convolution",
             tags=("kernel", "filter", "feature map", "activation map", "cross-correlation")),
        Page("edge-detection", "Edge detection",
             "the filters that find edges, on matrices and on a photograph.", f"{_FOUNDATIONS}.basics:edge_detection"),
        Page("padding", "Padding",
             "valid, same and full; what to pad with.", f"{_FOUNDATIONS}.sizes:padding"),
        Page("stride", "Stride",
             "bigger steps, smaller outputs, and the case that does not fit.", f"{_FOUNDATIONS}.sizes:stride",
             tags=("strided",)),
        Page("output-size", "The output-size formula",
             "every variant checked, PyTorch and TensorFlow side by side.", f"{_FOUNDATIONS}.sizes:output_size",
             tags=("output shape",)),
        Page("dilation", "Dilation",
             "wider views for the same weights.", f"{_FOUNDATIONS}.sizes:dilation",
             tags=("atrous", "dilated")),
        Page("volumes", "Convolution over volumes",
             "filters as deep as their input.", f"{_FOUNDATIONS}.volumes:volumes"),
        Page("parameters", "Parameter counting",
             r"\((f \cdot f \cdot c_{\text{in}} + 1) \cdot c_{\text{out}}\).", f"{_FOUNDATIONS}.volumes:parameters",
             tags=("number of parameters", "parameter count", "how many parameters")),
        Page("one-by-one", "1×1 convolution and cost",
             "counting multiply-accumulates; bottlenecks.", f"{_FOUNDATIONS}.volumes:one_by_one",
             tags=("1x1 convolution", "bottleneck", "pointwise")),
        Page("pooling", "Pooling",
             "max, average and global pooling.", f"{_FOUNDATIONS}.volumes:pooling"),
        Page("receptive-field", "Receptive field",
             "what a deep neuron sees.", f"{_FOUNDATIONS}.fields:receptive_field"),
        Page("transposed-convolution", "Transposed convolution",
             "going back up.", f"{_FOUNDATIONS}.fields:transposed_convolution",
             tags=("deconvolution", "upsampling")),
        Page("layer-notation", "Layer notation",
             r"the course's \(n_H^{[l]}\) notation on a worked network.", f"{_FOUNDATIONS}.fields:layer_notation"),
        Page("im2col", "im2col: convolution as a matrix product",
             "one product per layer, with VGG-16's real shapes and memory.", f"{_FOUNDATIONS}.deeper:im2col"),
        Page("conv-backprop", "Backpropagation through a convolution",
             "the input gradient is a transposed convolution, checked by finite differences.",
             f"{_FOUNDATIONS}.deeper:conv_backprop",
             tags=("backpropagation", "gradient")),
        Page("batch-normalization", "Batch normalization",
             "normalising each channel, the running statistics, and folding it into the convolution.",
             f"{_FOUNDATIONS}.channels:batch_norm",
             tags=("batchnorm", "batch norm", "batch normalisation", "BatchNorm2d", "running mean",
                   "momentum")),
        Page("residual-connections", "Residual connections",
             "skip connections, the identity block, and gradients measured at depth.",
             f"{_FOUNDATIONS}.deeper:residual"),
        Page("concatenation", "Concatenation of channels",
             "Inception, DenseNet and U-Net stack their maps: channel sums, and concat vs add.",
             f"{_FOUNDATIONS}.channels:concatenation",
             tags=("concat", "concatenate", "torch.cat")),
        Page("grouped-convolution", "Grouped convolution",
             "what each filter sees, and what AlexNet, ResNeXt and RegNet save with it.",
             f"{_FOUNDATIONS}.channels:grouped_convolution",
             tags=("groups", "group convolution", "cardinality")),
        Page("depthwise-separable", "Depthwise-separable convolution",
             "MobileNet's split of space and channels: parameters and MACs.",
             f"{_FOUNDATIONS}.deeper:depthwise_separable"),
        Page("your-notes", "Your notes, page by page",
             "the five note files in order, each topic linked to its page and its errata.",
             f"{_FOUNDATIONS}.notes:your_notes"),
    ),
)

ARCHITECTURES = Section(
    "architectures", "Architectures",
    intro=(
        "The classic networks layer by layer: the shape that comes out of each layer,\n"
        "its parameters, its multiply-accumulates and the memory its activations take,\n"
        "with totals checked against the published figures. Each page offers its\n"
        "table as CSV and JSON.\n\n"
        "Every number comes from the network's spec, a short YAML file, run through\n"
        "the same output-size and counting functions the rest of the site uses. You\n"
        "can add your own network: see [Writing a network spec](../contributing/spec-format.md)."
    ),
    dynamic=True,
)

BEYOND = Section(
    "beyond", "Beyond",
    intro=(
        "What the course notes cover after the layers, shown on a LeNet-5 that this\n"
        "site trains itself, in NumPy, while it is built."
    ),
    pages=(
        Page("training-lenet5", "Training LeNet-5",
             "loss curves, learned filters, feature maps, the mistakes it makes.", f"{_BEYOND}.training:values"),
        Page("top-k", "Top-1 and top-5 accuracy",
             "reading a network's class scores.", f"{_BEYOND}.top_k:values"),
        Page("transfer-learning", "Transfer learning",
             "freezing trained layers and retraining the head.", f"{_BEYOND}.transfer:values",
             tags=("fine-tuning", "fine tuning")),
        Page("autoencoder", "Convolutional autoencoder",
             "encoding and decoding images.", f"{_BEYOND}.autoencoder:values"),
        Page("object-detection", "Object detection",
             "label vectors, intersection over union, non-max suppression.", f"{_BEYOND}.detection:values"),
        Page("triplet-loss", "Triplet loss",
             "comparing embeddings with a margin.", f"{_BEYOND}.triplet:values"),
        Page("style-transfer", "Neural style transfer",
             "Gram matrices and the style cost.", f"{_BEYOND}.style:values",
             tags=("gram matrix",)),
    ),
)

REFERENCE = Section(
    "reference", "Reference",
    intro="Pages to keep open beside the course.",
    pages=(
        Page("cheat-sheet", "Cheat sheet", "every formula of the site on one printable page."),
        Page("glossary", "Glossary",
             "filter = kernel, feature map = activation map, and the other synonyms."),
        Page("errata", "Errata of the course notes",
             "where the notes' numbers differ from the computed ones, and why."),
        Page("counting-conventions", "Counting conventions",
             "MACs, FLOPs, mult-adds: what torchinfo, fvcore, ptflops and thop count, "
             "and why they disagree.", "generator.pages.counting:values",
             tags=("flops", "gflops", "macs", "mult-adds", "torchinfo", "fvcore", "ptflops",
                   "thop")),
    ),
)

CONTRIBUTING = Section(
    "contributing", "Contributing",
    intro=(
        "For those who add networks, pages or figures to the site, or build it\n"
        "themselves: the spec format, every figure with its parameters, and how the\n"
        "pages are made."
    ),
    pages=(
        Page("spec-format", "Writing a network spec",
             "every field of the YAML format, with a complete example.",
             search=(("boost", 0.3),)),
        Page("gallery", "Figure gallery", "every figure of the site with its parameters.",
             search=(("exclude", True),)),
        Page("colophon", "How this site is built", "the pipeline and the versions used."),
    ),
    dynamic=True,
)

HOME = Link("Home", "index.md")
CALCULATOR = Link("Shape calculator", "calculator.md")
EXPLORER = Link("Convolution explorer", "explorer.md")
PRACTICE = Link("Practice", "practice.md")

#: The top of the navigation, in order.
NAV: tuple[Link | Section, ...] = (
    HOME, FOUNDATIONS, ARCHITECTURES, CALCULATOR, EXPLORER, PRACTICE, BEYOND, REFERENCE, CONTRIBUTING,
)
SECTIONS: tuple[Section, ...] = tuple(item for item in NAV if isinstance(item, Section))


def section(name: str) -> Section:
    """The section whose slug or title is ``name`` (case-insensitive)."""
    for s in SECTIONS:
        if name.lower() in (s.slug, s.title.lower()):
            return s
    raise KeyError(f"no section {name!r} in the site map")


def page(section_name: str, slug: str) -> Page:
    """The declared page ``slug`` of a section."""
    s = section(section_name)
    for p in s.pages:
        if p.slug == slug:
            return p
    raise KeyError(f"no page {slug!r} in section {s.slug!r}")
