"""What a figure kind is: the record each kind module declares as ``KIND``, and the
:class:`Prepared` values its ``prepare`` computes. No matplotlib, no NumPy arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Prepared:
    """What a figure draws: arrays in ``data``; ints, strings and lists in ``facts``."""

    data: dict[str, np.ndarray] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)


def _never(params: dict) -> bool:
    return False


@dataclass(frozen=True)
class Kind:
    """One figure kind, declared as ``KIND`` in the module that draws it
    (``generator/figures/<module>.py``: its ``render(params, data, facts)``)."""

    name: str
    module: str
    #: The gallery section the kind is listed under.
    section: str
    #: Computes the arrays and facts from a catalog entry's parameters (NumPy only);
    #: None for kinds whose figures arrive computed (:mod:`.trained`).
    prepare: Callable[[dict], Prepared] | None = None
    #: (params, facts) -> (alt text, caption); None when every entry writes its own.
    describe: Callable[[dict, dict], tuple[str, str]] | None = None
    #: (params) -> True for a GIF plus first/last-frame SVGs, False for one still.
    animated: Callable[[dict], bool] = _never
    #: The still's format when not animated: "svg" or "png".
    still: str = "svg"


def short(module: str) -> str:
    """``generator.figures.sliding_window`` -> ``sliding_window``."""
    return module.rpartition(".")[2]
