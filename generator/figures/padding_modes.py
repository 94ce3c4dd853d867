"""One small input padded in each of PyTorch's modes, side by side.

The original cells are blue with dark numbers; the padding cells white with
dashed edges and grey numbers, each the value ``generator.nn.pad`` put there.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from ..nn.pad import pad
from .grids import matrix
from .wording import dims
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


def prepare(p: dict) -> Prepared:
    """One small input padded in each of PyTorch's modes.

    Parameters: ``x`` (H x W list), ``pad`` (int, on every side), ``modes``
    (default all four: constant, reflect, replicate, circular).

    data: ``x``; ``<mode>`` (H+2p, W+2p) for each mode; ``inside`` (H+2p,
    W+2p) 1 where the original input lies.
    """
    x = matrix(p["x"], "x")
    n = int(p["pad"])
    modes = list(p.get("modes", ["constant", "reflect", "replicate", "circular"]))
    data = {"x": x, "inside": pad(np.ones_like(x), (n,) * 4).astype(np.int8)}
    for m in modes:
        data[m] = pad(x[None], (n,) * 4, mode=m)[0]  # (1, H, W) -> (H+2p, W+2p)
    return Prepared(data, {"size": x.shape, "pad": n, "modes": modes,
                           "padded": data["inside"].shape})


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    alt = (f"{len(f['modes'])} grids of {dims(f['padded'])}: the same {dims(f['size'])} "
           f"input ({style.ALT_COLOURS['input']}) padded by {f['pad']} on every side in the modes "
           f"{', '.join(f['modes'])}, with the value of every padding cell printed.")
    caption = (f"Padding modes of torch.nn.functional.pad on a {dims(f['size'])} input, "
               f"{f['pad']} cells on every side.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


CALLS = {"constant": "zeros", "reflect": "mirror, edge not repeated",
         "replicate": "edge repeated", "circular": "wrap around"}


def render_scene(params: dict, data: dict, facts: dict):
    modes = facts["modes"]
    hp, wp = facts["padded"]
    ncols = int(params.get("columns", 2))
    nrows = -(-len(modes) // ncols)
    gap_x, gap_y, head = 2.6, 0.8, 1.7
    width = ncols * wp + (ncols - 1) * gap_x + 3
    top = 1.3
    height = top + nrows * (head + hp) + (nrows - 1) * gap_y + 0.5
    cv = cells.Canvas(width, height)
    n = facts["pad"]
    cv.text(width / 2, 0.6, f"padding a {cells.dims(*facts['size'])} input by {n} on every side",
            size=style.TITLE_SIZE, weight="bold")
    inside = data["inside"].astype(bool)
    labels = {}
    for i, mode in enumerate(modes):
        row, col = divmod(i, ncols)
        x0 = 1.5 + col * (wp + gap_x)
        y0 = top + row * (head + hp + gap_y) + head
        what = f" ({CALLS[mode]})" if mode in CALLS else ""
        cv.text(x0 + wp / 2, y0 - 1.15, mode + what, weight="bold")
        cv.text(x0 + wp / 2, y0 - 0.5, f"F.pad(x, ({n}, {n}, {n}, {n}), mode='{mode}')",
                size=style.FONT_SIZE * 0.8, color=style.MUTED, family="DejaVu Sans Mono")
        r, c = np.nonzero(~inside)
        cells.cells(cv.ax, x0, y0, r, c, style.PADDING, style.FAINT, lw=0.8, ls=(0, (3, 2)))
        r, c = np.nonzero(inside)
        cells.cells(cv.ax, x0, y0, r, c, style.INPUT, style.INPUT_EDGE, lw=0.9, zorder=2)
        colour = np.where(inside, style.INK, style.MUTED).tolist()
        labels[mode] = cells.numbers(cv, x0, y0, data[mode], colour=colour)
    return cv, labels


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    cv, _ = render_scene(params, data, facts)
    return {"svg": encode.svg(cv.fig)}


KIND = Kind("padding_modes", short(__name__), "Worked examples with values", prepare, describe)
