"""The registry of layer kinds is complete: a kind missing anywhere it must appear fails here.

Every spec class has a record; every record's strings resolve to the code of the later
stages; the spec-format page documents every kind and alias; the kinds marked
``calculator`` are exactly those ``docs/javascripts/calculator.js`` computes (read from
its source) and those the calculator's data offers; the browser test's random specs use
every one of them.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from generator import closure
from generator.specs import kinds, layers, parse_spec

ROOT = Path(__file__).resolve().parents[2]
CALCULATOR_JS = ROOT / "docs" / "javascripts" / "calculator.js"
#: The one core of the calculator, the explorer and the exercises: it holds the LEAVES.
FORMULAS_JS = ROOT / "docs" / "javascripts" / "formulas.js"
NAMES = [k.name for k in kinds.KINDS]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_spec_class_has_exactly_one_record():
    classes = {c for c in _subclasses(layers.Layer) if c.__module__ == layers.__name__}
    assert classes == {k.spec for k in kinds.KINDS}
    assert len(NAMES) == len(set(NAMES)) == len(kinds.KINDS)
    assert list(kinds.LAYER_KINDS) == NAMES
    assert kinds.ALIASES == {"fc": "linear"}
    for k in kinds.KINDS:
        assert k.name == k.spec.KIND and k.name.isidentifier()
        assert kinds.get(k.name) is k
        assert all(kinds.get(a) is k for a in k.aliases)
        assert k.doc.endswith(".") and "\n" not in k.doc and len(k.doc) <= 80, k.name
    assert kinds.get("convolution") is None and kinds.get(7) is None


def test_every_record_resolves_to_the_code_of_its_stage():
    from generator.learn import layers as trainable
    from generator.tables import forward, table

    for k in kinds.KINDS:
        build, op = k.row_builder(), k.forward_op()
        assert inspect.getmodule(build) is table and callable(build), k.name
        assert inspect.getmodule(op) is forward and callable(op), k.name
        # leaves take (self, layer, shape, field) / (self, layer, x); blocks take more
        assert len(inspect.signature(build).parameters) == (7 if k.composite else 4), k.name
        assert len(inspect.signature(op).parameters) == (4 if k.composite else 3), k.name
        cls = k.trainable_layer()
        if k.trainable is None:
            assert cls is None
        else:
            assert issubclass(cls, trainable.Layer) and cls is not trainable.Layer, k.name
    assert kinds.resolve(kinds.KINDS[0].table) is kinds.KINDS[0].row_builder()  # cached


def test_the_trainable_kinds_are_the_ones_the_learn_code_has():
    assert sorted(k.name for k in kinds.KINDS if k.trainable) == [
        "avgpool", "conv", "conv_transpose", "dropout", "flatten", "linear", "maxpool", "relu",
        "sigmoid", "softmax", "tanh"]


def test_a_layer_of_every_kind_goes_through_the_table_and_the_forward_pass():
    import numpy as np

    from generator.tables import layer_table
    from generator.tables.forward import forward

    text = ("name: all\ninput: [4, 9, 9]\nlayers:\n"
            "  - conv: {out: 4, kernel: 3, padding: 1}\n  - conv_transpose: {out: 4, kernel: 1}\n"
            "  - maxpool: {kernel: 1}\n  - avgpool: {kernel: 1}\n  - relu\n  - tanh\n"
            "  - sigmoid\n  - batchnorm\n  - dropout\n  - softmax\n"
            "  - residual: {main: [relu]}\n  - basic: {out: 4}\n  - bottleneck: {width: 1}\n"
            "  - concat: {branches: [[relu], [tanh]]}\n"
            "  - lrn: {size: 3}\n  - layernorm\n  - scale\n  - relu6\n  - hardswish\n"
            "  - hardsigmoid\n  - silu\n  - gelu\n  - channel_shuffle: {groups: 2}\n"
            "  - channel_split: {chunks: 3, index: 2}\n  - conv: {out: 8, kernel: 1}\n"
            "  - upsample: {name: up, scale: 2, mode: bilinear}\n  - crop: {size: 9}\n"
            "  - pad: {padding: [1, 0, 2, 1]}\n  - crop: {name: c, size: 9}\n"
            "  - global_pool: {name: g, mode: max}\n  - multiply: {inputs: [c, g]}\n"
            "  - add: {name: a, inputs: [c, g]}\n  - concat: {inputs: [a, c]}\n"
            "  - repeat: {block: b, each: [{k: 3}, {k: 1}]}\n"
            "  - adaptive_maxpool: {output: [3, 2]}\n  - placeholder: {op: Einsum}\n"
            "  - adaptive_avgpool: {output: 2}\n  - flatten\n  - fc: {out: 3}\n"
            "blocks:\n  b:\n    params: {k: ~}\n"
            "    layers: [{conv: {name: x, out: 16, kernel: $k, padding: same}}, relu,\n"
            "             {add: {inputs: [input, x]}}]\n")
    net = parse_spec(text, "all.yaml", "all")
    assert {layer.KIND for layer in net.layers} == set(NAMES)
    table = layer_table(net)
    _, shapes = forward(net, np.ones((1, 4, 9, 9), np.float32))
    assert shapes == [(r.index, r.output_shape) for r in table.walk()]


def test_specs_import_no_later_stage():
    modules = closure.modules("generator.specs")
    # generator.spec_files: which files are specs, kept light for the fingerprint
    earlier = ("generator.specs", "generator.errors", "generator.spec_files")
    assert modules and all(m == "generator" or m.startswith(earlier) for m in modules), modules


def test_the_spec_format_page_documents_every_kind_and_alias():
    from generator.pages.architectures import _format_context

    # its arguments besides the list of built-ins are texts (e.g. the user specs folder)
    params = inspect.signature(_format_context).parameters
    context = _format_context(*[[] if i == 0 else "docs/specs" for i in range(len(params))])
    documented = {k["kind"]: k for k in context["layers"] + context["blocks"]}
    assert list(documented) == NAMES
    for k in kinds.KINDS:
        assert documented[k.name]["aliases"] == list(k.aliases)
        assert documented[k.name]["composite"] == k.composite


# ------------------------------------------------------------------ the calculator


def _skip_strings(src: str, i: int) -> int:
    """The index after the string literal or comment starting at ``i`` (or ``i``)."""
    c = src[i]
    if c in "'\"`":
        j = i + 1
        while src[j] != c:
            j += 2 if src[j] == "\\" else 1
        return j + 1
    if src.startswith("//", i):
        return src.index("\n", i)
    if src.startswith("/*", i):
        return src.index("*/", i) + 2
    return i


def _object_keys(src: str, var: str) -> list[str]:
    """The keys of the object literal ``var NAME = { ... }`` of a JavaScript source."""
    m = re.search(rf"\bvar {var} = \{{", src)
    if not m:
        return []
    keys, depth, i = [], 1, m.end()
    key = re.compile(r"\s*([A-Za-z_$][\w$]*|\"[^\"]+\"|'[^']+')\s*:")
    expect_key = True
    while depth:
        j = _skip_strings(src, i)
        if j != i:
            expect_key = expect_key and src[i] == "/"  # a comment keeps what comes next
            i = j
            continue
        c = src[i]
        if depth == 1 and expect_key:
            k = key.match(src, i)
            if k:
                keys.append(k.group(1).strip("\"'"))
                i, expect_key = k.end(), False
                continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == "," and depth == 1:
            expect_key = True
        i += 1
    return keys


def _assigned_keys(src: str, var: str) -> list[str]:
    """Kinds added after the literal: ``VAR.x = ``, ``VAR["x"] = ``, and
    ``["a", "b"].forEach(function (k) { VAR[k] = ...``."""
    out = re.findall(rf"\b{var}\.(\w+)\s*=[^=]", src)
    out += re.findall(rf"\b{var}\[\s*[\"'](\w+)[\"']\s*\]\s*=[^=]", src)
    for names, arg in re.findall(
            rf"\[([^\[\]]*)\]\.forEach\(function \((\w+)\) \{{\s*{var}\[\s*\2\s*\]\s*=", src):
        out += re.findall(r"[\"'](\w+)[\"']", names)
    return out


def calculator_js_kinds() -> set[str]:
    """Every layer kind the calculator computes: the LEAVES of formulas.js, the BLOCKS of
    calculator.js."""
    src = FORMULAS_JS.read_text(encoding="utf-8") + CALCULATOR_JS.read_text(encoding="utf-8")
    found = set()
    for var in ("LEAVES", "BLOCKS"):
        found |= set(_object_keys(src, var)) | set(_assigned_keys(src, var))
    return found


def test_the_js_reader_reads_object_keys_and_later_assignments():
    src = ('var LEAVES = {\n  conv: function (v) { var o = {a: 1}; return "}"; },\n'
           '  "max": pool("x,y: z"),  // b: c\n  avg: [1, {d: 2}],\n};\n'
           '["relu", "tanh"].forEach(function (kind) {\n  LEAVES[kind] = f;\n});\n'
           'LEAVES.flatten = g; LEAVES["softmax"] = h; if (LEAVES.conv === 1) {}\n')
    assert _object_keys(src, "LEAVES") == ["conv", "max", "avg"]
    assert sorted(_assigned_keys(src, "LEAVES")) == ["flatten", "relu", "softmax", "tanh"]


def test_the_calculator_computes_exactly_the_kinds_marked_calculator():
    marked = {k.name for k in kinds.KINDS if k.calculator}
    assert marked, "no kind is marked calculator=True"
    assert calculator_js_kinds() == marked


def test_the_calculator_data_offers_exactly_the_kinds_marked_calculator():
    from generator.pages.calculator import calculator_data

    data = calculator_data()
    assert set(data["kinds"]) == {k.name for k in kinds.KINDS if k.calculator}
    assert data["aliases"] == kinds.ALIASES


def test_the_random_specs_of_the_browser_test_use_every_calculator_kind():
    random_specs = pytest.importorskip("tests.browser.random_specs")
    used = set()
    for spec in random_specs.random_specs(400, seed=0):
        for layer in spec.get("layers") or []:
            name = layer if isinstance(layer, str) else next(iter(layer))
            used.add(kinds.ALIASES.get(name, name))
    assert {k.name for k in kinds.KINDS if k.calculator} <= used
