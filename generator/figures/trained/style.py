"""Figures of the page "Neural style transfer": the images compared, Gram matrices of
LeNet-5's maps, a photograph's edge channels with their Gram matrix, and a generated
image optimised on J(G); and the computations behind them, which the page prints: the
weights (beta computed so that both costs matter), the gradients of the costs, and the
descent on G's pixels through the frozen LeNet-5 (under a second, once per build)."""

from __future__ import annotations

import hashlib

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
#: The content weight. The style weight is computed by :func:`weights` so that both
#: terms matter: the course's alpha = 10, beta = 40 left J(G) 99.99 % content cost,
#: because with these layers J_style is some 10^5 times smaller than J_content.
ALPHA = 1
#: The course's weights, shown beside: with them J(G) is almost all content cost.
COURSE_ALPHA, COURSE_BETA = 10, 40
#: Where the two weighted terms are made equal: the candidate halfway between C and S.
BALANCE_AT = "G = (C + S) / 2, pixel by pixel"
#: Gradient descent on the pixels of G (Adam on [0, 1] pixels, clipped), from G = C.
STEPS, LEARNING_RATE, SHOWN_STEPS = 200, 0.02, (0, 10, 50, 200)
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


def weights(lab: Lab) -> dict:
    """alpha, beta and how they were chosen: beta = alpha J_content / J_style at
    :data:`BALANCE_AT`, rounded to one significant figure, so there both weighted terms
    are about equal (each about half of J)."""
    imgs = images(lab)
    a_c, a_s, a_g = (activations(lab, imgs[k]) for k in ("C", "S", BALANCE_AT))
    j_c = learn.content_cost(a_c[CONTENT_LAYER[0]][0], a_g[CONTENT_LAYER[0]][0])
    j_s = style_cost(a_s, a_g)
    beta = float(f"{ALPHA * j_c / j_s:.0e}")
    return {"alpha": ALPHA, "beta": int(beta) if beta == int(beta) else beta,
            "at": BALANCE_AT, "j_content": j_c, "j_style": j_s}


def style_cost(a_s: dict, a_g: dict) -> float:
    """J_style(S, G): the layers of :data:`STYLE_LAYERS`, weighted by their lambdas."""
    return sum(w * learn.layer_style_cost(a_s[key][0], a_g[key][0])
               for (key, _), w in STYLE_LAYERS.items())


def content_cost_grad(a_c: np.ndarray, a_g: np.ndarray) -> np.ndarray:
    """d J_content / d a(G) = a(G) - a(C), for J_content = 1/2 ||a(C) - a(G)||²: same shape."""
    return a_g.astype(np.float64) - a_c.astype(np.float64)


def layer_style_cost_grad(a_s: np.ndarray, a_g: np.ndarray) -> np.ndarray:
    """d J_style / d a(G) for one layer: with F = a(G) as (n_C, n_H n_W) and G = F Fᵀ,
    J = ||G(S) - G(G)||² / N² (N = 2 n_H n_W n_C) gives -4 (G(S) - G(G)) F / N².

    a_s, a_g: (n_C, n_H, n_W) -> (n_C, n_H, n_W).
    """
    n_c, n_h, n_w = a_g.shape
    f = a_g.reshape(n_c, -1).astype(np.float64)  # (n_C, n_H, n_W) -> (n_C, n_H*n_W)
    d = learn.gram_matrix(a_s) - f @ f.T
    return (-4 * d @ f / (2 * n_h * n_w * n_c) ** 2).reshape(a_g.shape)


