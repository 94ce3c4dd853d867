"""Teaching versions of operators: a few lines to read, tested equal to ``generator.nn``.

The pages show these functions' source (``inspect.getsource``); tests/pages
holds them to the library's fast paths on random cases.
"""

from __future__ import annotations

import numpy as np


def corr2d(x, w):
    """One channel, stride 1, no padding: x (H, W), w (f, f) -> (H - f + 1, W - f + 1)."""
    f = w.shape[0]
    y = np.zeros((x.shape[0] - f + 1, x.shape[1] - f + 1))
    for i in range(y.shape[0]):
        for j in range(y.shape[1]):
            y[i, j] = (x[i:i + f, j:j + f] * w).sum()  # one dot product per position
    return y
