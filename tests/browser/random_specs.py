"""Seeded random network specs for the calculator's cross-language tests.

Each spec is the YAML data of a spec file (what ``yaml.safe_load`` gives).
:func:`sequential_specs` are plain sequences of layers on a small input (what the
calculator's cards hold), drawn from every leaf kind the registry
(:mod:`generator.specs.kinds`) marks as computed by the calculator; :func:`graph_specs`
add what only a pasted spec has: residual, basic, bottleneck and concat blocks, layers
that name their ``inputs``, the merges add, multiply (a squeeze-and-excitation gate),
concat and crop, and blocks instantiated by ``repeat`` with ``$parameters``.
:func:`random_specs` mixes both, so every kind the calculator computes is drawn. Most
settings are valid; some combinations are impossible on purpose (a kernel larger than
its input, pool padding above half the kernel, 'same' with a stride, groups that do
not divide the channels, a flat input into a convolution, maps that cannot be added or
concatenated, an input name that is not an earlier layer, a parameter the block does
not take) and a few fields are malformed (zero, negative, text, a float, a missing
required field), so that error messages are compared too.
"""

from __future__ import annotations

import random

from generator.specs import kinds

__all__ = ["random_spec", "random_specs", "sequential_specs", "graph_spec", "graph_specs"]


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


def _upsample(r: random.Random) -> dict:
    d: dict = {"scale": _size(r, 1, 3)} if _maybe(r, 0.6) else {"size": _size(r, 1, 30)}
    if _maybe(r, 0.4):
        d["mode"] = "bilinear"
    return d


def _split(r: random.Random) -> dict:
    chunks = r.randint(1, 4)
    return {"chunks": chunks, "index": r.randint(0, chunks)}  # one past the last, sometimes


#: Every kind the calculator computes, from the registry: a kind marked ``calculator``
#: is drawn from the day it is marked (with no fields until it has an entry below).
KINDS = [k.name for k in kinds.KINDS if k.calculator]
#: The kinds a plain sequence (a card) holds: no blocks, no merges.
LEAF_KINDS = [k.name for k in kinds.KINDS
              if k.calculator and not k.composite and not k.spec.MERGE]

