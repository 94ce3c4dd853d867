"""The new Foundations pages: each number checked by other means than the page computes it."""

from __future__ import annotations

import posixpath

import numpy as np
import pytest

import generator.nn as nn
from generator.nn import naive
from generator.pages import errata, site_map
from generator.pages.foundations import deeper, notes, teaching
from generator.specs import BUILTINS
from tests.pages.helpers import render_page


def test_teaching_loop_equals_the_fast_path():
    rng = np.random.default_rng(0)
    for _ in range(50):
        h, w, f = int(rng.integers(3, 12)), int(rng.integers(3, 12)), int(rng.integers(1, 4))
        x, k = rng.standard_normal((h, w)), rng.standard_normal((f, f))
        fast = nn.conv2d(x[None, None], k[None, None])[0, 0]
        np.testing.assert_allclose(teaching.corr2d(x, k), fast, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(teaching.corr2d(x, k), naive.conv2d(x[None, None], k[None, None])[0, 0],
                                   rtol=1e-12, atol=1e-12)
    page = render_page("foundations", "convolution")
    assert "def corr2d(x, w):" in page and "exactly the same" in page


def test_residual_identity_and_measured_gradients():
    v = deeper.residual()
    assert v["identity_error"] == 0.0 and v["plain_zero"] == 0.0
    assert v["block"]["weights"] == 64 * 128 * 1 * 1 and v["block"]["out_hw"] == (28, 28)
    for r in v["grads"]:
        assert r["residual"][0] > 0.5  # the gradient reaching the input does not vanish
    deepest = v["grads"][-1]
    assert deepest["plain"][0] < 1e-20 < deepest["residual"][0]
    plain = [r["plain"][0] for r in v["grads"]]
    assert all(a > b for a, b in zip(plain, plain[1:]))  # shrinks with every added pair


def test_residual_stack_gradients_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch oracle not installed")
    for residual in (False, True):
        depth, width, batch, seed = 6, 64, 32, 0
        rng = np.random.default_rng(seed)
        x = np.maximum(rng.standard_normal((batch, width)), 0)
        bound = 1 / np.sqrt(width)
        ws = [torch.tensor(rng.uniform(-bound, bound, (width, width)), requires_grad=True) for _ in range(depth)]
        a0 = torch.tensor(x, requires_grad=True)
        a = a0
        for w1, w2 in zip(ws[0::2], ws[1::2]):
            s = torch.relu(a @ w1.T) @ w2.T
            a = torch.relu(s + a if residual else s)
        g = np.random.default_rng(seed + 1).standard_normal(a.shape)
        (a * torch.tensor(g / np.linalg.norm(g))).sum().backward()
        ours = deeper._dense_stack(depth, residual, width, batch, seed)
        assert ours[0] == pytest.approx(float(a0.grad.norm()), rel=1e-10)
        assert ours[1] == pytest.approx(float(ws[0].grad.norm()), rel=1e-10)


def test_im2col_shapes_memory_and_macs():
    v = deeper.im2col()
    assert v["small"]["equal"] and v["small"]["cols_shape"] == (2 * 3 * 3, 2 * 2)
    first = v["vgg"][0]
    assert first["name"] == "conv1_2" and first["cols"] == (64 * 9, 224 * 224)
    assert first["cols_bytes"] == 64 * 9 * 224 * 224 * 4 and first["cols_memory"] == "110.2 MiB"
    assert first["input_bytes"] == 64 * 224 * 224 * 4 and first["input_memory"] == "12.2 MiB"
    assert all(r["kernel"] == (3, 3) for r in v["vgg"])
    page = render_page("foundations", "im2col")
    assert "| 12.2 MiB | 110.2 MiB | 9 | 1,849,688,064 | `winograd` |" in page and " MB |" not in page
    for r in v["vgg"]:
        assert r["macs"] == r["table_macs"] and r["blowup"] == 9
    assert v["lenet"]["algorithm"] == "im2col" and v["lenet"]["cols"] == (6 * 25, 100)


def test_conv_backprop_is_a_transposed_convolution():
    v = deeper.conv_backprop()
    assert v["same_as_flipped"] and v["same_as_library"]
    assert v["fd_error"] < 1e-6
    # by hand: dL/dx[a, b] = sum_ij g[i, j] w[a - i, b - j]
    x, w, g = v["x"], v["w"], v["g"]
    by_hand = np.zeros_like(x)
    for i in range(3):
        for j in range(3):
            by_hand[i:i + 3, j:j + 3] += g[i, j] * w
    np.testing.assert_array_equal(by_hand, v["grad"])


def test_depthwise_separable_counts():
    v = deeper.depthwise_separable()
    row = next(r for r in v["rows"] if r["c_in"] == 512)
    assert row["std"] == 3 * 3 * 512 * 512 + 512
    assert row["dw"] == 3 * 3 * 512 + 512 and row["pw"] == 512 * 512 + 512
    assert row["sep_macs"] == 14 * 14 * (9 * 512 + 512 * 512)
    for r in v["rows"]:
        assert r["ratio"] == pytest.approx(r["predicted"], rel=1e-12)
    page = render_page("foundations", "depthwise-separable")
    assert "filters is \\(c_{\\text{in}} \\times f \\times f\\) (C×H×W)" in page  # the site's layout
    assert "[MobileNet](../architectures/mobilenet-v2.md)" in page
    assert v["check"]["error"] < 1e-12


def test_your_notes_links_every_erratum_and_real_pages():
    v = notes.your_notes()
    shown = {e["number"] for f in v["files"] for t in f["topics"] for e in t["errata"]}
    assert shown == set(range(1, len(errata.entries()) + 1))
    assert len(v["files"]) == 5
    declared = {s.path(p) for s in site_map.SECTIONS for p in s.pages}
    declared |= {site_map.ARCHITECTURES.path(name) for name in BUILTINS}
    for f in v["files"]:
        for t in f["topics"]:
            assert posixpath.normpath(posixpath.join("foundations", t["page"].partition("#")[0])) in declared, t["page"]
    page = render_page("foundations", "your-notes")
    assert "**Erratum 16**" in page and "125,100" in page


def test_your_notes_links_every_foundations_and_beyond_page():
    page = render_page("foundations", "your-notes")
    for section in (site_map.FOUNDATIONS, site_map.section("beyond")):
        for p in section.pages:
            if p.slug in ("index", "your-notes"):
                continue
            target = posixpath.relpath(section.path(p), "foundations")
            assert f"]({target})" in page, target
