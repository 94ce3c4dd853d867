"""The one JavaScript core (docs/javascripts/formulas.js) against the Python it restates.

The calculator, the explorer and the exercises take every output size, padding rule,
count, receptive field and argument message from ``window.AtlasFormulas``; here the
core runs alone in Chromium (a bare page, no site build) on a few hundred seeded random
cases, valid and not, and each answer, or each message, must be the one of
``generator.nn.shapes``, ``generator.nn.tensorflow``, ``generator.nn.split``,
``generator.tables.counts`` and ``generator.tables.receptive``.
"""

from __future__ import annotations

import random
import shutil

import pytest

from generator import text
from generator.nn import shapes
from generator.nn import tensorflow as tfr
from generator.nn.shuffle import broadcast_shape
from generator.nn.split import chunk_sizes
from generator.tables import counts, receptive
from tests.browser.conftest import console_errors, serve
from tests.conftest import ROOT

pytestmark = pytest.mark.site

SEED = 20261129
CASES = 300


@pytest.fixture(scope="module")
def core(browser, tmp_path_factory):
    """A blank page holding formulas.js and nothing else."""
    folder = tmp_path_factory.mktemp("core")
    shutil.copy(ROOT / "docs/javascripts/formulas.js", folder / "formulas.js")
    (folder / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>core</title>'
        '<script src="formulas.js"></script>\n', encoding="utf-8")
    with serve(folder) as (url, _):
        browser.get(url)
        assert browser.execute_script("return !!window.AtlasFormulas")
        console_errors(browser)
        yield browser


#: Each call: (name, JavaScript expression on F with the arguments a0, a1, ...,
#: the Python that must agree).
def _tf_conv_transpose(size, k, s, mode, op, d):
    return tfr.conv_transpose_output_size(size, k, s, mode, op, d)


def _field(f):
    return None if f is None else [{"size": x.size, "jump": x.jump, "start": x.start} for x in f]


def _py_field(d):
    return None if d is None else tuple(receptive.Field1D(x["size"], x["jump"], x["start"])
                                        for x in d)


CALLS = {
    "conv": ("F.convOutputSize(a0, a1, a2, a3, a4)", shapes.conv_output_size),
    "transposed": ("F.convTransposeOutputSize(a0, a1, a2, a3, a4, a5)",
                   shapes.conv_transpose_output_size),
    "pool": ("F.poolOutputSize(a0, a1, a2, a3, a4, a5)", shapes.pool_output_size),
    "same": ("F.samePadding(a0, a1)", lambda k, d: list(shapes.same_padding(k, d))),
    "tf": ("F.tfOutputSize(a0, a1, a2, a3, a4)",
           lambda n, k, s, d, m: list(shapes.tf_output_size(n, k, s, d, m))),
    "keras_transposed": ("F.kerasConvTransposeOutputSize(a0, a1, a2, a3, a4, a5)",
                         _tf_conv_transpose),
    "keras_conv": ("(F.checkKerasConv(a0, a1), 'ok')",
                   lambda s, d: (tfr.check_keras_conv(s, d), "ok")[1]),
    "conv2d": ("F.conv2dOutputHW(a0, a1, a2, a3, a4)",
               lambda hw, k, s, p, d: list(shapes.conv2d_output_hw(hw, k, s, p, d))),
    "conv2d_padding": ("F.conv2dPadding(a0, a1, a2, a3)",
                       lambda k, p, s, d: [list(x) for x in shapes.conv2d_padding(k, p, s, d)]),
    "transposed2d": ("F.convTranspose2dOutputHW(a0, a1, a2, a3, a4, a5)",
                     lambda *a: list(shapes.conv_transpose2d_output_hw(*a))),
    "pool2d": ("F.pool2dOutputHW(a0, a1, a2, a3, a4, a5)",
               lambda *a: list(shapes.pool2d_output_hw(*a))),
    "conv_params": ("F.conv2dParams(a0, a1, a2, a3, a4)",
                    lambda *a: list(counts.conv2d_params(*a))),
    "conv_macs": ("F.conv2dMacs(a0, a1, a2, a3, a4)", counts.conv2d_macs),
    "transposed_params": ("F.convTranspose2dParams(a0, a1, a2, a3, a4)",
                          lambda *a: list(counts.conv_transpose2d_params(*a))),
    "transposed_macs": ("F.convTranspose2dMacs(a0, a1, a2, a3, a4)",
                        counts.conv_transpose2d_macs),
    "linear": ("[F.linearParams(a0, a1, a2), F.linearMacs(a0, a1)]",
               lambda i, o, b: [list(counts.linear_params(i, o, b)), counts.linear_macs(i, o)]),
    "norm": ("[F.normParams(a0, a1), F.normParams(a0, a1), F.batchnormBuffers(a0)]",
             lambda c, a: [list(counts.batchnorm_params(c, a)), list(counts.layernorm_params(c, a)),
                           counts.batchnorm_buffers(c)]),
    "window": ("F.windowField(a0, a1, a2, a3, a4)",
               lambda f, k, s, p, d: _field(receptive.window(_py_field(f), k, s, p, d))),
    "union": ("F.unionField(a0)", lambda fs: _field(receptive.union([_py_field(f) for f in fs]))),
    "adaptive": ("F.adaptiveWindow(a0, a1)",
                 lambda n, o: None if receptive.adaptive_window(n, o) is None
                 else list(receptive.adaptive_window(n, o))),
    "chunks": ("F.chunkSizes(a0, a1)", chunk_sizes),
    "broadcast": ("F.broadcastShape(a0, a1)", lambda a, b: _broadcast(a, b)),
}


