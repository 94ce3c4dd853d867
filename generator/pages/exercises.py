"""Exercises: the practice page, its printable worksheet, "Check yourself" blocks, and their data.

The questions are generated and checked in the reader's browser by
``docs/javascripts/exercises.js`` (tested against :mod:`generator.nn` and
:mod:`generator.tables` in ``tests/browser/test_exercises.py``). What comes from
here, as one script that sets ``window.ATLAS_EXERCISES`` (a ``<script>``, not a
fetch, so the pages also work from ``file://``):

* the question kinds, their titles and the slips each one names, with the words
  the reader sees for each slip;
* the parameters of the built-in networks' convolution and linear layers, as
  :func:`generator.tables.layer_table` computes them, for "how many parameters
  has this layer of VGG-16" questions.

Which kinds a Foundations page asks is :data:`TOPIC_KINDS`; :func:`block`
returns the Markdown of a page's "Check yourself" block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .. import text
from ..render import Output, page, render
from ..specs import BUILTINS, Conv, Linear, load_builtin
from ..tables import layer_table
from . import site_map

#: Where the page and the script land, relative to the generator's output folder. The
#: printable worksheet is the practice page's print mode (``?seed=N&sheet=1``).
PRACTICE = "practice.md"
DATA_JS = "exercises/data.js"
#: Questions in a "Check yourself" block.
BLOCK_COUNT = 3

T = text.TIMES

#: What the reader is told when an answer matches a known slip, by slip id.
SLIPS: dict[str, str] = {
    "forgot-bias": "you forgot the bias (one per filter)",
    "forgot-bias-linear": "you forgot the bias (one per output unit)",
    "extra-bias": "this layer has no bias (bias=False), but you counted one per filter",
    "forgot-channels": f"you forgot the input channels: each filter is f{T}f{T}c_in",
    "forgot-square": f"a filter is f{T}f, not f: you used the kernel size once",
    "forgot-2p": "you forgot the padding (2p)",
    "one-p": "you added the padding once; it goes on both sides (2p)",
    "forgot-plus-1": "you forgot the +1",
    "forgot-stride": "you forgot to divide by the stride",
    "ceil": "you rounded up; the formula rounds down (floor): a window that does not fit is dropped",
    "fraction": "you did not round down: a window that does not fit gives no output",
    "forgot-dilation": "you forgot the dilation: a dilated kernel spans d(k − 1) + 1 pixels",
    "hwc": f"you wrote H{T}W{T}C; this site writes shapes {text.SHAPE_LAYOUT}, channels first",
    "in-channels": "the output has one channel per filter, not the input's channels",
    "input-positions": "you used the input's height and width; MACs count the output positions",
    "forgot-positions": f"that counts each weight once; it is used at every output position (H'{T}W')",
    "max-for-avg": "that is max pooling; this layer averages",
    "avg-for-max": "that is average pooling; this layer takes the maximum",
    "grid-transposed": "you wrote the output column by column; type it row by row",
    "stride-1": "you slid the window one pixel at a time; it moves by the stride",
    "only-1x1": f"that is only the 1{T}1 layer; add the second convolution",
    "only-kxk": f"that is only the second convolution; add the 1{T}1 layer",
    "no-bottleneck": "that is the cost without the bottleneck (one convolution straight from the input)",
    "kept-channels": "the second convolution sees the bottleneck's channels, not the input's",
    "rf-no-strides": "you forgot the strides: each layer's k − 1 is multiplied by the product of the strides before it",
    "rf-own-stride": "you multiplied by the layer's own stride too; only the strides before it count",
    "rf-sum-kernels": "you added the kernel sizes; each layer adds k − 1 (times the jump)",
    "tr-conv-formula": "that is the convolution's formula; a transposed convolution runs it backwards",
    "tr-n-times-s": f"n{T}s leaves out the kernel and the padding",
    "tr-n-not-minus-1": f"it is (n − 1){T}s, not n{T}s",
    "tr-forgot-2p": "you forgot to subtract 2p",
    "tr-forgot-op": "you forgot the output padding",
    "tf-swapped": "you put the extra row at the top; TensorFlow puts it at the bottom (and right)",
    "tf-stride-1": "that pads as for stride 1 (k − 1 in all); 'SAME' pads only what ceil(n/s) outputs need",
    "flat-no-channels": "you forgot the channels",
    "flat-added": "you added the sizes; the count is their product",
    "dw-standard": "that is a standard convolution's count; depthwise-separable splits it in two",
    "dw-only-depthwise": f"that is only the depthwise layer; add the 1{T}1 layer",
    "dw-only-pointwise": f"that is only the 1{T}1 layer; add the depthwise layer",
    "dw-full-depthwise": "a depthwise filter sees one channel, not all of them",
}


@dataclass(frozen=True)
class Kind:
    """A kind of question exercises.js generates (its ``KINDS[id]``)."""

    id: str
    title: str
    #: The Foundations page that teaches it (its slug).
    topic: str
    #: The slips it recognises (keys of SLIPS); a question names those that apply to its numbers.
    slips: tuple[str, ...]


KINDS: tuple[Kind, ...] = (
    Kind("output-size", "Output shape of a convolution (padding, stride, dilation)", "output-size",
         ("forgot-2p", "one-p", "forgot-plus-1", "forgot-stride", "ceil", "forgot-dilation", "hwc",
          "in-channels")),
    Kind("dilated-size", "Output shape of a dilated convolution", "dilation",
         ("forgot-2p", "one-p", "forgot-plus-1", "forgot-stride", "ceil", "forgot-dilation", "hwc",
          "in-channels")),
    Kind("window-fit", "A window that does not fit (stride)", "stride", ("ceil", "fraction", "forgot-plus-1")),
    Kind("pooling-values", "Pooling output values on a small grid", "pooling",
         ("max-for-avg", "avg-for-max", "grid-transposed", "stride-1")),
    Kind("parameters", "Parameters of a layer, with and without bias", "parameters",
         ("forgot-bias", "forgot-bias-linear", "extra-bias", "forgot-channels", "forgot-square",
          "flat-no-channels")),
    Kind("macs", "Multiply-accumulates of a convolution", "one-by-one",
         ("input-positions", "forgot-channels", "forgot-positions")),
    Kind("bottleneck", f"Cost of a 1{T}1 bottleneck", "one-by-one",
         ("only-1x1", "only-kxk", "no-bottleneck", "kept-channels")),
    Kind("receptive-field", "Receptive field through a small stack", "receptive-field",
         ("rf-no-strides", "rf-own-stride", "rf-sum-kernels")),
    Kind("transposed", "Output size of a transposed convolution", "transposed-convolution",
         ("tr-conv-formula", "tr-n-times-s", "tr-n-not-minus-1", "tr-forgot-2p", "tr-forgot-op")),
    Kind("tf-same", "TensorFlow 'SAME' padding split", "padding", ("tf-swapped", "tf-stride-1")),
    Kind("depthwise-separable", "Parameters of a depthwise-separable convolution", "depthwise-separable",
         ("dw-standard", "dw-only-depthwise", "dw-only-pointwise", "dw-full-depthwise")),
    Kind("flatten", "Numbers in a flattened volume", "images-as-tensors", ("flat-no-channels", "flat-added")),
    Kind("named-layer", "Parameters of one layer of a named network", "parameters",
         ("forgot-bias", "forgot-bias-linear", "extra-bias", "forgot-channels", "forgot-square")),
)
KIND_IDS = tuple(k.id for k in KINDS)

#: The kinds each Foundations page asks in its "Check yourself" block, by page slug.
TOPIC_KINDS: dict[str, tuple[str, ...]] = {
    "images-as-tensors": ("flatten", "output-size"),
    "fully-connected-vs-convolution": ("parameters", "flatten"),
    "convolution": ("output-size", "window-fit"),
    "edge-detection": ("output-size", "pooling-values"),
    "padding": ("output-size", "tf-same"),
    "stride": ("window-fit", "output-size"),
    "output-size": ("output-size", "window-fit", "tf-same"),
    "dilation": ("dilated-size", "receptive-field"),
    "volumes": ("output-size", "parameters"),
    "parameters": ("parameters", "named-layer"),
    "one-by-one": ("bottleneck", "macs"),
    "pooling": ("pooling-values", "output-size"),
    "receptive-field": ("receptive-field",),
    "transposed-convolution": ("transposed", "output-size"),
    "layer-notation": ("output-size", "parameters", "macs"),
    "im2col": ("output-size", "macs"),
    "conv-backprop": ("transposed", "output-size"),
    "batch-normalization": ("parameters", "named-layer"),
    "residual-connections": ("output-size", "parameters"),
    "concatenation": ("output-size", "bottleneck"),
    "grouped-convolution": ("macs", "depthwise-separable"),
    "depthwise-separable": ("depthwise-separable", "bottleneck"),
    "your-notes": ("output-size", "parameters", "pooling-values", "receptive-field", "window-fit"),
}

#: The practice page and its worksheet: every kind once, in an order the seed shuffles
#: (a dilated convolution is an output-size question already).
PRACTICE_KINDS = tuple(k for k in KIND_IDS if k != "dilated-size")
PRACTICE_COUNT = len(PRACTICE_KINDS)


def _url_prefix(page_path: str) -> str:
    """From a page's URL to the site root: ``foundations/padding.md`` is served at
    ``foundations/padding/``, so ``../../``; an ``index.md`` one level less."""
    depth = page_path.count("/") + (0 if page_path.rsplit("/", 1)[-1] == "index.md" else 1)
    return "../" * depth


def _link(from_page: str, to_page: str) -> str:
    """A Markdown link target from one source page to another (MkDocs resolves it)."""
    ups = from_page.count("/")
    return "../" * ups + to_page


def block_values(topic_slug: str, page_path: str | None = None, *, kinds=None,
                 network: str = "", count: int = BLOCK_COUNT) -> dict:
    """What the ``check_yourself`` macro formats for a page's block."""
    path = page_path or site_map.FOUNDATIONS.path(topic_slug)
    kinds = tuple(kinds or TOPIC_KINDS[topic_slug])
    unknown = [k for k in kinds if k not in KIND_IDS]
    if unknown:
        raise ValueError(f"unknown question kinds {unknown} for {topic_slug!r}")
    return {"topic": topic_slug, "kinds": " ".join(kinds), "count": count, "network": network,
            "data_js": _url_prefix(path) + DATA_JS, "practice": _link(path, PRACTICE)}


