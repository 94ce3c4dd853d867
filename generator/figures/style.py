"""How every figure looks, decided in one place: colours, fonts, sizes, GIF palette.

Colours are Okabe & Ito's palette (safe for the common colour-vision
deficiencies); each role also differs by lightness or line style, so a figure
still reads in greyscale. Figures are drawn on an opaque light card
(:data:`CARD`); :mod:`.theme` turns each drawn SVG and GIF into its variant for
Material's dark "slate" scheme with :func:`dark` (the ``DARK_*`` colours below),
and the pages show the variant of the reader's scheme. Photographs (PNG) keep
their light card in both schemes.
"""

from __future__ import annotations

from functools import lru_cache

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


def colour_name(colour: str) -> str:
    """The name of a palette colour as alt text says it: ``"#D55E00"`` -> ``"vermillion"``.

    Alt text takes every colour name from here, so it can only name a colour a
    figure really uses; a colour outside the palette is a KeyError.
    """
    names = {hex_.upper(): name.replace("_", " ") for name, hex_ in OKABE_ITO.items()}
    return names[colour.upper()]


CARD = "#F7F7F5"      #: figure background: a light card in both site themes
PAPER = "#FFFFFF"     #: empty cells (padding, not-yet-computed outputs)
INK = "#1B1F24"       #: text and strong lines
MUTED = "#5F6670"     #: secondary text, cell edges
FAINT = "#A3A9B1"     #: the "0" printed in padding cells, dashed edges


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(255 * v):02X}" for v in rgb)


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))


def tint(colour: str, amount: float, base: str = PAPER) -> str:
    """``colour`` mixed into ``base``: amount 0 gives ``base``, 1 gives ``colour``."""
    a, b = _rgb(colour), _rgb(base)
    return _hex(tuple(amount * x + (1 - amount) * y for x, y in zip(a, b)))


# ------------------------------------------------------------------ roles
# Sliding windows: input blue, kernel orange, output green (Dumoulin & Visin's
# blue/cyan scheme, made colour-blind safe).
INPUT_HUE = OKABE_ITO["sky_blue"]
INPUT = tint(INPUT_HUE, 0.45)
INPUT_EDGE = OKABE_ITO["blue"]
PADDING = PAPER
INSERTED_ZERO = "#E6E7EA"
KERNEL = OKABE_ITO["orange"]
KERNEL_DARK = "#B57D00"   # kernel text and outlines on light cells
OUTPUT_DONE = tint(OKABE_ITO["bluish_green"], 0.30)
OUTPUT_NOW = OKABE_ITO["bluish_green"]
OUTPUT_EDGE = "#006B4E"

#: Pooling windows: neighbouring windows never share a colour.
WINDOWS = [tint(OKABE_ITO[c], 0.40) for c in ("sky_blue", "orange", "bluish_green", "reddish_purple")]
#: Diverging ramp for signed values (edge responses): blue < 0 < vermillion.
NEGATIVE = OKABE_ITO["blue"]
POSITIVE = OKABE_ITO["vermillion"]
#: What alt text calls the colours of roles: each name from :func:`colour_name`, so
#: it is the name of the colour the drawing code really uses for that role.
ALT_COLOURS = {"negative": colour_name(NEGATIVE), "positive": colour_name(POSITIVE),
               "input": colour_name(INPUT_HUE), "kernel": colour_name(KERNEL),
               "output": colour_name(OUTPUT_NOW)}

#: Colour maps of images, low to high (built by :func:`colour_map`).
COLOUR_MAPS = {"ink": (PAPER, INK), "signed": (NEGATIVE, PAPER, POSITIVE),
               "blues": (PAPER, OKABE_ITO["blue"]), "photo": ("#000000", "#FFFFFF")}


