"""The dark-scheme variant of every drawn figure, made from its files: nothing is drawn twice.

Each colour of a file is replaced by :func:`style.dark` of it:

* SVG: every ``fill``/``stroke`` colour, and the pixels of raster images
  embedded in it (a confusion matrix, a Gram matrix: their text is drawn over
  them, so they must turn dark with the ink that turns light);
* GIF: the colour tables only (the global one and any per frame), so the
  frames, their timing and their size stay byte for byte the same;
* PNG (photographs and digit grids) get no variant: a photograph's colours are
  its content, and it shows on its light card in both schemes.

A part ``svg`` of a figure gets the part ``dark.svg``, written next to it as
``<name>-dark.svg`` (:func:`dark_path`).
"""

from __future__ import annotations

import base64
import io
import re
from functools import lru_cache

from . import style

#: Parts that get a dark variant, and the part name of that variant.
DARK_PARTS = {"gif": "dark.gif", "svg": "dark.svg", "last.svg": "dark.last.svg"}

_COLOUR = re.compile(rb"((?:fill|stroke|stop-color|flood-color)(?::\s*|=\"))#([0-9a-fA-F]{6})(?![0-9a-fA-F])")
_IMAGE = re.compile(rb"(<image\b[^>]*?xlink:href=\")data:image/png;base64,([A-Za-z0-9+/=\s]+)\"")


def dark_path(path: str) -> str:
    """``figures/a-last.svg`` -> ``figures/a-last-dark.svg``."""
    stem, dot, ext = path.rpartition(".")
    return f"{stem}-dark{dot}{ext}"


def _colour(match: re.Match) -> bytes:
    return match.group(1) + style.dark("#" + match.group(2).decode()).lower().encode()


def _png_dark(data: bytes) -> bytes:
    """A PNG with every pixel's colour replaced by its dark counterpart (alpha kept)."""
    import numpy as np
    from PIL import Image

    im = Image.open(io.BytesIO(data)).convert("RGBA")
    px = np.asarray(im)  # (H, W, 4)
    rgb = px[..., :3].reshape(-1, 3).astype(np.uint32)  # (H, W, 3) -> (H*W, 3)
    # each pixel as one number 0xRRGGBB: sorted as the (R, G, B) rows would be, and
    # np.unique of a flat array is several times faster than of rows (axis=0)
    packed, index = np.unique((rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2],
                              return_inverse=True)
    colours = np.stack([packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF], axis=1)
    mapped = np.array([style._rgb(style.dark("#%02X%02X%02X" % tuple(c))) for c in colours])
    out = np.round(mapped * 255).astype(np.uint8)[index.reshape(-1)].reshape(px.shape[:2] + (3,))
    buf = io.BytesIO()
    Image.fromarray(np.dstack([out, px[..., 3]]), "RGBA").save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _image(match: re.Match) -> bytes:
    data = base64.b64decode(b"".join(match.group(2).split()))
    return match.group(1) + b"data:image/png;base64," + base64.b64encode(_png_dark(data)) + b'"'


def svg_dark(data: bytes) -> bytes:
    """The SVG with every colour replaced by its dark counterpart."""
    return _IMAGE.sub(_image, _COLOUR.sub(_colour, data))


@lru_cache(maxsize=None)
def _dark_rgb(rgb: bytes) -> bytes:
    """One RGB triple of a colour table in the dark scheme (the frames of a GIF repeat
    their tables, so each colour is converted once)."""
    dark = style.dark("#%02X%02X%02X" % tuple(rgb))
    return bytes(int(dark[j:j + 2], 16) for j in (1, 3, 5))


def _table(data: bytearray, start: int, entries: int) -> None:
    """Recolour ``entries`` RGB triples of a GIF colour table at ``start``, in place."""
    for i in range(start, start + 3 * entries, 3):
        data[i:i + 3] = _dark_rgb(bytes(data[i:i + 3]))


def _skip_blocks(data: bytes, i: int) -> int:
    """The position after a chain of data sub-blocks starting at ``i``."""
    while data[i]:
        i += data[i] + 1
    return i + 1


def gif_dark(gif: bytes) -> bytes:
    """The GIF with its colour tables recoloured; image data untouched."""
    data = bytearray(gif)
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    i = 13
    if data[10] & 0x80:  # global colour table
        n = 2 << (data[10] & 7)
        _table(data, i, n)
        i += 3 * n
    while data[i] != 0x3B:  # trailer
        if data[i] == 0x21:  # extension: label, then sub-blocks
            i = _skip_blocks(data, i + 2)
        elif data[i] == 0x2C:  # image descriptor (10 bytes), local table, LZW size, sub-blocks
            packed = data[i + 9]
            i += 10
            if packed & 0x80:
                n = 2 << (packed & 7)
                _table(data, i, n)
                i += 3 * n
            i = _skip_blocks(data, i + 1)
        else:
            raise ValueError(f"unexpected GIF block 0x{data[i]:02X} at byte {i}")
    return bytes(data)


def dark_parts(files: dict[str, bytes]) -> dict[str, bytes]:
    """The dark variants of a figure's drawn parts (``{"svg": ...}`` -> ``{"dark.svg": ...}``)."""
    make = {"gif": gif_dark, "svg": svg_dark, "last.svg": svg_dark}
    return {DARK_PARTS[p]: make[p](data) for p, data in files.items() if p in DARK_PARTS}
