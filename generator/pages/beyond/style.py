"""Neural style transfer's style (Gram) matrix and its costs, on real feature maps:
edge filters on a photograph, and the trained LeNet-5's layers on digits; weights that
make both costs matter, and G's pixels optimised on them."""

from __future__ import annotations

import numpy as np

from ... import learn
from ...figures.trained.style import (COURSE_ALPHA, COURSE_BETA, CONTENT_DIGIT, CONTENT_LAYER,
                                      LEARNING_RATE, STEPS,
                                      STYLE_DIGIT, STYLE_LAYERS, activations, grams, images,
                                      photo_part, style_cost, stylise)
from .. import snippets
from .lab import Lab, pct


def shares(content: float, style: float) -> dict:
    """The two weighted terms of J and the share of each in percent."""
    total = content + style
    return {"content": content, "style": style, "total": total,
            "content_pct": pct(content / total) if total else 0.0,
            "style_pct": pct(style / total) if total else 0.0}


def values(lab: Lab) -> dict:
    imgs = images(lab)
    run = stylise(lab)
    w = run["weights"]
    alpha, beta = w["alpha"], w["beta"]
    candidates = {k: v for k, v in imgs.items() if k.startswith("G")}
    a_c, a_s = activations(lab, imgs["C"]), activations(lab, imgs["S"])
    rows = []
    for name, img in candidates.items():
        a_g = activations(lab, img)
        j_c = learn.content_cost(a_c[CONTENT_LAYER[0]][0], a_g[CONTENT_LAYER[0]][0])
        per_layer = {label: learn.layer_style_cost(a_s[key][0], a_g[key][0])
                     for (key, label) in STYLE_LAYERS}
        j_s = style_cost(a_s, a_g)
        rows.append({"name": name, "content": j_c, "style": j_s, "per_layer": per_layer,
                     "total": learn.total_cost(j_c, j_s, alpha, beta),
                     "course": shares(COURSE_ALPHA * j_c, COURSE_BETA * j_s)}
                    | {"terms": shares(alpha * j_c, beta * j_s)})
    label, g_c, _, (n_c, n_h, n_w) = grams(lab)
    photo = photo_part()
    descent = [{"step": k} | shares(*run["terms"][k]) for k in sorted(run["images"])]
    return {
        "alpha": alpha, "beta": beta, "balance_at": w["at"],
        "course_alpha": COURSE_ALPHA, "course_beta": COURSE_BETA,
        "balance": {"content": w["j_content"], "style": w["j_style"],
                    "ratio": round(w["j_content"] / w["j_style"])},
        "content_layer": CONTENT_LAYER[1],
        "style_layers": [{"label": label, "weight": wt} for (_, label), wt in STYLE_LAYERS.items()],
        "rows": rows, "gram_layer": label, "gram_shape": (n_c, n_h, n_w),
        "c_digit": CONTENT_DIGIT, "s_digit": STYLE_DIGIT,
        "g_c_corner": np.round(g_c[:3, :3], 1), "photo": photo[0] if photo else None,
        "descent": descent, "steps": STEPS, "learning_rate": LEARNING_RATE,
        "code": snippets.run("beyond_style"),
    }
