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


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("sliding_window", "sliding_window", prepare.sliding_window,
             "Sliding windows", _sliding_window, animated=lambda p: True),
    ]
}
