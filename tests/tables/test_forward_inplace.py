"""The forward pass writes element-wise results into arrays no other layer reads: its
output equals a run where nothing is overwritten, bit for bit, on every built-in with a
skip, a branch or a named input, and the caller's input is never touched."""

import numpy as np
import pytest

from generator.specs import load_builtin, parse_spec
from generator.tables import forward as fwd

#: Built-ins small enough to run at full size in a test, with residual blocks, graph
#: inputs, concatenations and SE gates between them.
NETWORKS = ["resnet18", "mobilenet-v2", "squeezenet1-1", "inception3a"]


def _both(net, x):
    ours, _ = fwd.forward(net, x.copy())

    class NeverOwned(fwd._Run):
        owned = property(lambda self: False, lambda self, v: None)

    run = NeverOwned(np.random.default_rng(0))
    ref = run.sequence(net.layers, x.copy(), "")
    return ours, ref


@pytest.mark.parametrize("name", NETWORKS)
def test_inplace_forward_equals_copying_forward(name):
    net = load_builtin(name)
    x = np.random.default_rng(3).standard_normal((1, *net.input)).astype(np.float32)
    ours, ref = _both(net, x)
    assert np.array_equal(ours, ref)


def test_forward_leaves_its_input_and_named_outputs_alone():
    # a ReLU whose input is also read by a later add: the add must see the pre-ReLU values
    spec = parse_spec("""
name: t
input: [2, 4, 4]
layers:
  - conv: {name: a, out: 2, kernel: 1}
  - relu
  - add: {inputs: [a, input]}
""", "t.yaml", "t")
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4)).astype(np.float32)
    keep = x.copy()
    y, _ = fwd.forward(spec, x)
    assert np.array_equal(x, keep)
    run = fwd._Run(np.random.default_rng(0))
    conv = run.conv(spec.layers[0], keep)
    assert np.array_equal(y, conv + keep)  # the add saw a, not relu(a)
