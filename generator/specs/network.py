"""The top level of a spec: the :class:`Network`, and the :class:`Published` totals it
may be compared with."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import PublishedCount, T, spec_field
from .limits import MAX_DIM, MAX_LAYERS
from .graph import BlockDef
from .layers import Basic, Bottleneck, Layer

__all__ = ["Published", "Network"]


@dataclass(frozen=True, kw_only=True)
class Published:
    """Totals published by a reference, compared with the computed ones on the page."""

    source: str = spec_field(T.TEXT, "Who published the figures, and where (paper, table, "
                             "library version).")
    url: str | None = spec_field(T.URL, "A link to the source (http or https).", None)
    params: PublishedCount | None = spec_field(
        T.PUBLISHED_COUNT, "The published parameter count.", None)
    macs: PublishedCount | None = spec_field(
        T.PUBLISHED_COUNT, "The published multiply-accumulate count (many sources call it "
        "FLOPs or ops).", None)
    note: str | None = spec_field(T.TEXT, "One line shown with the comparison.", None)


@dataclass(frozen=True, kw_only=True)
class Network:
    """A network spec: the top level of the YAML file."""

    name: str = spec_field(T.TEXT, "The title of the page, e.g. `VGG-16`.")
    input: tuple[int, ...] = spec_field(
        T.SHAPE, "The shape of one input, channels first: `[3, 224, 224]`. Every size in a "
        "spec (input dimensions, channels, kernel, stride, padding, dilation, groups, output "
        f"size) is at most {MAX_DIM:,}.")
    blocks: tuple[BlockDef, ...] = spec_field(
        T.BLOCKS, "Blocks defined once and used by `repeat` layers: a mapping from each "
        "block's name to its `layers` and its `params` (a mapping from parameter names to "
        "defaults; `~` for none). In the block's layers, `$name` stands for a parameter's "
        "value.", ())
    layers: tuple[Layer, ...] = spec_field(
        T.LAYERS, f"The layers, in order: at most {MAX_LAYERS:,}, counting the layers inside "
        f"blocks (a `basic` block counts {Basic.COUNTS_AS}, a `bottleneck` "
        f"{Bottleneck.COUNTS_AS}).")
    description: str = spec_field(
        T.DESCRIPTION, "Text shown at the top of the page exactly as written (no Markdown or HTML); a blank line starts a new paragraph.", "")
    published: tuple[Published, ...] = spec_field(
        T.PUBLISHED, "Published totals to compare with (see below).", ())
    torchvision: str | None = spec_field(
        T.ID, "The `torchvision.models` function that builds the same network, such as "
        "`resnet50`: the tests build it to check this spec layer by layer, and to check "
        "what profiling tools print for it.", None)
    family: str | None = spec_field(
        T.ID, "The family of networks this one belongs to, such as `resnet` for ResNeXt: "
        "its page links the built-in networks of the same family. Default: the letters "
        "its id starts with (`vgg` for `vgg16-bn`).", None)
    #: The id: built-in name or file stem; the page is ``architectures/<id>.md``.
    id: str = field(default="", compare=False)
    #: The file, as shown in error messages.
    source: str = field(default="", compare=False, repr=False)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.input