class Transfer:
    """J(G) and its gradient with respect to G's pixels, through the frozen LeNet-5."""

    def __init__(self, lab: Lab, alpha: float, beta: float):
        imgs = images(lab)
        self.lab, self.alpha, self.beta = lab, alpha, beta
        self.model, self.params = lab.lenet5.model, lab.lenet5.params
        self.index = {name: i for i, name in enumerate(self.model.names)}
        self.deepest = max(self.index[k] for k in (CONTENT_LAYER[0], *(k for k, _ in STYLE_LAYERS)))
        self.a_c, self.a_s = activations(lab, imgs["C"]), activations(lab, imgs["S"])

    def __call__(self, x: np.ndarray) -> tuple[tuple[float, float], np.ndarray]:
        """x: (1, 32, 32) pixels in [0, 1] -> ((alpha J_content, beta J_style), dJ/dx (1, 32, 32))."""
        d, model = self.lab.digits, self.model
        z = d.standardise(x[None])                                  # (1, 1, 32, 32)
        outs = model.forward(self.params, z, stop=self.deepest + 1, keep=True)
        got = {name: outs[i] for name, i in self.index.items() if i <= self.deepest}
        key = CONTENT_LAYER[0]
        j_c = learn.content_cost(self.a_c[key][0], got[key][0])
        j_s = style_cost(self.a_s, got)
        # the gradient arriving at each layer's output, from the costs read there
        at = {self.index[key]: self.alpha * content_cost_grad(self.a_c[key][0], got[key][0])}
        for (k, _), w in STYLE_LAYERS.items():
            g = self.beta * w * layer_style_cost_grad(self.a_s[k][0], got[k][0])
            at[self.index[k]] = at.get(self.index[k], 0) + g
        grad = np.zeros_like(outs[self.deepest], dtype=np.float64)
        for i in range(self.deepest, -1, -1):
            grad = grad + at.get(i, 0)
            layer = model.layers[i]
            grad, _ = layer.backward(grad, model._own(layer, self.params), need_input=True)
        return (self.alpha * j_c, self.beta * j_s), grad[0] / d.std  # dz/dx = 1/std


_STYLISED: dict = {}


def stylise(lab: Lab) -> dict:
    """Gradient descent on G's pixels from G = C, :data:`STEPS` steps of Adam, pixels kept
    in [0, 1]. Returns ``weights``, ``images`` {step: (1, 32, 32)} at :data:`SHOWN_STEPS`,
    ``terms`` [(alpha J_content, beta J_style)] for every step 0..STEPS.
    Computed once per process for the same networks (figures and page share it)."""
    h = hashlib.sha256()
    for name, value in sorted(lab.lenet5.params.items()):
        h.update(name.encode())
        h.update(np.ascontiguousarray(value).tobytes())
    key = (str(lab.cache), h.hexdigest())
    if key in _STYLISED:
        return _STYLISED[key]
    w = weights(lab)
    cost = Transfer(lab, w["alpha"], w["beta"])
    x = images(lab)["C"].astype(np.float64)
    m, v = np.zeros_like(x), np.zeros_like(x)
    b1, b2, eps = 0.9, 0.999, 1e-8
    terms, shots = [], {}
    for k in range(STEPS + 1):
        (jc, js), g = cost(x)
        terms.append((jc, js))
        if k in SHOWN_STEPS:
            shots[k] = x.copy()
        if k == STEPS:
            break
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        step = LEARNING_RATE * (m / (1 - b1 ** (k + 1))) / (np.sqrt(v / (1 - b2 ** (k + 1))) + eps)
        x = np.clip(x - step, 0.0, 1.0)
    _STYLISED[key] = {"weights": w, "images": shots, "terms": terms}
    return _STYLISED[key]


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
           (gram, Prepared({"c": g_c, "s": g_s}, gram_facts)), stylised_figure(lab)]
    part = photo_part()
    if part:
        out += part[1]
    return out


def stylised_figure(lab: Lab) -> tuple[Figure, Prepared]:
    """C, S, and G after each of :data:`SHOWN_STEPS` steps of descent on J."""
    r = stylise(lab)
    steps = sorted(r["images"])
    pics = [images(lab)["C"], images(lab)["S"]] + [r["images"][k] for k in steps]
    labels = [f"C (a {CONTENT_DIGIT})", f"S (a {STYLE_DIGIT})"] + [
        f"G, step {k}" + (" (= C)" if k == 0 else "") for k in steps]
    jc, js = r["terms"][-1]
    facts = {"labels": labels, "steps": ", ".join(map(str, steps)), "last": steps[-1],
             "c": CONTENT_DIGIT, "s": STYLE_DIGIT, "alpha": r["weights"]["alpha"],
             "beta": f"{r['weights']['beta']:,}", "content": f"{jc:.1f}", "style": f"{js:.1f}"}
    fig = Figure(
        "style-transfer-result", "image_grid", {"cols": len(pics), "panel_inch": 1.0},
        alt=("Digit images in a row: the content image C (a test {c}), the style image S (a test "
             "{s}), and the generated image G after {steps} steps of gradient descent on its "
             "pixels, starting from C, with alpha = {alpha} and beta = {beta}. After step {last} "
             "the weighted content cost is {content} and the weighted style cost {style}."),
        caption="Style transfer run on LeNet-5: the pixels of G move to lower J(G).")
    return fig, Prepared({"images": np.stack([shown(p) for p in pics])}, facts)
