"""3-D boxes in oblique projection: tensors drawn as volumes (y grows upwards).

The front face is height x width; depth (channels) recedes up and to the right
by :data:`DEPTH` per unit. Shared by the volume and architecture figures.
"""

from __future__ import annotations


from . import style

DEPTH = (0.55, 0.42)   #: screen offset of one unit of depth


def canvas(width: float, height: float, most_inch: float):
    """A figure ``width`` x ``height`` drawing units large (y up), each unit ``most_inch``
    inches or less so the figure fits :data:`style.MAX_WIDTH_INCH`; one frameless axes
    fills it. Returns ``(fig, ax)``."""
    from matplotlib.figure import Figure
    scale = min(most_inch, style.MAX_WIDTH_INCH / width)
    fig = Figure(figsize=(width * scale, height * scale), dpi=style.GIF_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def box(ax, x, y, w, h, d, face, edge=style.INK, lw=0.9, zorder=2):
    """A box whose front face spans ``x..x+w``, ``y..y+h`` (y up), depth ``d``."""
    from matplotlib.patches import Polygon
    dx, dy = DEPTH[0] * d, DEPTH[1] * d
    top = [(x, y + h), (x + w, y + h), (x + w + dx, y + h + dy), (x + dx, y + h + dy)]
    right = [(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)]
    front = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    for pts, shade in ((top, 0.82), (right, 0.68), (front, 1.0)):
        colour = face if shade == 1.0 else style.tint(face, shade, style.INK)
        ax.add_patch(Polygon(pts, closed=True, facecolor=colour, edgecolor=edge, lw=lw,
                             zorder=zorder, joinstyle="miter"))


def slabs(ax, x, y, w, h, d, n, faces, zorder=2):
    """``n`` slabs of depth ``d / n`` stacked back to front (channels, or maps)."""
    step = d / n
    for i in reversed(range(n)):
        dx, dy = DEPTH[0] * step * i, DEPTH[1] * step * i
        box(ax, x + dx, y + dy, w, h, step, faces[i % len(faces)], zorder=zorder + (n - i) * 0.01)
