"""Every figure of the site, as data: an id, a kind, parameters, and optionally
alt text and a caption (otherwise the kind writes them from the computed facts).

To add a figure for a page, append a :class:`Figure` here and embed it from
the page template with the ``figure`` macro (``templates/macros/figures.md.j2``).
Parameters are inputs only (sizes, kernels, the worked examples' matrices);
every number a figure shows is computed from them by ``generator.nn``.
A custom ``alt``/``caption`` may use ``{name}`` fields of the computed facts,
e.g. ``"... a {out} output"`` (pairs print as ``5×5``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..specs import BUILTINS
# The worked examples' inputs are data that pages print and figures draw: one place.
from ..worked_examples import (AVG_POOL_INPUT, DUMOULIN, DUMOULIN_KERNEL, EDGE_FILTERS,
                               MAX_POOL_INPUT, NOTES_MATRIX, ONE_TO_NINE, SMALL_7X7,
                               STEP_IMAGE, VERTICAL)


@dataclass(frozen=True)
class Figure:
    #: File name stem and anchor: lowercase letters, digits and dashes.
    id: str
    #: One of :data:`generator.figures.registry.KINDS` (a kind with a ``prepare``).
    kind: str
    #: The kind's parameters (JSON-like: ints, floats, strings, bools, lists, dicts).
    params: dict = field(default_factory=dict)
    #: Alt text; default: written by the kind from the computed facts.
    alt: str | None = None
    #: Caption; default: written by the kind.
    caption: str | None = None


FIGURES: list[Figure] = [
    *[Figure(f"conv-{name}", "sliding_window", dict(p)) for name, p in DUMOULIN.items()],
    Figure("stride-7x7-fit", "stride_fit", {"size": 7, "kernel": 3, "strides": [2, 3]}),
    # the padding page's own case: a 6x6 input, a 3x3 filter, 'same' and 'full' padding
    *[Figure(f"padding-6x6-{name}", "sliding_window", {"size": 6, "kernel": 3, "padding": p})
      for name, p in (("valid", 0), ("same", 1), ("full", 2))],
    Figure("conv-dilation", "sliding_window", {"size": 7, "kernel": 3, "dilation": 2}),
    *[Figure(f"conv-transposed-{name}", "sliding_window", {"counterpart_of": dict(p)})
      for name, p in DUMOULIN.items()],
    # worked examples with every value
    Figure("conv-values-edge", "conv_values",
           {"x": STEP_IMAGE, "w": VERTICAL, "title": "Vertical edge detection"}),
    Figure("conv-values-edge-animated", "conv_values",
           {"x": STEP_IMAGE, "w": VERTICAL, "title": "Vertical edge detection", "animate": True}),
    Figure("conv-values-notes", "conv_values",
           {"x": NOTES_MATRIX, "w": VERTICAL, "title": "The notes' matrix, vertical filter"}),
    Figure("conv-values-notes-animated", "conv_values",
           {"x": NOTES_MATRIX, "w": VERTICAL, "title": "The notes' matrix, vertical filter",
            "animate": True}),
    Figure("conv-values-7x7-animated", "conv_values",
           {"x": SMALL_7X7, "w": DUMOULIN_KERNEL, "title": "Convolution step by step",
            "animate": True}),
    Figure("pool-max-notes", "pooling", {"x": MAX_POOL_INPUT, "mode": "max", "kernel": 2}),
    Figure("pool-avg-notes", "pooling", {"x": AVG_POOL_INPUT, "mode": "avg", "kernel": 2}),
    Figure("padding-modes", "padding_modes", {"x": ONE_TO_NINE, "pad": 2}),
    Figure("connectivity-dense-vs-conv", "connectivity", {"inputs": 7, "kernel": 3}),
    # volumes
    Figure("volume-3x6x6", "volume_conv", {"input": [3, 6, 6], "kernel": 3, "filters": 2}),
    Figure("volume-3x32x32-6-filters", "volume_conv",
           {"input": [3, 32, 32], "kernel": 5, "filters": 6}),
    Figure("one-by-one-tube", "one_by_one", {"input": [192, 28, 28], "filters": 32, "at": [9, 12]}),
    # output sizes
    Figure("output-size-conventions", "output_size", {
        "settings": [{"kernel": 3, "stride": 2, "padding": 0},
                     {"kernel": 3, "stride": 2, "padding": 1},
                     {"kernel": 2, "stride": 2, "padding": 0},
                     {"kernel": 5, "stride": 3, "padding": 2}],
        "sizes": [1, 16]}),
    # a photograph
    Figure("rgb-planes", "rgb_planes", {"image": "grace_hopper", "shrink": 8, "patch": 4,
                                         "at": [37, 20]}),
    Figure("feature-maps-grace-hopper", "feature_maps", {
        "image": "grace_hopper", "shrink": 3, "pool": 2, "filters": EDGE_FILTERS,
        "magnitude": ["sobel_x", "sobel_y", "Sobel magnitude"]}),
    # receptive fields
    Figure("receptive-field-3x3-stack", "receptive_field", {
        "size": 9, "layers": [{"kernel": 3}, {"kernel": 3}, {"kernel": 3}]}),
    Figure("receptive-field-strided", "receptive_field", {
        "size": 11, "layers": [{"kernel": 3}, {"kernel": 3, "stride": 2}, {"kernel": 3}]}),
    Figure("receptive-field-dilated", "receptive_field", {
        "size": 17, "layers": [{"kernel": 3}, {"kernel": 3, "dilation": 2},
                               {"kernel": 3, "dilation": 4}]}),
    Figure("residual-blocks-resnet18", "residual_block", {"network": "resnet18"}),
    # channels: batchnorm, concatenation, grouped convolution
    Figure("batchnorm-channels", "batchnorm_channels", {
        "means": [3.0, -1.0, 0.5], "stds": [1.5, 0.4, 3.0], "gamma": [1.0, 2.0, 0.5],
        "beta": [0.0, 1.0, -2.0], "values": 16, "seed": 2}),
    Figure("concat-inception3a", "concat_volumes", {"network": "inception3a"}),
    Figure("grouped-channels", "grouped_channels", {"channels": 8, "groups": [1, 2, 4]}),
    # one architecture diagram per built-in network
    *[Figure(f"architecture-{name}", "architecture", {"network": name}) for name in BUILTINS],
    # where each built-in network's compute goes, by stage (its page's memory section)
    *[Figure(f"compute-{name}", "compute_share", {"network": name}) for name in BUILTINS],
]
