"""The trainable network's backward pass against centred differences (tests/gradcheck.py).

The operators' own gradients are checked in tests/nn; here the pieces this
package adds: the transposed convolution's gradients written with conv2d's,
tanh and sigmoid, the fused losses, and a whole network's backward pass
with and without frozen layers. In float64.
"""

from __future__ import annotations

import numpy as np
import pytest

from generator import learn, nn
from generator.learn.layers import conv_transpose2d_backward
from generator.learn.losses import binary_cross_entropy, cross_entropy
from generator.learn.model import Model
from generator.learn.trained import AUTOENCODER_SPEC
from generator.specs import load_builtin, load_spec
from tests.gradcheck import check_grad

@pytest.mark.parametrize("stride, padding, dilation, output_padding", [
    (1, 0, 1, 0), (2, 1, 1, 0), (2, 1, 1, 1), (3, 0, 2, 0), (2, 2, 1, 1)])
def test_conv_transpose2d_backward(stride, padding, dilation, output_padding):
    rng = np.random.default_rng(stride * 10 + padding)
    x = rng.normal(size=(2, 3, 4, 5))
    w = rng.normal(size=(3, 2, 3, 3))
    b = rng.normal(size=2)
    args = dict(stride=stride, padding=padding, dilation=dilation)
    y = nn.conv_transpose2d(x, w, b, output_padding=output_padding, **args)
    r = rng.normal(size=y.shape)

    def loss():
        return float(np.sum(nn.conv_transpose2d(x, w, b, output_padding=output_padding, **args) * r))

    gx, gw, gb = conv_transpose2d_backward(r, x, w, **args)
    for a, g in ((x, gx), (w, gw), (b, gb)):
        check_grad(loss, a, g)


def _params64(model, seed):
    return {k: v.astype(np.float64) for k, v in model.init(seed).items()}


def _check_model(model, params, x, targets, loss_name, per_param=6):
    value, grads = model.loss_and_grads(params, x, targets, loss_name)
    assert set(grads) == set(model.trainable())
    rng = np.random.default_rng(1)
    for name, g in grads.items():
        a = params[name]
        entries = rng.choice(a.size, size=min(per_param, a.size), replace=False)
        check_grad(lambda: model.loss_and_grads(params, x, targets, loss_name)[0], a, g, entries)


def test_lenet5_backward():
    model = Model(load_builtin("lenet5"))
    params = _params64(model, 0)
    x = np.random.default_rng(0).normal(size=(3, 1, 32, 32))
    _check_model(model, params, x, np.array([1, 7, 3]), "cross_entropy")


def test_frozen_layers_get_no_gradient():
    model = Model(learn.freeze(load_builtin("lenet5"), ["C1", "C3", "C5"]))
    params = _params64(model, 0)
    x = np.random.default_rng(1).normal(size=(2, 1, 32, 32))
    _, grads = model.loss_and_grads(params, x, np.array([0, 9]))
    assert sorted(grads) == ["F6.bias", "F6.weight", "output.bias", "output.weight"]
    _check_model(model, params, x, np.array([0, 9]), "cross_entropy")


def test_autoencoder_backward():
    model = Model(load_spec(AUTOENCODER_SPEC, "autoencoder"))
    params = _params64(model, 0)
    x = np.random.default_rng(2).uniform(size=(2, 1, 32, 32))
    _check_model(model, params, x, x, "binary_cross_entropy", per_param=4)


def test_losses_by_hand():
    # one image, two classes with equal scores: -log(1/2), gradient (1/2 - 1, 1/2)
    value, grad = cross_entropy(np.array([[0.0, 0.0]]), np.array([0]))
    assert value == pytest.approx(np.log(2), abs=1e-15) and grad.tolist() == [[-0.5, 0.5]]
    # logit 0 is p = 1/2; target 1: -log(1/2); gradient (1/2 - 1) / 1
    value, grad = binary_cross_entropy(np.array([0.0]), np.array([1.0]))
    assert value == pytest.approx(np.log(2), abs=1e-15) and grad.tolist() == [-0.5]
