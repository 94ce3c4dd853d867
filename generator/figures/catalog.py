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


@dataclass(frozen=True)
class Figure:
    #: File name stem and anchor: lowercase letters, digits and dashes.
    id: str
    #: One of :data:`generator.figures.kinds.KINDS`.
    kind: str
    #: The kind's parameters (JSON-like: ints, floats, strings, bools, lists, dicts).
    params: dict = field(default_factory=dict)
    #: Alt text; default: written by the kind from the computed facts.
    alt: str | None = None
    #: Caption; default: written by the kind.
    caption: str | None = None


# ------------------------------------------------------------ inputs of the worked examples

#: The vertical edge filter of the course notes.
VERTICAL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
#: A 6x6 image, bright left half and dark right half (the notes' edge example).
STEP_IMAGE = [[10, 10, 10, 0, 0, 0]] * 6
#: The 6x6 matrix of the notes' second edge-detection example.
NOTES_MATRIX = [
    [3, 0, 1, 2, 7, 4],
    [1, 5, 8, 9, 3, 1],
    [2, 7, 2, 5, 1, 3],
    [0, 1, 3, 1, 7, 8],
    [4, 2, 1, 6, 2, 8],
    [2, 4, 5, 2, 3, 9],
]
#: The notes' max-pooling and average-pooling inputs.
MAX_POOL_INPUT = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
AVG_POOL_INPUT = [[2, 3, 1, 9], [4, 7, 3, 5], [8, 2, 2, 2], [1, 3, 4, 5]]

#: Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (2016):
#: the convolution of each of its figures (id suffix -> conv2d parameters).
DUMOULIN = {
    "no-padding-no-strides": {"size": 4, "kernel": 3},
    "arbitrary-padding": {"size": 5, "kernel": 4, "padding": 2},
    "same-padding": {"size": 5, "kernel": 3, "padding": 1},
    "full-padding": {"size": 5, "kernel": 3, "padding": 2},
    "strides": {"size": 5, "kernel": 3, "stride": 2},
    "padding-strides": {"size": 5, "kernel": 3, "stride": 2, "padding": 1},
    "padding-strides-odd": {"size": 6, "kernel": 3, "stride": 2, "padding": 1},
}

FIGURES: list[Figure] = [
    *[Figure(f"conv-{name}", "sliding_window", dict(p)) for name, p in DUMOULIN.items()],
    Figure("conv-dilation", "sliding_window", {"size": 7, "kernel": 3, "dilation": 2}),
    *[Figure(f"conv-transposed-{name}", "sliding_window", {"counterpart_of": dict(p)})
      for name, p in DUMOULIN.items()],
]
