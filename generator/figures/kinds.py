"""The figure kinds: for each, the module that draws it, the function that
computes its data, whether it is animated, and its default alt text and caption.

Alt text and captions are written from the computed facts, so a figure's
description can never disagree with the figure. Nothing here imports
matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import prepare
from .prepare import Prepared


@dataclass(frozen=True)
class Kind:
    name: str
    #: ``generator/figures/<module>.py`` draws it (its ``render(params, data, facts)``).
    module: str
    #: Computes the arrays and facts from a catalog entry's parameters.
    prepare: Callable[[dict], Prepared]
    #: The gallery section the kind is listed under.
    section: str
    #: (params, facts) -> (alt text, caption)
    describe: Callable[[dict, dict], tuple[str, str]]
    #: (params) -> True for a GIF plus first/last-frame SVGs, False for one still.
    animated: Callable[[dict], bool] = lambda params: False
    #: The still's format when not animated: "svg" or "png".
    still: str = "svg"


def dims(v) -> str:
    """``[5, 5]`` -> ``"5×5"``."""
    return "\u00d7".join(str(int(x)) for x in v)


def side(v) -> str:
    """``[2, 2]`` -> ``"2"``, ``[2, 1]`` -> ``"2×1"``."""
    return str(v[0]) if v[0] == v[1] else dims(v)


def article(phrase: str) -> str:
    """``"a 9×9 …"`` but ``"an 11×11 …"``, ``"an 8×8 …"``."""
    head = phrase.split("\u00d7")[0]
    vowel = head[:1] == "8" or head in ("11", "18") or (head[:2] in ("11", "18") and len(head) in (5, 6))
    return ("an " if vowel else "a ") + phrase


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _sliding_window(p: dict, f: dict) -> tuple[str, str]:
    k, s, d = f["kernel"], f["stride"], f["dilation"]
    tap = f"a {dims(k)} kernel" + (f" dilated by {side(d)} (gaps of {side([x - 1 for x in d])} cells between taps)"
                                   if max(d) > 1 else "")
    if not f["transposed"]:
        pad = (f"with {plural(max(f['padding']), 'cell')} of zero padding on each side "
               f"({dims(f['grid'])} padded grid)" if max(f["padding"]) else "without padding")
        alt = (f"Animation, one frame per output position: {tap} slides with stride "
               f"{side(s)} over a {dims(f['size'])} input {pad}, and each position fills one "
               f"cell of the {dims(f['out'])} output.")
        caption = (f"Convolution of a {dims(f['size'])} input with {tap}, stride {side(s)}, "
                   f"padding {side(f['padding'])}: the output is {dims(f['out'])}.")
    else:
        ins = f["inserted"]
        spread = (f"{plural(max(ins), 'zero')} inserted between neighbouring input cells"
                  if max(ins) else "no zeros inserted")
        extra = (f" plus {side(f['output_padding'])} more at the bottom and right (output padding)"
                 if max(f["output_padding"]) else "")
        alt = (f"Animation, one frame per output position: a transposed convolution drawn as a "
               f"direct one. The {dims(f['size'])} input is spread out with {spread}, padded "
               f"with {plural(max(f['implicit_padding']), 'zero')} on each side{extra} "
               f"({dims(f['grid'])} grid), and {tap} slides over it with stride 1, filling the "
               f"{dims(f['out'])} output.")
        caption = (f"Transposed convolution of a {dims(f['size'])} input, kernel {dims(k)}, "
                   f"stride {side(s)}, padding {side(f['padding'])}"
                   + (f", output_padding {side(f['output_padding'])}" if max(f["output_padding"]) else "")
                   + f": the output is {dims(f['out'])}.")
    return alt, caption


def num(v: float) -> str:
    """A computed value in a sentence: ``-5.0`` -> ``"−5"``, ``3.25`` -> ``"3.25"``."""
    s = f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    return s.replace("-", "\u2212")


def _conv_values(p: dict, f: dict) -> tuple[str, str]:
    setting = f"stride {side(f['stride'])}, " + (
        f"zero padding {side(f['padding'])}" if max(f["padding"]) else "no padding")
    grids = (f"a {dims(f['size'])} input, a {dims(f['kernel'])} kernel and the "
             f"{dims(f['out'])} output of their convolution ({setting})")
    if p.get("animate"):
        alt = (f"Animation, one frame per output: {grids}, every value printed. The kernel's "
               f"window moves over the input with its weights shown in the corner of each "
               f"cell, and the dot product is written out below; the first frame gives "
               f"output[0, 0] = {num(f['first'])}.")
    else:
        alt = (f"Three grids with every value printed: {grids}. Output values range from "
               f"{num(f['out_min'])} to {num(f['out_max'])}.")
    caption = p.get("title") or "Convolution with every value"
    caption += f": {dims(f['size'])} input \u2217 {dims(f['kernel'])} kernel = {dims(f['out'])} output."
    return alt, caption


def _pooling(p: dict, f: dict) -> tuple[str, str]:
    name = "Max" if f["mode"] == "max" else "Average"
    alt = (f"{name} pooling of a {dims(f['size'])} input with a {dims(f['kernel'])} window "
           f"and stride {side(f['stride'])}: each of the {f['windows']} windows has its own "
           f"colour, and the output cell of the same colour (in the {dims(f['out'])} output) "
           f"holds its "
           + ("maximum, which is circled in the input." if f["mode"] == "max" else "mean.")
           + " The values and result of each window are listed below the grids.")
    caption = (f"{name} pooling, kernel {side(f['kernel'])}, stride {side(f['stride'])}: "
               f"{dims(f['size'])} \u2192 {dims(f['out'])}; no weights, and each window "
               f"gives one number.")
    return alt, caption


def _padding_modes(p: dict, f: dict) -> tuple[str, str]:
    alt = (f"{len(f['modes'])} grids of {dims(f['padded'])}: the same {dims(f['size'])} "
           f"input (blue) padded by {f['pad']} on every side in the modes "
           f"{', '.join(f['modes'])}, with the value of every padding cell printed.")
    caption = (f"Padding modes of torch.nn.functional.pad on a {dims(f['size'])} input, "
               f"{f['pad']} cells on every side.")
    return alt, caption


def _volume_conv(p: dict, f: dict) -> tuple[str, str]:
    h, w, c = f["input"]
    n, k = f["filters"], f["kernel"]
    alt = (f"Three boxes: an input volume {dims(f['input'])} (height, width, channels), "
           f"{plural(n, 'filter')} of {dims(f['filter'])} (each as deep as the input), and "
           f"the output volume {dims(f['out'])}: one {dims(f['out'][:2])} map per filter, "
           f"stacked. A {k}\u00d7{k} patch through all {c} input channels is highlighted, "
           f"with an arrow to the one output value it produces.")
    caption = (f"A {dims(f['input'])} input convolved with {plural(n, 'filter')} of "
               f"{dims(f['filter'])} (stride {side(f['stride'])}, padding {side(f['padding'])}) "
               f"gives {dims(f['out'])}: one map per filter.")
    return alt, caption


def _output_size(p: dict, f: dict) -> tuple[str, str]:
    panels = "; ".join(f"kernel {s['kernel']}, stride {s['stride']}, padding {s['padding']}"
                       for s in f["settings"])
    alt = (f"{plural(len(f['settings']), 'plot')} of output size against input size "
           f"{f['sizes'][0]} to {f['sizes'][1]} ({panels}). Each shows the unrounded formula "
           f"(n + 2p \u2212 k)/s + 1 as a dashed line and, as markers, PyTorch's floor, "
           f"PyTorch pooling with ceil_mode=True and TensorFlow 'SAME'; input sizes where the "
           f"formula is not a whole number are shaded: only there can the conventions disagree.")
    caption = ("Output size against input size: where (n + 2p \u2212 k)/s + 1 is not a whole "
               "number, PyTorch rounds down, ceil_mode rounds up, and TensorFlow 'SAME' gives "
               "ceil(n/s) whatever the padding.")
    return alt, caption


def _feature_maps(p: dict, f: dict) -> tuple[str, str]:
    names = ", ".join(f["labels"])
    alt = (f"Two rows of images. Top: a greyscale photograph of Grace Hopper "
           f"({dims(f['size'])}) and its feature maps ({dims(f['out'])}) under the filters "
           f"{names}; signed responses in blue (negative) and orange (positive), edges "
           f"showing as coloured or dark lines. Bottom: each after {f['pool']}\u00d7{f['pool']} "
           f"max pooling ({dims(f['pooled'])}), coarser but with the same edges.")
    caption = (f"Edge filters applied with conv2d to a photograph, and the maps after "
               f"{f['pool']}\u00d7{f['pool']} max pooling.")
    return alt, caption


def _shape(shape) -> str:
    """(C, H, W) as H×W×C (the notes' order); (F,) as F."""
    return f"{shape[1]}\u00d7{shape[2]}\u00d7{shape[0]}" if len(shape) == 3 else str(shape[0])


def _stage(st: dict) -> str:
    if st["type"] == "input":
        return f"input {_shape(st['shape'])}"
    kind = BLOCKS.get(st["type"], st["type"])
    what = f"{st['count']}\u00d7 {kind}" if st["count"] > 1 else kind
    if st.get("branches"):
        what = f"{len(st['branches'])} parallel branches concatenated"
    return f"{what} \u2192 {_shape(st['shape'])}"


BLOCKS = {"basic": "basic residual block", "bottleneck": "bottleneck residual block",
          "residual": "residual block", "linear": "fully connected", "conv": "convolution"}


def _architecture(p: dict, f: dict) -> tuple[str, str]:
    alt = (f"Architecture of {f['name']} drawn as volumes (height\u00d7width\u00d7channels, "
           f"fully connected layers as bars), left to right and folded onto more rows when "
           f"long, each with its size written on it: " + "; ".join(_stage(s) for s in f["stages"])
           + ".")
    caption = (f"{f['name']}: {_shape(f['input'])} \u2192 {_shape(f['stages'][-1]['shape'])}; "
               f"repeated layers of one shape are drawn as one volume, activations and "
               f"normalisation are not drawn.")
    return alt, caption


def _receptive_field(p: dict, f: dict) -> tuple[str, str]:
    steps = "; ".join(
        f"after {l['name']} ({l['kernel']}\u00d7{l['kernel']}, stride {l['stride']}"
        + (f", dilation {l['dilation']}" if l["dilation"] > 1 else "")
        + f") it sees {r}\u00d7{r} pixels" for l, r in zip(f["layers"], f["rf"]))
    alt = (article(f"{f['size']}\u00d7{f['size']} input grid").capitalize()
           + " with one nested square per layer, "
           f"marking the input pixels one output depends on: {steps}.")
    caption = (f"Receptive field through {plural(len(f['layers']), 'layer')}: "
               + " \u2192 ".join(f"{r}\u00d7{r}" for r in f["rf"]) + ".")
    return alt, caption


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("sliding_window", "sliding_window", prepare.sliding_window,
             "Sliding windows", _sliding_window, animated=lambda p: True),
        Kind("conv_values", "conv_values", prepare.conv_values, "Worked examples with values",
             _conv_values, animated=lambda p: bool(p.get("animate"))),
        Kind("pooling", "pooling", prepare.pooling, "Worked examples with values", _pooling),
        Kind("padding_modes", "padding_modes", prepare.padding_modes,
             "Worked examples with values", _padding_modes),
        Kind("volume_conv", "volumes", prepare.volume_conv, "Volumes", _volume_conv),
        Kind("output_size", "output_size", prepare.output_size, "Output sizes", _output_size),
        Kind("feature_maps", "feature_maps", prepare.feature_maps, "Feature maps",
             _feature_maps, still="png"),
        Kind("receptive_field", "receptive_field", prepare.receptive_field, "Receptive fields",
             _receptive_field),
        Kind("architecture", "architecture", prepare.architecture, "Architectures",
             _architecture),
    ]
}
