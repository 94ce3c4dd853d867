"""A worked convolution with every number printed: input ∗ kernel = output.

Still: all outputs. Animated: one frame per output; the window is outlined
on the input with the kernel weight in the corner of each cell, and the dot
product is written out under the grids (``3·1 + 0·0 + 1·(−1) + … = −5``),
its result being the value ``generator.nn.conv2d`` computed.
Input cells are shaded like a greyscale image (bright = large); kernel and
output cells blue for negative, vermillion for positive.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from ..nn import shapes
from ..nn.conv import conv2d
from ..nn.pad import pad
from .grids import PAD, matrix, taps, torch_pad
from .wording import dims, side, value
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


def prepare(p: dict) -> Prepared:
    """Input, kernel and output of a single-channel ``conv2d`` with every value.

    Parameters: ``x`` (H x W list), ``w`` (KH x KW list), ``stride`` (1),
    ``padding`` (0), ``animate`` (false), ``title`` (optional).

    data: ``x`` (H, W); ``w`` (KH, KW); ``xp`` (Hp, Wp) the zero-padded input;
    ``grid`` (Hp, Wp) PAD/INPUT codes; ``y`` (OH, OW) = conv2d(x, w);
    ``tap_rows``/``tap_cols`` (OH*OW, KH*KW) the cells of ``xp`` each output reads.
    """
    x, w = matrix(p["x"], "x"), matrix(p["w"], "w")
    s = shapes.pair(p.get("stride", 1), "stride")
    pd = shapes.pair(p.get("padding", 0), "padding")
    y = conv2d(x[None, None], w[None, None], stride=s, padding=pd)[0, 0]  # (1,1,H,W) -> (OH, OW)
    xp = pad(x, torch_pad(pd[0], pd[0], pd[1], pd[1]))
    grid = pad(np.ones_like(x), torch_pad(pd[0], pd[0], pd[1], pd[1])).astype(np.int8)
    rows, cols = taps(xp.shape, w.shape, s, (1, 1), y.shape)
    facts = {"size": x.shape, "kernel": w.shape, "stride": s, "padding": pd, "out": y.shape,
             "frames": y.size if p.get("animate") else 1,
             "out_min": float(y.min()), "out_max": float(y.max()), "first": float(y[0, 0])}
    return Prepared({"x": x, "w": w, "xp": xp, "grid": grid, "y": y,
                     "tap_rows": rows, "tap_cols": cols}, facts)


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    setting = f"stride {side(f['stride'])}, " + (
        f"zero padding {side(f['padding'])}" if max(f["padding"]) else "no padding")
    grids = (f"a {dims(f['size'])} input, a {dims(f['kernel'])} kernel and the "
             f"{dims(f['out'])} output of their convolution ({setting})")
    if p.get("animate"):
        alt = (f"Animation, one frame per output: {grids}, every value printed. The kernel's "
               f"window moves over the input with its weights shown in the corner of each "
               f"cell, and the dot product is written out below; the first frame gives "
               f"output[0, 0] = {value(f['first'])}.")
    else:
        alt = (f"Three grids with every value printed: {grids}. Output values range from "
               f"{value(f['out_min'])} to {value(f['out_max'])}.")
    caption = p.get("title") or "Convolution with every value"
    caption += f": {dims(f['size'])} input \u2217 {dims(f['kernel'])} kernel = {dims(f['out'])} output."
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


MONO = "DejaVu Sans Mono"
WEIGHT = (0.56, 0.93)  # where in a window cell the kernel weight is printed


def grey_faces(v: np.ndarray) -> list[str]:
    """Bright for the largest value, mid grey for the smallest (like an image)."""
    lo, hi = float(v.min()), float(v.max())
    t = (v - lo) / (hi - lo) if hi > lo else np.ones_like(v)
    return [style.shade(style.MUTED, 1 - a) for a in t.ravel()]


def signed_faces(v: np.ndarray) -> list[str]:
    """Blue below zero, vermillion above, white at zero; scaled by the largest magnitude."""
    m = float(np.abs(v).max()) or 1.0
    return [style.shade(style.POSITIVE if a > 0 else style.NEGATIVE, abs(a) / m)
            for a in v.ravel()]


def factor(v: float) -> str:
    s = cells.fmt(v)
    return f"({s})" if s.startswith("\u2212") else s


def dot_lines(values: np.ndarray, weights: np.ndarray, result: float, where: str) -> list[str]:
    """The dot product, one line per kernel row: ``out[0, 0] = 3·1 + …`` … ``= −5``."""
    lines = []
    for r in range(weights.shape[0]):
        terms = " + ".join(f"{factor(a)}\u00b7{factor(b)}" for a, b in zip(values[r], weights[r]))
        lines.append((f"{where} = " if r == 0 else " " * (len(where) + 1) + "+ ") + terms)
    lines[-1] += f" = {cells.fmt(result)}"
    return lines


class Scene:
    def __init__(self, params: dict, data: dict, facts: dict):
        self.animated = bool(params.get("animate", False))
        xp, grid, w, y = data["xp"], data["grid"], data["w"], data["y"]
        self.xp, self.w, self.y = xp, w, y
        self.rows, self.cols = data["tap_rows"], data["tap_cols"]
        hp, wp = xp.shape
        kh, kw = w.shape
        oh, ow = y.shape
        self.n_frames = y.size if self.animated else 1
        gap = 1.8
        content_w = wp + gap + kw + gap + ow
        body = max(hp, kh, oh)
        lines = kh if self.animated else 0
        self.widest = max(len(s) for s in dot_lines(xp[:kh, :kw], w, y.min(), "output[0, 0]")) \
            if self.animated else 0
        # a monospace character is ~0.6 em; 9 pt in cells of 26 pt: ~0.21 cell
        width = max(content_w + 2, 0.21 * self.widest + 2, 12.0)
        top = 2.6
        height = top + body + (0.8 + 0.75 * lines if lines else 0.6)
        cv = self.canvas = cells.Canvas(width, height)
        self.fig, ax = cv.fig, cv.ax
        x0 = (width - content_w) / 2
        ix, kx = x0, x0 + wp + gap
        ox = kx + kw + gap
        iy, ky, oy = (top + (body - n) / 2 for n in (hp, kh, oh))
        self.ix, self.iy, self.ox, self.oy = ix, iy, ox, oy
        mid = top + body / 2

        title = params.get("title") or "conv2d: input \u2217 kernel = output"
        cv.text(width / 2, 0.65, title, size=style.TITLE_SIZE, weight="bold")
        sub = [f"stride {cells.fmt(facts['stride'][0])}" if facts["stride"][0] == facts["stride"][1]
               else f"stride {cells.dims(*facts['stride'])}"]
        if max(facts["padding"]) > 0:
            sub.append(f"zero padding {facts['padding'][0]}")
        labels = [(ix + wp / 2, f"input {cells.dims(*facts['size'])}"),
                  (kx + kw / 2, f"kernel {cells.dims(kh, kw)}"),
                  (ox + ow / 2, f"output {cells.dims(oh, ow)}")]
        for x, s in labels:
            cv.text(x, top - 1.0, s, weight="bold")
        if sub != ["stride 1"]:
            cv.text(ix + wp / 2, top - 0.4, ", ".join(sub), size=style.FONT_SIZE * 0.85,
                    color=style.MUTED)
        cv.text(kx - gap / 2, mid, "\u2217", size=18)
        cv.text(ox - gap / 2, mid, "=", size=18)

        # input (padding cells white, dashed)
        inside = grid != PAD
        faces = grey_faces(xp[inside])
        r, c = np.nonzero(inside)
        cells.cells(ax, ix, iy, r, c, faces, style.MUTED, lw=0.8)
        r, c = np.nonzero(~inside)
        cells.cells(ax, ix, iy, r, c, style.PADDING, style.FAINT, lw=0.8, ls=(0, (3, 2)))
        self.labels = {
            "input": cells.numbers(cv, ix, iy, xp, colour=np.where(inside, style.INK, style.FAINT).tolist()),
        }
        cells.grid(ax, kx, ky, (kh, kw), signed_faces(w), style.KERNEL_DARK, lw=1.0)
        self.labels["kernel"] = cells.numbers(cv, kx, ky, w)
        cells.outline(ax, kx, ky, 0, 0, kh, kw, style.KERNEL, lw=2.4)
        self.out_faces = signed_faces(y)
        self.out = cells.grid(ax, ox, oy, (oh, ow), self.out_faces, style.OUTPUT_EDGE, lw=0.9,
                              zorder=3)
        self.labels["output"] = cells.numbers(cv, ox, oy, y, zorder=4)
        self.dynamic = []
        if not self.animated:
            return
        self.box = cells.outline(ax, ix, iy, 0, 0, kh, kw, style.KERNEL, lw=2.6, zorder=7)
        self.now = cells.outline(ax, ox, oy, 0, 0, 1, 1, style.OUTPUT_EDGE, lw=2.6, zorder=7)
        self.weights = [cv.text(0, 0, "\u00d7" + cells.fmt(v), size=style.NUMBER_SIZE * 0.72,
                                color=style.KERNEL_DARK, ha="right", va="bottom", zorder=8)
                        for v in w.ravel()]
        # one text, lines aligned left within it, the block centred
        self.formula = cv.text(width / 2, top + body + 0.6, "", family=MONO,
                               size=style.NUMBER_SIZE, va="top", multialignment="left",
                               linespacing=1.7, zorder=8)
        self.dynamic = [self.out, *self.labels["output"].values(), self.box, self.now,
                        *self.weights, self.formula]
        self.show(0)

    def show(self, i: int) -> None:
        if not self.animated:
            return
        oh, ow = self.y.shape
        rows, cols = self.rows[i], self.cols[i]
        r0, c0 = int(rows.min()), int(cols.min())
        self.box.set_xy((self.ix + c0, self.iy + r0))
        for t, r, c in zip(self.weights, rows, cols):
            t.set_position((self.ix + c + WEIGHT[1], self.iy + r + WEIGHT[1] + 0.02))
        orow, ocol = divmod(i, ow)
        self.now.set_xy((self.ox + ocol, self.oy + orow))
        self.out.set_facecolors(self.out_faces[: i + 1] + [style.PAPER] * (oh * ow - i - 1))
        for (r, c), t in self.labels["output"].items():
            t.set_visible(r * ow + c <= i)
        window = self.xp[rows, cols].reshape(self.w.shape)
        self.formula.set_text("\n".join(
            dot_lines(window, self.w, self.y[orow, ocol], f"output[{orow}, {ocol}]")))


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    scene = Scene(params, data, facts)
    if scene.animated:
        return encode.animation(scene)
    return {"svg": encode.svg(scene.fig)}


KIND = Kind("conv_values", short(__name__), "Worked examples with values", prepare, describe, animated=lambda p: bool(p.get("animate")))