def _broadcast(a, b):
    try:
        return list(broadcast_shape(a, b)) if len(a) == len(b) else None
    except ValueError:
        return None


def _args(r: random.Random, name: str) -> list:
    """Random arguments for one call: mostly valid, sometimes not (0, negative, too big)."""
    n = lambda lo, hi: r.randint(lo, hi)  # noqa: E731
    pair = lambda lo, hi: [n(lo, hi), n(lo, hi)]  # noqa: E731
    field = lambda: [{"size": n(1, 20), "jump": r.choice([1, 2, 4]), "start": n(-5, 0)}  # noqa: E731
                     for _ in range(2)]
    if name == "conv":
        return [n(0, 30), n(0, 9), n(0, 4), n(-1, 4), n(0, 3)]
    if name == "transposed":
        return [n(0, 12), n(1, 6), n(1, 4), n(0, 4), n(0, 3), n(1, 3)]
    if name == "pool":
        return [n(1, 30), n(1, 7), r.choice([None, 1, 2, 3]), n(0, 3), n(1, 3), r.random() < .5]
    if name == "same":
        return [n(0, 9), n(0, 3)]
    if name == "tf":
        return [n(0, 30), n(1, 9), n(1, 4), n(1, 3), r.choice(["SAME", "VALID", "same", "valid"])]
    if name == "keras_transposed":
        return [n(1, 12), n(1, 6), n(1, 4), r.choice(["same", "valid"]), r.choice([None, 0, 1]),
                n(1, 3)]
    if name == "keras_conv":
        return [pair(1, 3), pair(1, 3)]
    if name == "conv2d":
        return [pair(1, 20), pair(1, 7), pair(1, 3),
                r.choice([pair(0, 3), "same", "valid", [n(0, 2), n(0, 2)]]), pair(1, 3)]
    if name == "conv2d_padding":
        return [pair(1, 7), r.choice([pair(0, 3), "same", "valid", [-1, 2]]), pair(1, 2), pair(1, 3)]
    if name == "transposed2d":
        return [pair(1, 10), pair(1, 5), pair(1, 3), pair(0, 3), pair(0, 2), pair(1, 2)]
    if name == "pool2d":
        return [pair(1, 20), pair(1, 6), r.choice([None, pair(1, 3)]), pair(0, 3), pair(1, 3),
                r.random() < .5]
    if name in ("conv_params", "transposed_params"):
        return [n(1, 12), n(1, 12), pair(1, 5), r.choice([1, 1, 2, 3, 4]), r.random() < .7]
    if name == "conv_macs":
        return [n(1, 12), n(1, 12), pair(1, 5), pair(1, 30), r.choice([1, 2, 3])]
    if name == "transposed_macs":
        return [n(1, 12), n(1, 12), pair(1, 5), pair(1, 30), r.choice([1, 2, 3])]
    if name == "linear":
        return [n(1, 5000), n(1, 1000), r.random() < .7]
    if name == "norm":
        return [n(1, 2048), r.random() < .8]
    if name == "window":
        return [r.choice([field(), None]), pair(1, 7), pair(1, 3), pair(-2, 3), pair(1, 3)]
    if name == "union":
        return [[r.choice([field(), field(), None]) for _ in range(n(1, 4))]]
    if name == "adaptive":
        return [n(1, 60), n(1, 12)]
    if name == "chunks":
        return [n(0, 40), n(0, 9)]
    if name == "broadcast":
        shape = lambda: [r.choice([1, n(1, 4)]) for _ in range(r.choice([1, 3, 3]))]  # noqa: E731
        return [shape(), shape()]
    raise AssertionError(name)


def _python(name: str, args: list):
    try:
        return {"value": CALLS[name][1](*args)}
    except ValueError as exc:
        return {"error": str(exc)}


def test_the_core_answers_as_python_does(core):
    r = random.Random(SEED)
    cases = [(name, _args(r, name)) for _ in range(CASES // len(CALLS) + 1) for name in CALLS]
    got = core.execute_script("""
        var F = window.AtlasFormulas, calls = arguments[1];
        return arguments[0].map(function (c) {
          var a = c[1];
          try {
            return {value: new Function("F", "a0", "a1", "a2", "a3", "a4", "a5", "return " + calls[c[0]])
              .apply(null, [F].concat(a))};
          } catch (e) {
            if (e instanceof F.ShapeError) return {error: e.message};
            throw e;
          }
        });""", cases, {k: v[0] for k, v in CALLS.items()})
    differ = [(name, args, g, w) for (name, args), g in zip(cases, got)
              if g != (w := _python(name, args))]
    assert not differ, f"{len(differ)} of {len(cases)} differ; first: {differ[:3]}"
    errors = sum("error" in g for g in got)
    assert len(cases) >= CASES and 40 <= errors <= len(cases) // 2, errors
    assert console_errors(core) == []


def test_the_core_writes_shapes_as_the_site_does(core):
    got = core.execute_script("var F = window.AtlasFormulas;"
                              "return [F.TIMES, F.shapeText([64, 55, 55]), F.hwText([3, 5]),"
                              " F.hwText([3, 3]), F.FLOAT32_BYTES];")
    assert got == [text.TIMES, text.shape((64, 55, 55)), text.size2((3, 5)), text.size2((3, 3)),
                   counts.FLOAT32_BYTES]
