"""Figures of the page "Neural style transfer": the images compared, Gram matrices of
LeNet-5's maps, and a photograph's edge channels with their Gram matrix; and the
computations of those matrices, which the page prints."""

from __future__ import annotations

import numpy as np

from ... import learn, nn
from ..catalog import Figure
from ..feature_maps import sample_image
from ..kind import Prepared
from .lab import Lab, shown

#: Edge filters for the photograph: vertical, horizontal and the two diagonals.
EDGE_FILTERS = {
    "vertical": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "diagonal ↘": [[0, 1, 1], [-1, 0, 1], [-1, -1, 0]],
    "diagonal ↗": [[1, 1, 0], [1, 0, -1], [0, -1, -1]],
}
#: The photograph is shrunk by average pooling with this window.
PHOTO_POOL = 4
#: Content from C3's maps; style from C1's and C3's, weighted equally.
CONTENT_LAYER = ("tanh5", "C3 → tanh")
STYLE_LAYERS = {("tanh2", "C1 → tanh"): 0.5, ("tanh5", "C3 → tanh"): 0.5}
#: The course's weights of the content and style costs.
ALPHA, BETA = 10, 40
#: Content image, style image, and another image of the content's digit (test-set positions).
CONTENT_DIGIT, STYLE_DIGIT = 3, 8


def photo() -> np.ndarray | None:
    """matplotlib's sample photograph of Grace Hopper, grey, in [0, 1], shrunk; None if
    it cannot be read (found without importing matplotlib)."""
    try:
        grey = sample_image("grace_hopper")  # (H, W)
    except (OSError, ValueError):
        return None
    return nn.avg_pool2d(grey[None, None], PHOTO_POOL)[0, 0]  # (H/4, W/4)


def photo_part() -> tuple[dict, list] | None:
    img = photo()
    if img is None:
        return None
    names = list(EDGE_FILTERS)
    w = np.array([EDGE_FILTERS[n] for n in names], dtype=np.float64)[:, None]  # (4, 1, 3, 3)
    a = nn.relu(nn.conv2d(img[None, None], w, padding=1))[0]  # (4, H, W), >= 0
    g = learn.gram_matrix(a)
    norms = np.sqrt(np.diag(g))
    corr = g / np.outer(norms, norms)  # cosine of the channels: 1 on the diagonal
    pairs = [(names[i], names[j], corr[i, j]) for i in range(len(names)) for j in range(i + 1, len(names))]
    strongest = max(pairs, key=lambda t: t[2])
    weakest = min(pairs, key=lambda t: t[2])
    maps_facts = {"labels": ["photograph"] + [f"{n} edges" for n in names],
                  "size": list(img.shape), "names": ", ".join(names), "n": len(names)}
    maps = Figure(
        "style-photo-edge-maps", "image_grid", {"cols": 5, "panel_inch": 1.45},
        alt=("Grace Hopper's portrait, shrunk to {size} pixels and in grey, and four maps of "
             "where its edges run: {names}; each map is the ReLU of a 3×3 edge filter, dark "
             "where the filter responds, each on its own scale."),
        caption="{n} channels of edge responses: the feature maps whose Gram matrix is below.")
    # drawn on each map's own scale: ink at its 99th percentile and above
    shown_maps = np.minimum(a / np.percentile(a, 99, axis=(1, 2), keepdims=True), 1.0)
    gram_facts = {"names": ", ".join(names), "strong": f"{strongest[0]} and {strongest[1]}",
                  "strong_v": round(float(strongest[2]), 2), "weak": f"{weakest[0]} and {weakest[1]}",
                  "weak_v": round(float(weakest[2]), 2)}
    labels = [n.replace("diagonal", "diag.") for n in names]
    gram = Figure(
        "style-photo-gram", "heatmap",
        {"panels": [{"key": "gram", "title": "Gram matrix G", "xticks": labels, "yticks": labels},
                    {"key": "corr", "title": "G scaled to 1 on the diagonal",
                     "xticks": labels, "yticks": labels, "digits": 2}], "digits": 0},
        alt=("Two 4 by 4 tables over the edge channels ({names}). Left, the Gram matrix of the "
             "photograph's edge maps: sums of products of two channels over all pixels. Right, "
             "the same scaled so the diagonal is 1: the {strong} channels are the most "
             "correlated ({strong_v}), {weak} the least ({weak_v})."),
        caption="The style matrix of the photograph's edge channels.")
    part = {"shape": list(img.shape), "pool": PHOTO_POOL, "names": names,
            "filters": [np.array(EDGE_FILTERS[n]) for n in names],
            "gram": g, "corr": corr, "strongest": strongest, "weakest": weakest,
            "n_positions": int(a.shape[1] * a.shape[2])}
    # the photograph drawn as ink (1 - brightness), the maps as ink where they respond
    figs = [(maps, Prepared({"images": np.concatenate([1 - img[None], shown_maps])}, maps_facts)),
            (gram, Prepared({"gram": g, "corr": np.round(corr, 2)}, gram_facts))]
    return part, figs