def colour_map(name: str):
    """The matplotlib colour map ``name`` of :data:`COLOUR_MAPS` (imports matplotlib)."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(f"atlas_{name}", list(COLOUR_MAPS[name]))


#: Cells shaded by value use this many levels (so every shade is in the GIF palette).
SHADES = 6
#: The strongest shade: numbers in ink stay readable on it.
SHADE_MAX = 0.55


def shade(colour: str, t: float) -> str:
    """``colour`` for a value at ``t`` in [0, 1] of its range: one of :data:`SHADES` tints."""
    level = round(min(max(t, 0.0), 1.0) * (SHADES - 1))
    return tint(colour, SHADE_MAX * level / (SHADES - 1))


#: Series of line plots, in order.
SERIES = [OKABE_ITO[c] for c in ("blue", "vermillion", "bluish_green", "reddish_purple", "orange")]
#: One colour per filter or output map (the seven Okabe-Ito hues, then grey).
FILTERS = SERIES + [OKABE_ITO["sky_blue"], OKABE_ITO["yellow"], "#8E949C"]
#: Marker per series, so the series differ without colour too.
MARKERS = ["o", "s", "^", "D", "v"]

# ------------------------------------------------------------------ sizes


CELL_INCH = 0.36          #: side of one grid cell
MAX_WIDTH_INCH = 7.6      #: wider figures shrink their cells to fit
GIF_DPI = 100             #: raster frames: 7.6 in -> 760 px wide at most
SVG_IMAGE_DPI = 72        #: raster images inside an SVG (when not kept at native size)
FRAME_MS = 650            #: time per animation frame
LAST_FRAME_MS = 1800      #: the finished result stays on screen longer
FONT_SIZE = 10.0
NUMBER_SIZE = 9.0         #: numbers printed inside cells
TITLE_SIZE = 11.0

#: matplotlib settings every figure is drawn under (``matplotlib.rc_context``).
RC = {
    "font.family": "DejaVu Sans",      # ships with matplotlib: same glyphs everywhere
    "font.size": FONT_SIZE,
    "text.color": INK,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.titlesize": TITLE_SIZE,
    "axes.facecolor": CARD,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "figure.facecolor": CARD,
    "savefig.facecolor": CARD,
    "savefig.edgecolor": CARD,
    "axes.unicode_minus": True,
    "svg.fonttype": "path",            # glyphs as paths: no font needed to view
    "svg.hashsalt": "convnet-atlas",   # fixed ids inside the SVG: identical bytes per build
    "svg.image_inline": True,
    "path.simplify": True,
    "image.interpolation": "none",
    "lines.solid_capstyle": "round",
}


def gif_palette() -> list[int]:
    """The fixed 256-colour palette of every GIF, as a flat ``[r, g, b, ...]`` list.

    Every flat colour used above comes first, exactly; the rest are ramps
    from each of them to the card and to the ink, which is where the
    anti-aliased edges of shapes and text fall.
    """
    named = [CARD, PAPER, INK, MUTED, FAINT, INPUT, INPUT_EDGE, INSERTED_ZERO, KERNEL,
             KERNEL_DARK, OUTPUT_DONE, OUTPUT_NOW, OUTPUT_EDGE, *WINDOWS,
             *[c for c in OKABE_ITO.values()]]
    named += [shade(c, i / (SHADES - 1)) for c in (POSITIVE, NEGATIVE, MUTED)
              for i in range(1, SHADES)]
    seen: list[str] = []
    for c in named:
        if c.upper() not in seen:
            seen.append(c.upper())
    colours = list(seen)
    colours += [tint(INK, t / 16, CARD) for t in range(1, 16)]   # text edges on the card
    colours += [tint(INK, t / 16, PAPER) for t in range(1, 16)]  # ... and on white cells
    for c in seen:
        colours += [tint(c, t, CARD) for t in (0.2, 0.4, 0.6, 0.8)]
        colours += [tint(INK, t, c) for t in (0.33, 0.66)]
    unique: list[str] = []
    for c in colours:
        if c not in unique:
            unique.append(c)
    unique = (unique + [INK] * 256)[:256]
    return [v for c in unique for v in (round(255 * x) for x in _rgb(c))]


def frame_image(ax) -> None:
    """Axes showing an image: no ticks, a thin muted frame (same in every figure)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(MUTED)
        spine.set_linewidth(0.6)


# ------------------------------------------------------------------ dark theme
# Every figure also exists recoloured for Material's dark "slate" scheme
# (:mod:`.theme` rewrites the colours of the drawn files; nothing is drawn twice).
# The neutrals get dark counterparts chosen here; the Okabe & Ito hues stay
# exactly as they are (they read on dark too); every other colour (a tint, a
# shade, an anti-aliased edge) keeps its hue and chroma and has its lightness
# mirrored, so a light tint on paper becomes a dark tint on dark paper, and
# ink on it becomes light ink.

DARK_CARD = "#262A33"       #: figure background in the dark scheme (Material's slate is ~#1E2129)
DARK_PAPER = "#1B1E25"      #: empty cells: darker than the card, as white is lighter than the card
DARK_INK = "#E8EAED"        #: text and strong lines
DARK_MUTED = "#A3AAB4"      #: secondary text, cell edges
DARK_FAINT = "#6A7282"      #: the "0" in padding cells, dashed edges
DARK_INSERTED_ZERO = "#3A3F4A"

#: Colours with a chosen dark counterpart (upper-case hex -> hex); :func:`dark` mirrors the rest.
DARK_OF = {
    **{c.upper(): c.upper() for c in OKABE_ITO.values() if c != OKABE_ITO["black"]},
    CARD.upper(): DARK_CARD, PAPER.upper(): DARK_PAPER, INK.upper(): DARK_INK,
    MUTED.upper(): DARK_MUTED, FAINT.upper(): DARK_FAINT,
    INSERTED_ZERO.upper(): DARK_INSERTED_ZERO,
    KERNEL_DARK.upper(): KERNEL,   # kernel text and outlines: on dark cells the hue itself reads
}


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _gamma(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def oklab(colour: str) -> tuple[float, float, float]:
    """``colour`` in Björn Ottosson's OKLab: (lightness 0..1, a, b)."""
    r, g, b = (_linear(v) for v in _rgb(colour))
    lms = [(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3),
           (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3),
           (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)]
    l_, m_, s_ = lms
    return (0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
            1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
            0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_)


def from_oklab(lab: tuple[float, float, float]) -> str:
    """The sRGB hex of an OKLab colour (clipped to the sRGB cube)."""
    L, a, b = lab
    l_ = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (L - 0.0894841775 * a - 1.2914855480 * b) ** 3
    rgb = (4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
           -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
           -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_)
    return _hex(tuple(_gamma(v) for v in rgb))


@lru_cache(maxsize=None)
def dark(colour: str) -> str:
    """The counterpart of ``colour`` in the dark scheme (upper-case hex).

    :data:`DARK_OF` first; otherwise OKLab lightness mirrored so that paper
    maps to :data:`DARK_PAPER` and ink to :data:`DARK_INK`, hue and chroma kept.
    """
    key = colour.upper()
    if key in DARK_OF:
        return DARK_OF[key]
    L, a, b = oklab(colour)
    lp, li = oklab(PAPER)[0], oklab(INK)[0]
    dp, di = oklab(DARK_PAPER)[0], oklab(DARK_INK)[0]
    return from_oklab((dp + (lp - L) * (di - dp) / (lp - li), a, b))
