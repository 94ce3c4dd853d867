"""The inputs of the worked examples: small matrices that pages print and figures draw.

Pure data (lists of numbers, one seeded NumPy draw), read by the Foundations
pages (``generator.pages``) and by the figure catalog (``generator.figures``),
so a page's numbers and its figure's can never come from two copies.
Nothing here computes a result or plots.
"""

from __future__ import annotations

import numpy as np

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
#: A 7x7 input of small integers for the step-by-step example (seeded, so fixed).
SMALL_7X7 = np.random.default_rng(7).integers(0, 4, size=(7, 7)).tolist()
#: The kernel of Dumoulin & Visin's first worked example.
DUMOULIN_KERNEL = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]
#: The input of the padding-modes figure: 1..9 row by row.
ONE_TO_NINE = np.arange(1, 10).reshape(3, 3).tolist()
#: Edge filters for the photograph.
EDGE_FILTERS = {
    "vertical": VERTICAL,
    "horizontal": np.array(VERTICAL).T.tolist(),
    "sobel_x": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "sobel_y": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
}

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
