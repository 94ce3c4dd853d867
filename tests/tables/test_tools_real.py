"""The tool numbers :mod:`generator.tables.tools` predicts equal what the tools print.

For every built-in with a ``torchvision`` field (torchvision's model) and every spec
without one (built-ins and ``generator/specs/examples``, built by
``tests/torch_build.py``): torchinfo, fvcore, ptflops (both backends) and thop run on
the model, their output silenced, and each number must equal the prediction exactly.
Skipped where torch, torchvision or a tool is absent. Networks whose torch forward
would cost more than :data:`MAX_MACS` run on a smaller input that the spec accepts
(the predictions are computed for that input too), on one thread.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.specs import BUILTINS, load_builtin, load_spec
from generator.tables import layer_table
from generator.tables.tools import DIALECTS, TOOLS, predict
from tests import torchvision_oracle

EXAMPLES = sorted((Path(__file__).parents[2] / "generator/specs/examples").glob("*.yaml"))
#: Above this many weight MACs a network runs on a smaller input (the time budget: every
#: tool runs the model, and the machine's time goes to the forward passes).
MAX_MACS = 10**9


def _load(name):
    if name in BUILTINS:
        return load_builtin(name)
    return load_spec(next(p for p in EXAMPLES if p.stem == name), name)


NETWORKS = list(BUILTINS) + [p.stem for p in EXAMPLES]
#: Small specs built in a torchvision dialect (tests/torch_build.py), so each way a
#: dialect runs a layer is checked on a network that is not torchvision's.
IN_DIALECTS = [("convnext-block", "convnext"), ("example-tiny", "densenet"),
               ("example-tiny", "mnasnet"), ("example-tiny", "inception_v3")]


def _input(net):
    """The table on the spec's input, or on the largest smaller square input the network
    accepts whose weight MACs are under :data:`MAX_MACS` (else the smallest it accepts:
    U-Net's valid convolutions need 188×188)."""
    table = layer_table(net)
    if table.totals.macs <= MAX_MACS or len(net.input) != 3:
        return table
    for size in range(min(net.input[1:]) - 1, 15, -1):
        try:
            smaller = layer_table(net, (net.input[0], size, size))
        except UserError:  # too small for some layer
            continue
        table = smaller
        if smaller.totals.macs <= MAX_MACS:
            break
    return table


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """One thread: the forward passes are small, and several threads spend more time
    waiting for each other than computing (ten times more on a busy 2-core machine)."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _measure(model, shape) -> dict[str, float]:
    """What each tool returns for ``model`` on a batch of one of ``shape``."""
    torch = pytest.importorskip("torch")
    torchinfo = pytest.importorskip("torchinfo", reason="torchinfo is not installed")
    fvcore_nn = pytest.importorskip("fvcore.nn", reason="fvcore is not installed")
    try:  # ptflops imports torchvision.ops if it can: through the oracle, or not at all
        torchvision_oracle.models()
    except pytest.skip.Exception:
        pass
    ptflops = pytest.importorskip("ptflops", reason="ptflops is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # thop imports distutils
        thop = pytest.importorskip("thop", reason="thop is not installed")
    x = torch.zeros(1, *shape)
    got = {}
    quiet = io.StringIO()
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), \
                warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            got["torchinfo"] = torchinfo.summary(model, (1, *shape), verbose=0,
                                                 device="cpu").total_mult_adds
            flops = fvcore_nn.FlopCountAnalysis(model, x)
            flops.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            got["fvcore"] = flops.total()
            for backend in ("pytorch", "aten"):
                got[f"ptflops ({backend})"] = ptflops.get_model_complexity_info(
                    model, tuple(shape), as_strings=False, print_per_layer_stat=False,
                    backend=backend)[0]
            got["thop"] = thop.profile(model, (x,), verbose=False)[0]
    finally:
        logging.disable(logging.NOTSET)
    return got


def _model(net, table, dialect=None):
    if net.torchvision and dialect is None:
        return torchvision_oracle.build(net)
    torch_build = pytest.importorskip("tests.torch_build")
    return torch_build.build(net, table.input_shape, dialect)


def _check(name, dialect=None):
    net = _load(name)
    table = _input(net)
    got = _measure(_model(net, table, dialect), table.input_shape)
    predicted = {p.tool: p.value for p in predict(table, dialect)}
    assert set(predicted) == {t.name for t in TOOLS} == set(got)
    wrong = {tool: (predicted[tool], got[tool]) for tool in got
             if predicted[tool] != got[tool] or type(predicted[tool]) is not type(got[tool])}
    assert not wrong, f"{name} at {table.input_shape}: predicted vs printed {wrong}"


@pytest.mark.parametrize("name", NETWORKS)
def test_predicted_numbers_are_what_the_tools_print(name):
    _check(name)


@pytest.mark.parametrize("name, dialect", IN_DIALECTS)
def test_predictions_in_a_dialect_on_a_small_spec(name, dialect):
    _check(name, DIALECTS[dialect])


def test_thop_returns_a_float_and_the_others_integers():
    table = layer_table(load_builtin("lenet5"))
    kinds = {p.tool: type(p.value) for p in predict(table)}
    assert kinds.pop("thop") is float and set(kinds.values()) == {int}
