"""Neural style transfer's style (Gram) matrix and its costs, on real feature maps:
edge filters on a photograph, and the trained LeNet-5's layers on digits."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.trained.style import (ALPHA, BETA, CONTENT_DIGIT, CONTENT_LAYER, STYLE_DIGIT,
                                      STYLE_LAYERS, activations, grams, images, photo_part)
from .. import snippets
from .lab import Lab


def values(lab: Lab) -> dict:
    imgs = images(lab)
    candidates = {k: v for k, v in imgs.items() if k.startswith("G")}
    a_c, a_s = activations(lab, imgs["C"]), activations(lab, imgs["S"])
    rows = []
    for name, img in candidates.items():
        a_g = activations(lab, img)
        j_c = learn.content_cost(a_c[CONTENT_LAYER[0]][0], a_g[CONTENT_LAYER[0]][0])
        per_layer = {label: learn.layer_style_cost(a_s[key][0], a_g[key][0])
                     for (key, label) in STYLE_LAYERS}
        j_s = sum(w * learn.layer_style_cost(a_s[key][0], a_g[key][0])
                  for (key, _), w in STYLE_LAYERS.items())
        rows.append({"name": name, "content": j_c, "style": j_s, "per_layer": per_layer,
                     "total": learn.total_cost(j_c, j_s, ALPHA, BETA)})
    label, g_c, _, (n_c, n_h, n_w) = grams(lab)
    photo = photo_part()
    return {
        "alpha": ALPHA, "beta": BETA, "content_layer": CONTENT_LAYER[1],
        "style_layers": [{"label": label, "weight": w} for (_, label), w in STYLE_LAYERS.items()],
        "rows": rows, "gram_layer": label, "gram_shape": (n_c, n_h, n_w),
        "c_digit": CONTENT_DIGIT, "s_digit": STYLE_DIGIT,
        "g_c_corner": np.round(g_c[:3, :3], 1), "photo": photo[0] if photo else None,
        "code": snippets.run("beyond_style"),
    }
