"""Foundations: one page per topic of the course, every number computed here.

Each topic function returns the values its template formats; the templates in
``templates/pages/foundations/`` do no arithmetic.
"""

from __future__ import annotations

from ...figures.library import page_context
from ...render import page
from . import basics, fields, sizes, volumes

#: (slug, title, values) in reading order; the nav follows this order.
TOPICS = [
    ("images-as-tensors", "Images as tensors", basics.images_as_tensors),
    ("fully-connected-vs-convolution", "Fully connected vs convolution", basics.fully_connected_vs_convolution),
    ("convolution", "2-D convolution", basics.convolution),
    ("edge-detection", "Edge detection", basics.edge_detection),
    ("padding", "Padding", sizes.padding),
    ("stride", "Stride", sizes.stride),
    ("output-size", "The output-size formula", sizes.output_size),
    ("dilation", "Dilation", sizes.dilation),
    ("volumes", "Convolution over volumes", volumes.volumes),
    ("parameters", "Parameter counting", volumes.parameters),
    ("one-by-one", "1x1 convolution and cost", volumes.one_by_one),
    ("pooling", "Pooling", volumes.pooling),
    ("receptive-field", "Receptive field", fields.receptive_field),
    ("transposed-convolution", "Transposed convolution", fields.transposed_convolution),
    ("layer-notation", "Layer notation", fields.layer_notation),
]


def outputs(ctx):
    for slug, title, values in TOPICS:
        path = f"foundations/{slug}.md"
        ctx.add_nav("Foundations", title, path)
        yield page(path, f"pages/foundations/{slug}.md.j2", **values(), **page_context(path))
