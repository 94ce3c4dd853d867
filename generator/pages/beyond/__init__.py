"""Beyond the layer arithmetic: pages computed from networks trained during the build.

Each topic module returns the values its template formats, and the figures
of the page as (:class:`~generator.figures.catalog.Figure`,
:class:`~generator.figures.prepare.Prepared`) pairs; the templates in
``templates/pages/beyond/`` do no arithmetic.
"""

from __future__ import annotations

from ...figures import computed
from ...render import Output, page
from . import autoencoder, detection, style, top_k, training, transfer, triplet
from .lab import Lab

#: (slug, title, values) in reading order; the nav follows this order.
TOPICS = [
    ("training-lenet5", "Training LeNet-5", training.values),
    ("top-k", "Top-1 and top-5 accuracy", top_k.values),
    ("transfer-learning", "Transfer learning", transfer.values),
    ("autoencoder", "Convolutional autoencoder", autoencoder.values),
    ("object-detection", "Object detection", detection.values),
    ("triplet-loss", "Triplet loss", triplet.values),
    ("style-transfer", "Neural style transfer", style.values),
]


def outputs(ctx):
    lab = Lab(ctx.settings.path("cache_dir"))
    pages, resolved = [], []
    for slug, title, values in TOPICS:
        context = values(lab)
        for fig, prepared in context.pop("figures"):
            resolved.append(computed.resolve(fig, prepared, values.__module__))
        pages.append((slug, title, context))
    files, refs = computed.render(resolved, ctx.settings.path("cache_dir") / "figures")
    for path, data in sorted(files.items()):
        yield Output(path, data)
    for slug, title, context in pages:
        path = f"beyond/{slug}.md"
        ctx.add_nav("Beyond", title, path)
        yield page(path, f"pages/beyond/{slug}.md.j2", **context, figures=refs, page_path=path)
