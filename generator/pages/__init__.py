"""Page producers: each module computes a page's values and renders its template.

A producer is ``outputs(ctx) -> Iterable[Output]``; ``generator.pipeline``
lists them in order. Producers call nn/tables/figures for values and hand them
to templates, which only format.
"""
