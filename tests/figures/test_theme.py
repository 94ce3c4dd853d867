"""The dark-scheme variants (generator/figures/theme.py): the same drawing, every colour
replaced by style.dark of it; GIF frames and timing untouched."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

from generator.figures import encode, legible, style, theme


def _contrast(a: str, b: str) -> float:
    def lum(c):
        return sum(w * style._linear(v) for w, v in zip((0.2126, 0.7152, 0.0722), style._rgb(c)))
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_keeps_the_okabe_ito_hues_and_turns_the_neutrals():
    for name, c in style.OKABE_ITO.items():
        if name != "black":
            assert style.dark(c) == c.upper()
    assert style.dark(style.CARD) == style.DARK_CARD and style.dark(style.INK) == style.DARK_INK
    assert _contrast(style.DARK_INK, style.DARK_CARD) > 10 and _contrast(style.INK, style.CARD) > 10
    # a light tint becomes a dark one of the same hue, on which the dark scheme's ink reads
    tinted = style.dark(style.INPUT)
    assert _contrast(style.DARK_INK, tinted) > 7
    L, a, b = style.oklab(tinted)
    L0, a0, b0 = style.oklab(style.INPUT)
    assert L < 0.45 < L0 and abs(a - a0) < 0.01 and abs(b - b0) < 0.01
    assert style.from_oklab(style.oklab("#123456")) == "#123456"


def test_svg_dark_replaces_every_colour_by_its_dark_counterpart():
    svg = (b'<svg width="100pt"><path style="fill: #f7f7f5; stroke: #1b1f24"/>'
           b'<use xlink:href="#DejaVuSans-30"/><path fill="#e69f00"/></svg>')
    out = theme.svg_dark(svg)
    colours = re.findall(rb"#[0-9a-fA-F]{6}\b", out)
    assert colours == [style.DARK_CARD.lower().encode(), style.DARK_INK.lower().encode(), b"#e69f00"]
    assert b'xlink:href="#DejaVuSans-30"' in out


def test_gif_dark_recolours_the_palette_and_keeps_the_frames():
    rng = np.random.default_rng(0)
    named = [style.CARD, style.INK, style.INPUT, style.KERNEL]
    frames = [np.array([[style._rgb(named[i]) for i in row] for row in rng.integers(0, 4, (6, 8))])
              for _ in range(3)]
    frames = [np.round(f * 255).astype(np.uint8) for f in frames]  # (H, W, 3)
    light = encode.gif(frames, [100, 100, 400])
    dark = theme.gif_dark(light)
    assert len(dark) == len(light)
    a, b = Image.open(io.BytesIO(light)), Image.open(io.BytesIO(dark))
    assert a.n_frames == b.n_frames == 3
    for i in range(3):
        a.seek(i)
        b.seek(i)
        assert a.info["duration"] == b.info["duration"]
        got = np.asarray(b.convert("RGB"))
        want = np.asarray(a.convert("RGB"))
        for y, x in [(0, 0), (2, 5), (5, 7)]:
            assert "#%02X%02X%02X" % tuple(got[y, x]) == style.dark("#%02X%02X%02X" % tuple(want[y, x]))


def test_dark_parts_and_paths():
    parts = theme.dark_parts({"svg": b'<svg><path style="fill: #ffffff"/></svg>', "png": b"x"})
    assert list(parts) == ["dark.svg"]
    assert theme.dark_path("figures/a-last.svg") == "figures/a-last-dark.svg"


def test_legible_width_puts_the_smallest_text_at_9_px():
    svg = (b'<svg width="720pt" height="10pt"><g transform="translate(1 2) scale(0.1 -0.1)"/>'
           b'<g transform="translate(1 2) rotate(-90) scale(0.08 -0.08)"/></svg>')
    assert legible.min_text_pt(svg) == 8.0
    assert legible.legible_px(svg) == 810  # 8 pt of 720 pt shown 810 px wide: 9 px
    assert legible.legible_px(b'<svg width="720pt"></svg>') == 0
