"""The convolution explorer's page and its data: the presets, from the site's worked examples.

The explorer (``docs/javascripts/explorer.js``) computes every value in the
reader's browser; what it needs from the generator is the worked examples of
the Foundations pages, exactly as those pages use them. They come from
:mod:`generator.worked_examples` (and the pages' own values functions where a
page keeps its example), as one script that sets ``window.ATLAS_EXPLORER``: a
``<script>``, not a fetch, so the explorer also works from ``file://``.
"""

from __future__ import annotations

import json

import numpy as np

from .. import text, worked_examples as ex
from ..render import Output, page
from . import site_map

#: Where the page and the script land, relative to the generator's output folder.
PAGE = "explorer.md"
DATA_JS = "explorer/data.js"
#: The preset the full page opens with.
DEFAULT_PRESET = "edge-step"


def _flat(values) -> list:
    """Nested numbers -> one flat list of ints (floats only where a value is not whole)."""
    return [int(v) if float(v).is_integer() else float(v) for v in np.asarray(values, dtype=float).ravel()]


def _state(op="conv", x=None, w=None, *, channels=1, size=None, filters=1, kernel=None, stride=1,
           padding=0, pad_mode="numbers", dilation=1, groups=1, output_padding=0,
           ceil_mode=False, count_include_pad=True) -> dict:
    """An explorer state (see compute() in explorer.js); x and w as the worked example gives them."""
    pairs = lambda v: list(v) if isinstance(v, (tuple, list)) else [v, v]  # noqa: E731
    if x is not None:
        xa = np.asarray(x, dtype=float)
        xa = xa[None] if xa.ndim == 2 else xa  # (H, W) -> (1, H, W)
        channels, size = xa.shape[0], xa.shape[1:]
    h, w_ = pairs(size)
    if w is not None:
        wa = np.asarray(w, dtype=float)
        kernel = wa.shape[-2:]
    k = pairs(kernel)
    p = pairs(padding)
    state = {
        "op": op, "C": int(channels), "H": int(h), "W": int(w_), "F": int(filters),
        "kernel": [int(k[0]), int(k[1])], "stride": pairs(stride), "dilation": pairs(dilation),
        "pad_mode": pad_mode, "padding": [p[0], p[0], p[1], p[1]],
        "output_padding": pairs(output_padding), "groups": groups, "bias": False,
        "ceil_mode": ceil_mode, "count_include_pad": count_include_pad, "seed": 1,
        "vx": _flat(x) if x is not None else None, "vw": _flat(w) if w is not None else None, "vb": None,
    }
    return state


def presets() -> list[dict]:
    """The worked examples of the site as explorer settings (id, title, the page, state)."""
    from .foundations import fields, sizes

    stride = sizes.stride()
    n, f = stride["n"], stride["f"]
    image = np.asarray(ex.SMALL_7X7)
    kernel = np.asarray(ex.DUMOULIN_KERNEL)
    # the stride page's sizes are the step-by-step example's: one 7x7 input, one 3x3 kernel
    assert image.shape == (n, n) and kernel.shape == (f, f), (image.shape, kernel.shape, n, f)
    transposed = fields.transposed_convolution()
    hw = lambda a: text.shape(np.shape(a))  # noqa: E731  (H, W) -> "6×6"
    out = [
        {"id": "edge-step", "title": f"Vertical edge detection ({hw(ex.STEP_IMAGE)} step image)",
         "page": "foundations/edge-detection.md", "state": _state(x=ex.STEP_IMAGE, w=ex.VERTICAL)},
        {"id": "edge-notes", "title": f"The notes' {hw(ex.NOTES_MATRIX)} matrix, vertical filter",
         "page": "foundations/edge-detection.md", "state": _state(x=ex.NOTES_MATRIX, w=ex.VERTICAL)},
        {"id": "convolution-7x7", "title": f"Convolution step by step ({hw(image)})",
         "page": "foundations/convolution.md", "state": _state(x=image, w=kernel)},
    ]
    for s in (2, 3):
        out.append({"id": f"stride-{s}", "title": f"{hw(image)}, kernel {f}, stride {s}",
                    "page": "foundations/stride.md", "state": _state(x=image, w=kernel, stride=s)})
    out.append({"id": "stride-3-tf-same", "title": f"{hw(image)}, kernel {f}, stride 3, TensorFlow 'SAME'",
                "page": "foundations/stride.md", "state": _state(x=image, w=kernel, stride=3, pad_mode="SAME")})
    out += [
        {"id": "max-pool-notes", "title": f"Max pooling, the notes' {hw(ex.MAX_POOL_INPUT)}",
         "page": "foundations/pooling.md", "state": _state("max_pool", x=ex.MAX_POOL_INPUT, kernel=2, stride=2)},
        {"id": "avg-pool-notes", "title": f"Average pooling, the notes' {hw(ex.AVG_POOL_INPUT)}",
         "page": "foundations/pooling.md", "state": _state("avg_pool", x=ex.AVG_POOL_INPUT, kernel=2, stride=2)},
        {"id": "transposed-stride-2",
         "title": f"Transposed convolution, stride 2 ({hw(transposed['x'])} → {hw(transposed['up'])})",
         "page": "foundations/transposed-convolution.md",
         "state": _state("conv_transpose", x=transposed["x"], w=transposed["w"], stride=2)},
    ]
    for name in ("same-padding", "full-padding", "padding-strides-odd"):
        p = ex.DUMOULIN[name]
        out.append({"id": f"dumoulin-{name}", "page": "foundations/padding.md",
                    "title": f"Dumoulin & Visin: {name.replace('-', ' ')}",
                    "state": _state(size=p["size"], kernel=p["kernel"], stride=p.get("stride", 1),
                                    padding=p.get("padding", 0))})
    out += [
        {"id": "volume", "title": "Over a volume: 3 channels, 2 filters", "page": "foundations/volumes.md",
         "state": _state(channels=3, size=6, filters=2, kernel=3)},
        {"id": "depthwise", "title": "Depthwise: groups = channels", "page": "foundations/volumes.md",
         "state": _state(channels=3, size=6, filters=3, kernel=3, groups=3, padding=1)},
        {"id": "dilation-2", "title": f"Dilation 2 on a {hw(image)}", "page": "foundations/dilation.md",
         "state": _state(x=image, w=kernel, dilation=2)},
    ]
    for p in out:
        section, _, slug = p["page"][:-3].partition("/")
        p["page_title"] = site_map.page(section, slug).title
    return out


def explorer_data(found: list[dict]) -> dict:
    """What ``window.ATLAS_EXPLORER`` holds."""
    return {"presets": found, "default_preset": DEFAULT_PRESET,
            "shape_layout": text.SHAPE_LAYOUT, "times": text.TIMES}


def outputs(ctx):
    found = presets()
    data = json.dumps(explorer_data(found), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    script = ("// Generated by generator/pages/explorer.py: the worked examples of the site,\n"
              "// for docs/javascripts/explorer.js.\n"
              f"window.ATLAS_EXPLORER = {data};\n")
    yield Output(DATA_JS, script.encode("utf-8"))
    yield page(PAGE, "pages/explorer.md.j2", presets=found, shape_layout=text.SHAPE_LAYOUT,
               default_preset=DEFAULT_PRESET)
