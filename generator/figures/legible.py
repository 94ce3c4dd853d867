"""How wide a figure must be shown for its smallest text to stay legible (on a phone).

Figures are SVGs whose text is drawn as glyph paths (``svg.fonttype: path``):
matplotlib places each run of text as ``<g transform="... scale(s -s)">`` with
``s`` = font size in points / 100 (its ``TextToPath.FONT_SCALE``). The width
in CSS px at which the smallest text renders at :data:`MIN_TEXT_PX` follows
from that size and the SVG's width; the figure macro makes that the image's
least width, and a narrower screen scrolls the figure in its own box.
"""

from __future__ import annotations

import math
import re

#: The smallest text size, in CSS px, a figure may show (issue #18: 9 px at 390 px wide).
MIN_TEXT_PX = 9.0
#: matplotlib's ``TextToPath.FONT_SCALE``: a glyph group's scale is the font size over this.
FONT_SCALE = 100.0

_WIDTH = re.compile(rb'<svg\b[^>]*?\bwidth="([0-9.]+)pt"')
_GLYPHS = re.compile(rb'transform="[^"]*?scale\(([0-9.]+) -([0-9.]+)\)"')


def width_pt(svg: bytes) -> float:
    """The SVG's width in points (its user units: matplotlib's viewBox is in points)."""
    return float(_WIDTH.search(svg).group(1))


def min_text_pt(svg: bytes) -> float | None:
    """The smallest font size of the SVG's text in points, or None when it has no text."""
    sizes = [float(a) * FONT_SCALE for a, _ in _GLYPHS.findall(svg)]
    return min(sizes) if sizes else None


def legible_px(svg: bytes) -> int:
    """The least CSS width at which every text of the SVG is at least :data:`MIN_TEXT_PX`
    (0 when it has no text). Shown ``W`` px wide, a ``t`` pt text of a ``w`` pt wide SVG
    renders at ``t * 4/3 * W / (w * 4/3) = t * W / w`` px."""
    t = min_text_pt(svg)
    return 0 if t is None else math.ceil(MIN_TEXT_PX * width_pt(svg) / t)
