"""Gram matrix, content and style costs on a hand-computed 2-channel example."""

from __future__ import annotations

import numpy as np
import pytest

from generator import learn

A = np.array([[[1, 0], [2, 1]],
              [[0, 3], [1, 1]]], dtype=float)   # (n_C, n_H, n_W) = (2, 2, 2)
B = np.array([[[1, 1], [2, 0]],
              [[0, 3], [0, 1]]], dtype=float)


def test_gram_by_hand():
    # G11 = 1+0+4+1, G12 = 0+0+2+1, G22 = 0+9+1+1
    assert learn.gram_matrix(A).tolist() == [[6.0, 3.0], [3.0, 11.0]]
    assert learn.gram_matrix(B).tolist() == [[6.0, 3.0], [3.0, 10.0]]


def test_costs_by_hand():
    # differences: channel 1 (0, -1, 0, 1), channel 2 (0, 0, 1, 0): 1/2 * 3
    assert learn.content_cost(A, B) == 1.5
    # Gram difference only in G22: 1^2 = 1, over (2 * 2*2*2)^2 = 256
    assert learn.layer_style_cost(A, B) == 1 / 256
    assert learn.total_cost(1.5, 1 / 256, 10, 40) == 15 + 40 / 256


def test_gram_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(0).normal(size=(6, 7, 5))
    t = torch.from_numpy(a).reshape(6, -1)
    assert np.allclose(learn.gram_matrix(a), (t @ t.T).numpy(), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ gradients of the costs

from generator.figures.trained import style as st  # noqa: E402


def centred(f, x, eps=1e-6):
    """The centred-difference gradient of the scalar ``f`` at ``x``."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        g[i] = (f(up) - f(down)) / (2 * eps)
    return g


def test_cost_gradients_by_centred_differences():
    rng = np.random.default_rng(1)
    a_c, a_s, a_g = (rng.normal(size=(3, 4, 5)) for _ in range(3))
    np.testing.assert_allclose(st.content_cost_grad(a_c, a_g),
                               centred(lambda g: learn.content_cost(a_c, g), a_g), atol=1e-7)
    # the style cost is tiny (divided by (2*4*5*3)^2): compare relative to its size
    num = centred(lambda g: learn.layer_style_cost(a_s, g), a_g, eps=1e-5)
    np.testing.assert_allclose(st.layer_style_cost_grad(a_s, a_g), num, rtol=1e-5, atol=1e-12)


def test_cost_gradients_match_torch_autograd():
    torch = pytest.importorskip("torch", reason="torch is the autograd oracle")
    rng = np.random.default_rng(2)
    a_s, a_g = rng.normal(size=(6, 7, 5)), rng.normal(size=(6, 7, 5))
    t = torch.tensor(a_g, requires_grad=True)
    f = t.reshape(6, -1)
    s = torch.tensor(a_s).reshape(6, -1)
    cost = ((s @ s.T - f @ f.T) ** 2).sum() / (2 * 7 * 5 * 6) ** 2
    cost.backward()
    assert float(cost.detach()) == pytest.approx(learn.layer_style_cost(a_s, a_g), rel=1e-12)
    np.testing.assert_allclose(st.layer_style_cost_grad(a_s, a_g), t.grad.numpy(), rtol=1e-10)


# ------------------------------------------------------------------ on the trained LeNet-5


@pytest.fixture(scope="module")
def lab():
    from pathlib import Path

    from generator.figures.trained.lab import Lab
    from generator.settings import load_settings

    return Lab(load_settings(Path(__file__).resolve().parents[2]).path("cache_dir"))


def test_weights_make_both_terms_matter(lab):
    """The course's alpha = 10, beta = 40 left J 99.99 % content cost; the chosen beta
    gives each term between a quarter and three quarters of J for every candidate that
    pays both."""
    from generator.pages.beyond import style as page

    v = page.values(lab)
    assert v["alpha"] == st.ALPHA and v["beta"] == st.stylise(lab)["weights"]["beta"]
    both = [r for r in v["rows"] if r["content"] > 0 and r["style"] > 0]
    assert len(both) == 2
    for r in both:
        assert 25 < r["terms"]["content_pct"] < 75 and 25 < r["terms"]["style_pct"] < 75
        assert r["course"]["content_pct"] > 99.99   # what the old weights did
        assert r["terms"]["content_pct"] + r["terms"]["style_pct"] == pytest.approx(100)
    w = st.weights(lab)
    # beta is alpha J_content / J_style at the balance point, to one significant figure
    exact = w["alpha"] * w["j_content"] / w["j_style"]
    assert abs(w["beta"] - exact) <= 0.5 * 10 ** np.floor(np.log10(exact))


def test_pixel_gradient_matches_torch_autograd(lab):
    """Transfer's gradient, through generator.learn's backward passes, against LeNet-5's
    first layers written out in PyTorch (float64) and differentiated by autograd."""
    torch = pytest.importorskip("torch", reason="torch is the autograd oracle")
    F = torch.nn.functional
    w = st.weights(lab)
    cost = st.Transfer(lab, w["alpha"], w["beta"])
    x = st.images(lab)["G = (C + S) / 2, pixel by pixel"].astype(np.float64)
    (jc, js), grad = cost(x)
    p = {k: torch.tensor(np.asarray(v, dtype=np.float64)) for k, v in lab.lenet5.params.items()}
    d = lab.digits

    def maps(img):
        a1 = torch.tanh(F.conv2d((img[None] - float(d.mean)) / float(d.std), p["C1.weight"], p["C1.bias"]))
        a2 = torch.tanh(F.conv2d(F.avg_pool2d(a1, 2), p["C3.weight"], p["C3.bias"]))
        return a1[0], a2[0]

    def gram(a):
        f = a.reshape(a.shape[0], -1)
        return f @ f.T

    def style(a_s, a_g):
        n_c, n_h, n_w = a_g.shape
        return ((gram(a_s) - gram(a_g)) ** 2).sum() / (2 * n_h * n_w * n_c) ** 2

    imgs = st.images(lab)
    with torch.no_grad():
        c1, c2 = maps(torch.tensor(imgs["C"], dtype=torch.float64))
        s1, s2 = maps(torch.tensor(imgs["S"], dtype=torch.float64))
    t = torch.tensor(x, requires_grad=True)
    g1, g2 = maps(t)
    t_jc = 0.5 * ((c2 - g2) ** 2).sum()
    t_js = 0.5 * style(s1, g1) + 0.5 * style(s2, g2)
    (w["alpha"] * t_jc + w["beta"] * t_js).backward()
    assert jc == pytest.approx(w["alpha"] * float(t_jc.detach()), rel=1e-4)
    assert js == pytest.approx(w["beta"] * float(t_js.detach()), rel=1e-4)
    ref = t.grad.numpy()
    assert np.abs(grad - ref).max() < 1e-3 * np.abs(ref).max()


def test_descent_lowers_j_and_ends_with_both_terms(lab):
    run = st.stylise(lab)
    totals = [c + s for c, s in run["terms"]]
    assert len(totals) == st.STEPS + 1
    assert totals[-1] < 0.2 * totals[0]
    c, s = run["terms"][-1]
    assert 0.2 < c / (c + s) < 0.8
    assert set(run["images"]) == set(st.SHOWN_STEPS)
    for img in run["images"].values():
        assert img.shape == (1, 32, 32) and img.min() >= 0 and img.max() <= 1
    np.testing.assert_array_equal(run["images"][0], st.images(lab)["C"])
