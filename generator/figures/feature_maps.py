"""Feature maps of a photograph: edge filters side by side, and their max-pooled versions.

Signed responses use a diverging map (blue negative, white zero, vermillion
positive) centred on zero; non-negative ones (the photo, a gradient
magnitude) run from white to ink, so edges read as dark lines in both.
Written as a palette PNG, not SVG: eight photographic panels embedded in an
SVG come to ~350 KB, the quantised PNG to ~150 KB.
"""

from __future__ import annotations

import numpy as np

from . import encode, style
from ..nn.conv import conv2d
from ..nn.pool import avg_pool2d, max_pool2d
from .grids import matrix
from .wording import dims
from .kind import Kind, Prepared, short

# ------------------------------------------------------------------ computed (NumPy)


#: Sample photographs that ship with matplotlib (found without importing it).
SAMPLES = {"grace_hopper": "grace_hopper.jpg"}


def sample_image(name: str) -> np.ndarray:
    """A matplotlib sample photograph in greyscale, values 0..1: (H, W)."""
    from importlib.util import find_spec

    from PIL import Image

    if name not in SAMPLES:
        raise ValueError(f"image must be one of {', '.join(SAMPLES)}, got {name!r}")
    spec = find_spec("matplotlib")
    path = f"{spec.submodule_search_locations[0]}/mpl-data/sample_data/{SAMPLES[name]}"
    with Image.open(path) as im:
        grey = im.convert("L")  # ITU-R 601-2 luma
        return np.asarray(grey, dtype=float) / 255.0


def prepare(p: dict) -> Prepared:
    """Edge filters on a photograph with ``conv2d``, and ``max_pool2d`` of each map.

    Parameters: ``image`` (a :data:`SAMPLES` name), ``shrink`` (average-pool
    the photo by this factor first, default 3), ``filters`` {name: K x K list},
    ``magnitude`` [name_x, name_y, label] (optional: also show
    sqrt(x^2 + y^2) of two maps), ``pool`` (2).

    data: ``image`` (H, W); ``maps`` (F, H', W') for each filter (then the
    magnitude); ``pooled_image`` and ``pooled`` (F, H'/2, W'/2).
    """
    shrink, k_pool = int(p.get("shrink", 3)), int(p.get("pool", 2))
    photo = sample_image(p.get("image", "grace_hopper"))
    image = avg_pool2d(photo[None, None], shrink)[0, 0]  # (1,1,H,W) -> (H/s, W/s)
    names = list(p["filters"])
    weight = np.stack([matrix(p["filters"][n], n) for n in names])[:, None]  # (F, 1, K, K)
    maps = conv2d(image[None, None], weight)[0]  # (1, 1, H, W) -> (F, H', W')
    labels = list(names)
    if p.get("magnitude"):
        gx, gy, label = p["magnitude"]
        mag = np.sqrt(maps[names.index(gx)] ** 2 + maps[names.index(gy)] ** 2)
        keep = [i for i, n in enumerate(names) if n not in (gx, gy)]
        maps = np.concatenate([maps[keep], mag[None]])
        labels = [names[i] for i in keep] + [label]
    pooled = max_pool2d(maps[None], k_pool)[0]  # (1, F, H', W') -> (F, H'/k, W'/k)
    pooled_image = max_pool2d(image[None, None], k_pool)[0, 0]
    return Prepared({"image": image, "maps": maps, "pooled": pooled,
                     "pooled_image": pooled_image},
                    {"image": p.get("image", "grace_hopper"), "size": image.shape,
                     "photo": photo.shape, "labels": labels, "out": maps.shape[1:],
                     "pooled": pooled.shape[1:], "pool": k_pool, "shrink": shrink,
                     "signed": [bool(m.min() < 0) for m in maps],
                     # display range of each map: a few extreme pixels would wash the rest out
                     "limits": [float(np.percentile(np.abs(m), 99.5)) for m in maps]})


# ------------------------------------------------------------------ described


