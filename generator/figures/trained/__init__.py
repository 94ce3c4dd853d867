"""Figures of the networks trained during the build (the Beyond section's pages).

Each module here lists the figures of one page: ``figures(lab)`` returns
(:class:`~generator.figures.catalog.Figure`, :class:`~generator.figures.kind.Prepared`)
pairs, computed with NumPy from the trained networks of :class:`.lab.Lab`
(``generator.learn`` reads them from the cache folder, or trains them). The
figure stage (:mod:`generator.figures.stage`) resolves and draws them with the
catalog's figures; the page modules in ``generator.pages.beyond`` import the
helpers they share (which digits are shown, the detection, the triplets).
Nothing here imports matplotlib.
"""

from __future__ import annotations

from . import autoencoder, detection, style, top_k, training, transfer, triplet

#: The modules listing trained-network figures, in page order.
MODULES = (training, top_k, transfer, autoencoder, detection, triplet, style)


def figures(lab) -> list[tuple[str, object, object]]:
    """(module name, Figure, Prepared) of every trained-network figure."""
    return [(module.__name__, fig, prepared)
            for module in MODULES for fig, prepared in module.figures(lab)]
