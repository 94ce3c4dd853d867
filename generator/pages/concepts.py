"""What a network page links to: the Foundations pages for the ideas its layers use,
its related networks, and the pages that discuss it.

Everything is computed from the network's layer table (every leaf row, blocks'
additions included, with its spec layer: :func:`generator.tables.conventions.leaves`)
and the kind registry; no network is named here. :data:`CONCEPTS` is the one mapping
from a layer property to a Foundations page; page paths and titles come from
:mod:`.site_map`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable

from .. import text
from ..specs import BUILTINS, kinds, load_builtin
from ..tables.conventions import POOLING_KINDS, leaves
from ..tables.formats import count_text
from . import site_map
from .foundations.sizes import ALEXNET_ANCHOR, ALEXNET_NETWORKS

CONV_KIND = kinds.get("conv").name
_CONV_T = kinds.get("conv_transpose").name
_LINEAR = kinds.get("linear").name
_ADD = kinds.get("add").name
_BATCHNORM = kinds.get("batchnorm").name
_CONCAT = kinds.get("concat").name


def _conv(row, layer) -> bool:
    return row.type == CONV_KIND and layer is not None


def _depthwise(row, layer) -> bool:
    """Each filter sees one input channel: ``groups`` equals the input's channels."""
    return _conv(row, layer) and layer.groups > 1 and layer.groups == row.input_shape[0]


def _grouped(row, layer) -> bool:
    """Each filter sees a group of several input channels: 1 < ``groups`` < input channels
    (``groups`` equal to the channels is depthwise)."""
    return _conv(row, layer) and 1 < layer.groups < row.input_shape[0]


def _padded(row, layer) -> bool:
    if not _conv(row, layer):
        return False
    if isinstance(layer.padding, str):  # "same" pads when the filter is wider than 1
        return layer.padding == "same" and max(layer.kernel) > 1
    return max(layer.padding) > 0


@dataclass(frozen=True)
class Concept:
    """A Foundations page and the layers that use its idea."""

    #: The page's slug in :data:`site_map.FOUNDATIONS`.
    slug: str
    #: What one such layer is, and several ("1 residual addition", "16 residual additions").
    one: str
    many: str
    #: True for a leaf row (and its spec layer, None for a row a block adds) using the idea.
    uses: Callable[[object, object], bool]

    @property
    def page(self) -> site_map.Page:
        return site_map.page(site_map.FOUNDATIONS.slug, self.slug)

    @property
    def path(self) -> str:
        return site_map.FOUNDATIONS.path(self.slug)

    def phrase(self, n: int) -> str:
        return f"{count_text(n)} {self.one if n == 1 else self.many}"


#: The ideas the Foundations pages on channels compute with (they count the same rows).
GROUPED = Concept("grouped-convolution", "grouped convolution (1 < groups < channels)",
                  "grouped convolutions (1 < groups < channels)", _grouped)
BATCHNORM = Concept("batch-normalization", "batchnorm layer", "batchnorm layers",
                    lambda row, layer: row.type == _BATCHNORM)
#: A block's concatenation row has no spec layer of its own (None); a merge's has.
CONCATENATION = Concept("concatenation", "concatenation on the channels",
                        "concatenations on the channels", lambda row, layer: row.type == _CONCAT)