def block(topic_slug: str, page_path: str | None = None) -> str:
    """The Markdown of a Foundations page's "Check yourself" block, to append to the page."""
    return render("macros/exercises.md.j2", block=block_values(topic_slug, page_path))


def network_block(network_id: str, page_path: str) -> str:
    """A "Check yourself" block of an architecture page: its own layers' parameters."""
    if network_id not in BUILTINS or not network_layers((network_id,)):
        return ""  # a user's network: its layers are not in the data script
    return render("macros/exercises.md.j2", block=block_values(
        network_id, page_path, kinds=("named-layer",), network=network_id))


def network_layers(ids: tuple[str, ...] = BUILTINS) -> list[dict]:
    """The convolution and linear layers at the top level of the built-in networks ``ids``,
    with their parameters from the layer table (a layer repeated with the same sizes kept once)."""
    out, seen = [], set()
    for id in ids:
        network = load_builtin(id)
        table = layer_table(network)
        for layer, row in zip(network.layers, table.rows):
            if isinstance(layer, Conv) and layer.groups == 1 and not isinstance(layer.padding, str):
                entry = {"kind": "conv", "kernel": list(layer.kernel), "stride": text.size2(layer.stride),
                         "padding": text.size2(layer.padding)}
            elif isinstance(layer, Linear):
                entry = {"kind": "linear"}
            else:
                continue
            key = (id, entry["kind"], row.input_shape, layer.out, tuple(entry.get("kernel", ())), layer.bias)
            if key in seen:
                continue
            seen.add(key)
            entry.update({"network": id, "title": network.name, "index": row.index, "name": row.name,
                          "input": list(row.input_shape), "out": layer.out, "bias": bool(layer.bias),
                          "weights": row.weights, "biases": row.biases})
            out.append(entry)
    return out


