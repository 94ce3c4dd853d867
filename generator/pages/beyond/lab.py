"""The trained networks and the data, shared with the figures of the same pages.

:class:`Lab` lives in :mod:`generator.figures.trained.lab` because the figure
stage, which runs before the pages, needs it too (pages may import figures,
never the reverse).
"""

from __future__ import annotations

from ...figures.trained.lab import Lab, pct, shown

__all__ = ["Lab", "pct", "shown"]