#: The fields of a layer of each kind (kinds without an entry take none).
_FIELDS = {
    "conv": _conv, "conv_transpose": _conv_transpose,
    "maxpool": lambda r: _pool(r, "maxpool"), "avgpool": lambda r: _pool(r, "avgpool"),
    "adaptive_avgpool": _adaptive, "linear": _linear, "dropout": _dropout, "batchnorm": _batchnorm,
    "adaptive_maxpool": _adaptive, "lrn": lambda r: {"size": r.randint(1, 5)},
    "layernorm": lambda r: {"affine": False} if _maybe(r, 0.2) else {},
    "gelu": lambda r: {"approximate": "tanh"} if _maybe(r, 0.3) else {},
    "channel_shuffle": lambda r: {"groups": r.choice([1, 2, 3, 4])},
    "channel_split": _split, "upsample": _upsample, "crop": lambda r: {"size": _size(r, 1, 20)},
    "pad": lambda r: {"padding": r.choice([1, [1, 2], [0, 1, 2, 3]])},
    "global_pool": lambda r: {"mode": "max"} if _maybe(r, 0.4) else {},
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
        kind = r.choices(LEAF_KINDS, [_ON_MAPS.get(k, 1) for k in LEAF_KINDS])[0]
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


def sequential_specs(n: int, seed: int) -> list[dict]:
    """``n`` plain sequences of layers."""
    r = random.Random(seed)
    return [random_spec(r) for _ in range(n)]


# ------------------------------------------------------------------ graph specs


def _conv_same(r: random.Random, out: int, name: str | None = None) -> dict:
    """A convolution that keeps the height and width (mostly)."""
    k = r.choice([1, 3, 3, 5])
    d: dict = {"out": out, "kernel": k, "padding": k // 2 if _maybe(r, 0.9) else 0}
    if name:
        d = {"name": name, **d}
    return {"conv": d}


def _branch(r: random.Random, out: int) -> list:
    """A short branch of an Inception-like concat: most keep the height and width."""
    first = r.choice(["conv", "conv", "pool"])
    if first == "pool":
        layers = [{"maxpool": {"kernel": 3, "stride": 1, "padding": 1}}]
    else:
        layers = [_conv_same(r, out)]
    if _maybe(r, 0.5):
        layers.append("relu")
    if _maybe(r, 0.3):
        layers.append(_conv_same(r, r.randint(1, 6)))
    return layers


class _Graph:
    """Builds one graph spec: named layers, merges and blocks on a small map."""

    def __init__(self, r: random.Random):
        self.r = r
        self.layers: list = []
        self.names: list[str] = []     # named layers so far (their outputs can be inputs)
        self.blocks: dict = {}
        self.channels = r.randint(1, 6)

    def name(self) -> str:
        n = f"n{len(self.names) + 1}"
        self.names.append(n)
        return n

    def add(self, layer) -> None:
        self.layers.append(layer)

    def step(self) -> None:
        r, c = self.r, self.channels
        what = r.choice(["leaf", "leaf", "residual", "basic", "bottleneck", "concat", "add",
                         "multiply", "concat_inputs", "crop", "repeat", "repeat"])
        if what == "leaf":
            layer = _layer(r, False)
            kind = layer if isinstance(layer, str) else next(iter(layer))
            if kind in ("flatten", "linear"):
                layer = "relu"
            if isinstance(layer, dict) and _maybe(r, 0.5):
                layer[kind] = {**layer[kind], "name": self.name()}
            self.add(layer)
        elif what == "residual":
            main = [_conv_same(r, c), "batchnorm", "relu", _conv_same(r, c)]
            d: dict = {"main": main}
            if _maybe(r, 0.4):
                out = r.randint(1, 8)
                main[-1] = _conv_same(r, out)
                d["shortcut"] = [{"conv": {"out": out, "kernel": 1}}]
            if _maybe(r, 0.3):
                d["activation"] = r.choice(["none", "sigmoid", "tanh"])
            self.add({"residual": d})
        elif what == "basic":
            self.add({"basic": {"out": r.randint(1, 8), "stride": r.choice([1, 1, 2])}})
        elif what == "bottleneck":
            d = {"width": r.randint(1, 4), "stride": r.choice([1, 2])}
            if _maybe(r, 0.5):
                d["expansion"] = r.choice([1, 2, 4])
            self.add({"bottleneck": d})
        elif what == "concat":
            self.add({"concat": {"branches": [_branch(r, r.randint(1, 5))
                                              for _ in range(r.randint(2, 3))]}})
        elif what in ("add", "multiply", "concat_inputs", "crop"):
            self.merge(what)
        else:
            self.repeat()

    def merge(self, what: str) -> None:
        r = self.r
        if what == "multiply":  # squeeze-and-excitation: a C×1×1 gate scales the map
            x = self.name()
            self.add({"relu": {"name": x}})
            self.add({"global_pool": {}})
            self.add({"conv": {"out": r.randint(1, 3), "kernel": 1}})
            self.add("relu")
            self.add({"conv": {"out": self.channels if _maybe(r, 0.9) else 7, "kernel": 1}})
            gate = self.name()
            self.add({"sigmoid": {"name": gate}})
            self.add({"multiply": {"inputs": [x, gate]}})
            return
        a = self.name()
        self.add({"relu": {"name": a}})
        if what == "crop":  # the first input cropped to the second's height and width
            self.add({"maxpool": {"kernel": 2}})
            b = self.name()
            self.add({"conv": {"name": b, "out": r.randint(1, 4), "kernel": 1}})
            first, second = (a, b) if _maybe(r, 0.9) else (b, a)
            self.add({"crop": {"inputs": [first, second]}})
            return
        b = self.name()
        out = self.channels if what == "add" and _maybe(r, 0.85) else r.randint(1, 6)
        self.add(_conv_same(r, out, b))
        inputs = [a, b]
        if _maybe(r, 0.2):
            inputs.append(r.choice([a, b, "input"]))
        if _maybe(r, 0.05):
            inputs[0] = r.choice(["nowhere", b])  # not an earlier layer, or itself later on
        self.add({"add" if what == "add" else "concat": {"inputs": inputs}})

    def repeat(self) -> None:
        r = self.r
        block = f"b{len(self.blocks) + 1}"
        layers: list = [{"conv": {"name": "c", "out": "$out", "kernel": 3, "padding": 1,
                                  "stride": "$stride"}},
                        "batchnorm", {"relu": {"name": "act"}}]
        if _maybe(r, 0.5):  # the block's input added back: needs stride 1 and as many channels
            layers.append({"add": {"inputs": ["input", "act"]}})
        if _maybe(r, 0.3):
            layers.append({"repeat": {"block": "b0", "params": {"width": "$out"}}})
            self.blocks.setdefault("b0", {"params": {"width": None},
                                          "layers": [{"conv": {"out": "$width", "kernel": 1}},
                                                     "relu6"]})
        self.blocks[block] = {"params": {"out": None, "stride": 1}, "layers": layers}
        d: dict = {"block": block}
        if _maybe(r, 0.5):
            d["times"] = r.randint(1, 3)
            d["params"] = {"out": self.channels}
        else:
            d["each"] = [{"out": r.randint(1, 6), **({"stride": 2} if _maybe(r, 0.3) else {})}
                         for _ in range(r.randint(1, 3))]
        if _maybe(r, 0.05):
            d["params"] = {"depth": 2}  # not a parameter of the block
        if _maybe(r, 0.4):
            d["name"] = f"stage{len(self.blocks)}"
        self.add({"repeat": d})


def graph_spec(r: random.Random) -> dict:
    """One graph spec: {name, input, blocks?, layers}."""
    g = _Graph(r)
    size = r.randint(4, 24)
    for _ in range(r.randint(1, 6)):
        g.step()
    if _maybe(r, 0.5):
        g.add({"global_pool": {}} if _maybe(r, 0.5) else {"adaptive_avgpool": {"output": 1}})
        g.add("flatten")
        g.add({"fc": {"out": r.randint(1, 10)}})
    spec: dict = {"name": "graph", "input": [g.channels, size, size]}
    if g.blocks:
        spec["blocks"] = g.blocks
    spec["layers"] = g.layers
    if _maybe(r, 0.03):
        _spoil(r, "conv", next((layer["conv"] for layer in g.layers
                                if isinstance(layer, dict) and "conv" in layer), {}))
    return spec


def graph_specs(n: int, seed: int) -> list[dict]:
    """``n`` graph specs."""
    r = random.Random(seed)
    return [graph_spec(r) for _ in range(n)]


def random_specs(n: int, seed: int) -> list[dict]:
    """``n`` specs, one in four a graph: every kind the calculator computes is drawn."""
    r = random.Random(seed)
    return [graph_spec(r) if i % 4 == 3 else random_spec(r) for i in range(n)]
