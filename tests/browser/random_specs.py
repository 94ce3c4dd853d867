"""Seeded random network specs for the calculator's cross-language test.

Each spec is the YAML data of a spec file (what ``yaml.safe_load`` gives), a
plain sequence of layers on a small input, drawn from every layer kind the registry
(:mod:`generator.specs.kinds`) marks as computed by the calculator. Most settings are valid; some
combinations are impossible on purpose (a kernel larger than its input, pool
padding above half the kernel, 'same' with a stride, groups that do not divide
the channels, a flat input into a convolution) and a few fields are malformed
(zero, negative, text, a float, a missing required field), so that error
messages are compared too.
"""

from __future__ import annotations

import random

from generator.specs import kinds

__all__ = ["random_spec", "random_specs"]


def _size(r: random.Random, low: int, high: int, pair_chance: float = 0.2):
    """An int, or sometimes a pair [h, w]."""
    if r.random() < pair_chance:
        return [r.randint(low, high), r.randint(low, high)]
    return r.randint(low, high)


def _maybe(r: random.Random, chance: float) -> bool:
    return r.random() < chance


def _conv(r: random.Random) -> dict:
    groups = r.choice([1, 1, 1, 2, 3, 4])
    out = groups * r.randint(1, 6) if _maybe(r, 0.9) else r.randint(1, 12)
    d: dict = {"out": out, "kernel": _size(r, 1, 7)}
    if _maybe(r, 0.6):
        d["stride"] = _size(r, 1, 3)
    if _maybe(r, 0.7):
        d["padding"] = r.choice([0, 1, 2, 3, "same", "valid", [1, 2], [0, 3]])
    if _maybe(r, 0.3):
        d["dilation"] = _size(r, 1, 3)
    if groups != 1:
        d["groups"] = groups
    if _maybe(r, 0.15):
        d["bias"] = False
    return d


def _conv_transpose(r: random.Random) -> dict:
    d: dict = {"out": r.randint(1, 8), "kernel": _size(r, 1, 5)}
    if _maybe(r, 0.7):
        d["stride"] = _size(r, 1, 3)
    if _maybe(r, 0.5):
        d["padding"] = _size(r, 0, 3)
    if _maybe(r, 0.5):
        d["output_padding"] = _size(r, 0, 2)
    if _maybe(r, 0.2):
        d["dilation"] = _size(r, 1, 2)
    if _maybe(r, 0.2):
        d["groups"] = r.choice([1, 2])
        d["out"] = d["groups"] * r.randint(1, 4)
    return d


def _pool(r: random.Random, kind: str) -> dict:
    d: dict = {"kernel": _size(r, 1, 5)}
    if _maybe(r, 0.6):
        d["stride"] = _size(r, 1, 3)
    if _maybe(r, 0.4):
        d["padding"] = _size(r, 0, 3)
    if kind == "maxpool" and _maybe(r, 0.25):
        d["dilation"] = _size(r, 1, 3)
    if _maybe(r, 0.35):
        d["ceil_mode"] = True
    if kind == "avgpool" and _maybe(r, 0.2):
        d["count_include_pad"] = False
    return d


#: Malformed values: each would be rejected by the spec checks.
_BAD = [0, -1, "abc", 2.5, [3, 0], [1, 2, 3], True, "SAME", None]


def _spoil(r: random.Random, kind: str, d: dict) -> None:
    """Make one field of ``d`` malformed, or drop a required one."""
    if kind in ("conv", "conv_transpose", "linear") and _maybe(r, 0.25):
        d.pop("out", None)
        return
    field = r.choice([k for k in ("out", "kernel", "stride", "padding", "groups", "output")
                      if k in d] or ["name"])
    d[field] = r.choice(_BAD)


def _adaptive(r: random.Random) -> dict:
    return {"output": _size(r, 1, 4)}


def _linear(r: random.Random) -> dict:
    d: dict = {"out": r.randint(1, 50)}
    if _maybe(r, 0.2):
        d["bias"] = False
    return d


def _dropout(r: random.Random) -> dict:
    return {"p": r.choice([0.5, 0.25, 0.1, 1e-05, 1, 0])} if _maybe(r, 0.6) else {}


def _batchnorm(r: random.Random) -> dict:
    return {"affine": False} if _maybe(r, 0.2) else {}


#: Every kind the calculator computes, from the registry: a kind marked ``calculator``
#: is drawn from the day it is marked (with no fields until it has an entry below).
KINDS = [k.name for k in kinds.KINDS if k.calculator]

#: The fields of a layer of each kind (kinds without an entry take none).
_FIELDS = {
    "conv": _conv, "conv_transpose": _conv_transpose,
    "maxpool": lambda r: _pool(r, "maxpool"), "avgpool": lambda r: _pool(r, "avgpool"),
    "adaptive_avgpool": _adaptive, "linear": _linear, "dropout": _dropout, "batchnorm": _batchnorm,
}
#: How often a kind is drawn on a feature map, against 1 for the others.
_ON_MAPS = {"conv": 6, "maxpool": 2}
#: The kinds drawn on a flat input (after a flatten), and how often.
_ON_FLAT = {"linear": 2, "relu": 1, "dropout": 1, "batchnorm": 1, "softmax": 1, "conv": 1,
            "flatten": 1}


def _layer(r: random.Random, flat: bool):
    if flat:
        choices = [k for k in KINDS if k in _ON_FLAT]
        kind = r.choices(choices, [_ON_FLAT[k] for k in choices])[0]
    else:
        kind = r.choices(KINDS, [_ON_MAPS.get(k, 1) for k in KINDS])[0]
    d = _FIELDS[kind](r) if kind in _FIELDS else {}
    if _maybe(r, 0.2):
        d = {"name": r.choice(["c1", "pool", "fc 1", "it's", "x-y", "a  b"]), **d}
    if _maybe(r, 0.04):
        _spoil(r, kind, d)
    return {kind: d} if d else kind


def random_spec(r: random.Random) -> dict:
    """One spec: {name, input, layers}."""
    spec: dict = {
        "name": "random",
        "input": [r.randint(1, 8), r.randint(1, 40), r.randint(1, 40)],
        "layers": [],
    }
    flat = False
    for _ in range(r.randint(1, 7)):
        layer = _layer(r, flat)
        spec["layers"].append(layer)
        kind = layer if isinstance(layer, str) else next(iter(layer))
        flat = flat or kind == "flatten"
    if _maybe(r, 0.02):
        spec["input"] = r.choice([[3, 0, 5], [3, 5], "3x5"])
    if _maybe(r, 0.02):
        del spec["name"]
    if _maybe(r, 0.01):
        spec["layers"] = []
    return spec


def random_specs(n: int, seed: int) -> list[dict]:
    r = random.Random(seed)
    return [random_spec(r) for _ in range(n)]
