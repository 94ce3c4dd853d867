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
from ..tables import layer_table, receptive

DATA = Path(__file__).resolve().parents[1] / "data" / "errata.yaml"


@cache
def _scope() -> dict:
    rows = layer_table(load_builtin("lenet5-course")).rows
    return {"nn": nn, "np": np, "receptive": receptive, "examples": catalog,
            "lenet_course": {row.name: row for row in rows}}


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
