"""An RGB image as three planes of numbers: a colour photograph, shrunk, with a small
patch marked, and that patch's red, green and blue planes with every value printed.

The values are the photograph's own 8-bit values after average pooling with
:func:`generator.nn.avg_pool2d`, channels first (C x H x W) as the site writes shapes.
"""

from __future__ import annotations

import numpy as np

from . import cells, encode, style
from .. import nn, text
from .feature_maps import SAMPLES
from .kind import Kind, Prepared, short

CHANNELS = ("red", "green", "blue")
#: Each plane is shaded with the palette colour nearest its channel.
HUES = {"red": style.OKABE_ITO["vermillion"], "green": style.OKABE_ITO["bluish_green"],
        "blue": style.OKABE_ITO["blue"]}

# ------------------------------------------------------------------ computed


def sample_rgb(name: str) -> np.ndarray:
    """A matplotlib sample photograph in colour, 0..255 as floats: (3, H, W)."""
    from importlib.util import find_spec

    from PIL import Image

    if name not in SAMPLES:
        raise ValueError(f"image must be one of {', '.join(SAMPLES)}, got {name!r}")
    spec = find_spec("matplotlib")
    path = f"{spec.submodule_search_locations[0]}/mpl-data/sample_data/{SAMPLES[name]}"
    with Image.open(path) as im:
        hwc = np.asarray(im.convert("RGB"), dtype=float)  # (H, W, 3)
    return hwc.transpose(2, 0, 1)  # (H, W, 3) -> (3, H, W)


def prepare(p: dict) -> Prepared:
    """Parameters: ``image`` (a sample name), ``shrink`` (average-pooling window), ``patch``
    (side of the square patch), ``at`` [row, col] of its top-left corner in the shrunk image.

    data: ``image`` (3, H, W) in 0..255 (rounded to integers, as an 8-bit image stores
    them), ``planes`` (3, k, k), the patch. facts: ``shape`` [3, H, W], ``patch`` [3, k, k],
    ``at``, ``corner`` (the patch's top-left pixel as (r, g, b)).
    """
    k, (r0, c0) = int(p["patch"]), (int(v) for v in p["at"])
    shrink = int(p["shrink"])
    img = np.round(nn.avg_pool2d(sample_rgb(p["image"])[None], shrink)[0])  # (3, H/s, W/s)
    _, h, w = img.shape
    if not (0 <= r0 <= h - k and 0 <= c0 <= w - k):
        raise ValueError(f"a {k}x{k} patch at {[r0, c0]} does not fit the {h}x{w} image")
    planes = img[:, r0:r0 + k, c0:c0 + k]  # (3, k, k)
    return Prepared({"image": img, "planes": planes},
                    {"shape": [3, h, w], "patch": [3, k, k], "at": [r0, c0], "shrink": shrink,
                     "corner": [int(v) for v in planes[:, 0, 0]]})


def describe(p: dict, f: dict) -> tuple[str, str]:
    r, g, b = f["corner"]
    k = f["patch"][1]
    alt = (f"A colour photograph (Grace Hopper) shrunk to {text.shape(f['shape'])} "
           f"({text.SHAPE_LAYOUT}), with a {k}×{k} patch outlined; below, that patch as three "
           f"{k}×{k} grids of numbers from 0 to 255, its R, G and B planes (one per colour "
           f"channel), each shaded by its values. The top-left pixel of the patch is "
           f"(R, G, B) = ({r}, {g}, {b}).")
    caption = (f"A colour image is three planes of numbers: the {text.shape(f['patch'])} patch "
               f"({text.SHAPE_LAYOUT}) of a {text.shape(f['shape'])} photograph.")
    return alt, caption


# ------------------------------------------------------------------ drawn


def render_figure(params: dict, data: dict, facts: dict):
    img, planes = np.asarray(data["image"]), np.asarray(data["planes"])
    _, h, w = facts["shape"]
    k = facts["patch"][1]
    r0, c0 = facts["at"]
    gap = 1.2
    width = 3 * k + 2 * gap + 2
    photo_h = 5.0                      # the photograph's height in cell units
    photo_w = photo_h * w / h
    top = 1.2
    y_planes = top + photo_h + 2.2
    height = y_planes + k + 0.9
    cv = cells.Canvas(width, height)
    cv.text(width / 2, 0.55, "an RGB image is three planes", size=style.TITLE_SIZE, weight="bold")
    x_photo = (width - photo_w) / 2
    extent = (x_photo, x_photo + photo_w, top + photo_h, top)
    cv.ax.imshow(img.transpose(1, 2, 0).astype(np.uint8), extent=extent)  # (3, H, W) -> (H, W, 3)
    px = photo_w / w
    cells.outline(cv.ax, x_photo, top, r0 * px, c0 * px, k * px, k * px, style.KERNEL, lw=1.6)
    cv.text(x_photo - 0.2, top + photo_h / 2, text.shape(facts["shape"]), ha="right",
            color=style.MUTED)
    for i, name in enumerate(CHANNELS):
        x0 = 1 + i * (k + gap)
        hue = HUES[name]
        rows, cols = np.divmod(np.arange(k * k), k)
        faces = [style.shade(hue, planes[i, r, c] / 255) for r, c in zip(rows, cols)]
        cells.cells(cv.ax, x0, y_planes, rows, cols, faces, style.MUTED, lw=0.6)
        cells.numbers(cv, x0, y_planes, planes[i])
        cv.text(x0 + k / 2, y_planes - 0.45, name, weight="bold", color=hue)
    # lines from the patch to the planes
    cv.ax.plot([x_photo + (c0 + k / 2) * px, width / 2], [top + (r0 + k) * px, y_planes - 0.9],
               color=style.KERNEL, lw=1.2)
    return cv.fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    # a PNG: a photograph's colours are its content, so it gets no dark-scheme recolouring
    return {"png": encode.png_palette(render_figure(params, data, facts))}


KIND = Kind("rgb_planes", short(__name__), "Volumes", prepare, describe, still="png")