def exercises_data() -> dict:
    """What ``window.ATLAS_EXERCISES`` holds."""
    return {
        "kinds": [{"id": k.id, "title": k.title, "slips": list(k.slips)} for k in KINDS],
        "slips": SLIPS,
        "layers": network_layers(),
        "shape_layout": text.SHAPE_LAYOUT,
        "times": text.TIMES,
    }


def kinds_table() -> list[dict]:
    """The practice page's table of kinds: title, the page that teaches it, the slips it names."""
    rows = []
    for k in KINDS:
        p = site_map.page("foundations", k.topic)
        rows.append({"title": k.title, "page_title": p.title,
                     "page": site_map.FOUNDATIONS.path(p), "slips": [SLIPS[s] for s in k.slips]})
    return rows


def outputs(ctx):
    data = json.dumps(exercises_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    script = ("// Generated by generator/pages/exercises.py: question kinds, slips and the\n"
              "// built-in networks' layers, for docs/javascripts/exercises.js.\n"
              f"window.ATLAS_EXERCISES = {data};\n")
    yield Output(DATA_JS, script.encode("utf-8"))
    yield page(PRACTICE, "pages/practice.md.j2", kinds=" ".join(PRACTICE_KINDS), count=PRACTICE_COUNT,
               shape_layout=text.SHAPE_LAYOUT, table=kinds_table(),
               data_js=_url_prefix(PRACTICE) + DATA_JS)
