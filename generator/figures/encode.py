"""Turning a drawn matplotlib figure into bytes that are identical on every build.

* SVG: fixed ``svg.hashsalt`` (in :data:`style.RC`) and no date.
* GIF: every frame rasterised by Agg, mapped without dithering onto the fixed
  palette of :func:`style.gif_palette`, written by Pillow with fixed frame
  durations and loop; GIF has no timestamps.
* PNG: no Software/date chunks.

An animated figure is a *scene*: an object with ``fig`` (a
``matplotlib.figure.Figure``), ``n_frames`` and ``show(i)``, which updates the
artists for frame ``i``. :func:`animation` makes its GIF and the first and
last frames as still SVGs (for print, where a GIF shows only its first frame).
"""

from __future__ import annotations

import io

import numpy as np

from . import style


def svg(fig) -> bytes:
    """The figure as SVG bytes, with no date and fixed element ids."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, dpi=style.SVG_IMAGE_DPI)
    return buf.getvalue()


def png(fig, dpi: float = 2 * style.GIF_DPI) -> bytes:
    """The figure as PNG bytes, without the Software chunk."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, dpi=dpi)
    return buf.getvalue()


def png_palette(fig, dpi: float = 1.5 * style.GIF_DPI, colors: int = 128) -> bytes:
    """The figure as a palette PNG (median cut, no dithering): photographs at a third the size."""
    from PIL import Image
    raw = io.BytesIO()  # the pixels a PNG of the figure would hold, without encoding one
    fig.savefig(raw, format="rgba", dpi=dpi)
    w, h = int(fig.get_figwidth() * dpi), int(fig.get_figheight() * dpi)
    if raw.getbuffer().nbytes != 4 * w * h:
        raise RuntimeError(f"{raw.getbuffer().nbytes} bytes of pixels, not {w}×{h} RGBA")
    rgb = Image.frombuffer("RGBA", (w, h), raw.getvalue(), "raw", "RGBA", 0, 1).convert("RGB")
    im = rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def rgb(fig, dpi: float = style.GIF_DPI) -> np.ndarray:
    """Rasterise the figure with Agg: (H, W, 3) uint8."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()  # (H, W, 4) -> (H, W, 3)


_PALETTE: Image.Image | None = None


def _palette_image() -> Image.Image:
    from PIL import Image
    global _PALETTE
    if _PALETTE is None:
        _PALETTE = Image.new("P", (1, 1))
        _PALETTE.putpalette(style.gif_palette())
    return _PALETTE


def gif(frames: list, durations: list[int]) -> bytes:
    """An endlessly looping GIF of frames (RGB images, or (H, W, 3) uint8 arrays) on the
    fixed palette."""
    from PIL import Image
    if len(frames) != len(durations) or not frames:
        raise ValueError(f"{len(frames)} frames but {len(durations)} durations")
    images = [Image.fromarray(f, "RGB") if isinstance(f, np.ndarray) else f for f in frames]
    images = _on_palette(images)
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:],
                   duration=list(durations), loop=0, optimize=True, disposal=1)
    return buf.getvalue()


def _on_palette(images: list) -> list:
    """Each RGB image mapped onto the fixed palette (nearest colour, no dithering).

    The frames of an animation share one size and most of their colours, so they are
    mapped as one tall image and cut apart again: Pillow maps each colour on its own, so
    the pixels are those of mapping each frame alone, at a fraction of the cost."""
    from PIL import Image
    pal = _palette_image()
    w, h = images[0].size
    if any(im.size != (w, h) for im in images):
        return [im.quantize(palette=pal, dither=Image.Dither.NONE) for im in images]
    tall = Image.new("RGB", (w, h * len(images)))
    for i, im in enumerate(images):
        tall.paste(im, (0, h * i))
    mapped = tall.quantize(palette=pal, dither=Image.Dither.NONE)
    return [mapped.crop((0, h * i, w, h * (i + 1))) for i in range(len(images))]


def durations(n_frames: int) -> list[int]:
    """Frame times: :data:`style.FRAME_MS` each, the last held longer."""
    return [style.FRAME_MS] * (n_frames - 1) + [style.LAST_FRAME_MS]


def frames(scene) -> list:
    """Every frame of a scene as an RGB image (``PIL.Image``).

    The artists in ``scene.dynamic`` (those ``show`` changes) are drawn over a
    raster of everything else made once, so a frame costs only its moving
    parts. They must lie above the static artists, which they do by zorder.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image
    fig = scene.fig
    fig.set_dpi(style.GIF_DPI)
    canvas = FigureCanvasAgg(fig)
    dynamic = sorted(scene.dynamic, key=lambda a: a.get_zorder())
    for a in dynamic:
        a.set_animated(True)  # skipped by canvas.draw()
    try:
        canvas.draw()
        background = canvas.copy_from_bbox(fig.bbox)
        out = []
        for i in range(scene.n_frames):
            scene.show(i)
            canvas.restore_region(background)
            for a in dynamic:
                fig.draw_artist(a)
            rgba = canvas.buffer_rgba()  # (H, W, 4), reused by the next frame: converted now
            out.append(Image.frombuffer("RGBA", rgba.shape[1::-1], rgba, "raw", "RGBA", 0, 1)
                       .convert("RGB"))
        return out
    finally:
        for a in dynamic:
            a.set_animated(False)


def animation(scene) -> dict[str, bytes]:
    """``{"gif": ..., "svg": first frame, "last.svg": last frame}`` of a scene."""
    out = {"gif": gif(frames(scene), durations(scene.n_frames))}
    scene.show(0)
    out["svg"] = svg(scene.fig)
    scene.show(scene.n_frames - 1)
    out["last.svg"] = svg(scene.fig)
    return out