def images(lab: Lab) -> dict[str, np.ndarray]:
    """The content image C, the style image S, and the candidates G (name -> (1, 32, 32) in [0, 1])."""
    d = lab.digits
    c_i, s_i = lab.first_test_index(CONTENT_DIGIT), lab.first_test_index(STYLE_DIGIT)
    other_i = lab.first_test_index(CONTENT_DIGIT, 1)
    raw = {"C": d.images[d.test_index[c_i]], "S": d.images[d.test_index[s_i]]}
    return {
        "C": raw["C"], "S": raw["S"],
        "G = C (the content image itself)": raw["C"],
        "G = S (the style image itself)": raw["S"],
        f"G = another {CONTENT_DIGIT}": d.images[d.test_index[other_i]],
        "G = (C + S) / 2, pixel by pixel": (raw["C"] + raw["S"]) / 2,
    }


def activations(lab: Lab, image: np.ndarray) -> dict[str, np.ndarray]:
    """LeNet-5's activations of one (1, 32, 32) image, by layer name."""
    return dict(lab.lenet5.activations(lab.digits.standardise(image[None])))


def grams(lab: Lab) -> tuple[str, np.ndarray, np.ndarray, tuple[int, int, int]]:
    """The first style layer's label, the Gram matrices of C and S there, and its (C, H, W)."""
    imgs = images(lab)
    key, label = next(iter(STYLE_LAYERS))
    a_c, a_s = activations(lab, imgs["C"])[key][0], activations(lab, imgs["S"])[key][0]
    return label, learn.gram_matrix(a_c), learn.gram_matrix(a_s), a_c.shape


def figures(lab: Lab) -> list[tuple[Figure, Prepared]]:
    imgs = images(lab)
    label, g_c, g_s, (n_c, _, _) = grams(lab)
    ticks = [str(k + 1) for k in range(n_c)]
    gram_facts = {"layer": label, "n": n_c, "c": CONTENT_DIGIT, "s": STYLE_DIGIT,
                  "c_diag": ", ".join(f"{v:.0f}" for v in np.diag(g_c)),
                  "s_diag": ", ".join(f"{v:.0f}" for v in np.diag(g_s))}
    gram = Figure(
        "style-lenet5-gram", "heatmap",
        {"panels": [{"key": "c", "title": f"G of the {CONTENT_DIGIT} (C)", "xticks": ticks, "yticks": ticks},
                    {"key": "s", "title": f"G of the {STYLE_DIGIT} (S)", "xticks": ticks, "yticks": ticks}],
         "digits": 0, "signed": True},
        alt=("Two {n} by {n} tables: the Gram matrices of the {n} feature maps of LeNet-5's "
             "{layer} for a test {c} and a test {s}; {colour[negative]} entries are negative, "
             "{colour[positive]} positive. Their diagonals (each map's sum of squares) are {c_diag} for the {c} "
             "and {s_diag} for the {s}."),
        caption="Style matrices of real feature maps: LeNet-5's {layer}, two digits.")
    candidates = [v for k, v in imgs.items() if k.startswith("G")][2:]
    strip_images = np.stack([shown(imgs["C"]), shown(imgs["S"])] + [shown(v) for v in candidates])
    img_facts = {"labels": [f"C: content (a {CONTENT_DIGIT})", f"S: style (a {STYLE_DIGIT})",
                            f"G: another {CONTENT_DIGIT}", "G: (C + S) / 2"]}
    strip = Figure(
        "style-images", "image_grid", {"cols": 4, "panel_inch": 1.15},
        alt=("Four digit images: the content image C (a test {c}), the style image S (a test "
             "{s}), and two candidates G: another test {c}, and the pixel average of C and S."
             ).format(c=CONTENT_DIGIT, s=STYLE_DIGIT),
        caption="The images whose costs the table compares.")
    out = [(strip, Prepared({"images": strip_images}, img_facts)),
           (gram, Prepared({"c": g_c, "s": g_s}, gram_facts))]
    part = photo_part()
    if part:
        out += part[1]
    return out