#: Layer property -> Foundations page: the one place this mapping is written. A page
#: lists them in the site map's order of the pages.
CONCEPTS: tuple[Concept, ...] = (
    Concept("fully-connected-vs-convolution", "fully connected layer", "fully connected layers",
            lambda row, layer: row.type == _LINEAR),
    Concept("convolution", "convolution", "convolutions", _conv),
    Concept("padding", "padded convolution", "padded convolutions", _padded),
    Concept("stride", "convolution with stride > 1", "convolutions with stride > 1",
            lambda row, layer: _conv(row, layer) and max(layer.stride) > 1),
    Concept("dilation", "dilated convolution", "dilated convolutions",
            lambda row, layer: _conv(row, layer) and max(layer.dilation) > 1),
    Concept("one-by-one", "1×1 convolution", "1×1 convolutions",
            lambda row, layer: _conv(row, layer) and tuple(layer.kernel) == (1, 1)),
    Concept("pooling", "pooling layer", "pooling layers",
            lambda row, layer: row.type in POOLING_KINDS),
    Concept("transposed-convolution", "transposed convolution", "transposed convolutions",
            lambda row, layer: row.type == _CONV_T),
    Concept("residual-connections", "addition of paths (a residual connection)",
            "additions of paths (residual connections)",
            lambda row, layer: row.type == _ADD),
    Concept("depthwise-separable", "depthwise convolution (groups = channels)",
            "depthwise convolutions (groups = channels)", _depthwise),
    GROUPED, BATCHNORM, CONCATENATION,
)
_ORDER = {p.slug: i for i, p in enumerate(site_map.FOUNDATIONS.pages)}
CONCEPTS = tuple(sorted(CONCEPTS, key=lambda c: _ORDER[c.slug]))


def counts(table) -> dict[str, int]:
    """Foundations page slug -> how many leaf rows of ``table`` use its idea (0 omitted)."""
    found = dict.fromkeys((c.slug for c in CONCEPTS), 0)
    for row, layer in leaves(table):
        for c in CONCEPTS:
            if c.uses(row, layer):
                found[c.slug] += 1
    return {slug: n for slug, n in found.items() if n}


def family(network) -> str:
    """A network's family: the ``family`` its spec declares (``resnet`` in
    ``resnext50-32x4d.yaml``), else the letters its id starts with (``vgg`` for
    ``vgg16-bn``, ``alexnet`` for ``alexnet-original``). ``network`` is a spec, or the id
    of a built-in (any other id: its letters)."""
    if isinstance(network, str):
        if network not in BUILTINS:
            return _letters(network)
        network = load_builtin(network)
    return network.family or _letters(network.id)


def _letters(net_id: str) -> str:
    return re.match(r"[a-z]*", net_id.lower()).group(0)


def related(network) -> list[str]:
    """The other built-ins of the family of ``network`` (a spec, or a built-in's id), in
    the order of :data:`BUILTINS`."""
    net_id = network if isinstance(network, str) else network.id
    fam = family(network)
    return [b for b in BUILTINS if b != net_id and fam and family(b) == fam]


def _name(net_id: str) -> str:
    return load_builtin(net_id).name


def _input(net_id: str) -> tuple[int, ...]:
    return tuple(load_builtin(net_id).input)


def _href(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))


def context(net_id: str, table, path: str) -> dict:
    """The values of ``concepts.md.j2`` for the page at ``path`` of the network ``net_id``
    (a user's spec too: its related networks are the built-ins of its family)."""
    found = counts(table)
    built_from = [
        {"what": c.phrase(found[c.slug]), "title": c.page.title,
         "href": _href(path, c.path)}
        for c in CONCEPTS if c.slug in found
    ]
    networks = [
        {"name": text.markdown(_name(b)), "href": _href(path, site_map.ARCHITECTURES.path(b))}
        for b in related(table.network)
    ]
    stride = site_map.page(site_map.FOUNDATIONS.slug, "stride")
    discussed = []
    if net_id in ALEXNET_NETWORKS and net_id in BUILTINS:
        discussed.append({
            "title": stride.title,
            "href": f"{_href(path, site_map.FOUNDATIONS.path(stride))}#{ALEXNET_ANCHOR}",
            "what": "why " + " and ".join(
                f"{text.markdown(_name(i))} takes {text.TIMES.join(map(str, _input(i)[1:]))}"
                for i in ALEXNET_NETWORKS),
        })
    return {"built_from": built_from, "related": networks, "discussed": discussed}