def describe(p: dict, f: dict) -> tuple[str, str]:
    names = ", ".join(f["labels"])
    alt = (f"Two rows of images. Top: a greyscale photograph of Grace Hopper "
           f"({dims(f['size'])}) and its feature maps ({dims(f['out'])}) under the filters "
           f"{names}; signed responses in {style.ALT_COLOURS['negative']} (negative) and "
           f"{style.ALT_COLOURS['positive']} (positive), edges "
           f"showing as coloured or dark lines. Bottom: each after {f['pool']}\u00d7{f['pool']} "
           f"max pooling ({dims(f['pooled'])}), coarser but with the same edges.")
    caption = (f"Edge filters applied with conv2d to a photograph, and the maps after "
               f"{f['pool']}\u00d7{f['pool']} max pooling.")
    return alt, caption


# ------------------------------------------------------------------ drawn (matplotlib)


def _show(ax, img, signed: bool, limit: float = 1.0, photo: bool = False):
    if photo:
        ax.imshow(img, cmap=style.colour_map("photo"), vmin=0, vmax=1, interpolation="nearest")
    elif signed:
        ax.imshow(img, cmap=style.colour_map("signed"), vmin=-limit, vmax=limit, interpolation="nearest")
    else:
        ax.imshow(img, cmap=style.colour_map("ink"), vmin=0, vmax=limit, interpolation="nearest")
    style.frame_image(ax)


def render_figure(params: dict, data: dict, facts: dict) -> Figure:
    from matplotlib.figure import Figure
    labels = facts["labels"]
    cols = 1 + len(labels)
    h, w = facts["size"]
    panel_w = (style.MAX_WIDTH_INCH - 0.3) / cols
    panel_h = panel_w * h / w
    height = 0.75 + 2 * panel_h + 0.45 + 0.1
    fig = Figure(figsize=(style.MAX_WIDTH_INCH, height), dpi=style.GIF_DPI)
    axes = fig.subplots(2, cols, gridspec_kw=dict(
        left=0.15 / style.MAX_WIDTH_INCH, right=1 - 0.15 / style.MAX_WIDTH_INCH,
        top=1 - 0.75 / height, bottom=0.1 / height, wspace=0.08, hspace=0.45 / panel_h))
    k = facts["pool"]
    oh, ow = facts["out"]
    ph, pw = facts["pooled"]
    fig.text(0.5, 1 - 0.25 / height,
             f"edge filters on a photograph with conv2d, then max_pool2d {k}\u00d7{k}",
             ha="center", va="center", fontsize=style.TITLE_SIZE, weight="bold")
    _show(axes[0, 0], data["image"], False, photo=True)
    H, W = facts["photo"]
    axes[0, 0].set_title(f"input {h}\u00d7{w} (from {H}\u00d7{W})", fontsize=style.FONT_SIZE * 0.85)
    _show(axes[1, 0], data["pooled_image"], False, photo=True)
    pih, piw = data["pooled_image"].shape
    axes[1, 0].set_title(f"max-pooled {pih}\u00d7{piw}", fontsize=style.FONT_SIZE * 0.85)
    for i, label in enumerate(labels):
        signed = facts["signed"][i]
        limit = facts["limits"][i] or 1.0
        _show(axes[0, i + 1], data["maps"][i], signed, limit)
        axes[0, i + 1].set_title(f"{label} {oh}\u00d7{ow}", fontsize=style.FONT_SIZE * 0.85)
        _show(axes[1, i + 1], data["pooled"][i], signed, limit)
        axes[1, i + 1].set_title(f"max-pooled {ph}\u00d7{pw}", fontsize=style.FONT_SIZE * 0.85)
    # pooled panels at their true (smaller) scale would be tiny: they fill the
    # same panel, and their titles say the size.
    return fig


def render(params: dict, data: dict, facts: dict) -> dict[str, bytes]:
    return {"png": encode.png_palette(render_figure(params, data, facts))}


KIND = Kind("feature_maps", short(__name__), "Feature maps", prepare, describe, still="png")
