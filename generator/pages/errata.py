"""Errata of the course notes: the note's value is data, the right value is computed.

``data/errata.yaml`` lists each discrepancy with a Python expression; this
module evaluates the expressions with the project's own code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import yaml

from .. import nn
from ..figures import catalog
from ..render import num
from ..specs import load_builtin
from ..tables import counts, layer_table, receptive

#: Facts about ImageNet as its own site states them (https://www.image-net.org/, "14,197,122
#: images, 21841 synsets indexed"; Deng et al., "ImageNet: A Large-Scale Hierarchical Image
#: Database", CVPR 2009). Not computable: quoted, with the source, once.
IMAGENET = {"images": 14_197_122, "synsets": 21_841, "ilsvrc_classes": 1_000,
            "source": "https://www.image-net.org/"}

DATA = Path(__file__).resolve().parents[1] / "data" / "errata.yaml"


@cache
def _scope() -> dict:
    rows = layer_table(load_builtin("lenet5-course")).rows
    return {"nn": nn, "np": np, "receptive": receptive, "examples": catalog, "counts": counts,
            "lenet_course": {row.name: row for row in rows}, "imagenet": IMAGENET}


def _shown(value) -> str:
    if isinstance(value, str):
        return value
    return num(value)


def entries() -> list[dict]:
    """Every erratum with its computed value, in the order of the data file."""
    out = []
    for item in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        value = eval(item["compute"], dict(_scope()))  # noqa: S307 (trusted repo data)
        if isinstance(value, np.generic):
            value = value.item()
        out.append({**item, "value": value, "shown": _shown(value)})
    return out
